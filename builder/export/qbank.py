"""What the question-bank formats share (Moodle XML, GIFT: `moodle_xml.py`, `gift.py`).

A question bank is one text file per track (or for the whole course) in one language: the
course's questions in categories (the course, each track, each module), each question with
its feedback, its points and an id that stays the same from one export to the next. No
site is read: only the course and its quizzes.

How our scoring rule maps onto Moodle's question types (the import guide says the same):
- every question is worth its `points` (Moodle's default mark), and no penalty;
- single -> multichoice (one answer), the correct choice 100 %, the others 0 %;
- multiple -> multichoice (several answers): each correct choice 100/k % (k correct
  choices), each wrong one -100 %. Moodle adds the fractions of the chosen choices and keeps
  the sum between 0 and 1: full marks exactly when ours, nothing as soon as one wrong choice
  is chosen, as ours. Where they differ: some correct choices and no wrong one (ours 0,
  Moodle the part chosen); Moodle's core has no all-or-nothing multiple choice. Its grade
  list has 1/k for k up to 10 only: a question with more correct choices is left out;
- true-false -> truefalse; fill-in -> shortanswer (every accepted answer 100 %,
  `accepted_answers`); ordering -> ordering graded all or nothing; matching -> matching
  (Moodle gives the part of the pairs matched, ours all or nothing); reflection -> essay
  worth 0 (never scored, as ours), its model answer shown as feedback.
"""

from __future__ import annotations

import os
import re
import tempfile
from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from ..common.rewrite import PageCache
from ..common.safe_markdown import SafeMarkdown
from ..errors import ExportError, Problem
from ..model import Project, Question, Quiz, pick
from ..questions.scoring import normalise_answer
from .base import FileExporter, Package, interface_strings
from .plan import Layout, edition, find_track, plain_text

# Moodle's grades for an answer (question_bank::fraction_options_full), in per cent: an
# import refuses any other. 1/k of 100 for k correct choices of a multiple question.
SHARE_OF_100 = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667",
                7: "14.28571", 8: "12.5", 9: "11.11111", 10: "10"}
MOODLE_GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
                 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
T = TypeVar("T")
IDNUMBER_MAX = 100  # Moodle's question_bank_entries.idnumber
# Characters XML 1.0 cannot hold (nor Moodle's database): shown as U+FFFD instead.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_moodle_grade(percent: float) -> bool:
    """Whether Moodle's import takes this answer grade (as match_grade_options: 1e-5)."""
    return any(abs(abs(percent) / 100 - g) < 0.00001 for g in MOODLE_GRADES)


def clean(text: str) -> str:
    """Quiz text with its line ends made \\n and what XML cannot hold replaced."""
    return NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def accepted_answers(answers: tuple[str, ...]) -> list[str]:
    """A fill-in's answers for Moodle's shortanswer, which compares without case but with
    accents: each answer as written (its spaces made single), then without its accents
    (as our rule folds them) when that differs; the same text once."""
    out: list[str] = []
    seen: set[str] = set()
    for answer in answers:
        for variant in (" ".join(clean(answer).split()), normalise_answer(clean(answer))):
            if variant and variant.casefold() not in seen:
                seen.add(variant.casefold())
                out.append(variant)
    return out


def shortanswer_text(answer: str) -> str:
    """An answer as Moodle's shortanswer reads it: `*` is its wildcard, `\\*` a star."""
    return answer.replace("*", "\\*")


def category_name(title: str) -> str:
    """One step of a Moodle category path: `/` doubled, as Moodle writes it."""
    name = " ".join(clean(title).split()).replace("/", "//")
    return f" {name} " if name.startswith("/") or name.endswith("/") else name


@dataclass(frozen=True)
class BankQuestion:
    quiz: Quiz
    question: Question
    idnumber: str  # the quiz id, then the question id: "psw/intervision/q1"
    name: str  # the question id and the start of its prompt

    def left_out(self, message: str) -> Problem:
        """A warning at the question's line, for what its format cannot keep of it."""
        return Problem(self.question.loc.path, self.question.loc.line, message, "warning")


class LeftOut(Exception):
    """A question a format cannot express; the message says why."""


def of_type(bq: BankQuestion, kind: type[T]) -> T:
    """The question's type unit, as the class its writer expects."""
    unit = bq.question.unit
    if not isinstance(unit, kind):
        raise LeftOut(f"a '{unit.name}' question is not a {kind.__name__}")
    return unit


@dataclass(frozen=True)
class Category:
    path: tuple[str, ...]  # names below the course context's top: course, track, module
    info: str  # plain text: what the quizzes of a module are (Moodle XML only)
    questions: tuple[BankQuestion, ...] = ()


@dataclass(frozen=True)
class Bank:
    course_id: str
    lang: str
    scope: str  # a track id, or "all"
    title: str
    categories: tuple[Category, ...]

    @property
    def questions(self) -> list[BankQuestion]:
        return [q for c in self.categories for q in c.questions]




