"""What every question type shares: its declared keys, the defaults of `QuestionUnit`
(builder/model.py) and small helpers. A type is a frozen dataclass holding its own data.

A type declares (like a pymdown-extensions Block declares its options):
- `name`: the `type:` of a quiz file, and the key of its handler in render/assets/questions.js;
- `keys`: its own keys, required or optional, and what their values are;
- `load(r, q)`: reads and checks them (each mistake a `path:line` problem, never a raise);
- `hint`, `inputs`, `after`: its HTML (every text through common/safe_markdown.py or
  `html.escape`);
- `key()`: what the browser needs to judge a response (the answer key in the page);
- `correct(response)`, `correct_response()`: the scoring of one response, as the browser
  stores it;
- `interaction_type`, `correct_patterns`: its SCORM interaction, in a version's spelling;
  `scorm_key()`: what the package's runtime needs besides to spell a response;
- `response_cap`, `response_bound`: the longest response kept, and the longest text the
  package runtime writes for one response in suspend_data (questions.js `encode`);
- `longest_response`: the longest learner response it sends an LMS (questions.js
  `format`), for the commit budget (export/budget.py);
- `worksheet`, `answer_sheet`, `paper_hint`: the question on paper (the print edition,
  export/pdf.py): what a learner marks or writes under the prompt, and the answer key with
  its feedback for the facilitator. A type without its own gets lines to write on and a
  key that sends the reader to the course online.
- `text_paths()`: where its texts are in a question's mapping, for translators
  (builder/i18n: each is a message of the quiz's PO file; nothing else is).
- `shuffles`: whether `shuffle:` applies to it (its choices or items are shown in an order
  drawn per learner and attempt, by its handler's `arrange` in questions.js);
- for the assessment lint (validate.py): `guess_chance()`, the chance that an answer made at
  random is right; `position_tell()` and `length_tell()`, what its correct choices' place
  and length give away (None: it has no choices).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from ..model import QuizMarkup, ScormSpelling, Value
from ..yamlsrc import LDict, Reader
from .scoring import normalise_answer

# The types there are: each is a module of this package, listed in `TYPES` (__init__.py).
TypeName = Literal["single", "multiple", "true-false", "fill-in", "ordering", "matching",
                   "reflection", "scenario"]

# Choices, items and pairs in SCORM responses and in suspend_data: one character each.
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
# How a printed list letters its items (CSS upper-alpha): A to Z, then AA, AB...
LETTER_NAMES = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                *(a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJ")]


@dataclass(frozen=True, eq=False, repr=False)
class Key(Value):
    """A key of a question in a quiz file."""

    name: str
    value: str  # what it holds, in the authoring guide's words
    required: bool = False


COMMON_KEYS = (Key("id", "text"), Key("type", "a question type", True),
               Key("prompt", "Markdown text", True), Key("explanation", "Markdown text"),
               Key("points", "whole number, 0 to 1000"), Key("hint", "Markdown text"),
               Key("objective", "the number of an objective of the module, from 1"))
SHUFFLE_KEY = Key("shuffle", "true or false (default: the quiz's shuffle)")
# The texts every question may have (see QuestionType.text_paths).
COMMON_TEXTS = ("prompt", "explanation", "hint")


_NOT_WORDS = re.compile(r"[\W_]+")


def says(prompt: str, hint: str) -> bool:
    """Whether a prompt already says a hint's words (case, accents, punctuation and the
    Markdown around them folded): "(select all that apply)" says "Select all that apply."."""
    words = normalise_answer(_NOT_WORDS.sub(" ", hint))
    return bool(words) and f" {words} " in f" {normalise_answer(_NOT_WORDS.sub(' ', prompt))} "


def letters(indexes: Iterable[int]) -> list[str]:
    return [LETTERS[i] for i in indexes]


def is_index(value: Any) -> bool:
    return type(value) is int  # not isinstance: True == 1 in Python, not in the browser


def is_index_list(value: Any) -> bool:
    return isinstance(value, list) and all(is_index(v) for v in value)


def seeded_order(n: int, *seed: str) -> list[int]:
    """A fixed, reproducible order of n items that is never the correct one (n >= 2)."""
    digest = hashlib.sha256("/".join(seed).encode()).digest()
    order = list(range(n))
    random.Random(digest).shuffle(order)  # noqa: S311 (layout, not security)
    if n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


class QuestionType(Value):
    """The defaults of a question type; see the module's docstring."""

    name: ClassVar[TypeName]
    keys: ClassVar[tuple[Key, ...]] = ()
    scorable: ClassVar[bool] = True  # False: never scored (reflections)
    shuffles: ClassVar[bool] = False
    hint_key: ClassVar[str] = ""  # the interface string shown under the prompt
    paper_hint: ClassVar[str] = ""  # the same on a printed worksheet (what to write where)

    @classmethod
    def own_keys(cls) -> tuple[Key, ...]:
        return (*cls.keys, SHUFFLE_KEY) if cls.shuffles else cls.keys

    @classmethod
    def allowed_keys(cls) -> list[str]:
        return [k.name for k in (*COMMON_KEYS, *cls.own_keys())]

    @classmethod
    def required_keys(cls) -> list[str]:
        return [k.name for k in (*COMMON_KEYS, *cls.own_keys())
                if k.required and k.name != "type"]

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        """The type's own data from a question's mapping (its common keys are read)."""
        raise NotImplementedError

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        """Where the type's own texts are in a question's mapping, each a message for
        translators (builder/i18n), besides COMMON_TEXTS: keys joined by dots, `*` for
        each item of a list or value of a mapping (`choices.*.text`); a path ending in
        `[]` is a list of short texts translated as one message, one per line. Only text
        values match: ids, answer keys, numbers and true/false never do."""
        return ()

    @property
    def scored(self) -> bool:
        return self.scorable

    @property
    def size(self) -> int:
        return 0

    def key(self) -> dict[str, Any]:
        return {}

    def hint(self, m: QuizMarkup, base: str) -> str:
        return f'<p class="mooc-q__hint">{m.t(self.hint_key)}</p>' if self.hint_key else ""

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        raise NotImplementedError

    def after(self, m: QuizMarkup, explanation: str) -> str:
        """What is shown once the answer is checked."""
        if not explanation:
            return ""
        return f'<div class="mooc-q__explanation" hidden>{m.block(explanation)}</div>'

    def correct(self, response: Any) -> bool:
        return False

    def correct_response(self) -> Any:
        raise NotImplementedError

    def interaction_type(self, s: ScormSpelling) -> str:
        raise NotImplementedError

    def scorm_key(self) -> dict[str, Any]:
        """What a package's runtime needs besides n, cr and cap to spell a response
        (questions.js `format`), in the launch page's settings of the question."""
        return {}

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return []

    def response_cap(self) -> int:
        return 0

    def response_bound(self) -> int:
        return 0

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        """The longest learner response the runtime writes for it in a SCORM spelling
        (questions.js `format`), to bound what an LMS is sent; None: it sends none."""
        return None

    def guess_chance(self) -> float:
        """The chance that a learner answering at random gets it right."""
        return 0.0

    def position_tell(self) -> str | None:
        """Where its correct choices sit in the file: "first" (every correct one before
        every other), "last", "#2" (the one correct choice is the second); "": no such
        place; None: it has no choices."""
        return None

    def length_tell(self) -> bool | None:
        """Whether its correct choices are the longest ones (None: it has no choices)."""
        return None

    # -- on paper (the print edition); `seed`: (quiz id, question id), as for `inputs`
    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        """What the learner marks or writes under the printed prompt. Every text through
        `m`; the answer must not show. Default: lines to write an answer on."""
        return paper_lines(m, 4)

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        """The answer key under the printed prompt (the facilitator's kit): the correct
        response in the worksheet's own numbering, and the feedback of each answer (the
        question's explanation follows it). Default: a pointer to the course online."""
        return f'<p class="key-none">{m.t("pdf_no_key")}</p>'


