"""`reflection`: free text for the learner alone, never scored; a model answer may follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ..model import QuizMarkup, ScormSpelling
from ..yamlsrc import LDict, Reader
from .base import Key, QuestionType, TypeName, paper_lines


@dataclass(frozen=True, eq=False, repr=False)
class Reflection(QuestionType):
    """Free text, never scored; its model answer, if it has one, is shown after."""

    model_answer: str = ""

    name: ClassVar[TypeName] = "reflection"
    keys: ClassVar[tuple[Key, ...]] = (Key("model_answer", "Markdown text"),)

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        return ("model_answer",)
    scorable: ClassVar[bool] = False
    hint_key: ClassVar[str] = "reflection_hint"

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        return cls(r.text(q, "model_answer"))

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        return (f'<p class="mooc-reflect"><label for="{base}-text">{m.t("your_answer")}'
                f'</label><textarea id="{base}-text" name="{base}" rows="4"></textarea></p>')

    def after(self, m: QuizMarkup, explanation: str) -> str:
        if not self.model_answer:
            return super().after(m, explanation)
        return (f'<div class="mooc-q__explanation" hidden><p><strong>{m.t("model_answer")}'
                f'</strong></p>{m.block(self.model_answer)}</div>')

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        return paper_lines(m, 7)

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        if not self.model_answer:
            return f'<p class="key-answer">{m.t("not_scored")}</p>'
        return (f'<p class="key-answer"><strong>{m.t("model_answer")}</strong></p>'
                f"{m.block(self.model_answer)}")

    def correct_response(self) -> Any:
        return "A reflection."

    def interaction_type(self, s: ScormSpelling) -> str:
        return s.reflection_type  # the text stays on the learner's device
