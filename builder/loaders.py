"""Files -> model. Every problem found is collected with its path and line; nothing raises
for a trainer's mistake. Imports only `errors`, `model` and the `yamlsrc` helper.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Hashable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from .cache import BuildCache, content_key
from .errors import Problem
from .model import (
    FENCE_RE,
    MARKER_RE,
    QUESTION_TYPES,
    Choice,
    Competency,
    Completion,
    Course,
    Edition,
    Link,
    Loc,
    Page,
    Pair,
    Project,
    Question,
    Quiz,
    QuizMarker,
    Track,
)
from .yamlsrc import LDict, LList, Reader, decode, parse, suggest, type_name

T = TypeVar("T")
MAX_FILE_BYTES = 2_000_000  # a page or quiz larger than this is surely a mistake
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
LINK_RE = re.compile(r"(!?)\[(?:[^\]\[]|\[[^\]]*\])*\]"  # [text] or ![alt]
                     r"\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")  # (target "title")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
ATTR_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}")
INLINE_CODE_RE = re.compile(r"`[^`]*`")

COURSE_KEYS = ["id", "title", "description", "languages", "licence", "partners",
               "pass_mark", "completion", "pages", "competencies", "tracks"]
MODULE_KEYS = ["title", "summary", "duration", "objectives", "competencies", "quiz"]
PAGE_KEYS = ["title", "description", "hide", "template", "search", "icon", "status",
             "source_fingerprint"]
# what a page's front matter may hold (each key once, so a hint lists it once)
PLAIN_PAGE_KEYS = list(dict.fromkeys([*PAGE_KEYS, *MODULE_KEYS]))
MODULE_PAGE_KEYS = list(dict.fromkeys([*MODULE_KEYS, *PAGE_KEYS]))
QUIZ_KEYS = ["id", "title", "pass_mark", "shuffle", "questions", "source_fingerprint"]
COMMON_Q = ["id", "type", "prompt", "explanation", "points"]
QUESTION_KEYS: dict[str, list[str]] = {
    "single": [*COMMON_Q, "choices"],
    "multiple": [*COMMON_Q, "choices"],
    "true-false": [*COMMON_Q, "answer", "feedback"],
    "fill-in": [*COMMON_Q, "answers"],
    "ordering": [*COMMON_Q, "items"],
    "matching": [*COMMON_Q, "pairs"],
    "reflection": [*COMMON_Q, "model_answer"],
}
REQUIRED_Q: dict[str, list[str]] = {
    "single": ["prompt", "choices"], "multiple": ["prompt", "choices"],
    "true-false": ["prompt", "answer"], "fill-in": ["prompt", "answers"],
    "ordering": ["prompt", "items"], "matching": ["prompt", "pairs"],
    "reflection": ["prompt"],
}


def fingerprint(data: bytes) -> str:
    """A short fingerprint of a source file, recorded in its translations
    (`source_fingerprint`) so a translation older than its source is reported.
    Line endings and a BOM do not change it."""
    text = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    return hashlib.sha256(text).hexdigest()[:12]


def fingerprint_file(path: str | Path) -> str:
    return fingerprint(Path(path).read_bytes())


def rel(path: Path, base: Path) -> str:
    """A path as the trainer knows it: relative to the project (forward slashes)."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()



def read_bytes(path: Path, shown: str, problems: list[Problem]) -> bytes | None:
    """The file's bytes; None (and a problem) when it cannot be read or is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(shown, 0, f"this file is {size // 1_000_000} MB; files "
                                    f"over {MAX_FILE_BYTES // 1_000_000} MB are refused "
                                    "(split the page, or put large media aside)"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, f"cannot read this file: {exc.strerror}"))
        return None


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """The file's text; None (and a problem) when it cannot be read or decoded."""
    data = read_bytes(path, shown, problems)
    return None if data is None else decode(data, shown, problems)


def cached_read(cache: BuildCache | None, key: tuple[Hashable, ...], path: Path, shown: str,
                problems: list[Problem],
                make: Callable[[str, str, list[Problem]], T]) -> T | None:
    """`make(text, fingerprint, problems)` on a file's text, or what it gave an earlier
    build for the same bytes and `key` (see cache.py); its problems are given again."""
    data = read_bytes(path, shown, problems)
    if data is None:
        return None

    def run() -> tuple[T | None, list[Problem]]:
        found: list[Problem] = []
        text = decode(data, shown, found)
        return (None if text is None else make(text, fingerprint(data), found)), found

    if cache is None:
        result, found = run()
    else:
        result, found = cache.get((*key, str(path), shown, content_key(data)), run)
    problems += found
    return result


