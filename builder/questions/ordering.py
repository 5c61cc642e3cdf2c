"""`ordering`: items to put in order (the file lists them in the correct order)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ..model import QuizMarkup, ScormSpelling
from ..yamlsrc import LDict, Reader
from .base import Key, QuestionType, TypeName, is_index_list, letters, seeded_order


@dataclass(frozen=True, eq=False, repr=False)
class Ordering(QuestionType):
    """Items to put back in order."""

    items: tuple[str, ...]  # in the correct order

    name: ClassVar[TypeName] = "ordering"
    shuffles: ClassVar[bool] = True
    keys: ClassVar[tuple[Key, ...]] = (
        Key("items", "a list of texts, in the correct order", True),)
    paper_hint: ClassVar[str] = "pdf_order_hint"

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        return ("items.*",)

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        items, _ = r.text_list(q, "items")
        if "items" in q and len(items) < 2:
            r.error(r.line_of(q, "items"), f"an ordering question needs at least two items, "
                    f"got {len(items)}")
        if len(set(items)) != len(items):
            r.error(r.line_of(q, "items"), "two items are the same: each must be unique")
        return cls(items)

    @property
    def size(self) -> int:
        return len(self.items)

    def key(self) -> dict[str, Any]:
        return {"n": len(self.items)}

    def hint(self, m: QuizMarkup, base: str) -> str:
        return f'<p class="mooc-q__hint" id="{base}-hint">{m.t("order_hint")}</p>'

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        items = []
        for i in seeded_order(len(self.items), *seed):
            items.append(
                f'<li class="mooc-order__item" data-item="{i}">'
                f'<span class="mooc-order__text" id="{base}-i{i}">{m.inline(self.items[i])}</span>'
                f'<span class="mooc-order__moves">'
                f'<button type="button" class="mooc-order__up" data-move="-1" '
                f'aria-describedby="{base}-i{i}">'
                f'<span aria-hidden="true">↑</span> {m.t("move_up")}</button>'
                f'<button type="button" class="mooc-order__down" data-move="1" '
                f'aria-describedby="{base}-i{i}">'
                f'<span aria-hidden="true">↓</span> {m.t("move_down")}</button>'
                "</span></li>")
        return (f'<ol class="mooc-order" aria-describedby="{base}-hint">{"".join(items)}</ol>'
                f'<div class="mooc-sr-only" aria-live="polite" data-live></div>')

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        """The items numbered in a fixed mixed order, and a box per place to write the
        numbers in the right order."""
        items = "".join(f"<li>{m.inline(self.items[i])}</li>"
                        for i in seeded_order(len(self.items), *seed))
        boxes = '<span class="ws-box ws-box--wide"></span>' * len(self.items)
        return (f'<ol class="ws-order">{items}</ol>'
                f'<p class="ws-slots"><span class="ws-label">{m.t("pdf_order_slots")}</span> '
                f"{boxes}</p>")

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        order = seeded_order(len(self.items), *seed)
        numbers = html.unescape(m.t("list_separator")).join(str(order.index(i) + 1)
                                                            for i in range(len(self.items)))
        items = "".join(f"<li>{m.inline(text)} <span class=\"key-ref\">"
                        f"({m.t('pdf_number', n=order.index(i) + 1)})</span></li>"
                        for i, text in enumerate(self.items))
        return (f'<p class="key-answer">{m.t("pdf_order_key", numbers=numbers)}</p>'
                f'<ol class="key-order">{items}</ol>')

    def correct(self, response: Any) -> bool:
        return is_index_list(response) and response == list(range(len(self.items)))

    def correct_response(self) -> Any:
        return list(range(len(self.items)))

    def interaction_type(self, s: ScormSpelling) -> str:
        return "sequencing"

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return [s.list_sep.join(letters(range(len(self.items))))]

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        return s.list_sep.join("a" * len(self.items))

    def response_bound(self) -> int:
        return self.size

    def guess_chance(self) -> float:
        """One of the n! arrangements."""
        return 1 / math.factorial(len(self.items))
