"""Pages -> `Page`: front matter, quiz markers and widgets, links and heading anchors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..cache import BuildCache
from ..errors import Problem
from ..model import FENCE_RE, MARKER_RE, Course, Link, Loc, Page, QuizMarker
from ..yamlsrc import LDict, Reader, parse
from .files import cached_read, rel, walk

LINK_RE = re.compile(r"(!?)\[(?:[^\]\[]|\[[^\]]*\])*\]"  # [text] or ![alt]
                     r"\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")  # (target "title")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ATTR_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}")
INLINE_CODE_RE = re.compile(r"`[^`]*`")

MODULE_KEYS = ["title", "summary", "duration", "objectives", "competencies", "quiz"]
PAGE_KEYS = ["title", "description", "hide", "template", "search", "icon", "status",
             "source_fingerprint", "untranslated", "outdated"]
# what a page's front matter may hold (each key once, so a hint lists it once)
PLAIN_PAGE_KEYS = list(dict.fromkeys([*PAGE_KEYS, *MODULE_KEYS]))
MODULE_PAGE_KEYS = list(dict.fromkeys([*MODULE_KEYS, *PAGE_KEYS]))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, file line of the body's first line)."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1


def slugify(text: str) -> str:
    """The anchor Python-Markdown's `toc` extension gives a heading."""
    from markdown.extensions.toc import slugify as md_slugify  # noqa: PLC0415

    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return md_slugify(text, "-")


def scan_body(body: str, first_line: int,
              widgets: set[str] | None = None) -> tuple[list[QuizMarker], list[Link], set[str]]:
    """Quiz markers, links and heading anchors of a Markdown body, outside code.

    Links are found in the whole text (a link may wrap onto the next line), with code
    fences and inline code blanked out so line numbers stay right.
    """
    markers: list[QuizMarker] = []
    anchors: set[str] = set()
    fence: str | None = None
    prose: list[str] = []  # the body with code blanked, line for line
    # tabs expanded as Markdown does before reading a page
    for n, line in enumerate(body.expandtabs(4).split("\n"), start=first_line):
        # each pattern is tried only where its first character is (pages are long)
        first = line.lstrip()[:1]
        m = FENCE_RE.match(line) if first in ("`", "~") else None
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
            prose.append("")
            continue
        if fence:
            prose.append("")
            continue
        if first == ":" and (mk := MARKER_RE.match(line)) is not None:
            kind, name = mk.groups()
            if kind == "quiz":
                markers.append(QuizMarker(name, n))
                prose.append("")
                continue
            if widgets is not None:
                widgets.add(name)
        if line[:1] == "#" and (h := HEADING_RE.match(line)) is not None:
            title = h.group(2)
            explicit = ATTR_ID_RE.search(title)
            if explicit:
                anchors.add(explicit.group(1))
            else:
                base = slugify(title)
                slug, k = base, 1
                while slug in anchors:
                    slug = f"{base}_{k}"
                    k += 1
                anchors.add(slug)
        if "{" in line:
            for a in ATTR_ID_RE.finditer(line):
                anchors.add(a.group(1))
        prose.append(INLINE_CODE_RE.sub("", line) if "`" in line else line)
    text = "\n".join(prose)
    links = [Link(lk.group(2), first_line + text.count("\n", 0, lk.start()),
                  image=bool(lk.group(1)))
             for lk in LINK_RE.finditer(text)] if "](" in text else []
    return markers, links, anchors


def load_page(path: Path, page_id: str, lang: str, base: Path, is_module: bool,
              problems: list[Problem], cache: BuildCache | None = None) -> Page | None:
    shown = rel(path, base)
    return cached_read(cache, ("page", page_id, lang, is_module), path, shown, problems,
                       lambda text, fp, found: page_from_text(
                           text, fp, path, shown, page_id, lang, is_module, found))


def page_from_text(text: str, fp: str, path: Path, shown: str, page_id: str, lang: str,
                   is_module: bool, problems: list[Problem]) -> Page:
    fm_text, body, body_line = split_front_matter(text)
    r = Reader(shown, problems)
    data: LDict | None = None
    if fm_text is not None:
        parsed = parse(fm_text, shown, problems, first_line=2)
        if parsed is not None:
            data = r.mapping(parsed, 2, "the front matter")
    widgets: set[str] = set()
    markers, links, anchors = scan_body(body, body_line, widgets)
    scanned: dict[str, Any] = {"markers": tuple(markers), "widgets": frozenset(widgets),
                               "links": tuple(links), "anchors": frozenset(anchors),
                               "fingerprint": fp, **_po_state(r, data)}
    loc = Loc(shown, 1)
    if not is_module:
        if data is not None:
            r.keys(data, PLAIN_PAGE_KEYS, [], "the front matter of a page")
        title = r.text(data, "title") if data is not None else ""
        source_fp = r.text(data, "source_fingerprint") if data is not None else ""
        return Page(page_id, lang, path, loc, body, body_line, False, title=title,
                    source_fingerprint=source_fp, **scanned)
    if fm_text is None:
        r.error(1, "a module starts with front matter between '---' lines (title, summary, "
                "duration, objectives, competencies, quiz)")
        return Page(page_id, lang, path, loc, body, body_line, True, **scanned)
    if data is None:
        if fm_text.strip() == "":
            r.error(2, "the front matter is empty: a module needs title, summary, duration, "
                    "objectives and competencies")
        return Page(page_id, lang, path, loc, body, body_line, True, **scanned)
    r.keys(data, MODULE_PAGE_KEYS,
           ["title", "summary", "duration", "objectives", "competencies"],
           "the front matter of a module")
    objectives, _ = r.text_list(data, "objectives")
    if "objectives" in data and not objectives:
        r.error(r.line_of(data, "objectives"), "list at least one objective")
    competencies, _ = r.text_list(data, "competencies")
    quiz = r.text(data, "quiz") or None
    return Page(page_id, lang, path, loc, body, body_line, True,
                title=r.text(data, "title", required=True),
                summary=r.text(data, "summary", required=True),
                duration=r.integer(data, "duration", 0, 1, 10_000),
                objectives=objectives, competencies=competencies, quiz=quiz,
                key_lines=dict(data.key_lines),
                source_fingerprint=r.text(data, "source_fingerprint"), **scanned)


def _po_state(r: Reader, data: LDict | None) -> dict[str, int]:
    """`untranslated: N`, `outdated: N`: what `mooc i18n apply` says of a translation."""
    if data is None:
        return {}
    return {key: r.integer(data, key, 0, 0, 1_000_000) for key in ("untranslated", "outdated")}


def module_ids(course: Course) -> set[str]:
    return {m for t in course.tracks for m in t.modules}


def load_pages(course: Course, lang: str, docs_root: Path, base: Path,
               problems: list[Problem], unreadable: set[str] | None = None,
               cache: BuildCache | None = None) -> dict[str, Page]:
    folder = docs_root / lang
    pages: dict[str, Page] = {}
    if not folder.is_dir():
        # a new language is a translation to start (a warning); the default one must exist
        problems.append(Problem(rel(folder, base), 0, f"the folder of language '{lang}' is "
                                "missing", "error" if lang == course.default_language
                                else "warning"))
        return pages
    modules = module_ids(course)
    for name, path in walk(folder, (".md",)):
        page_id = name.removesuffix(".md")
        page = load_page(path, page_id, lang, base, page_id in modules, problems, cache)
        if page is not None:
            pages[page_id] = page
        elif unreadable is not None:
            unreadable.add(page_id)
    return pages