# ---------------------------------------------------------------- course.yml

def load_course(path: Path, base: Path, problems: list[Problem]) -> Course | None:
    shown = rel(path, base)
    if not path.is_file():
        problems.append(Problem(shown, 0, "the course file is missing: create it (see the "
                                "authoring guide) or point the 'course' option at it"))
        return None
    text = read_text(path, shown, problems)
    if text is None:
        return None
    data = parse(text, shown, problems)
    r = Reader(shown, problems)
    if data is None and text.strip() == "":
        r.error(1, "the course file is empty")
        return None
    top = r.mapping(data, 1, "the course file")
    if top is None:
        return None
    r.keys(top, COURSE_KEYS, ["id", "title", "languages", "tracks"], "the course file")

    languages: tuple[str, ...] = ()
    langs, lang_lines = r.text_list(top, "languages")
    for lang, line in zip(langs, lang_lines, strict=True):
        if not LANG_RE.match(lang):
            r.error(line, f"'{lang}' is not a language code (use codes such as en, fr, nl)")
        elif lang in languages:
            r.error(line, f"language '{lang}' is listed twice")
        else:
            languages += (lang,)
    if "languages" in top and not languages:
        r.error(r.line_of(top, "languages"), "list at least one language")
    course_id = r.text(top, "id", required=True)
    if course_id and not ID_RE.match(course_id):
        r.error(r.line_of(top, "id"), f"course id '{course_id}' may use only lower-case "
                "letters, digits, '-', '_' and '.'")

    completion = Completion()
    if "completion" in top:
        comp = r.mapping(top["completion"], r.line_of(top, "completion"), "'completion'")
        if comp is not None:
            r.keys(comp, ["page_seen", "quiz"], [], "'completion'")
            quiz_rule = r.text(comp, "quiz", "passed")
            if quiz_rule not in ("passed", "attempted"):
                r.error(r.line_of(comp, "quiz"), f"'completion.quiz' must be 'passed' or "
                        f"'attempted', got '{quiz_rule}'")
                quiz_rule = "passed"
            completion = Completion(r.boolean(comp, "page_seen", True), quiz_rule)

    pages, page_lines = r.text_list(top, "pages")
    competencies = _competencies(top, r, languages)
    tracks = _tracks(top, r, languages)
    partners, _ = r.text_list(top, "partners")
    return Course(
        id=course_id, title=r.l10n(top, "title", languages, required=True),
        description=r.l10n(top, "description", languages), languages=languages or ("en",),
        licence=r.text(top, "licence"), partners=partners,
        pass_mark=r.integer(top, "pass_mark", 70, 0, 100), completion=completion,
        pages=pages, competencies=competencies, tracks=tracks, root=path.parent,
        loc=Loc(shown, 1), page_locs=tuple(Loc(shown, n) for n in page_lines))


def _items(r: Reader, top: LDict, key: str) -> list[tuple[LDict, int]]:
    if key not in top:
        return []
    value = top[key]
    if not isinstance(value, LList):
        r.error(r.line_of(top, key), f"'{key}' must be a list, got {type_name(value)}")
        return []
    out = []
    for item, line in zip(value, value.item_lines, strict=True):
        m = r.mapping(item, line, f"each item of '{key}'")
        if m is not None:
            out.append((m, line))
    return out


def _competencies(top: LDict, r: Reader, langs: tuple[str, ...]) -> tuple[Competency, ...]:
    out = []
    for item, line in _items(r, top, "competencies"):
        r.keys(item, ["id", "title"], ["id", "title"], "a competency")
        cid = r.text(item, "id", required=True)
        if cid:
            out.append(Competency(cid, r.l10n(item, "title", langs), Loc(r.path, line)))
    return tuple(out)


def _tracks(top: LDict, r: Reader, langs: tuple[str, ...]) -> tuple[Track, ...]:
    out = []
    for item, line in _items(r, top, "tracks"):
        r.keys(item, ["id", "title", "audience", "modules"], ["id", "title", "modules"],
               "a track")
        tid = r.text(item, "id", required=True)
        if tid and not ID_RE.match(tid):
            r.error(r.line_of(item, "id"), f"track id '{tid}' may use only lower-case "
                    "letters, digits, '-', '_' and '.'")
        modules, mlines = r.text_list(item, "modules")
        if "modules" in item and not modules:
            r.error(r.line_of(item, "modules"), f"track '{tid}' lists no module")
        out.append(Track(tid, r.l10n(item, "title", langs), r.l10n(item, "audience", langs),
                         modules, Loc(r.path, line),
                         tuple(Loc(r.path, n) for n in mlines)))
    return tuple(out)


