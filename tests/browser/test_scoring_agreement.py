"""The Python scoring rule and the browser's agree, case by case (tests/scoring_cases.json).

Each case goes through `score_quiz` / `normalise_answer` and through `window.MoocQuiz.score`
/ `MoocQuiz.normalise` in a page of the built mini site, with the answer key the page itself
would get (rendered by `QuizRenderer`). Both must give the expected values.

The package side of each question type too: a response judged by the SCORM correct patterns
Python writes (`MoocQuestions.matchPattern`, in both versions' spellings) is judged as the
page judges it, and its suspend_data text (`MoocQuestions.encode`) fits the Python bound
(`response_bound`) and reads back (`decode`) to a response judged the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.errors import Problem
from builder.export.scorm12 import Scorm12Exporter
from builder.export.scorm2004 import Scorm2004Exporter
from builder.loaders import quiz_from_text
from builder.model import Question, Quiz, ScormSpelling
from builder.questions.scoring import normalise_answer, question_correct, score_quiz
from builder.render import QuizRenderer, load_strings

CASES_FILE = Path(__file__).resolve().parent.parent / "scoring_cases.json"
CASES: dict[str, Any] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
KEYS = ("score", "max", "percent", "passed")

# tests/browser/conftest.py's mini_url server does not close its socket; the unclosed-socket
# ResourceWarning then lands on whichever test runs last.


@cache
def quiz(name: str) -> Quiz:
    """A quiz of the cases file, loaded like a quiz file of a course."""
    text = yaml.safe_dump(CASES["quizzes"][name], allow_unicode=True, sort_keys=False)
    problems: list[Problem] = []
    loaded = quiz_from_text(text, f"{name}.yml", f"cases/{name}", "en", 70, problems)
    assert loaded is not None and not [p for p in problems if p.severity == "error"], problems
    return loaded


def key_of(q: Quiz) -> dict[str, Any]:
    """The answer key exactly as the page carries it (the JSON read by mooc.js)."""
    html = QuizRenderer(load_strings("en"), "en", "cases").render(q)
    m = re.search(r'<script type="application/json" class="mooc-quiz__key">(.*?)</script>',
                  html, re.S)
    assert m, "no answer key in the rendered quiz"
    key: dict[str, Any] = json.loads(m.group(1))
    return key


@cache
def answer_key(name: str) -> dict[str, Any]:
    return key_of(quiz(name))


def expected_of(case: dict[str, Any]) -> dict[str, Any]:
    return {k: case["expected"][k] for k in (*KEYS, "questions") if k in case["expected"]}


def picked(result: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in expected_of(case)}


@pytest.fixture(scope="module")
def score_page(browser: Any, mini_url: str) -> Iterator[Any]:
    """One page of the built site for every case: scoring is a pure function of its inputs."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(mini_url + "/basics/first.html")
    page.wait_for_function("() => window.MoocQuiz && typeof window.MoocQuiz.score === 'function'")
    yield page
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def browser_score(page: Any, key: dict[str, Any], responses: dict[str, Any],
                  shown: list[str] | None = None) -> dict[str, Any]:
    # JSON text, not a structured argument: the responses reach the page exactly as a stored
    # state would (e.g. a "__proto__" key stays a plain key). `shown`: the questions drawn.
    result: dict[str, Any] = page.evaluate(
        """([key, responses, shown]) => MoocQuiz.score(JSON.parse(key), JSON.parse(responses),
             shown === null ? undefined : Object.fromEntries(shown.map(id => [id, true])))""",
        [json.dumps(key), json.dumps(responses), shown])
    return result


def case_id(case: dict[str, Any]) -> str:
    return str(case["name"])


def test_cases_file_is_well_formed() -> None:
    names = [c["name"] for c in CASES["cases"]]
    assert len(names) == len(set(names)), "two cases have the same name"
    for case in CASES["cases"]:
        assert case["quiz"] in CASES["quizzes"], case["name"]
        assert set(KEYS) <= set(case["expected"]), case["name"]
    for name in CASES["quizzes"]:
        assert quiz(name).questions
    types = {q["type"] for q in CASES["quizzes"]["every-type"]["questions"]}
    assert len(types) == 7


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_python_scoring(case: dict[str, Any]) -> None:
    result = score_quiz(quiz(case["quiz"]), case["responses"], case.get("shown"))
    assert picked(result, case) == expected_of(case)


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_browser_scoring(case: dict[str, Any], score_page: Any) -> None:
    result = browser_score(score_page, answer_key(case["quiz"]), case["responses"],
                           case.get("shown"))
    assert picked(result, case) == expected_of(case)


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_per_question_results_agree(case: dict[str, Any], score_page: Any) -> None:
    """Even where a case does not spell out `questions`, both sides judge each alike."""
    py = score_quiz(quiz(case["quiz"]), case["responses"], case.get("shown"))
    js = browser_score(score_page, answer_key(case["quiz"]), case["responses"], case.get("shown"))
    assert js == py


def _norm_id(pair: list[str]) -> str:
    return ascii(pair[0])


