"""`matching`: each left item goes with one right item (a list box per left item)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ..model import QuizMarkup, ScormSpelling, Value
from ..yamlsrc import LDict, LList, Reader, type_name
from .base import (
    LETTER_NAMES,
    Key,
    QuestionType,
    TypeName,
    is_index_list,
    letters,
    seeded_order,
)


@dataclass(frozen=True, eq=False, repr=False)
class Pair(Value):
    """Two sides a learner matches."""

    left: str
    right: str


@dataclass(frozen=True, eq=False, repr=False)
class Matching(QuestionType):
    """Pairs to match, each left side with its right side."""

    pairs: tuple[Pair, ...]

    name: ClassVar[TypeName] = "matching"
    keys: ClassVar[tuple[Key, ...]] = (Key("pairs", "a list of pairs: left, right", True),)

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        return ("pairs.*.left", "pairs.*.right")
    hint_key: ClassVar[str] = "match_hint"
    paper_hint: ClassVar[str] = "pdf_match_hint"

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        pairs = _pairs(r, q)
        if "pairs" in q and len(pairs) < 2:
            r.error(r.line_of(q, "pairs"), f"a matching question needs at least two pairs, "
                    f"got {len(pairs)}")
        for side in ("left", "right"):
            values = [getattr(p, side) for p in pairs]
            if len(set(values)) != len(values):
                r.error(r.line_of(q, "pairs"), f"two pairs have the same '{side}': each must "
                        "be unique")
        return cls(tuple(pairs))

    @property
    def size(self) -> int:
        return len(self.pairs)

    def key(self) -> dict[str, Any]:
        return {"n": len(self.pairs)}

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        order = seeded_order(len(self.pairs), *seed, "right")
        options = "".join(f'<option value="{j}">{html.escape(self.pairs[j].right)}</option>'
                          for j in order)
        rows = []
        for i, pair in enumerate(self.pairs):
            sid = f"{base}-m{i}"
            rows.append(
                f'<li class="mooc-match__row"><label for="{sid}">{m.inline(pair.left)}'
                f'</label><select id="{sid}" name="{sid}" data-left="{i}">'
                f'<option value="">{m.t("choose")}</option>{options}</select></li>')
        return f'<ul class="mooc-match">{"".join(rows)}</ul>'

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        """The left items numbered, each with a box for a letter; the right items lettered,
        in a fixed mixed order."""
        order = seeded_order(len(self.pairs), *seed, "right")
        lefts = "".join(f'<li>{m.inline(p.left)} <span class="ws-box ws-box--wide"></span></li>'
                        for p in self.pairs)
        rights = "".join(f"<li>{m.inline(self.pairs[j].right)}</li>" for j in order)
        return (f'<div class="ws-match"><ol class="ws-match__left">{lefts}</ol>'
                f'<ol class="ws-match__right" type="A">{rights}</ol></div>')

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        order = seeded_order(len(self.pairs), *seed, "right")
        rows = "".join(f"<li>{m.inline(p.left)} → <strong>{LETTER_NAMES[order.index(i)]}"
                       f"</strong> {m.inline(p.right)}</li>"
                       for i, p in enumerate(self.pairs))
        return f'<ol class="key-match">{rows}</ol>'

    def correct(self, response: Any) -> bool:
        # for each left item, the index of the right item chosen (None: none)
        return is_index_list(response) and response == list(range(len(self.pairs)))

    def correct_response(self) -> Any:
        return list(range(len(self.pairs)))

    def interaction_type(self, s: ScormSpelling) -> str:
        return "matching"

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return [s.list_sep.join(f"{c}{s.pair_sep}{c}" for c in letters(range(len(self.pairs))))]

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        return s.list_sep.join(["a" + s.pair_sep + "a"] * len(self.pairs))

    def response_bound(self) -> int:
        return self.size

    def guess_chance(self) -> float:
        """One of the n! arrangements."""
        return 1 / math.factorial(len(self.pairs))


def _pairs(r: Reader, q: LDict) -> list[Pair]:
    value = q.get("pairs")
    if value is None:
        return []
    if not isinstance(value, LList):
        r.error(r.line_of(q, "pairs"), f"'pairs' must be a list, got {type_name(value)}")
        return []
    out = []
    for item, line in zip(value, value.item_lines, strict=True):
        p = r.mapping(item, line, "a pair")
        if p is None:
            continue
        r.keys(p, ["left", "right"], ["left", "right"], "a pair")
        left, right = r.text(p, "left", required=True), r.text(p, "right", required=True)
        if left and right:
            out.append(Pair(left, right))
    return out
