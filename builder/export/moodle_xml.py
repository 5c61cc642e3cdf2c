"""Moodle XML: the course's questions for a Moodle question bank (Question bank > Import).

Every type of ours has a Moodle type of its own (see qbank.py for how the grades map):
single and multiple -> multichoice, true-false -> truefalse, fill-in -> shortanswer,
matching -> matching, ordering -> ordering (core since Moodle 4.5), reflection -> essay.
Categories: `$course$/top/<course> (<lang>)/<track>/<module>`; each question's idnumber is
its quiz id and its own id. Text of the course is Markdown made HTML by the safe renderer
(raw HTML shown as text), in CDATA; names and answers Moodle reads as plain text are
escaped. `mooc validate` reads a file back (`read`, `check`): well-formed, no DOCTYPE, and
every question complete, with grades Moodle's import takes.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar
from xml.parsers import expat

from ..errors import Problem
from ..questions.choices import ChoiceQuestion
from ..questions.fill_in import FillIn
from ..questions.matching import Matching
from ..questions.ordering import Ordering
from ..questions.reflection import Reflection
from ..questions.true_false import TrueFalse
from .qbank import (
    IDNUMBER_MAX,
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

PAD = "    "


def cdata(text: str) -> str:
    """HTML for Moodle, as Moodle writes it: in CDATA (a `]]>` in it split in two)."""
    return f"<![CDATA[{text.replace(']]>', ']]]]><![CDATA[>')}]]>" if text else ""


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def comment(text: str) -> str:
    """An XML comment of any text (`--` cannot be in one)."""
    while "--" in text:
        text = text.replace("--", "- -")
    return f"<!-- {text.rstrip('-')} -->"


def rich(tag: str, content: str, depth: int = 2, attrs: str = ' format="html"') -> str:
    pad = PAD * depth
    return f"{pad}<{tag}{attrs}>\n{pad}{PAD}<text>{cdata(content)}</text>\n{pad}</{tag}>"


def plain(tag: str, content: str, depth: int = 2) -> str:
    pad = PAD * depth
    return f"{pad}<{tag}>\n{pad}{PAD}<text>{esc(content)}</text>\n{pad}</{tag}>"


def field(tag: str, value: str | int, depth: int = 2) -> str:
    return f"{PAD * depth}<{tag}>{esc(str(value))}</{tag}>"


def answer(fraction: str, text: str, feedback: str = "", *, html_text: bool = True) -> str:
    """An <answer>: HTML text (CDATA) or plain text (escaped), with its feedback."""
    fmt = "html" if html_text else "moodle_auto_format"
    body = f"<text>{cdata(text)}</text>" if html_text else f"<text>{esc(text)}</text>"
    return (f'{PAD * 2}<answer fraction="{fraction}" format="{fmt}">\n{PAD * 3}{body}\n'
            f"{rich('feedback', feedback, 3)}\n{PAD * 2}</answer>")


def combined_feedback() -> list[str]:
    return [rich(tag, "") for tag in
            ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")]


class MoodleXmlExporter(QuestionBankExporter):
    name = "moodle-xml"
    label: ClassVar[dict[str, str]] = {"en": "Moodle XML"}
    description: ClassVar[dict[str, str]] = {
        "en": "Moodle XML to add every question, with its feedback and points, to a Moodle "
              "question bank for your own quizzes",
        "fr": "Moodle XML pour ajouter chaque question, avec ses rétroactions et ses points, "
              "à une banque de questions Moodle pour vos propres tests"}
    file_pattern = "{course}-{lang}-{scope}-moodle.xml"
    checks = "well-formed, every question complete with grades Moodle takes"

    def document(self, bank: Bank, parts: list[str], count: int) -> str:
        return "\n".join([
            '<?xml version="1.0" encoding="UTF-8"?>',
            comment(f"{bank.title} ({bank.lang}): Moodle XML question bank made by "
                    "mooc-builder. Moodle: Question bank > Import > Moodle XML format."),
            "<quiz>", *parts, "</quiz>\n"])

    def left_out_mark(self, bq: BankQuestion, why: str) -> str:
        return f"{PAD}{comment(f'left out: {bq.idnumber} ({why})')}"

    def category(self, category: Category) -> list[str]:
        path = "/".join(("$course$", "top", *category.path))
        return ["\n".join([f'{PAD}<question type="category">', plain("category", path),
                           rich("info", esc(category.info)), f"{PAD}</question>"])]

    def question(self, bq: BankQuestion) -> str:
        q = bq.question
        writers: dict[str, Callable[[BankQuestion], tuple[str, list[str], str]]] = {
            "single": self.choices, "multiple": self.choices, "true-false": self.true_false,
            "fill-in": self.fill_in, "matching": self.matching, "ordering": self.ordering,
            "reflection": self.reflection}
        writer = writers.get(q.type)
        if writer is None:
            raise LeftOut(f"no Moodle question type for '{q.type}' questions")
        qtype, own, feedback = writer(bq)
        grade = q.points if q.scored else 0
        return "\n".join([
            f'{PAD}<question type="{qtype}">', plain("name", bq.name),
            rich("questiontext", self.html(q.prompt)),
            rich("generalfeedback", feedback or self.html(q.explanation)),
            field("defaultgrade", grade), field("penalty", 0), field("hidden", 0),
            field("idnumber", bq.idnumber), *own, f"{PAD}</question>"])

    # -- one method per type of ours: (Moodle's type, its own elements, general feedback)
    def choices(self, bq: BankQuestion) -> tuple[str, list[str], str]:
        unit = of_type(bq, ChoiceQuestion)
        single = unit.name == "single"
        correct = sum(c.correct for c in unit.choices)
        share = SHARE_OF_100.get(correct)
        if share is None:
            raise LeftOut(f"{correct} correct choices: Moodle's grades give each a share "
                          "for 10 at most")
        wrong = "0" if single else "-100"
        return "multichoice", [
            field("single", "true" if single else "false"),
            field("shuffleanswers", "true" if bq.quiz.shuffle else "false"),
            field("answernumbering", "none"),
            field("showstandardinstruction", 0 if single else 1),
            *combined_feedback(),
            *(answer(share if c.correct else wrong, self.inline(c.text), self.html(c.feedback))
              for c in unit.choices)], ""

    def true_false(self, bq: BankQuestion) -> tuple[str, list[str], str]:
        unit = of_type(bq, TrueFalse)
        if unit.answer is None:
            raise LeftOut("its answer is neither true nor false")
        return "truefalse", [
            answer("100" if unit.answer else "0", "true", self.html(unit.feedback_true),
                   html_text=False),
            answer("0" if unit.answer else "100", "false", self.html(unit.feedback_false),
                   html_text=False)], ""

    def fill_in(self, bq: BankQuestion) -> tuple[str, list[str], str]:
        answers = accepted_answers(of_type(bq, FillIn).answers)
        if not answers:
            raise LeftOut("no accepted answer")
        return "shortanswer", [field("usecase", 0), *(
            answer("100", shortanswer_text(a), html_text=False) for a in answers)], ""

    def matching(self, bq: BankQuestion) -> tuple[str, list[str], str]:
        pad = PAD * 2
        subs = [f'{pad}<subquestion format="html">\n{pad}{PAD}<text>{cdata(self.inline(p.left))}'
                f"</text>\n{pad}{PAD}<answer>\n{pad}{PAD * 2}<text>{esc(clean(p.right))}</text>"
                f"\n{pad}{PAD}</answer>\n{pad}</subquestion>"
                for p in of_type(bq, Matching).pairs]
        return "matching", [field("shuffleanswers", "false"), *combined_feedback(), *subs], ""

    def ordering(self, bq: BankQuestion) -> tuple[str, list[str], str]:
        items = of_type(bq, Ordering).items
        return "ordering", [
            field("layouttype", "VERTICAL"), field("selecttype", "ALL"),
            field("selectcount", len(items)), field("gradingtype", "ALL_OR_NOTHING"),
            field("showgrading", "SHOW"), field("numberingstyle", "none"),
            *combined_feedback(),
            # without it, Moodle 4.5's import makes two empty hints and fails on them
            field("shownumcorrect", 1),
            *(f'{PAD * 2}<answer fraction="{i}" format="html">\n{PAD * 3}<text>'
              f"{cdata(self.inline(item))}</text>\n{PAD * 2}</answer>"
              for i, item in enumerate(items, start=1))], ""

    def reflection(self, bq: BankQuestion) -> tuple[str, list[str], str]:
        q = bq.question
        model = self.html(of_type(bq, Reflection).model_answer)
        return "essay", [
            field("responseformat", "editor"), field("responserequired", 0),
            field("responsefieldlines", 10), field("attachments", 0),
            field("attachmentsrequired", 0), rich("graderinfo", model),
            rich("responsetemplate", "")], self.html(q.explanation) + model

    # -- mooc validate
    @classmethod
    def recognises_file(cls, data: bytes) -> bool:
        """XML whose root element is <quiz> (Moodle's question format)."""
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith(b"<"):
            return False
        head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^[>]*(\[.*?\])?\s*>", b"", head,
                      flags=re.S).lstrip()
        return re.match(rb"<quiz[\s>/]", head) is not None

    @classmethod
    def validate_file(cls, data: bytes, where: str) -> list[Problem]:
        read = read_xml(data)
        if isinstance(read, str):
            return [Problem(where, 0, read)]
        return check(read, where)


