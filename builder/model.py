"""The course as typed, frozen objects. Imports nothing from the rest of the builder.

Every element keeps where it came from (`Loc`) so checks can say `path:line:`.
"""

from __future__ import annotations

import operator
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, Protocol

# A line that places a quiz (`::: quiz ID`) or a course widget (`::: mooc NAME`), and a
# code fence, which hides them: one definition for the Markdown extension that acts on
# them and for the checks that find them, so the two cannot disagree.
MARKER_RE = re.compile(r"^ {0,3}::: *(quiz|mooc) +(\S+) *$")
FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")

# What a module's quiz must be for the module to count as done (course.yml `completion`).
QuizRule = Literal["passed", "attempted"]
# When a quiz reveals its correct answers, explanations and per-choice feedback.
ShowAnswers = Literal["always", "after_pass", "after_last_attempt", "never"]
# A translation of a page or quiz: up to date, none, older than its source, or not saying
# which version of its source it follows (no `source_fingerprint`).
# "incomplete": some of its texts are not translated yet (its PO file's state, written by
# `mooc i18n apply` as `untranslated: N`).
TranslationState = Literal["ok", "missing", "outdated", "unstamped", "incomplete"]
# (kind "page" or "quiz", its id, {language: state}) for each page and quiz of a course
TranslationRow = tuple[str, str, dict[str, TranslationState]]


class Value:
    """Equality, hash and repr of a frozen dataclass declared `eq=False, repr=False`: the
    same as the ones `dataclass` writes, shared instead of compiled for each class when
    its module is imported: Python compiles a dataclass's written methods anew in every
    process, and `__eq__`, `__hash__` and `__repr__` cost 1.35M instructions a class, a
    tenth of a percent of a 50-module build each (issue 20; `tests/test_model_value.py`)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = (_SHAPES.get(self.__class__) or _shape(self.__class__))[0]
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((_SHAPES.get(self.__class__) or _shape(self.__class__))[1](self))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}"
                          for name in _shape(self.__class__)[2])
        return f"{self.__class__.__qualname__}({shown})"


# a dataclass's fields as its written methods take them: (the tuple `__eq__` compares,
# the tuple `__hash__` hashes, the names `__repr__` shows)
Shape = tuple[Callable[[object], tuple[Any, ...]], Callable[[object], tuple[Any, ...]],
              tuple[str, ...]]
_SHAPES: dict[type, Shape] = {}


def _shape(cls: type) -> Shape:
    every = fields(cls)

    def values(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
        if len(names) > 1:
            return operator.attrgetter(*names)  # a tuple of their values, as written
        if names:
            one = operator.attrgetter(names[0])
            return lambda obj: (one(obj),)
        return lambda obj: ()

    compared = [f.name for f in every if f.compare]
    hashed = [f.name for f in every if (f.compare if f.hash is None else f.hash)]
    shape = _SHAPES[cls] = (values(compared), values(hashed),
                            tuple(f.name for f in every if f.repr))
    return shape


@dataclass(frozen=True, eq=False, repr=False)
class Loc(Value):
    """Where something was written: a file (as shown in messages) and its line (0: none)."""

    path: str
    line: int = 0


# Text in several languages: {"en": "...", "fr": "..."}.
L10n = dict[str, str]


def title_from_id(page_id: str) -> str:
    """`psw/peer-drift` -> `Peer drift`: a title for a page that has none."""
    return page_id.rsplit("/", 1)[-1].replace("-", " ").capitalize()


def pick(text: L10n, lang: str, fallback: str = "") -> str:
    """The text in `lang`, else in the first language given, else `fallback`."""
    if lang in text:
        return text[lang]
    return next(iter(text.values()), fallback)


@dataclass(frozen=True, eq=False, repr=False)
class Competency(Value):
    """A competency the course lists (course.yml `competencies`)."""

    id: str
    title: L10n
    loc: Loc


@dataclass(frozen=True, eq=False, repr=False)
class Track(Value):
    """A track of the course: its modules, in order (course.yml `tracks`)."""

    id: str
    title: L10n
    audience: L10n
    modules: tuple[str, ...]
    loc: Loc
    module_locs: tuple[Loc, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class Completion(Value):
    """When a module counts as done (course.yml `completion`)."""

    page_seen: bool = True
    quiz: QuizRule = "passed"


@dataclass(frozen=True, eq=False, repr=False)
class PrintEdition(Value):
    """What the print edition (PDF) takes from the course besides its modules and quizzes
    (course.yml `print:`); the builder only lays it out."""

    funding: L10n = field(default_factory=dict)  # the funding statement on the covers
    workbook: tuple[str, ...] = ()  # pages printed after the modules of every workbook
    kit: tuple[str, ...] = ()  # pages of the facilitator's kit, before its answer keys
    page_locs: tuple[Loc, ...] = ()  # where each page of workbook, then kit, is named

    @property
    def pages(self) -> tuple[str, ...]:
        return (*self.workbook, *self.kit)


@dataclass(frozen=True, eq=False, repr=False)
class HelpLine(Value):
    """A crisis or listening line of the help page (course/help-lines.yml). Either a
    `number` (with its official `source` and the date it was `checked`), or, where no
    number could be confirmed, `look`: where to find it."""

    name: L10n
    loc: Loc
    number: str = ""
    note: L10n = field(default_factory=dict)  # hours, who it is for
    look: L10n = field(default_factory=dict)  # where to look when no number is given
    source: str = ""  # the official page the number was read on
    checked: str = ""  # YYYY-MM-DD: when it was read there


@dataclass(frozen=True, eq=False, repr=False)
class HelpRegion(Value):
    """A country or region of the help page and its lines, in the file's order."""

    name: L10n
    lines: tuple[HelpLine, ...]
    loc: Loc