# ---------------------------------------------------------------- pages

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
                               "fingerprint": fp}
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
    for path in sorted(folder.rglob("*.md")):
        page_id = path.relative_to(folder).with_suffix("").as_posix()
        page = load_page(path, page_id, lang, base, page_id in modules, problems, cache)
        if page is not None:
            pages[page_id] = page
        elif unreadable is not None:
            unreadable.add(page_id)
    return pages


# ---------------------------------------------------------------- quizzes

def load_quizzes(course: Course, lang: str, quizzes_root: Path, base: Path,
                 problems: list[Problem], unreadable: set[str] | None = None,
                 cache: BuildCache | None = None) -> dict[str, Quiz]:
    """Every quiz of a language; ids of files that could not be read go to `unreadable`."""
    folder = quizzes_root / lang
    quizzes: dict[str, Quiz] = {}
    if not folder.is_dir():
        return quizzes
    paths = sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml"))
    for path in paths:
        default_id = path.relative_to(folder).with_suffix("").as_posix()
        quiz = load_quiz(path, default_id, lang, course.pass_mark, base, problems, cache)
        if quiz is None:
            if unreadable is not None:
                unreadable.add(default_id)
            continue
        if quiz.id in quizzes:
            first = quizzes[quiz.id].loc
            problems.append(Problem(quiz.loc.path, quiz.loc.line, f"duplicate quiz id "
                                    f"'{quiz.id}' (also {first.path}:{first.line})"))
            continue
        quizzes[quiz.id] = quiz
    return quizzes


def load_quiz(path: Path, default_id: str, lang: str, default_pass: int, base: Path,
              problems: list[Problem], cache: BuildCache | None = None) -> Quiz | None:
    shown = rel(path, base)

    def make(text: str, fp: str, found: list[Problem]) -> Quiz | None:
        quiz = quiz_from_text(text, shown, default_id, lang, default_pass, found)
        return replace(quiz, fingerprint=fp) if quiz is not None else None

    return cached_read(cache, ("quiz", default_id, lang, default_pass), path, shown,
                       problems, make)


def quiz_from_text(text: str, shown: str, default_id: str, lang: str, default_pass: int,
                   problems: list[Problem]) -> Quiz | None:
    r = Reader(shown, problems)
    before = len(problems)
    data = parse(text, shown, problems)
    if data is None:
        if len(problems) == before:
            r.error(1, "the quiz file is empty")
        return None
    top = r.mapping(data, 1, "a quiz file")
    if top is None:
        return None
    r.keys(top, QUIZ_KEYS, ["title", "questions"], "a quiz")
    quiz_id = r.text(top, "id", default_id) or default_id
    if not ID_RE.match(quiz_id):
        r.error(r.line_of(top, "id"), f"quiz id '{quiz_id}' may use only lower-case letters, "
                "digits, '-', '_', '.' and '/'")
    questions: list[Question] = []
    seen: dict[str, int] = {}
    qlist = top.get("questions")
    if "questions" in top:
        if not isinstance(qlist, LList):
            r.error(r.line_of(top, "questions"), f"'questions' must be a list, "
                    f"got {type_name(qlist)}")
        elif not qlist:
            r.error(r.line_of(top, "questions"), "the quiz has no question")
        else:
            for n, (item, line) in enumerate(zip(qlist, qlist.item_lines, strict=True), 1):
                q = _question(r, item, line, n)
                if q is None:
                    continue
                if q.id in seen:
                    r.error(line, f"duplicate question id '{q.id}' (first at line "
                            f"{seen[q.id]})")
                    continue
                seen[q.id] = line
                questions.append(q)
    if questions and not any(q.scored for q in questions):
        r.warn(r.line_of(top, "questions"), "this quiz has no scored question: it gives no "
               "score")
    return Quiz(quiz_id, lang, r.text(top, "title", required=True),
                r.integer(top, "pass_mark", default_pass, 0, 100),
                r.boolean(top, "shuffle", False), tuple(questions), Loc(shown, 1),
                source_fingerprint=r.text(top, "source_fingerprint"))


