"""The commit budget (builder/export/budget.py): the richest interaction detail whose
largest save fits, chosen at export, for Moodle's 2004 player that sends everything."""

from __future__ import annotations

import pytest

from builder.errors import SuspendLimitError
from builder.export.budget import COMMIT_BUDGET, commit_budget, entry
from builder.export.plan import PagePlan, QuestionPlan, QuizPlan, ScoPlan
from builder.export.scorm2004 import Scorm2004Exporter
from builder.model import Loc
from builder.questions.choices import Choice
from builder.questions.fill_in import FillIn
from builder.questions.single import Single


def sco(quizzes: int, questions: int, long_answers: bool = False) -> ScoPlan:
    """A SCO of `quizzes` modules, each with a quiz of `questions` questions: a fill-in
    (its accepted answer of 184 characters with `long_answers`: the longest input, 200),
    then single choices of four."""
    here = Loc("quiz.yml", 1)
    fill_in = FillIn(("x" * 184 if long_answers else "answer",))
    single = Single(tuple(Choice(t, t == "B", "", here) for t in "ABCD"))
    pages, plans = [], []
    for m in range(quizzes):
        qs = tuple(
            QuestionPlan(id=f"q{k}", type=unit.name, points=1, scored=True, n=unit.size,
                         interaction=f"track.module-{m:03d}.q{k}", prompt="Which one? " * 8,
                         unit=unit, cap=unit.response_cap())
            for k, unit in enumerate([fill_in] + [single] * (questions - 1)))
        path = f"track/module-{m:03d}.html"
        pages.append(PagePlan(f"track/module-{m:03d}", path, f"Module {m}", "", f"p{m:03d}"))
        plans.append(QuizPlan(f"track/module-{m:03d}", f"z{m:03d}", path, "Quiz", 80,
                              questions, qs))
    return ScoPlan("all", "item", "res", "launch.html", "Course", "", tuple(pages), tuple(plans))


def budget(plan: ScoPlan) -> tuple[str, int]:
    exporter = Scorm2004Exporter()
    b = commit_budget(plan, exporter, "2004", "en")
    return b.detail, b.bound


def test_detail_falls_as_the_course_grows_and_the_bound_stays_in_budget() -> None:
    seen = []
    for modules in (4, 10, 16, 60, 80):
        detail, bound = budget(sco(modules, 6))
        assert bound <= COMMIT_BUDGET
        seen.append(detail)
    assert seen == ["full", "compact", "minimal", "quizzes", "none"]


def test_a_saved_state_too_large_even_without_interactions_is_refused() -> None:
    with pytest.raises(SuspendLimitError, match="Export one package per track"):
        budget(sco(60, 6, long_answers=True))


def test_an_element_costs_its_larger_spelling() -> None:
    # a short value: the multipart part (87 bytes of boundary and headers) is larger
    assert entry("cmi.exit", "suspend") == 87 + len("cmi__exit") + 7
    # a long value outside ASCII: URL-encoding (9 bytes a character) is larger
    assert entry("cmi.x", "…" * 100) == 2 + len("cmi__x") + 900