@dataclass(frozen=True, eq=False, repr=False)
class Course(Value):
    """The course as course.yml declares it."""

    id: str
    title: L10n
    description: L10n
    languages: tuple[str, ...]
    licence: str
    partners: tuple[str, ...]
    pass_mark: int
    completion: Completion
    pages: tuple[str, ...]
    competencies: tuple[Competency, ...]
    tracks: tuple[Track, ...]
    root: Path  # the folder that holds course.yml
    loc: Loc
    page_locs: tuple[Loc, ...] = ()
    print_edition: PrintEdition = PrintEdition()
    # crisis and listening lines (course/help-lines.yml, optional): `::: mooc help-lines`
    help_lines: tuple[HelpRegion, ...] = ()

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def track(self, track_id: str) -> Track | None:
        return next((t for t in self.tracks if t.id == track_id), None)

    def track_of(self, page_id: str) -> Track | None:
        """The track a module belongs to (None for a plain page)."""
        return next((t for t in self.tracks if page_id in t.modules), None)

    def competency(self, comp_id: str) -> Competency | None:
        return next((c for c in self.competencies if c.id == comp_id), None)


@dataclass(frozen=True, eq=False, repr=False)
class QuizMarker(Value):
    """`::: quiz ID` written in a page body."""

    quiz_id: str
    line: int


@dataclass(frozen=True, eq=False, repr=False)
class Link(Value):
    """A link or image in a page's Markdown, at its line."""

    target: str
    line: int
    image: bool = False


@dataclass(frozen=True, eq=False, repr=False)
class Page(Value):
    """A Markdown page: a module when it has module front matter, else a plain page."""

    id: str  # path under the language folder, without .md, with forward slashes
    lang: str
    path: Path
    loc: Loc
    body: str
    body_line: int  # line number of the first body line in the file
    is_module: bool
    title: str = ""
    summary: str = ""
    duration: int = 0
    objectives: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    quiz: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    markers: tuple[QuizMarker, ...] = ()
    widgets: frozenset[str] = frozenset()  # names of its `::: mooc NAME` lines
    links: tuple[Link, ...] = ()
    anchors: frozenset[str] = frozenset()
    fingerprint: str = ""  # of this file (see loaders.fingerprint)
    source_fingerprint: str = ""  # a translation: the fingerprint of the source it follows
    untranslated: int = 0  # a translation: texts still in the source language (PO state)
    outdated: int = 0  # a translation: texts translated from an older source (fuzzy)

    @property
    def end_quiz(self) -> str | None:
        """The `quiz:` of the front matter when no marker places it: shown at the end."""
        if self.quiz and self.quiz not in {m.quiz_id for m in self.markers}:
            return self.quiz
        return None

    @property
    def quiz_ids(self) -> list[str]:
        """The quizzes shown on the page, in page order: inline markers, then `quiz:`."""
        ids = [m.quiz_id for m in self.markers]
        return [*ids, self.end_quiz] if self.end_quiz else ids

    @property
    def display_title(self) -> str:
        """The front matter's title, else the first `# ` heading, else the file's name."""
        if self.title:
            return self.title
        for line in self.body.split("\n"):
            if line.startswith("# "):
                return line[2:].strip()
        return title_from_id(self.id)

    @property
    def src_uri(self) -> str:
        return f"{self.id}.md"


# ---------------------------------------------------------------- questions
# A question holds its type's unit: an object of one of builder/questions/' classes, with
# the type's own data (choices, pairs, ...) and all the type does. What follows is the
# contract those classes keep; the model needs no more of them than this.

class QuizMarkup(Protocol):
    """What a question type writes its HTML with (the quiz renderer): quiz text made safe
    Markdown, and the interface strings of the page's language."""

    def inline(self, text: str) -> str: ...

    def block(self, text: str) -> str: ...

    def t(self, key: str, **values: object) -> str: ...