def _question(r: Reader, item: Any, line: int, n: int) -> Question | None:
    q = r.mapping(item, line, f"question {n}")
    if q is None:
        return None
    qtype = r.text(q, "type", required=True)
    if "type" not in q:
        r.error(line, f"question {n} has no 'type' (one of: {', '.join(QUESTION_TYPES)})")
        return None
    if qtype not in QUESTION_TYPES:
        hint = suggest(qtype, list(QUESTION_TYPES), "types")
        r.error(r.line_of(q, "type"), f"unknown question type '{qtype}'{hint}")
        return None
    r.keys(q, QUESTION_KEYS[qtype], REQUIRED_Q[qtype], f"a {qtype} question")
    qid = r.text(q, "id", f"q{n}") or f"q{n}"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", qid):
        r.error(r.line_of(q, "id"), f"question id '{qid}' may use only letters, digits, "
                "'-', '_' and '.'")
    loc = Loc(r.path, line)
    common: dict[str, Any] = {
        "id": qid, "type": qtype, "loc": loc,
        "prompt": r.text(q, "prompt", required=True),
        "explanation": r.text(q, "explanation"),
        "points": r.integer(q, "points", 1, 0, 1000) if qtype != "reflection" else 0,
    }
    _warn_raw_html(r, q, line)
    if qtype in ("single", "multiple"):
        choices = _choices(r, q)
        correct = sum(c.correct for c in choices)
        given = q.get("choices")  # an empty list too (another type is reported already)
        if "choices" in q and (given is None or isinstance(given, LList)) and len(choices) < 2:
            r.error(r.line_of(q, "choices"), "give at least two choices")
        if qtype == "single" and choices and correct != 1:
            r.error(r.line_of(q, "choices"), f"a single question needs exactly one correct "
                    f"choice, this one has {correct} (use type: multiple for several)")
        if qtype == "multiple" and choices and correct == 0:
            r.error(r.line_of(q, "choices"), "a multiple question needs at least one correct "
                    "choice ('correct: true')")
        return Question(**common, choices=tuple(choices))
    if qtype == "true-false":
        answer = q.get("answer")
        if "answer" in q and not isinstance(answer, bool):
            r.error(r.line_of(q, "answer"), f"'answer' must be true or false, got "
                    f"{type_name(answer)} {answer!r}")
        ft = ff = ""
        if "feedback" in q:
            fb = q["feedback"]
            if isinstance(fb, LDict):
                r.keys(fb, ["true", "false"], [], "'feedback'")
                ft, ff = r.text(fb, "true"), r.text(fb, "false")
            elif isinstance(fb, dict) or not isinstance(fb, str):
                r.error(r.line_of(q, "feedback"), "'feedback' must be text, or "
                        "{true: ..., false: ...}")
            else:
                ft = ff = fb
        return Question(**common, answer=answer if isinstance(answer, bool) else None,
                        feedback_true=ft, feedback_false=ff)
    if qtype == "fill-in":
        answers, _ = r.text_list(q, "answers")
        answers = tuple(a for a in answers if a.strip())
        if "answers" in q and not answers:
            r.error(r.line_of(q, "answers"), "'answers' is empty: list the accepted answers")
        return Question(**common, answers=answers)
    if qtype == "ordering":
        items, _ = r.text_list(q, "items")
        if "items" in q and len(items) < 2:
            r.error(r.line_of(q, "items"), f"an ordering question needs at least two items, "
                    f"got {len(items)}")
        if len(set(items)) != len(items):
            r.error(r.line_of(q, "items"), "two items are the same: each must be unique")
        return Question(**common, items=items)
    if qtype == "matching":
        pairs = _pairs(r, q)
        if "pairs" in q and len(pairs) < 2:
            r.error(r.line_of(q, "pairs"), f"a matching question needs at least two pairs, "
                    f"got {len(pairs)}")
        for side in ("left", "right"):
            values = [getattr(p, side) for p in pairs]
            if len(set(values)) != len(values):
                r.error(r.line_of(q, "pairs"), f"two pairs have the same '{side}': each must "
                        "be unique")
        return Question(**common, pairs=tuple(pairs))
    return Question(**common, model_answer=r.text(q, "model_answer"))


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _warn_raw_html(r: Reader, q: LDict, line: int) -> None:
    """Quiz text is Markdown; raw HTML is shown as text. Say so once per question."""
    for text in _texts(q):
        m = RAW_HTML_RE.search(text)
        if m:
            r.warn(line, f"raw HTML '{m.group(0)[:40]}' in quiz text is shown as text, never "
                   "run: write Markdown instead")
            return


