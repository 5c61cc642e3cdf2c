"""No input, however broken, makes the loaders raise anything: they return problems."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.errors import Problem
from builder.loaders import QUIZ_KEYS, quiz_from_text, split_front_matter
from builder.questions import TYPES
from builder.yamlsrc import parse

KEYS = sorted({*QUIZ_KEYS, *(k for t in TYPES.values() for k in t.allowed_keys()), "text",
               "correct", "feedback", "left", "right", "true", "false"})
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(list(TYPES)))
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner,
                        max_size=5)),
    max_leaves=25)


def _check(text: str) -> None:
    problems: list[Problem] = []
    quiz = quiz_from_text(text, "q.yml", "t/q", "en", 70, problems)
    assert quiz is not None or problems
    for p in problems:
        assert isinstance(p, Problem) and p.path == "q.yml" and p.line >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_any_yaml_structure_gives_problems_not_exceptions(data: Any) -> None:
    _check(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_gives_problems_not_exceptions(text: str) -> None:
    _check(text)
    problems: list[Problem] = []
    parse(text, "x.yml", problems)
    split_front_matter(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=6), max_size=4))
def test_question_like_lists(questions: list[dict[str, Any]]) -> None:
    _check(yaml.safe_dump({"title": "T", "questions": questions}, allow_unicode=True))


def test_self_referring_alias_is_a_problem() -> None:
    problems: list[Problem] = []
    assert quiz_from_text("title: T\nquestions: &q [*q]\n", "q.yml", "t/q", "en", 70,
                          problems) is not None
    assert any("refers to itself" in p.message for p in problems)


def test_a_file_parsed_twice_reports_each_problem_once() -> None:
    """libyaml refuses the tag, the pure-Python parser reads the file again: the duplicate
    key it had already reported must not be reported a second time."""
    problems: list[Problem] = []
    assert parse("a: 1\na: 2\nb: !foo 3\n", "x.yml", problems) is None
    assert [str(p) for p in problems] == [
        "x.yml:2: duplicate key 'a' (first at line 1)",
        "x.yml:3: YAML syntax error: could not determine a constructor for the tag '!foo'"]
