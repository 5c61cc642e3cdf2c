"""The course file (course/course.yml) -> `Course`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast, get_args

from ..errors import Problem
from ..model import Competency, Completion, Course, Loc, PrintEdition, QuizRule, Track
from ..yamlsrc import LDict, Reader, parse
from .files import read_text, rel
from .helplines import HELP_LINES_FILE, load_help_lines

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
COURSE_KEYS = ["id", "title", "description", "languages", "licence", "partners",
               "pass_mark", "completion", "pages", "competencies", "tracks", "print"]


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
            given = r.text(comp, "quiz", "passed")
            quiz_rule: QuizRule = "passed"
            if given in get_args(QuizRule):
                quiz_rule = cast(QuizRule, given)
            else:
                r.error(r.line_of(comp, "quiz"), f"'completion.quiz' must be 'passed' or "
                        f"'attempted', got '{given}'")
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
        loc=Loc(shown, 1), page_locs=tuple(Loc(shown, n) for n in page_lines),
        print_edition=_print_edition(top, r, languages),
        help_lines=load_help_lines(path.parent / HELP_LINES_FILE, base,
                                   languages or ("en",), problems))


def _print_edition(top: LDict, r: Reader, langs: tuple[str, ...]) -> PrintEdition:
    """`print:` (optional): the covers' funding statement, and the pages that the learner
    workbooks and the facilitator's kit print besides modules and quizzes."""
    if "print" not in top:
        return PrintEdition()
    data = r.mapping(top["print"], r.line_of(top, "print"), "'print'")
    if data is None:
        return PrintEdition()
    r.keys(data, ["funding", "workbook", "kit"], [], "'print'")
    workbook, workbook_lines = r.text_list(data, "workbook")
    kit, kit_lines = r.text_list(data, "kit")
    return PrintEdition(r.l10n(data, "funding", langs), workbook, kit,
                        tuple(Loc(r.path, n) for n in (*workbook_lines, *kit_lines)))




def _competencies(top: LDict, r: Reader, langs: tuple[str, ...]) -> tuple[Competency, ...]:
    out = []
    for item, line in r.items(top, "competencies"):
        r.keys(item, ["id", "title"], ["id", "title"], "a competency")
        cid = r.text(item, "id", required=True)
        if cid:
            out.append(Competency(cid, r.l10n(item, "title", langs), Loc(r.path, line)))
    return tuple(out)


def _tracks(top: LDict, r: Reader, langs: tuple[str, ...]) -> tuple[Track, ...]:
    out = []
    for item, line in r.items(top, "tracks"):
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
