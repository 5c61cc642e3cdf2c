"""The hint under a question's prompt ("Select all that apply.") is left out when the prompt
already says it, in the course's own wording of that hint, whatever its language; case,
accents and punctuation do not count."""

from __future__ import annotations

import re

import pytest

from builder.errors import Problem
from builder.loaders import quiz_from_text
from builder.render import QuizRenderer, load_strings

QUIZ = """title: Hints
questions:
  - id: colours
    type: multiple
    prompt: {prompt}
    choices:
      - {{text: Red, correct: true}}
      - {{text: Table}}
"""


def hints(prompt: str, lang: str = "en", overrides: dict[str, str] | None = None) -> list[str]:
    problems: list[Problem] = []
    quiz = quiz_from_text(QUIZ.format(prompt=prompt), "q.yml", "t/q", lang, 70, problems)
    assert quiz is not None and not problems, problems
    html = QuizRenderer(load_strings(lang, overrides), lang, "c").render(quiz)
    return re.findall(r'<p class="mooc-q__hint">([^<]*)</p>', html)


@pytest.mark.parametrize(("prompt", "lang"), [
    ("Which are colours? (select all that apply)", "en"),
    ("Which are colours? Select all that apply.", "en"),
    ("'Which are colours? SELECT ALL THAT APPLY:'", "en"),
    ("Quelles sont des couleurs ? (cochez toutes les reponses justes)", "fr"),
    ("Quelles sont des couleurs ? Cochez toutes les réponses justes.", "fr"),
])
def test_no_hint_when_the_prompt_says_it(prompt: str, lang: str) -> None:
    assert hints(prompt, lang) == []


@pytest.mark.parametrize(("prompt", "lang", "hint"), [
    ("Which are colours?", "en", "Select all that apply."),
    ("Which are colours? (select all)", "en", "Select all that apply."),
    ("Quelles sont des couleurs ? (select all that apply)", "fr",
     "Cochez toutes les réponses justes."),
])
def test_the_hint_stays_otherwise(prompt: str, lang: str, hint: str) -> None:
    assert hints(prompt, lang) == [hint]


def test_the_courses_own_wording_of_the_hint_counts() -> None:
    own = {"select_all": "Tick every right answer."}
    assert hints("Which are colours? Tick every right answer!", overrides=own) == []
    assert hints("Which are colours? (select all that apply)", overrides=own) == [
        "Tick every right answer."]
