"""The question types (builder/questions/): the registry, and what a new type must bring
besides its module: its handler in the browser's table and its interface strings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import yaml

from builder.errors import Problem
from builder.loaders import quiz_from_text
from builder.questions import COMMON_KEYS, TYPES, TypeName
from builder.render.strings import STRINGS_DIR

from .conftest import FIXTURES

QUESTIONS_JS = Path(__file__).parent.parent / "builder/render/assets/questions.js"


def test_the_type_names_are_the_registry() -> None:
    assert get_args(TypeName) == tuple(TYPES)
    assert all(cls.name == name for name, cls in TYPES.items())


def test_every_type_has_a_browser_handler_and_no_other() -> None:
    table = re.search(r"var types = \{(.*?)\};", QUESTIONS_JS.read_text(encoding="utf-8"), re.S)
    assert table, "no handler table in questions.js"
    assert re.findall(r'"([\w-]+)":', table.group(1)) == list(TYPES)


def test_each_type_declares_its_own_keys() -> None:
    common = [k.name for k in COMMON_KEYS]
    for cls in TYPES.values():
        allowed = cls.allowed_keys()
        assert allowed[:len(common)] == common
        assert len(set(allowed)) == len(allowed), f"{cls.name} declares a key twice"
        assert set(cls.required_keys()) <= set(allowed)
        assert "prompt" in cls.required_keys()


class _Recorder:
    """A quiz renderer that only notes the interface strings asked for."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def inline(self, text: str) -> str:
        return text

    def block(self, text: str) -> str:
        return text

    def t(self, key: str, **values: object) -> str:
        self.keys.add(key)
        return key


def test_every_string_a_type_shows_is_in_every_language() -> None:
    """A missing string would show its key (`match_hint`) to learners."""
    m = _Recorder()
    types = set()
    for path in (FIXTURES / "mini/quizzes/en/basics/all-types.yml",
                 FIXTURES / "measure/quizzes/en/m/talk.yml"):  # the scenario
        problems: list[Problem] = []
        quiz = quiz_from_text(path.read_text(encoding="utf-8"), path.name, path.stem, "en",
                              70, problems)
        assert quiz is not None and not problems, problems
        types |= {q.type for q in quiz.questions}
        for q in quiz.questions:
            q.unit.hint(m, "b")
            q.unit.inputs(m, "b", (quiz.id, q.id))
            q.unit.after(m, "explained")
    assert types == set(TYPES)
    assert {"choose", "move_up", "match_hint", "reflection_hint", "scn_best",
            "scn_restart"} <= m.keys
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        strings = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert m.keys <= set(strings), f"{path.name} lacks {sorted(m.keys - set(strings))}"
