"""`fill-in`: a short text, compared with the accepted answers with case, accents and
spaces folded (`normalise_answer`)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ..model import QuizMarkup, ScormSpelling
from ..yamlsrc import LDict, Reader
from .base import Key, QuestionType, TypeName, paper_lines
from .scoring import normalise_answer

# The longest response kept (the input's maxlength in a package): the longest accepted
# answer and some slack, within bounds.
CAP_MIN, CAP_SLACK, CAP_MAX = 32, 16, 200


@dataclass(frozen=True, eq=False, repr=False)
class FillIn(QuestionType):
    """A blank to fill in with one of the accepted answers."""

    answers: tuple[str, ...]

    name: ClassVar[TypeName] = "fill-in"
    keys: ClassVar[tuple[Key, ...]] = (Key("answers", "a list of accepted answers", True),)

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        # what learners type: words of their language, as many as it needs
        return ("answers[]",)

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        answers, _ = r.text_list(q, "answers")
        answers = tuple(a for a in answers if a.strip())
        if "answers" in q and not answers:
            r.error(r.line_of(q, "answers"), "'answers' is empty: list the accepted answers")
        return cls(answers)

    def key(self) -> dict[str, Any]:
        return {"correct": sorted({normalise_answer(a) for a in self.answers}),
                "display": self.answers[0] if self.answers else ""}

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        return (f'<p class="mooc-fill"><label for="{base}-input">{m.t("your_answer")}'
                f'</label> <input type="text" id="{base}-input" name="{base}" '
                'autocomplete="off" autocapitalize="off" spellcheck="false"></p>')

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        return paper_lines(m, 1)

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        # literal texts, escaped once by `t`
        answers = html.unescape(m.t("list_separator")).join(self.answers)
        return f'<p class="key-answer">{m.t("pdf_accepted", answers=answers)}</p>'

    def correct(self, response: Any) -> bool:
        return isinstance(response, str) and normalise_answer(response) in {
            normalise_answer(a) for a in self.answers}

    def correct_response(self) -> Any:
        return self.answers[0]

    def interaction_type(self, s: ScormSpelling) -> str:
        return "fill-in"

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return [s.fill_in_pattern(a, lang) for a in self.answers]

    def response_cap(self) -> int:
        longest = max((len(a) for a in self.answers), default=0)
        return min(CAP_MAX, max(CAP_MIN, longest + CAP_SLACK))

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        # a text that starts with "{" (2004 then adds a language tag), every other
        # character outside ASCII: 3 bytes in UTF-8, 9 once URL-encoded
        return s.fill_in_pattern("{" + "…" * (self.response_cap() - 1), lang)

    def response_bound(self) -> int:
        return 3 * self.response_cap()  # every character may be escaped as %XX
