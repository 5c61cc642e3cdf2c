"""GIFT: the course's questions as plain text, for Moodle's GIFT import and the other
platforms that read GIFT.

GIFT has a syntax for single and multiple choice (weights in per cent), true-false (with
the feedback of a wrong and of a right answer), short answer, matching and essay, and
`$CATEGORY:` lines; not for ordering, nor for a question's mark (every question imports
worth 1 point). So the file leaves out every ordering question, and says which question's
points it cannot keep; each is a warning at the question's line (`mooc export` prints
them), and a comment in the file. Text is the safe renderer's HTML (`[html]`) with every
GIFT special character escaped (`~ = # { } :` and the backslash, line ends as `\\n`),
as Moodle's GIFT reader undoes it; `read` is that reader, for `mooc validate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from ..errors import Problem
from ..questions.choices import ChoiceQuestion
from ..questions.fill_in import FillIn
from ..questions.matching import Matching
from ..questions.reflection import Reflection
from ..questions.true_false import TrueFalse
from .qbank import (
    SHARE_OF_100,
    Bank,
    BankQuestion,
    Category,
    LeftOut,
    QuestionBankExporter,
    accepted_answers,
    clean,
    is_moodle_grade,
    of_type,
    shortanswer_text,
)

SPECIAL = "~=#{}:"
# the names of a text format GIFT reads in a leading [name] (qformat_gift)
FORMATS = {"moodle", "html", "plain", "markdown"}


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped, and line ends as \\n."""
    text = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def html_part(text: str) -> str:
    """HTML for an answer or a feedback: a leading `[` would be read as a text format."""
    return "&#91;" + text[1:] if text.startswith("[") else text


def weight(percent: str) -> str:
    return f"%{percent}%"


