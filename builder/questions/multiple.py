"""`multiple`: every correct choice among several, and no other (checkboxes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..model import ScormSpelling
from ..yamlsrc import Reader
from .base import TypeName, is_index_list
from .choices import ChoiceQuestion


@dataclass(frozen=True, eq=False, repr=False)
class Multiple(ChoiceQuestion):
    """A multiple-choice question: every correct choice, and no other."""

    name: ClassVar[TypeName] = "multiple"
    input_kind: ClassVar[str] = "checkbox"
    hint_key: ClassVar[str] = "select_all"
    paper_hint: ClassVar[str] = "select_all"

    @classmethod
    def check_correct(cls, r: Reader, line: int, correct: int) -> None:
        if correct == 0:
            r.error(line, "a multiple question needs at least one correct choice "
                    "('correct: true')")

    def correct(self, response: Any) -> bool:
        # as in the browser: indices only, each once (a malformed list is wrong, not an error)
        return is_index_list(response) and sorted(response) == self.correct_indexes

    def correct_response(self) -> Any:
        return self.correct_indexes

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        return s.list_sep.join("a" * len(self.choices))

    def response_bound(self) -> int:
        return self.size

    def guess_chance(self) -> float:
        """One of the 2^n - 1 answers (at least one box ticked)."""
        return 1 / (2 ** len(self.choices) - 1) if self.choices else 0.0
