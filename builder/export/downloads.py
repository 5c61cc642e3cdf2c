"""Every package of a course, and the page that lists them for LMS admins.

`write_downloads` exports one package per track and one for the whole course, in every
registered format, into `<site>/downloads/`, then writes `downloads/index.html`: a table
(title, format, size, SHA-256) and the import guide (`builder/docs/lms-import.md`), and
`downloads/packages.json` (the same list, with the export times, for scripts).
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import markdown

from ..errors import SuspendLimitError
from ..model import Project, pick
from .base import formats, get_exporter
from .plan import scope_modules
from .scorm import PageCache

FORMAT_LABELS = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4th edition"}


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    format: str
    scope: str  # a track id or "all"
    title: str
    size: int
    sha256: str
    suspend_bound: int
    seconds: float


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def export_packages(project: Project, lang: str, site_dir: Path, out_dir: Path,
                    format_names: list[str] | None = None, tracks: list[str | None] | None = None,
                    layout: str = "single", *, fallback: bool = False) -> list[PackageInfo]:
    """Export each (format, scope); scopes default to every track, then the whole course.

    With `fallback`, a single-SCO package whose saved state cannot fit its SCORM version's
    limit (a large course in SCORM 1.2) is made with one SCO per module instead."""
    course = project.course
    if tracks is None:
        tracks = [t.id for t in course.tracks if scope_modules(project, lang, t)] + [None]
    names = format_names or formats()
    made: dict[tuple[str, str | None], PackageInfo] = {}
    pages = PageCache()  # a scope's pages are rewritten once for all its formats
    for track_id in tracks:
        for name in names:
            exporter = get_exporter(name, layout=layout, pages=pages)
            started = time.perf_counter()
            per_module = False
            try:
                path = exporter.export(project, lang, site_dir, out_dir, track_id)
            except SuspendLimitError:  # only this: any other error is the same in either layout
                if not fallback or layout != "single":
                    raise
                exporter = get_exporter(name, layout="module", pages=pages)
                path = exporter.export(project, lang, site_dir, out_dir, track_id)
                per_module = True
            seconds = time.perf_counter() - started
            track = course.track(track_id) if track_id else None
            title = pick(course.title, lang, course.id)
            if track is not None:
                title = f"{title}: {pick(track.title, lang, track.id)}"
            if per_module:
                title = f"{title} (one SCO per module)"
            bounds = getattr(exporter, "last_bounds", {}) or {}
            made[name, track_id] = PackageInfo(
                path, name, track_id or "all", title, path.stat().st_size, sha256_of(path),
                max(bounds.values(), default=0), seconds)
    return [made[name, track_id] for name in names for track_id in tracks]  # by format


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def import_guide_html() -> str:
    text = (resources.files("builder") / "docs" / "lms-import.md").read_text(encoding="utf-8")
    return markdown.markdown(text, extensions=["tables", "toc"], output_format="html")


def write_downloads(project: Project, lang: str, site_dir: Path,
                    out_dir: Path | None = None) -> list[PackageInfo]:
    """Every package into `out_dir` (default <site>/downloads), and its index.html."""
    out_dir = out_dir or site_dir / "downloads"
    infos = export_packages(project, lang, site_dir, out_dir, fallback=True)
    write_page(project, lang, site_dir, out_dir, infos)
    write_listing(out_dir, infos)
    return infos


def write_listing(out_dir: Path, infos: list[PackageInfo]) -> Path:
    """downloads/packages.json: the same list for scripts (and `make bench`)."""
    rows = [{"file": i.path.name, "format": i.format, "scope": i.scope, "title": i.title,
             "bytes": i.size, "sha256": i.sha256, "suspend_data_max": i.suspend_bound,
             "export_seconds": round(i.seconds, 3)} for i in infos]
    target = out_dir / "packages.json"
    target.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def write_page(project: Project, lang: str, site_dir: Path, out_dir: Path,
               infos: list[PackageInfo]) -> Path:
    course = project.course
    title = f"{pick(course.title, lang, course.id)}: packages for learning platforms"
    css = sorted(site_dir.glob("assets/stylesheets/main.*.css"))
    css = [c for c in css if not c.name.endswith(".map")]
    links = "".join(f'<link rel="stylesheet" href="../{c.relative_to(site_dir).as_posix()}">\n'
                    for c in css[:1])
    rows = []
    for info in infos:
        rows.append(
            "<tr>"
            f'<td><a href="{html.escape(info.path.name)}" download>'
            f"{html.escape(info.title)}</a></td>"
            f"<td>{FORMAT_LABELS.get(info.format, info.format)}</td>"
            f'<td style="white-space:nowrap">{_size(info.size)}</td>'
            f'<td><code style="word-break:break-all">{info.sha256}</code></td></tr>')
    page = (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{links}"
        "<style>body{margin:0 auto;max-width:60rem;padding:1rem 1.5rem}"
        "table{border-collapse:collapse}td,th{padding:.3rem .6rem;"
        "border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style>\n"
        '</head>\n<body>\n<article class="md-typeset">\n'
        f'<p><a href="../index.html">← {html.escape(pick(course.title, lang, course.id))}</a>'
        "</p>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        "<p>One package per track, and one for the whole course. Use SCORM 1.2 for "
        "Moodle (and its mobile app); SCORM 2004 for platforms that prefer it. Check a "
        "download against its SHA-256 before importing it.</p>\n"
        "<table>\n<thead><tr><th>Package</th><th>Format</th><th>Size</th>"
        "<th>SHA-256</th></tr></thead>\n<tbody>\n" + "\n".join(rows) +
        "\n</tbody>\n</table>\n" + import_guide_html() + "\n</article>\n</body>\n</html>\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
