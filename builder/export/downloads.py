"""Every package of a course, and the page that lists them for LMS admins.

`write_downloads` exports one package per track and one for the whole course, in every
installed format, into `<site>/downloads/`, then writes `downloads/index.html`: a table
(title, format, size, SHA-256) and the import guide (`builder/docs/lms-import.md`), and
`downloads/packages.json` (the same list, with the facts each format measures and the
export times, for scripts). Nothing here knows a format: names, labels, descriptions,
fallbacks and facts are the exporters' own; the page's wording is the interface strings'
(`downloads_*` in render/strings/<lang>.yaml, which a course may override).
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import markdown

from ..common.rewrite import PageCache
from ..errors import Problem
from ..model import Project, Track, pick
from .base import exporter_class, formats, get_exporter
from .plan import Layout, scope_modules

GUIDE_LANGUAGE = "en"  # builder/docs/lms-import.md
DOWNLOADS_PAGE = "downloads/index.html"  # the page write_downloads writes, in a site


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    format: str
    scope: str  # a track id or "all"
    title: str
    size: int
    sha256: str
    facts: Mapping[str, int]  # what its format measures (Exporter.facts)
    seconds: float
    note: str = ""  # what its format says of it (Package.note), also in `title`
    left_out: tuple[Problem, ...] = ()  # what of the course it leaves out (Package.left_out)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def export_packages(project: Project, lang: str, site_dir: Path, out_dir: Path,
                    format_names: list[str] | None = None, tracks: list[str | None] | None = None,
                    layout: Layout = "single", *, fallback: bool = False,
                    cache_dir: Path | None = None) -> list[PackageInfo]:
    """Export each (format, scope); scopes default to every track, then the whole course.

    With `fallback`, a package that its format cannot make as asked is made the way the
    format falls back to (SCORM: one SCO per module), its title saying so. `cache_dir`:
    the build's cache, where a format may keep what it made (Exporter.cache_dir)."""
    course = project.course
    if tracks is None:
        tracks = [t.id for t in course.tracks if scope_modules(project, lang, t)] + [None]
    names = format_names or formats()
    made: dict[tuple[str, str | None], PackageInfo] = {}
    # each page is rewritten once per part for every package; read once when it is in
    # more than one package (one package: in one part)
    pages = PageCache(trees_budget=0 if len(tracks) * len(names) == 1 else None)
    for track_id in tracks:
        for name in names:
            started = time.perf_counter()
            exporter = get_exporter(name, layout, pages)
            exporter.cache_dir = cache_dir / name if cache_dir is not None else None
            package = exporter.package(project, lang, site_dir, out_dir, track_id,
                                       fallback=fallback)
            seconds = time.perf_counter() - started
            track = course.track(track_id) if track_id else None
            title = pick(course.title, lang, course.id)
            if track is not None:
                title = f"{title}: {pick(track.title, lang, track.id)}"
            if package.note:
                title = f"{title} ({package.note})"
            path = package.path
            made[name, track_id] = PackageInfo(
                path, name, track_id or "all", title, path.stat().st_size, sha256_of(path),
                package.facts, seconds, package.note, package.left_out)
    return [made[name, track_id] for name in names for track_id in tracks]  # by format


def untranslated_tracks(project: Project, lang: str) -> list[Track]:
    """The tracks none of whose modules is in `lang` yet: that language's site leaves them
    out, and makes no package of them (none when the course has no such edition)."""
    if lang not in project.editions:
        return []
    return [t for t in project.course.tracks if not scope_modules(project, lang, t)]


def import_guide_html() -> str:
    text = (resources.files("builder") / "docs" / "lms-import.md").read_text(encoding="utf-8")
    return markdown.markdown(text, extensions=["tables", "toc"], output_format="html")


def write_downloads(project: Project, lang: str, site_dir: Path, strings: Mapping[str, str],
                    out_dir: Path | None = None, cache_dir: Path | None = None
                    ) -> list[PackageInfo]:
    """Every package into `out_dir` (default <site>/downloads), and its index.html in the
    language of `strings` (the site's interface strings)."""
    out_dir = out_dir or (site_dir / DOWNLOADS_PAGE).parent
    infos = export_packages(project, lang, site_dir, out_dir, fallback=True,
                            cache_dir=cache_dir)
    write_page(project, lang, site_dir, out_dir, infos, strings)
    write_listing(out_dir, infos)
    return infos


