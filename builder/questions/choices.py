"""What single and multiple questions share: a list of choices, some correct."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ..model import Loc, QuizMarkup, ScormSpelling, Value
from ..yamlsrc import LDict, LList, Reader, type_name
from .base import (
    Key,
    QuestionType,
    choice_list,
    letters,
    paper_choices,
    paper_key_choices,
)


@dataclass(frozen=True, eq=False, repr=False)
class Choice(Value):
    """One choice of a single- or multiple-choice question."""

    text: str
    correct: bool
    feedback: str
    loc: Loc


@dataclass(frozen=True, eq=False, repr=False)
class ChoiceQuestion(QuestionType):
    """What single- and multiple-choice questions share: their choices."""

    choices: tuple[Choice, ...]

    keys: ClassVar[tuple[Key, ...]] = (
        Key("choices", "a list of choices: text, correct (true or false), feedback", True),)
    input_kind: ClassVar[str]  # radio or checkbox
    shuffles: ClassVar[bool] = True

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        return ("choices.*", "choices.*.text", "choices.*.feedback")

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        choices = _choices(r, q)
        given = q.get("choices")  # an empty list too (another type is reported already)
        if "choices" in q and (given is None or isinstance(given, LList)) and len(choices) < 2:
            r.error(r.line_of(q, "choices"), "give at least two choices")
        if choices:
            cls.check_correct(r, r.line_of(q, "choices"), sum(c.correct for c in choices))
        return cls(tuple(choices))

    @classmethod
    def check_correct(cls, r: Reader, line: int, correct: int) -> None:
        """Report a wrong number of correct choices."""

    @property
    def size(self) -> int:
        return len(self.choices)

    @property
    def correct_indexes(self) -> list[int]:
        return [i for i, c in enumerate(self.choices) if c.correct]

    def key(self) -> dict[str, Any]:
        return {"correct": self.correct_indexes, "n": len(self.choices)}

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        return choice_list(m, base, self.input_kind, [
            (f"c{i}", str(i), m.inline(c.text), c.feedback) for i, c in enumerate(self.choices)])

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        return paper_choices(m, [c.text for c in self.choices])

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        return paper_key_choices(m, [(m.inline(c.text), c.correct, c.feedback)
                                     for c in self.choices])

    def interaction_type(self, s: ScormSpelling) -> str:
        return "choice"

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return [s.list_sep.join(letters(self.correct_indexes))]

    def position_tell(self) -> str | None:
        correct = self.correct_indexes
        if not correct or len(correct) == len(self.choices):
            return ""
        if correct == list(range(len(correct))):
            return "first"
        if correct == list(range(len(self.choices) - len(correct), len(self.choices))):
            return "last"
        return f"#{correct[0] + 1}" if len(correct) == 1 else ""

    def length_tell(self) -> bool | None:
        """Every correct choice is longer than every other one."""
        right = [len(c.text) for c in self.choices if c.correct]
        wrong = [len(c.text) for c in self.choices if not c.correct]
        if not right or not wrong:
            return None
        return min(right) > max(wrong)


def _choices(r: Reader, q: LDict) -> list[Choice]:
    value = q.get("choices")
    if value is None:
        return []
    if not isinstance(value, LList):
        r.error(r.line_of(q, "choices"), f"'choices' must be a list, got {type_name(value)}")
        return []
    out = []
    for item, line in zip(value, value.item_lines, strict=True):
        if isinstance(item, str):
            out.append(Choice(item, False, "", Loc(r.path, line)))
            continue
        c = r.mapping(item, line, "a choice")
        if c is None:
            continue
        r.keys(c, ["text", "correct", "feedback"], ["text"], "a choice")
        out.append(Choice(r.text(c, "text", required=True), r.boolean(c, "correct", False),
                          r.text(c, "feedback"), Loc(r.path, line)))
    return out