class ScormSpelling(Protocol):
    """How a SCORM version spells responses and correct-response patterns."""

    @property
    def list_sep(self) -> str: ...  # between the items of a pattern

    @property
    def pair_sep(self) -> str: ...  # between the two sides of a pair

    @property
    def truth(self) -> tuple[str, str]: ...  # true, false

    @property
    def reflection_type(self) -> str: ...  # the interaction type of free text

    def fill_in_pattern(self, answer: str, lang: str) -> str: ...


class QuestionUnit(Protocol):
    """A question's type and the type's own data (see builder/questions/base.py)."""

    @property
    def name(self) -> str: ...  # the type, as `type:` names it in a quiz file

    @property
    def scored(self) -> bool: ...

    @property
    def shuffles(self) -> bool: ...  # `shuffle:` applies to it

    @property
    def size(self) -> int: ...  # choices, items or pairs (0: none)

    def key(self) -> dict[str, Any]: ...  # the browser's answer key (besides id, type, points)

    def hint(self, m: QuizMarkup, base: str) -> str: ...

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str: ...

    def after(self, m: QuizMarkup, explanation: str) -> str: ...

    def correct(self, response: Any) -> bool: ...

    def correct_response(self) -> Any: ...

    def interaction_type(self, s: ScormSpelling) -> str: ...

    def scorm_key(self) -> dict[str, Any]: ...

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]: ...

    def response_cap(self) -> int: ...

    def response_bound(self) -> int: ...

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None: ...

    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str: ...  # on paper

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str: ...  # its key

    def guess_chance(self) -> float: ...

    def position_tell(self) -> str | None: ...

    def length_tell(self) -> bool | None: ...


@dataclass(frozen=True, eq=False, repr=False)
class Question(Value):
    """A question of a quiz: what every type shares, and its type's unit."""

    id: str
    prompt: str
    loc: Loc
    unit: QuestionUnit
    points: int = 1
    explanation: str = ""
    hint: str = ""  # Markdown shown by a button
    objective: int = 0  # the module's objective it assesses, from 1 (0: not said)
    shuffle: bool | None = None  # its own `shuffle:` (None: the quiz's)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def type(self) -> str:
        return self.unit.name

    @property
    def scored(self) -> bool:
        return self.unit.scored


@dataclass(frozen=True, eq=False, repr=False)
class Quiz(Value):
    """A quiz file of one language, read and checked."""

    id: str
    lang: str
    title: str
    pass_mark: int
    shuffle: bool
    questions: tuple[Question, ...]
    loc: Loc
    fingerprint: str = ""
    source_fingerprint: str = ""
    untranslated: int = 0  # see Page
    outdated: int = 0
    draw: int = 0  # scored questions shown per attempt (0: all)
    attempts: int = 0  # attempts allowed (0: no limit)
    show_answers: ShowAnswers = "always"
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    @property
    def drawn(self) -> int:
        """Scored questions each attempt shows: `draw`, or all of them."""
        pool = len(self.scored_questions)
        return min(self.draw, pool) if self.draw else pool

    @property
    def max_points(self) -> int:
        """The points of an attempt: with `draw`, those of the drawn questions (which all
        have the same points, checked when the quiz is loaded)."""
        scored = self.scored_questions
        if self.draw and scored:
            return self.drawn * scored[0].points
        return sum(q.points for q in scored)

    def shuffled(self, q: Question) -> bool:
        """Whether a question's choices or items are shuffled for each learner."""
        return q.unit.shuffles and (self.shuffle if q.shuffle is None else q.shuffle)


HELP_PAGE = "help"  # a course's page with this id is linked from every module's header


@dataclass(frozen=True, eq=False, repr=False)
class Edition(Value):
    """One language of a course: its pages and quizzes."""

    lang: str
    pages: dict[str, Page]
    quizzes: dict[str, Quiz]
    files: frozenset[str] = frozenset()  # every file under the language folder (posix)
    unreadable_quizzes: frozenset[str] = frozenset()  # quiz files that failed to load
    unreadable_pages: frozenset[str] = frozenset()  # page files that could not be read
    # the course's own interface strings for this language (course/strings/<lang>.yaml)
    strings: dict[str, str] = field(default_factory=dict)
    # glossary terms, `*[ABBR]: meaning` lines (course/abbreviations/<lang>.md)
    abbreviations: str = ""

    def translated_quiz(self, quiz_id: str) -> Quiz | None:
        """The quiz in this language; None when there is none, or when the pages show the
        default language's because its translation is not written yet (`quizzes` holds
        those too: see loaders/project.py)."""
        quiz = self.quizzes.get(quiz_id)
        return quiz if quiz is not None and quiz.lang == self.lang else None


@dataclass(frozen=True, eq=False, repr=False)
class Project(Value):
    """The whole course: course.yml and each language's edition of it."""

    course: Course
    editions: dict[str, Edition]
    docs_root: Path  # course/ (holds <lang>/ folders)
    quizzes_root: Path  # quizzes/ (holds <lang>/ folders)