def _choices(r: Reader, q: LDict) -> list[Choice]:
    value = q.get("choices")
    if value is None:
        return []
    if not isinstance(value, LList):
        r.error(r.line_of(q, "choices"), f"'choices' must be a list, got {type_name(value)}")
        return []
    out = []
    for item, line in zip(value, value.item_lines, strict=True):
        if isinstance(item, str):
            out.append(Choice(item, False, "", Loc(r.path, line)))
            continue
        c = r.mapping(item, line, "a choice")
        if c is None:
            continue
        r.keys(c, ["text", "correct", "feedback"], ["text"], "a choice")
        out.append(Choice(r.text(c, "text", required=True), r.boolean(c, "correct", False),
                          r.text(c, "feedback"), Loc(r.path, line)))
    return out


def _pairs(r: Reader, q: LDict) -> list[Pair]:
    value = q.get("pairs")
    if value is None:
        return []
    if not isinstance(value, LList):
        r.error(r.line_of(q, "pairs"), f"'pairs' must be a list, got {type_name(value)}")
        return []
    out = []
    for item, line in zip(value, value.item_lines, strict=True):
        p = r.mapping(item, line, "a pair")
        if p is None:
            continue
        r.keys(p, ["left", "right"], ["left", "right"], "a pair")
        left, right = r.text(p, "left", required=True), r.text(p, "right", required=True)
        if left and right:
            out.append(Pair(left, right))
    return out


# ---------------------------------------------------------------- project

def load_strings_file(path: Path, base: Path, known: list[str],
                      problems: list[Problem]) -> dict[str, str]:
    """A course's interface strings for one language (`course/strings/<lang>.yaml`):
    `name: text` lines, each name one of `known`."""
    if not path.is_file():
        return {}
    shown = rel(path, base)
    text = read_text(path, shown, problems)
    parsed = parse(text, shown, problems) if text is not None else None
    if parsed is None:
        return {}
    r = Reader(shown, problems)
    data = r.mapping(parsed, 1, "an interface strings file")
    if data is None:
        return {}
    r.keys(data, known, [], "the interface strings")
    return {key: r.text(data, key) for key in data if key in known}


ABBR_RE = re.compile(r"^\*\[[^\]]+\]:\s*\S")


def load_abbreviations(path: Path, base: Path, problems: list[Problem]) -> str:
    """Glossary terms added to every page of a language: `*[PSW]: Peer support worker`.
    Any other line would show at the end of every page, so it is an error."""
    if not path.is_file():
        return ""
    shown = rel(path, base)
    text = read_text(path, shown, problems)
    if text is None:
        return ""
    bad = False
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip() and not ABBR_RE.match(line):
            problems.append(Problem(shown, n, "this line is not a term ('*[PSW]: Peer support "
                                    "worker'): it would show at the end of every page"))
            bad = True
    return "" if bad else text


def load_project(course_file: Path, quizzes_root: Path | None = None,
                 base: Path | None = None,
                 languages: tuple[str, ...] | None = None,
                 string_keys: list[str] | None = None,
                 cache: BuildCache | None = None) -> tuple[Project | None, list[Problem]]:
    """Load the course file, then every language's pages and quizzes, and with
    `string_keys` (the interface strings there are) the course's own strings.
    With a `cache`, a page or quiz whose file is unchanged since it was cached is not
    read again (see cache.py)."""
    base = base or Path.cwd()
    problems: list[Problem] = []
    course = load_course(course_file, base, problems)
    if course is None:
        return None, problems
    docs_root = course.root
    qroot = quizzes_root or course.root.parent / "quizzes"
    editions = {}
    for lang in languages or course.languages:
        bad_pages: set[str] = set()
        pages = load_pages(course, lang, docs_root, base, problems, bad_pages, cache)
        unreadable: set[str] = set()
        quizzes = load_quizzes(course, lang, qroot, base, problems, unreadable, cache)
        folder = docs_root / lang
        files = frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                          if p.is_file()) if folder.is_dir() else frozenset()
        strings = load_strings_file(course.root / "strings" / f"{lang}.yaml", base,
                                    string_keys, problems) if string_keys else {}
        abbreviations = load_abbreviations(course.root / "abbreviations" / f"{lang}.md",
                                           base, problems)
        editions[lang] = Edition(lang, pages, quizzes, files, frozenset(unreadable),
                                 frozenset(bad_pages), strings, abbreviations)
    return Project(course, editions, docs_root, qroot), problems
