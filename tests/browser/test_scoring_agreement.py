"""The Python scoring rule and the browser's agree, case by case (tests/scoring_cases.json).

Each case goes through `score_quiz` / `normalise_answer` and through `window.MoocQuiz.score`
/ `MoocQuiz.normalise` in a page of the built mini site, with the answer key the page itself
would get (rendered by `QuizRenderer`). Both must give the expected values.
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
from builder.loaders import quiz_from_text
from builder.model import Quiz
from builder.render import QuizRenderer, load_strings, normalise_answer, score_quiz
from builder.render.quiz import question_correct

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


def browser_score(page: Any, key: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    # JSON text, not a structured argument: the responses reach the page exactly as a stored
    # state would (e.g. a "__proto__" key stays a plain key).
    result: dict[str, Any] = page.evaluate(
        "([key, responses]) => MoocQuiz.score(JSON.parse(key), JSON.parse(responses))",
        [json.dumps(key), json.dumps(responses)])
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
    result = score_quiz(quiz(case["quiz"]), case["responses"])
    assert picked(result, case) == expected_of(case)


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_browser_scoring(case: dict[str, Any], score_page: Any) -> None:
    result = browser_score(score_page, answer_key(case["quiz"]), case["responses"])
    assert picked(result, case) == expected_of(case)


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_per_question_results_agree(case: dict[str, Any], score_page: Any) -> None:
    """Even where a case does not spell out `questions`, both sides judge each alike."""
    py = score_quiz(quiz(case["quiz"]), case["responses"])
    js = browser_score(score_page, answer_key(case["quiz"]), case["responses"])
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
