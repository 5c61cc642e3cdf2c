"""The scoring rule, written once for Python: answers normalised, each scored question all
or nothing, the percentage rounded half up, passed when it meets the pass mark.

The browser's copy is render/assets/questions.js (`normalise`, `score`, `percent`,
`passed`); tests/scoring_cases.json holds the cases both are tested against
(tests/browser/test_scoring_agreement.py).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..model import Question, Quiz, Value

# The page's answer key is normalised here and the learner's text in the browser, so both
# must be the same function. These are the exact sets of questions.js (JavaScript's
# /[\u0300-\u036f]/, and /\s/ with trim()): Python's own `\s` and `unicodedata.combining`
# differ (U+FEFF, U+0085, U+001C-U+001F, Hebrew and Arabic marks...).
_ACCENTS = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def normalise_answer(text: str) -> str:
    """Fill-in answers are compared with case, accents and spaces folded."""
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return _SPACES.sub(" ", text.lower()).strip(" ")


def percent(score: int, max_points: int) -> int:
    """The whole percentage shown to the learner and sent to an LMS (100 with no points)."""
    return math.floor(100 * score / max_points + 0.5) if max_points else 100


def passed(percentage: int, pass_mark: int) -> bool:
    return percentage >= pass_mark


@dataclass(frozen=True, eq=False, repr=False)
class QuestionResult(Value):
    """How one question of an attempt scored."""

    id: str
    correct: bool
    points: int
    max_points: int


def question_correct(q: Question, response: Any) -> bool:
    """Responses are what the browser stores (see tests/scoring_cases.json); no response
    is wrong."""
    return response is not None and q.unit.correct(response)


def score_quiz(quiz: Quiz, responses: dict[str, Any],
               shown: Collection[str] | None = None) -> dict[str, Any]:
    """Score a quiz the way the browser does: points, percent and pass. `shown`: the ids
    of the questions an attempt showed (`draw`); the others do not count."""
    results = []
    for q in quiz.questions:
        if not q.scored or (shown is not None and q.id not in shown):
            continue
        ok = question_correct(q, responses.get(q.id))
        results.append(QuestionResult(q.id, ok, q.points if ok else 0, q.points))
    score = sum(r.points for r in results)
    max_points = sum(r.max_points for r in results)
    whole = percent(score, max_points)
    return {"score": score, "max": max_points, "percent": whole,
            "passed": passed(whole, quiz.pass_mark),
            "questions": {r.id: r.correct for r in results}}


def correct_response(q: Question) -> Any:
    """The response that scores full points (used by tests)."""
    return q.unit.correct_response()
