"""The frozen classes of the model and the question types share `model.Value`'s
equality, hash and repr instead of those `dataclass` writes (compiled anew in every
process): they must be the same as the written ones."""

from __future__ import annotations

import dataclasses
import math

import pytest

from builder import build, model, pipeline, questions
from builder.export import base, plan
from builder.model import Value


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Shared(Value):
    a: int
    b: tuple[str, ...] = ()
    lines: dict[str, int] = dataclasses.field(default_factory=dict, compare=False, hash=False)


@dataclasses.dataclass(frozen=True)
class Written:
    a: int
    b: tuple[str, ...] = ()
    lines: dict[str, int] = dataclasses.field(default_factory=dict, compare=False, hash=False)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class One(Value):
    x: float


@dataclasses.dataclass(frozen=True)
class WrittenOne:
    x: float


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Nested(Value):
    inner: object


def test_equality_hash_and_repr_are_the_written_ones() -> None:
    pairs = [(Shared(1, ("x",), {"k": 1}), Written(1, ("x",), {"k": 1})),
             (Shared(1, ("x",), {"k": 2}), Written(1, ("x",), {"k": 2})),
             (Shared(2), Written(2))]
    for (s1, w1) in pairs:
        assert hash(s1) == hash(w1)
        assert repr(s1).replace("Shared", "Written") == repr(w1)
        for (s2, w2) in pairs:
            assert (s1 == s2) == (w1 == w2)
            assert (s1 != s2) == (w1 != w2)
    assert Shared(1) != Written(1)  # another class: never equal, as written
    assert Shared(1).__eq__(1) is NotImplemented
    nan = math.nan
    assert (One(nan) == One(nan)) == (WrittenOne(nan) == WrittenOne(nan))
    assert hash(One(0.5)) == hash(WrittenOne(0.5))
    assert Shared(1) in {Shared(1, (), {"k": 3})}


def test_a_value_that_contains_itself_has_a_repr() -> None:
    box: list[object] = []
    nested = Nested(box)
    box.append(nested)
    assert repr(nested) == "Nested(inner=[...])"


def test_frozen_as_before() -> None:
    loc = model.Loc("a.yml", 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.line = 4  # type: ignore[misc]
    assert dataclasses.replace(loc, line=4) == model.Loc("a.yml", 4)


CORE = (model, *(m for m in vars(questions).values() if isinstance(m, type(model))),
        plan, pipeline, build, base)


@pytest.mark.parametrize("cls", [
    c for module in CORE for c in vars(module).values()
    if isinstance(c, type) and c.__module__ == module.__name__
    and dataclasses.is_dataclass(c) and c.__dataclass_params__.frozen])  # type: ignore[attr-defined]
def test_every_frozen_class_of_the_core_shares_them(cls: type) -> None:
    """(a class declared with the written ones would be right too, only dearer)"""
    assert issubclass(cls, Value)
    for method in ("__eq__", "__hash__", "__repr__"):
        assert getattr(cls, method) is getattr(Value, method), (cls, method)