def write_listing(out_dir: Path, infos: list[PackageInfo]) -> Path:
    """downloads/packages.json: the same list for scripts (and `make bench`)."""
    rows = [{"file": i.path.name, "format": i.format, "scope": i.scope, "title": i.title,
             "bytes": i.size, "sha256": i.sha256, **i.facts,
             "export_seconds": round(i.seconds, 3)} for i in infos]
    target = out_dir / "packages.json"
    target.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _size(n: int, strings: Mapping[str, str]) -> str:
    if n < 1024 * 1024:
        return strings["downloads_kb"].replace("{n}", f"{n / 1024:.0f}")
    megabytes = f"{n / 1024 / 1024:.1f}".replace(".", strings["decimal"])
    return strings["downloads_mb"].replace("{n}", megabytes)


def write_page(project: Project, lang: str, site_dir: Path, out_dir: Path,
               infos: list[PackageInfo], strings: Mapping[str, str]) -> Path:
    course = project.course
    course_title = pick(course.title, lang, course.id)

    def t(key: str) -> str:
        return html.escape(strings[key].replace("{course}", course_title))

    css = sorted(site_dir.glob("assets/stylesheets/main.*.css"))
    css = [c for c in css if not c.name.endswith(".map")]
    links = "".join(f'<link rel="stylesheet" href="../{c.relative_to(site_dir).as_posix()}">\n'
                    for c in css[:1])
    exporters = [exporter_class(name) for name in dict.fromkeys(i.format for i in infos)]
    # the formats' wordings are interface strings (export.base.wordings)
    labels = {e.name: html.escape(strings.get(f"format_{e.name}_label", e.text(e.label, lang)))
              for e in exporters}
    uses = strings["downloads_use_separator"].join(strings.get(f"format_{e.name}_description",
                                                               e.text(e.description, lang))
                                                   for e in exporters)
    use = f" {html.escape(strings['downloads_use'].replace('{formats}', uses))}" if uses else ""
    rows = []
    for info in infos:
        rows.append(
            "<tr>"
            f'<td><a href="{html.escape(info.path.name)}" download>'
            f"{html.escape(info.title)}</a></td>"
            f"<td>{labels[info.format]}</td>"
            f'<td style="white-space:nowrap">{html.escape(_size(info.size, strings))}</td>'
            f'<td><code style="word-break:break-all">{info.sha256}</code></td></tr>')
    guide = import_guide_html()
    if lang != GUIDE_LANGUAGE:
        guide = f'<div lang="{GUIDE_LANGUAGE}">\n{guide}\n</div>'
    left_out = "".join(
        f"<p>{html.escape(strings['downloads_untranslated_track'].replace('{track}', title))}"
        "</p>\n" for title in (pick(tr.title, lang, tr.id)
                               for tr in untranslated_tracks(project, lang)))
    page = _page(project, lang, strings, links,
                 f"<p>{t('downloads_intro')}{use} {t('downloads_check')}</p>\n{left_out}"
                 f"<table>\n<thead><tr><th>{t('downloads_package')}</th>"
                 f"<th>{t('downloads_format')}</th><th>{t('downloads_size')}</th>"
                 f"<th>{t('downloads_sha256')}</th></tr></thead>\n"
                 "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n" + guide)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def preview_page(project: Project, lang: str, strings: Mapping[str, str]) -> str:
    """downloads/index.html of a site built without its packages (the live preview, a
    plain `mkdocs build`): says what makes them; `write_page` replaces it."""
    return _page(project, lang, strings, "",
                 f"<p>{html.escape(strings['downloads_not_built'])}</p>")


def _page(project: Project, lang: str, strings: Mapping[str, str], links: str,
          body: str) -> str:
    course_title = pick(project.course.title, lang, project.course.id)
    title = html.escape(strings["downloads_title"].replace("{course}", course_title))
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{title}</title>\n{links}"
        "<style>body{margin:0 auto;max-width:60rem;padding:1rem 1.5rem}"
        "table{border-collapse:collapse}td,th{padding:.3rem .6rem;"
        "border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style>\n"
        '</head>\n<body>\n<article class="md-typeset">\n'
        f'<p><a href="../index.html">← {html.escape(course_title)}</a></p>\n'
        f"<h1>{title}</h1>\n{body}\n</article>\n</body>\n</html>\n")
