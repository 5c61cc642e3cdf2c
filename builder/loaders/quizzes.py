"""Quiz files -> `Quiz`. Each question's own keys are read and checked by its type
(builder/questions/); here, what every question and every quiz has."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from ..cache import BuildCache
from ..errors import Problem, did_you_mean
from ..model import Course, Loc, Question, Quiz, ShowAnswers
from ..questions import TYPES
from ..yamlsrc import LDict, LList, Reader, parse, suggest, type_name
from .course import ID_RE
from .files import cached_read, rel, walk

RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
QUIZ_KEYS = ["id", "title", "pass_mark", "shuffle", "draw", "attempts", "show_answers",
             "questions", "source_fingerprint", "untranslated", "outdated"]
SHOW_ANSWERS: tuple[ShowAnswers, ...] = get_args(ShowAnswers)


def load_quizzes(course: Course, lang: str, quizzes_root: Path, base: Path,
                 problems: list[Problem], unreadable: set[str] | None = None,
                 cache: BuildCache | None = None) -> dict[str, Quiz]:
    """Every quiz of a language; ids of files that could not be read go to `unreadable`."""
    folder = quizzes_root / lang
    quizzes: dict[str, Quiz] = {}
    if not folder.is_dir():
        return quizzes
    for name, path in walk(folder, (".yml", ".yaml")):
        default_id = name.rpartition(".")[0]
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
    attempts = r.integer(top, "attempts", 0, 1, 100)
    return Quiz(quiz_id, lang, r.text(top, "title", required=True),
                r.integer(top, "pass_mark", default_pass, 0, 100),
                r.boolean(top, "shuffle", True), tuple(questions), Loc(shown, 1),
                source_fingerprint=r.text(top, "source_fingerprint"),
                untranslated=r.integer(top, "untranslated", 0, 0, 1_000_000),
                outdated=r.integer(top, "outdated", 0, 0, 1_000_000),
                draw=_draw(r, top, questions), attempts=attempts,
                show_answers=_show_answers(r, top, attempts),
                key_lines=dict(top.key_lines))


def _draw(r: Reader, top: LDict, questions: list[Question]) -> int:
    """`draw: N`: N scored questions per attempt, all worth the same points, so that every
    draw is scored out of the same total."""
    draw = r.integer(top, "draw", 0, 1, 1000)
    points = {q.points for q in questions if q.scored}
    if draw and len(points) > 1:
        r.error(r.line_of(top, "draw"), f"with 'draw', every scored question must have the "
                f"same points, so that every draw is out of the same total; these have "
                f"{', '.join(map(str, sorted(points)))}")
    return draw


def _show_answers(r: Reader, top: LDict, attempts: int) -> ShowAnswers:
    value = r.text(top, "show_answers", "always")
    for choice in SHOW_ANSWERS:
        if value == choice:
            if choice == "after_last_attempt" and not attempts:
                r.error(r.line_of(top, "show_answers"), "'show_answers: after_last_attempt' "
                        "needs 'attempts: N': with unlimited attempts there is no last one")
            return choice
    r.error(r.line_of(top, "show_answers"), f"'show_answers' must be one of "
            f"{', '.join(SHOW_ANSWERS)}, got '{value}'{did_you_mean(value, SHOW_ANSWERS)}")
    return "always"


def _question(r: Reader, item: Any, line: int, n: int) -> Question | None:
    q = r.mapping(item, line, f"question {n}")
    if q is None:
        return None
    qtype = r.text(q, "type", required=True)
    if "type" not in q:
        r.error(line, f"question {n} has no 'type' (one of: {', '.join(TYPES)})")
        return None
    kind = TYPES.get(qtype)
    if kind is None:
        hint = suggest(qtype, list(TYPES), "types")
        r.error(r.line_of(q, "type"), f"unknown question type '{qtype}'{hint}")
        return None
    r.keys(q, kind.allowed_keys(), kind.required_keys(), f"a {qtype} question")
    qid = r.text(q, "id", f"q{n}") or f"q{n}"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", qid):
        r.error(r.line_of(q, "id"), f"question id '{qid}' may use only letters, digits, "
                "'-', '_' and '.'")
    prompt = r.text(q, "prompt", required=True)
    explanation = r.text(q, "explanation")
    unit = kind.load(r, q)
    points = r.integer(q, "points", 1, 0, 1000) if unit.scored else 0
    shuffle = r.boolean(q, "shuffle", True) if "shuffle" in q else None
    _warn_raw_html(r, q, line)
    return Question(qid, prompt, Loc(r.path, line), unit, points, explanation,
                    hint=r.text(q, "hint"), objective=r.integer(q, "objective", 0, 1, 100),
                    shuffle=shuffle, key_lines=dict(q.key_lines))


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