def paper_lines(m: QuizMarkup, n: int, label: str = "your_answer") -> str:
    """A labelled space of `n` ruled lines to write on (a printed worksheet)."""
    lines = '<div class="ws-line"></div>' * n
    return f'<div class="ws-write"><p class="ws-label">{m.t(label)}</p>{lines}</div>'


def paper_choices(m: QuizMarkup, texts: list[str], kind: str = "ws-choices") -> str:
    """Choices on paper: lettered A, B, C..., each with a box to tick."""
    items = "".join(f'<li><span class="ws-box"></span> {m.inline(text)}</li>'
                    for text in texts)
    return f'<ol class="{kind}" type="A">{items}</ol>'


def paper_key_choices(m: QuizMarkup, entries: list[tuple[str, bool, str]]) -> str:
    """An answer key of lettered choices: (label HTML, correct, feedback Markdown) each,
    its verdict in words (never a mark alone) and its feedback."""
    items = []
    for label, correct, feedback in entries:
        verdict = m.t("pdf_right" if correct else "pdf_wrong")
        cls = "key-right" if correct else "key-wrong"
        fb = f'<div class="key-feedback">{m.block(feedback)}</div>' if feedback else ""
        items.append(f'<li class="{cls}"><strong class="key-verdict">{verdict}</strong> '
                     f"{label}{fb}</li>")
    return f'<ol class="key-choices" type="A">{"".join(items)}</ol>'


def choice_list(m: QuizMarkup, base: str, kind: str,
                entries: list[tuple[str, str, str, str]]) -> str:
    """Radio buttons or checkboxes; entries are (id suffix, value, label HTML, feedback)."""
    items = []
    for suffix, value, label, feedback in entries:
        cid = f"{base}-{suffix}"
        fb = ""
        if feedback:
            fb = f'<div class="mooc-choice__feedback" id="{cid}-fb" hidden>' \
                 f"{m.block(feedback)}</div>"
        items.append(
            f'<li class="mooc-choice" data-choice="{value}"><input type="{kind}" id="{cid}" '
            f'name="{base}" value="{value}"><label for="{cid}">{label}</label>{fb}</li>')
    return f'<ul class="mooc-choices">{"".join(items)}</ul>'