def idnumber(quiz: Quiz, q: Question) -> str:
    raw = clean(f"{quiz.id}/{q.id}")
    return raw if len(raw) <= IDNUMBER_MAX else raw[:IDNUMBER_MAX]


def plan_bank(project: Project, lang: str, track_id: str | None) -> Bank:
    """The categories and questions of a track (None: the whole course) in `lang`: the
    course's category, then each track's, each holding its modules' (a module in two
    tracks is in the first); ExportError when there is nothing to export."""
    course = project.course
    ed = edition(project, lang)
    track = find_track(project, track_id)
    top = (category_name(f"{pick(course.title, lang, course.id)} ({lang})"),)
    categories = [Category(top, "")]
    wording = interface_strings(project, lang)["qbank_quiz_info"]
    seen: set[str] = set()
    for t in [track] if track is not None else course.tracks:
        here = (*top, category_name(pick(t.title, lang, t.id)))
        modules = []
        for module_id in t.modules:
            page = ed.pages.get(module_id)
            if page is None or not page.is_module or module_id in seen:
                continue
            seen.add(module_id)
            quizzes = [ed.quizzes[i] for i in page.quiz_ids if i in ed.quizzes]
            questions = tuple(BankQuestion(quiz, q, idnumber(quiz, q),
                                           f"{q.id}: {plain_text(clean(q.prompt), 80)}")
                              for quiz in quizzes for q in quiz.questions)
            info = " ".join(wording.replace("{title}", quiz.title)
                            .replace("{pass_mark}", str(quiz.pass_mark))
                            .replace("{points}", str(quiz.max_points)) for quiz in quizzes)
            modules.append(Category((*here, category_name(page.display_title)), clean(info),
                                    questions))
        if modules:
            categories += [Category(here, ""), *modules]
    scope = track.id if track is not None else "all"
    if len(categories) == 1:
        raise ExportError(f"track '{scope}' has no module in '{lang}': nothing to export")
    title = pick(course.title, lang, course.id)
    if track is not None:
        title = f"{title}: {pick(track.title, lang, track.id)}"
    return Bank(course.id, lang, scope, title, tuple(categories))


class QuestionBankExporter(FileExporter):
    """One text file of questions per scope; a subclass writes its format (`write`) and
    reads it back (`recognises_file`, `validate_file`)."""

    needs_site = False
    facts: ClassVar[dict[str, str]] = {"questions": "{} questions",
                                       "left_out": "{} questions left out"}

    def __init__(self, layout: Layout = "single", pages: PageCache | None = None) -> None:
        super().__init__(layout, pages)
        self.md = SafeMarkdown()

    # -- what a format writes: its categories, questions and file
    @abstractmethod
    def category(self, category: Category) -> list[str]:
        """The parts that open a category (none: the format needs none)."""

    @abstractmethod
    def question(self, bq: BankQuestion) -> str:
        """One question; LeftOut when the format cannot express it."""

    @abstractmethod
    def left_out_mark(self, bq: BankQuestion, why: str) -> str:
        """What the file says in place of a question it leaves out (a comment)."""

    @abstractmethod
    def document(self, bank: Bank, parts: list[str], count: int) -> str:
        """The whole file around its parts."""

    def changes(self, bq: BankQuestion) -> list[str]:
        """What the format changes of a question it holds (warnings)."""
        return []

    def write(self, bank: Bank) -> tuple[str, list[Problem], int]:
        """The file's text, what it leaves out or changes (warnings at each question's
        line) and how many questions it holds."""
        parts: list[str] = []
        left_out: list[Problem] = []
        count = 0
        for category in bank.categories:
            parts += self.category(category)
            for bq in category.questions:
                try:
                    parts.append(self.question(bq))
                except LeftOut as exc:
                    left_out.append(bq.left_out(
                        f"left out of the {self.text(self.label, 'en')} file: {exc}"))
                    parts.append(self.left_out_mark(bq, str(exc)))
                    continue
                count += 1
                left_out += [bq.left_out(change) for change in self.changes(bq)]
        return self.document(bank, parts, count), left_out, count

    def package(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
                track: str | None = None, *, fallback: bool = False) -> Package:
        bank = plan_bank(project, lang, track)
        text, left_out, count = self.write(bank)
        target = Path(out_dir) / self.package_name(bank.course_id, lang, bank.scope, "single")
        write_text(target, text)
        omitted = len(bank.questions) - count
        # the downloads page's note (interface string qbank_left_out)
        note = interface_strings(project, lang)["qbank_left_out"].replace(
            "{n}", str(omitted)) if omitted else ""
        return Package(target, {"questions": count, "left_out": omitted}, note,
                       tuple(left_out))

    # -- text of the course as HTML (safe Markdown: raw HTML shown as text)
    def html(self, text: str) -> str:
        return self.md.block(clean(text))

    def inline(self, text: str) -> str:
        return self.md.inline(clean(text))


def write_text(target: Path, text: str) -> None:
    """The file, written beside its final name, then renamed (never half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        Path(partial).chmod(0o644)
        Path(partial).replace(target)
    finally:
        Path(partial).unlink(missing_ok=True)