# ---------------------------------------------------------------- reading a file back

@dataclass
class Lined:
    """A parsed file: its root and the line of each element."""

    root: ET.Element
    lines: dict[int, int]  # id(element) -> line

    def line(self, el: ET.Element) -> int:
        return self.lines.get(id(el), 0)


def read_xml(data: bytes) -> Lined | str:
    """The file's tree (with lines), or why it cannot be read. No DOCTYPE, so no entity
    to expand and nothing external to fetch."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "the file declares a DOCTYPE or entities (refused)"
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[id(builder.start(tag, attrs))] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return f"not well-formed XML: {expat.errors.messages[exc.code]} (line {exc.lineno})"
    root = builder.close()
    if root.tag != "quiz":
        return f"the root element is <{root.tag}>, not Moodle's <quiz>"
    return Lined(root, lines)


def text_of(el: ET.Element | None) -> str:
    """The <text> of an element (Moodle trims it)."""
    found = el.find("text") if el is not None else None
    return (found.text or "").strip() if found is not None else ""


QUESTION_TYPES = {"multichoice", "truefalse", "shortanswer", "matching", "match", "ordering",
                  "essay", "description"}


def check(read: Lined, where: str) -> list[Problem]:
    """Each question complete, as Moodle's import needs it (see `check_question`)."""
    problems: list[Problem] = []
    ids: set[tuple[str, str]] = set()
    category = ""
    questions = read.root.findall("question")
    if not questions:
        problems.append(Problem(where, read.line(read.root), "no question in the file"))
    for el in questions:
        line = read.line(el)
        qtype = el.get("type", "")
        if qtype == "category":
            category = text_of(el.find("category"))
            if not category:
                problems.append(Problem(where, line, "a category without its path"))
            continue
        name = text_of(el.find("name"))
        label = f"question '{name}' ({qtype})" if name else f"a {qtype or 'typeless'} question"
        if qtype not in QUESTION_TYPES:
            problems.append(Problem(where, line, f"{label}: type not checked by mooc validate"
                                    if qtype else "a question without its type", "warning"
                                    if qtype else "error"))
            continue
        for message in check_question(el, qtype, name):
            problems.append(Problem(where, line, f"{label}: {message}"))
        idnumber = (el.findtext("idnumber") or "").strip()
        if len(idnumber) > IDNUMBER_MAX:
            problems.append(Problem(where, line, f"{label}: idnumber longer than "
                                    f"{IDNUMBER_MAX} characters"))
        elif idnumber and (category, idnumber) in ids:
            problems.append(Problem(where, line, f"{label}: idnumber '{idnumber}' is already "
                                    "in its category (Moodle drops the second)", "warning"))
        ids.add((category, idnumber))
    return problems