class GiftExporter(QuestionBankExporter):
    name = "gift"
    label: ClassVar[dict[str, str]] = {"en": "GIFT"}
    description: ClassVar[dict[str, str]] = {
        "en": "GIFT for the questions in Moodle or another platform that reads GIFT (without "
              "the ordering questions; every question worth 1 point)",
        "fr": "GIFT pour les questions dans Moodle ou une autre plateforme qui lit le GIFT "
              "(sans les questions à ordonner ; chaque question vaut 1 point)"}
    file_pattern = "{course}-{lang}-{scope}-gift.txt"
    checks = "read back as Moodle's GIFT import does, every question complete"

    def document(self, bank: Bank, parts: list[str], count: int) -> str:
        head = (f"// {bank.title} ({bank.lang}): GIFT questions made by mooc-builder, "
                f"{count} questions ({len(bank.questions) - count} left out).\n"
                "// Moodle: Question bank > Import > GIFT format.")
        return "\n\n".join([head, *parts]) + "\n"

    def left_out_mark(self, bq: BankQuestion, why: str) -> str:
        return f"// left out: {bq.idnumber} ({why})"

    def category(self, category: Category) -> list[str]:
        if not category.questions:
            return []
        path = "/".join(("$course$", "top", *category.path)).replace("\\", "\u2216")
        return [f"$CATEGORY: {path}"]

    def changes(self, bq: BankQuestion) -> list[str]:
        """What GIFT changes of a question's mark (none has one: each is worth 1)."""
        q = bq.question
        if not q.scored:
            return ["not scored here, but an essay worth 1 point in GIFT (which has no "
                    "marks): set its mark to 0 in the Moodle quiz, or the attempt waits for "
                    "a teacher's grade"]
        if q.points != 1:
            return [f"worth {q.points} points here, 1 in GIFT (which has no marks): set its "
                    "mark in the Moodle quiz, or import the Moodle XML file"]
        return []

    def question(self, bq: BankQuestion) -> str:
        q = bq.question
        writers: dict[str, Callable[[BankQuestion], tuple[list[str], str]]] = {
            "single": self.choices, "multiple": self.choices, "true-false": self.true_false,
            "fill-in": self.fill_in, "matching": self.matching, "reflection": self.reflection}
        writer = writers.get(q.type)
        if writer is None:
            raise LeftOut(f"GIFT has no '{q.type}' questions")
        answers, general = writer(bq)
        general = general or self.html(q.explanation)
        if general:
            answers.append("####" + escape(html_part(general)))
        ident = clean(bq.idnumber).replace("]", "\\]")
        head = f"// [id:{ident}]\n::{escape(bq.name)}::[html]{escape(self.html(q.prompt))}"
        if not answers:
            return head + "{}"
        return head + "{\n" + "\n".join(f"\t{a}" for a in answers) + "\n}"

    def part(self, html: str) -> str:
        return escape(html_part(html))

    # -- one method per type of ours: (its answer lines, the general feedback if its own)
    def choices(self, bq: BankQuestion) -> tuple[list[str], str]:
        unit = of_type(bq, ChoiceQuestion)
        correct = sum(c.correct for c in unit.choices)
        share = SHARE_OF_100.get(correct)
        if share is None:
            raise LeftOut(f"{correct} correct choices: Moodle's grades give each a share for "
                          "10 at most")
        lines = []
        for c in unit.choices:
            if unit.name == "single":
                mark = "=" if c.correct else "~" + weight("0")
            else:
                mark = "~" + weight(share if c.correct else "-100")
            feedback = self.html(c.feedback)
            lines.append(mark + self.part(self.inline(c.text)) +
                         (f"#{self.part(feedback)}" if feedback else ""))
        return lines, ""

    def true_false(self, bq: BankQuestion) -> tuple[list[str], str]:
        unit = of_type(bq, TrueFalse)
        if unit.answer is None:
            raise LeftOut("its answer is neither true nor false")
        right, wrong = (unit.feedback_true, unit.feedback_false) if unit.answer else (
            unit.feedback_false, unit.feedback_true)
        line = "TRUE" if unit.answer else "FALSE"
        if right or wrong:
            line += f"#{self.part(self.html(wrong))}"
        if right:
            line += f"#{self.part(self.html(right))}"
        return [line], ""

    def fill_in(self, bq: BankQuestion) -> tuple[list[str], str]:
        answers = accepted_answers(of_type(bq, FillIn).answers)
        if not answers:
            raise LeftOut("no accepted answer")
        if any("->" in a for a in answers):
            raise LeftOut("an accepted answer holds '->', which GIFT reads as a matching pair")
        lines = []
        for a in answers:
            text = shortanswer_text(a)
            if text.startswith("["):
                text = "[plain]" + text  # else a leading [html] would be read as a format
            lines.append("=" + weight("100") + escape(text))
        return lines, ""

    def matching(self, bq: BankQuestion) -> tuple[list[str], str]:
        return [f"={self.part(self.inline(p.left).replace('->', '-&gt;'))} -> "
                f"{escape(' '.join(clean(p.right).split()))}"
                for p in of_type(bq, Matching).pairs], ""

    def reflection(self, bq: BankQuestion) -> tuple[list[str], str]:
        return [], self.html(bq.question.explanation) + self.html(
            of_type(bq, Reflection).model_answer)

    # -- mooc validate
    @classmethod
    def recognises_file(cls, data: bytes) -> bool:
        """UTF-8 text with a named question (`::name::`), a `$CATEGORY:` line or any
        question with answers."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        if text.lstrip().startswith("<"):
            return False
        if re.search(r"^[ \t]*(::|\$CATEGORY:)", text, re.MULTILINE):
            return True
        return any(item.qtype != "description" for item in read(text)[0])

    @classmethod
    def validate_file(cls, data: bytes, where: str) -> list[Problem]:
        items, problems = read(data.decode("utf-8-sig"), where)
        if not any(item.qtype not in {"category", "description"} for item in items):
            problems.append(Problem(where, 0, "no question in the file"))
        return problems


# ---------------------------------------------------------------- reading GIFT back

@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str = ""


@dataclass
class Item:
    """A question (or a `$CATEGORY:` line) as Moodle's GIFT import reads it."""

    line: int
    qtype: str  # category, description, essay, multichoice, match, truefalse, shortanswer
    name: str = ""
    idnumber: str = ""
    text: str = ""  # the question's text (HTML with [html]); a category's path
    text_format: str = "moodle"
    general: str = ""
    single: bool = True  # multichoice: one answer (an `=` among them) or several
    answers: list[Answer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # match: text, answer
    truth: bool = True  # truefalse: the correct answer
    feedback_true: str = ""
    feedback_false: str = ""


# Moodle's placeholders for escaped characters, here characters no text holds
_HIDE = {"\\" + ch: chr(0xE000 + i) for i, ch in enumerate(SPECIAL + "n")}
_SHOW = {v: ("\n" if k == "\\n" else k[1]) for k, v in _HIDE.items()}
_BACKSLASH = "\ue0ff"
PHP_TRIM = " \t\n\r\x00\x0b"  # what PHP's trim() takes off, as Moodle's reader does
WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")  # qformat_gift's, 100 included


def _hide(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for k, v in _HIDE.items():
        text = text.replace(k, v)
    return text.replace(_BACKSLASH, "\\")


def _show(text: str) -> str:
    for k, v in _SHOW.items():
        text = text.replace(k, v)
    return text


def _formatted(text: str, default: str) -> tuple[str, str]:
    """(text, format): a leading [format] read as qformat_gift does."""
    text = text.strip(PHP_TRIM)
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end > 0 else ""
        if name in FORMATS:
            return _show(text[end + 1:]).strip(PHP_TRIM), name
    return _show(text).strip(PHP_TRIM), default


def _comment(text: str, default: str) -> tuple[str, str]:
    """(answer, feedback) of `answer#feedback`."""
    answer, _, feedback = text.partition("#")
    return _formatted(answer, default)[0], _formatted(feedback, default)[0]


def _weight(text: str) -> tuple[float | None, str]:
    m = WEIGHT.match(text)
    if not m:
        return None, text
    end = text.index("%", 1)
    try:
        return float(text[1:end]) / 100, text[end + 1:]
    except ValueError:
        return 0.0, text[end + 1:]


def blocks(text: str) -> list[tuple[int, list[str]]]:
    """The file's questions: runs of lines between blank lines (qformat_default), each
    with the number of its first line."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.strip(PHP_TRIM):
            if not current:
                start = n
            current.append(line.strip(PHP_TRIM))
        elif current:
            out.append((start, current))
            current = []
    if current:
        out.append((start, current))
    return out


def read(text: str, where: str = "") -> tuple[list[Item], list[Problem]]:
    """Every question of a GIFT text as Moodle's import reads it, and what is wrong."""
    items: list[Item] = []
    problems: list[Problem] = []
    for line, lines in blocks(text):
        comments = "\n".join(x for x in lines if x.startswith("//"))
        body = "\n".join(x if not x.startswith("//") else " " for x in lines).strip(PHP_TRIM)
        if not body:
            continue
        item, wrong = _read_question(_hide(body), line)
        if item is None:
            problems += [Problem(where, line, m) for m in wrong]
            continue
        m = re.search(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]", comments)
        item.idnumber = m.group(1).strip(PHP_TRIM).replace("\\]", "]") if m else ""
        label = f"question '{item.name}'" if item.name else "a question"
        problems += [Problem(where, line, f"{label} ({item.qtype}): {m}") for m in wrong]
        if item.qtype == "description":
            problems.append(Problem(where, line, f"{label}: no answers, so not a question "
                                    "(Moodle imports it as a description)", "warning"))
        items.append(item)
    return items, problems


def _read_question(text: str, line: int) -> tuple[Item | None, list[str]]:
    """One question's text (escapes hidden) -> (its item, what is wrong with it)."""
    if text.startswith("$CATEGORY:"):
        return Item(line, "category", text=text[10:].strip(PHP_TRIM)), []
    item = Item(line, "")
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            item.name = _show(text[2:end]).strip(PHP_TRIM)
            text = text[end + 2:].strip(PHP_TRIM)
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        item.qtype = "description"
        item.text, item.text_format = _formatted(text, "moodle")
        return item, []
    if start < 0 or finish < 0 or finish < start:
        return None, ["unmatched { or } around the answers (escape a brace in text as \\{)"]
    answers = text[start + 1:finish].strip(PHP_TRIM)
    question = text[:start] + (text[finish + 1:] if not text.endswith("}") else "")
    item.text, item.text_format = _formatted(question, "moodle")
    general = answers.rfind("####")
    if general >= 0:
        item.general = _formatted(answers[general + 4:], item.text_format)[0]
        answers = answers[:general].strip(PHP_TRIM)
    wrong = [] if item.text else ["no question text"]
    if not item.name:
        item.name = item.text[:80]
    return item, wrong + _read_answers(item, answers)


def _read_answers(item: Item, answers: str) -> list[str]:
    fmt = item.text_format
    if answers == "":
        item.qtype = "essay"
        return []
    if answers.startswith("#"):
        item.qtype = "numerical"
        return ["numerical questions are not checked by mooc validate"]
    if "~" in answers:
        item.qtype = "multichoice"
        item.single = "=" in answers
        for raw in [a.strip(PHP_TRIM) for a in answers.replace("=", "~=").split("~")]:
            if not raw:
                continue
            weight_, rest = (1.0, raw[1:]) if raw.startswith("=") else _weight(raw)
            text, feedback = _comment(rest, fmt)
            item.answers.append(Answer(text, weight_ if weight_ is not None else 0.0,
                                       feedback))
        return _check_choices(item)
    if "=" in answers and "->" in answers:
        item.qtype = "match"
        for raw in [a.strip(PHP_TRIM) for a in answers.split("=") if a.strip(PHP_TRIM)]:
            left, arrow, right = raw.partition("->")
            if not arrow:
                return [f"a matching pair without '->': {_show(raw)[:60]}"]
            item.pairs.append((_formatted(left, fmt)[0], _show(right).strip(PHP_TRIM)))
        return ["fewer than two pairs"] if len(item.pairs) < 2 else []
    check = answers.partition("#")[0].strip(PHP_TRIM) if "#" in answers else answers
    if check in {"T", "TRUE", "F", "FALSE"}:
        item.qtype = "truefalse"
        item.truth = check in {"T", "TRUE"}
        bits = [*answers.split("#", 2), "", ""][:3]
        wrong, right = (_formatted(b, fmt)[0] for b in bits[1:])
        item.feedback_true, item.feedback_false = (right, wrong) if item.truth else (wrong,
                                                                                     right)
        return []
    item.qtype = "shortanswer"
    for raw in [a.strip(PHP_TRIM) for a in answers.split("=") if a.strip(PHP_TRIM)]:
        weight_, rest = _weight(raw)
        text, feedback = _comment(rest, fmt)
        item.answers.append(Answer(text, 1.0 if weight_ is None else weight_, feedback))
    if not item.answers:
        return ["no accepted answer"]
    return [] if max(a.fraction for a in item.answers) == 1 else ["no answer is worth 100 %"]


def _check_choices(item: Item) -> list[str]:
    out = []
    if len(item.answers) < 2:
        out.append("fewer than two answers")
    bad = sorted({a.fraction * 100 for a in item.answers if not is_moodle_grade(a.fraction * 100)})
    if bad:
        out.append(f"answer grades Moodle does not take: {', '.join(f'{b:g}' for b in bad)} %")
    if any(not a.text for a in item.answers):
        out.append("an answer without text")
    if item.answers and item.single and max(a.fraction for a in item.answers) != 1:
        out.append("no answer is worth 100 %")
    if item.answers and not item.single and round(
            sum(a.fraction for a in item.answers if a.fraction > 0), 2) != 1:
        out.append("the correct answers' grades do not add up to 100 %")
    return out