@pytest.mark.parametrize("pair", CASES["normalise"], ids=_norm_id)
def test_python_normalise(pair: list[str]) -> None:
    given, expected = pair
    assert normalise_answer(given) == expected


def test_browser_normalise(score_page: Any) -> None:
    given = [g for g, _ in CASES["normalise"]]
    got = score_page.evaluate("texts => texts.map(t => MoocQuiz.normalise(t))", given)
    wrong = [(g, e, o) for (g, e), o in zip(CASES["normalise"], got, strict=True) if o != e]
    assert not wrong, "browser normalise differs (given, expected, got): " + ascii(wrong)


def _fill_in_quiz(accepted: str) -> Quiz:
    text = yaml.safe_dump({"title": "F", "questions": [
        {"id": "f", "type": "fill-in", "prompt": "?", "answers": [accepted]}]},
        allow_unicode=True)
    problems: list[Problem] = []
    loaded = quiz_from_text(text, "f.yml", "cases/f", "en", 70, problems)
    assert loaded is not None and not problems, problems
    return loaded


def test_fill_in_answers_agree(score_page: Any) -> None:
    """The key holds answers normalised by Python; the browser normalises what is typed."""
    wrong = []
    for accepted, typed, ok in CASES["fill_in"]:
        q = _fill_in_quiz(accepted)
        py = question_correct(q.questions[0], typed)
        js = browser_score(score_page, key_of(q), {"f": typed})["questions"]["f"]
        if (py, js) != (ok, ok):
            wrong.append({"accepted": accepted, "typed": typed, "expected": ok, "python": py,
                          "browser": js})
    assert not wrong, ascii(wrong)


# ---------------------------------------------------------------- the package side

SPELLINGS: dict[str, ScormSpelling] = {"1.2": Scorm12Exporter(), "2004": Scorm2004Exporter()}


def package_settings(q: Question, version: str) -> dict[str, Any]:
    """What a package's launch page tells its runtime about a question (its type, size,
    correct patterns and longest text kept)."""
    return {"id": q.id, "type": q.type, "n": q.unit.size,
            "cr": q.unit.correct_patterns(SPELLINGS[version], "en"),
            "cap": q.unit.response_cap(), **q.unit.scorm_key()}


def responses_of(case: dict[str, Any]) -> list[tuple[Question, Any]]:
    questions = {q.id: q for q in quiz(case["quiz"]).questions}
    return [(questions[qid], r) for qid, r in case["responses"].items() if qid in questions]


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_package_patterns_judge_as_the_page(case: dict[str, Any], score_page: Any) -> None:
    asked = [(q, r, version) for q, r in responses_of(case) if q.scored for version in SPELLINGS]
    got = score_page.evaluate(
        "items => items.map(([q, r, v12]) => MoocQuestions.matchPattern(q, JSON.parse(r), v12))",
        [[package_settings(q, v), json.dumps(r), v == "1.2"] for q, r, v in asked])
    wrong = [(q.id, r, v, k) for (q, r, v), k in zip(asked, got, strict=True)
             if (k >= 0) != question_correct(q, r)]
    assert not wrong, f"(question, response, SCORM version, pattern matched): {wrong}"


LONG_TEXTS = ["%" * 300, "é" * 300, "Balint" + " " * 60 + "x", "<&>\"',|~" * 40]
# malformed (never what the page stores): must not read back as right ("e": [0] is right)
MALFORMED = [("weighted", "e", [0, 5]), ("weighted", "e", [0, 0]), ("weighted", "e", [0, -1])]


def test_suspend_data_fits_the_bound_and_reads_back(score_page: Any) -> None:
    """Every case's responses and long hostile texts: the text kept is no longer than the
    builder's bound (which the export checks against the SCORM limit), and reads back to
    a response judged the same (a text cut at the input's length aside)."""
    asked = [(q, r) for case in CASES["cases"] for q, r in responses_of(case)]
    balint = next(q for q in quiz("every-type").questions if q.type == "fill-in")
    asked += [(balint, text) for text in LONG_TEXTS]
    asked += [(next(q for q in quiz(name).questions if q.id == qid), r)
              for name, qid, r in MALFORMED]
    got = score_page.evaluate(
        "items => items.map(([q, r]) => { const text = MoocQuestions.encode(q, JSON.parse(r));"
        " return [text, JSON.stringify(MoocQuestions.decode(q, text))]; })",
        [[package_settings(q, "2004"), json.dumps(r)] for q, r in asked])
    too_long, changed = [], []
    for (q, r), (text, back) in zip(asked, got, strict=True):
        if len(text) > q.unit.response_bound():
            too_long.append((q.id, r, text))
        fits = not isinstance(r, str) or len(r) <= q.unit.response_cap()
        if q.scored and fits and question_correct(q, json.loads(back)) != question_correct(q, r):
            changed.append((q.id, r, text, back))
    assert any(len(text) == 3 * balint.unit.response_cap() for text, _ in got)  # at the bound
    assert not too_long, f"longer than response_bound: {too_long}"
    assert not changed, f"judged otherwise once read back: {changed}"
