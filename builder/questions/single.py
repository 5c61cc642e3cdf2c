"""`single`: one correct choice among several (radio buttons)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..model import ScormSpelling
from ..yamlsrc import Reader
from .base import TypeName, is_index
from .choices import ChoiceQuestion


@dataclass(frozen=True, eq=False, repr=False)
class Single(ChoiceQuestion):
    """A single-choice question: one correct choice."""

    name: ClassVar[TypeName] = "single"
    input_kind: ClassVar[str] = "radio"

    @classmethod
    def check_correct(cls, r: Reader, line: int, correct: int) -> None:
        if correct != 1:
            r.error(line, f"a single question needs exactly one correct choice, this one has "
                    f"{correct} (use type: multiple for several)")

    def correct(self, response: Any) -> bool:
        return is_index(response) and 0 <= response < len(self.choices) and \
            self.choices[response].correct

    def correct_response(self) -> Any:
        return self.correct_indexes[0]

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        return "a"

    def response_bound(self) -> int:
        return 1

    def guess_chance(self) -> float:
        return 1 / len(self.choices) if self.choices else 0.0