def _fraction(el: ET.Element) -> float | None:
    try:
        return float(el.get("fraction", "0"))
    except ValueError:
        return None


def check_question(el: ET.Element, qtype: str, name: str) -> list[str]:
    """What is missing or wrong in one question (no path or line)."""
    out = []
    if not name:
        out.append("no name")
    if not text_of(el.find("questiontext")):
        out.append("no question text")
    grade = (el.findtext("defaultgrade") or "0").strip()
    if not re.fullmatch(r"\d+(\.\d+)?", grade):
        out.append(f"default grade '{grade}' is not a number of 0 or more")
    answers = el.findall("answer")
    fractions = [_fraction(a) for a in answers]
    if None in fractions:
        out.append("an answer's fraction is not a number")
        return out
    values = [f for f in fractions if f is not None]
    if qtype in {"multichoice", "shortanswer"}:
        bad = sorted({f for f in values if not is_moodle_grade(f)})
        if bad:
            out.append(f"answer grades Moodle does not take: {', '.join(map(str, bad))} %")
        if any(not text_of(a) for a in answers):
            out.append("an answer without text")
    if qtype == "multichoice":
        if len(answers) < 2:
            out.append("fewer than two answers")
        elif (el.findtext("single") or "true").strip() in {"true", "1"}:
            if abs(max(values) - 100) > 0.001:
                out.append("no answer is worth 100 %")
        elif round(sum(f for f in values if f > 0) / 100, 2) != 1:
            out.append("the correct answers' grades do not add up to 100 %")
    elif qtype == "shortanswer":
        if not answers:
            out.append("no accepted answer")
        elif abs(max(values) - 100) > 0.001:
            out.append("no answer is worth 100 %")
    elif qtype == "truefalse":
        given = {text_of(a): f for a, f in zip(answers, values, strict=True)}
        if sorted(given) != ["false", "true"] or sorted(given.values()) != [0, 100]:
            out.append("needs the answers 'true' and 'false', one worth 100 %, the other 0")
    elif qtype in {"matching", "match"}:
        pairs = [s for s in el.findall("subquestion") if text_of(s)]
        if len(pairs) < 2:
            out.append("fewer than two subquestions")
        if any(not text_of(s.find("answer")) for s in pairs):
            out.append("a subquestion without its answer")
    elif qtype == "ordering":
        if len([a for a in answers if text_of(a)]) < 2:
            out.append("fewer than two items to order")
        if el.find("shownumcorrect") is None and not el.findall("hint"):
            out.append("no <shownumcorrect> nor hints: Moodle 4.5's import then makes empty "
                       "hints and stops with a database error")
    return out
