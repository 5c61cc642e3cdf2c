"""`true-false`: a statement, true or false, with feedback for each answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ..model import QuizMarkup, ScormSpelling
from ..yamlsrc import LDict, Reader, type_name
from .base import Key, QuestionType, TypeName, choice_list, paper_key_choices


@dataclass(frozen=True, eq=False, repr=False)
class TrueFalse(QuestionType):
    """A statement that is true or false."""

    answer: bool | None  # None: the file's answer was not true or false (reported)
    feedback_true: str = ""
    feedback_false: str = ""

    name: ClassVar[TypeName] = "true-false"
    keys: ClassVar[tuple[Key, ...]] = (
        Key("answer", "true or false", True),
        Key("feedback", "Markdown text, or one per answer: {true: ..., false: ...}"))

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        return ("feedback", "feedback.*")

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        answer = q.get("answer")
        if "answer" in q and not isinstance(answer, bool):
            r.error(r.line_of(q, "answer"), f"'answer' must be true or false, got "
                    f"{type_name(answer)} {answer!r}")
        ft = ff = ""
        if "feedback" in q:
            fb = q["feedback"]
            if isinstance(fb, LDict):
                r.keys(fb, ["true", "false"], [], "'feedback'")
                ft, ff = r.text(fb, "true"), r.text(fb, "false")
            elif isinstance(fb, dict) or not isinstance(fb, str):
                r.error(r.line_of(q, "feedback"), "'feedback' must be text, or "
                        "{true: ..., false: ...}")
            else:
                ft = ff = fb
        return cls(answer if isinstance(answer, bool) else None, ft, ff)

    def key(self) -> dict[str, Any]:
        return {"correct": self.answer}

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        return choice_list(m, base, "radio", [
            ("true", "true", m.t("true"), self.feedback_true),
            ("false", "false", m.t("false"), self.feedback_false)])

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        return (f'<ol class="ws-choices" type="A"><li><span class="ws-box"></span> '
                f'{m.t("true")}</li><li><span class="ws-box"></span> {m.t("false")}</li></ol>')

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        return paper_key_choices(m, [(m.t("true"), self.answer is True, self.feedback_true),
                                     (m.t("false"), self.answer is False,
                                      self.feedback_false)])

    def correct(self, response: Any) -> bool:
        return response is self.answer

    def correct_response(self) -> Any:
        return self.answer

    def interaction_type(self, s: ScormSpelling) -> str:
        return "true-false"

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return [s.truth[0] if self.answer else s.truth[1]]

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        return max(s.truth, key=len)

    def response_bound(self) -> int:
        return 1

    def guess_chance(self) -> float:
        return 0.5
