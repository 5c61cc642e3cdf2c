"""A module's quiz as an IMS Common Cartridge 1.1 assessment: QTI 1.2.1 in CC's profile.

The profile has five question types; ours map onto them by their type's name:

| ours | CC profile (`cc_profile`) | in Moodle |
|---|---|---|
| single | cc.multiple_choice.v0p1 | multichoice, one answer |
| multiple | cc.multiple_response.v0p1 | multichoice, several answers |
| true-false | cc.true_false.v0p1 | truefalse |
| fill-in | cc.fib.v0p1 | shortanswer |
| reflection | cc.essay.v0p1 (not scored: weighting 0) | essay |

Any other type (ordering, matching, and any type added later) has no form in the profile:
it stays in the module's page as the site's self-check (`Split.in_page`), and the export
says so. The writing follows what the LMSs' importers read (Moodle's `backup/cc`, the
reference): the general feedback (our explanation) first, with `continue="Yes"`; one
condition that sets SCORE to 100 for the correct response; one condition per choice that
has feedback. Every text is the site's safe Markdown (raw HTML shown as text, only
http(s), mailto and relative links), then XML-escaped; a relative link or image is kept
only when it names a file of the package.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from ..common.html import parse, serialise
from ..common.safe_markdown import SafeMarkdown
from ..common.urls import is_external, relative_url, resolve
from ..model import Question, Quiz
from ..questions.choices import ChoiceQuestion
from ..questions.fill_in import FillIn
from ..questions.reflection import Reflection
from ..questions.scoring import normalise_answer
from ..questions.true_false import TrueFalse
from .plan import plain_text
from .scorm import X

NS_QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "ccv1p1_qtiasiv1p2p1_v1p0.xsd"  # in builder/schemas/cc11/
FILEBASE = "$IMS-CC-FILEBASE$"
RESPONSE = "response1"
GENERAL_FB = "general_fb"
ESSAY = "cc.essay.v0p1"
T = TypeVar("T")
# Characters XML 1.0 cannot hold, even escaped (a quiz file may give them as YAML escapes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def field_(label: str, entry: str) -> X:
    return X("qtimetadatafield", children=[X("fieldlabel", text=label),
                                           X("fieldentry", text=xml_text(entry))])


@functools.cache
def _shared_markdown() -> SafeMarkdown:
    """One converter for every quiz (it is reset for each text): making one costs more
    than converting most texts."""
    return SafeMarkdown()


@dataclass
class Markup:
    """Quiz text as HTML for QTI: the site's safe Markdown, with relative URLs resolved
    from the page that holds the quiz and kept only for files of the package."""

    page: str  # the page that holds the quiz, e.g. "psw/intervision.html"
    document: str  # the assessment's file, e.g. "qti/psw/intervision.xml"
    files: frozenset[str]  # every file of the package
    md: SafeMarkdown = field(default_factory=_shared_markdown)
    uses_files: bool = False  # a kept URL names a file of the package

    def block(self, text: str) -> str:
        return self._urls(self.md.block(text))

    def inline(self, text: str) -> str:
        return self._urls(self.md.inline(text))

    def _urls(self, html_text: str) -> str:
        if "src=" not in html_text and "href=" not in html_text:
            return xml_text(html_text)
        tree = parse(html_text)
        for el in list(tree.iter()):
            name = {"a": "href", "img": "src"}.get(el.tag)
            url = el.get(name) if name else None
            if name is None or url is None or url.startswith(("#", "mailto:")) \
                    or is_external(url):
                continue
            target = resolve(url, self.page)
            if target is not None and target in self.files:
                here = posixpath.dirname(self.document) or "."
                el.put(name, f"{FILEBASE}/{relative_url(here + '/x', target)}")
                self.uses_files = True
            elif el.tag == "img":  # an image that is not in the package: its text
                el.attrs, el.children, el.end = [], [_escape(el.get("alt") or "")], "</span>"
                el.rename("span")
            else:
                el.put("href", None)
                el.rename("span")
        return xml_text(serialise(tree))


def mattext(html_text: str) -> X:
    return X("material", children=[X("mattext", {"texttype": "text/html"}, text=html_text)])


# ---------------------------------------------------------------- one question

@dataclass
class Item:
    """The parts of a QTI item that differ between the types."""

    profile: str
    response: X | None = None  # response_lid or response_str
    conditions: list[X] = field(default_factory=list)  # after the general feedback
    feedback: dict[str, str] = field(default_factory=dict)  # ident -> HTML
    metadata: list[tuple[str, str]] = field(default_factory=list)


def _varequal(ident: str, *, case: bool = False) -> X:
    attrs = {"respident": RESPONSE}
    if case:
        attrs["case"] = "Yes"
    return X("varequal", attrs, text=ident)


def _score() -> X:
    return X("setvar", {"action": "Set", "varname": "SCORE"}, text="100")


def _show(ident: str) -> X:
    return X("displayfeedback", {"feedbacktype": "Response", "linkrefid": ident})


def _choices(labels: Iterable[tuple[str, str]], multiple: bool) -> X:
    return X("response_lid", {"ident": RESPONSE,
                              "rcardinality": "Multiple" if multiple else "Single"}, [
        X("render_choice", {"shuffle": "No"}, [
            X("response_label", {"ident": ident}, [mattext(text)]) for ident, text in labels])])


def _one_of(correct: str, choices: list[tuple[str, str, str]], profile: str) -> Item:
    """Single choice and true/false: (ident, label HTML, feedback HTML) per choice. One
    condition per choice, the correct one setting the score (Moodle reads a choice's
    score from the last condition naming it, so each is named once)."""
    item = Item(profile, _choices(((i, label) for i, label, _fb in choices), multiple=False))
    for ident, _label, fb in choices:
        if ident != correct and not fb:
            continue
        kids = [X("conditionvar", children=[_varequal(ident)])]
        if ident == correct:
            kids.append(_score())
        if fb:
            item.feedback[f"{ident}_fb"] = fb
            kids.append(_show(f"{ident}_fb"))
        condition = X("respcondition", {"continue": "No"}, kids)
        if ident == correct:
            item.conditions.insert(0, condition)
        else:
            item.conditions.append(condition)
    return item


def _single(q: ChoiceQuestion, m: Markup) -> Item:
    choices = [(f"c{i}", m.inline(c.text), m.block(c.feedback) if c.feedback else "")
               for i, c in enumerate(q.choices)]
    correct = next(f"c{i}" for i, c in enumerate(q.choices) if c.correct)
    return _one_of(correct, choices, "cc.multiple_choice.v0p1")


def _multiple(q: ChoiceQuestion, m: Markup) -> Item:
    item = Item("cc.multiple_response.v0p1",
                _choices(((f"c{i}", m.inline(c.text)) for i, c in enumerate(q.choices)),
                         multiple=True))
    every = [X("not", children=[_varequal(f"c{i}", case=True)]) if not c.correct
             else _varequal(f"c{i}", case=True) for i, c in enumerate(q.choices)]
    item.conditions.append(X("respcondition", {"continue": "No"}, [
        X("conditionvar", children=[X("and", children=every)]), _score()]))
    for i, c in enumerate(q.choices):
        if c.feedback:
            item.feedback[f"c{i}_fb"] = m.block(c.feedback)
            item.conditions.append(X("respcondition", {"continue": "No"}, [
                X("conditionvar", children=[_varequal(f"c{i}")]), _show(f"c{i}_fb")]))
    return item


def _true_false(q: TrueFalse, m: Markup, words: tuple[str, str]) -> Item:
    fb_true = m.block(q.feedback_true) if q.feedback_true else ""
    fb_false = m.block(q.feedback_false) if q.feedback_false else ""
    return _one_of("true" if q.answer else "false",
                   [("true", xml_text(words[0]), fb_true),
                    ("false", xml_text(words[1]), fb_false)], "cc.true_false.v0p1")


def fill_in_answers(answers: Iterable[str]) -> list[str]:
    """The accepted answers, then each one with case, accents and spaces folded (the site
    folds them when it compares; an LMS compares without case at best), each once."""
    out: dict[str, str] = {}
    for answer in answers:
        for form in (answer.strip(), normalise_answer(answer)):
            if form and form.casefold() not in out:
                out[form.casefold()] = xml_text(form)
    return list(out.values())


def _fill_in(q: FillIn, m: Markup) -> Item:
    item = Item("cc.fib.v0p1", X("response_str", {"ident": RESPONSE, "rcardinality": "Single"},
                                 [X("render_fib", children=[
                                     X("response_label", {"ident": "answer1"})])]))
    item.conditions.append(X("respcondition", {"continue": "No"}, [
        X("conditionvar", children=[_varequal(a) for a in fill_in_answers(q.answers)]),
        _score()]))
    return item


def _essay() -> Item:
    """A reflection: free text that the course never scores (weighting 0; Moodle still
    gives the essay a mark of 1 in the quiz: the import guide says what to do)."""
    return Item(ESSAY, X("response_str", {"ident": RESPONSE, "rcardinality": "Single"},
                                   [X("render_fib", {"rows": "6"}, [
                                       X("response_label", {"ident": "answer1"})])]),
                metadata=[("qmd_scoringpermitted", "Yes"), ("qmd_computerscored", "No")])


@dataclass(frozen=True)
class Wording:
    """The few words of the package's language that QTI needs."""

    true: str
    false: str
    model_answer: str  # heads a reflection's model answer in its feedback


def _unit(q: Question, kind: type[T]) -> T:
    assert isinstance(q.unit, kind), (q.type, kind)
    return q.unit


# The types the profile has: type name -> writer. A type not here stays in the page.
WRITERS: dict[str, Callable[[Question, Markup, Wording], Item]] = {
    "single": lambda q, m, w: _single(_unit(q, ChoiceQuestion), m),
    "multiple": lambda q, m, w: _multiple(_unit(q, ChoiceQuestion), m),
    "true-false": lambda q, m, w: _true_false(_unit(q, TrueFalse), m, (w.true, w.false)),
    "fill-in": lambda q, m, w: _fill_in(_unit(q, FillIn), m),
    "reflection": lambda q, m, w: _essay(),
}


def in_profile(q: Question) -> bool:
    """Whether a question has a form in CC's QTI profile (else it stays in the page)."""
    return q.type in WRITERS


@dataclass(frozen=True)
class Split:
    """A quiz's questions: those in the assessment, those left in the page."""

    in_qti: tuple[Question, ...]
    in_page: tuple[Question, ...]


def split(quiz: Quiz) -> Split:
    return Split(tuple(q for q in quiz.questions if in_profile(q)),
                 tuple(q for q in quiz.questions if not in_profile(q)))


def _general_feedback(q: Question, m: Markup, w: Wording) -> str:
    parts = []
    if isinstance(q.unit, Reflection) and q.unit.model_answer:
        parts.append(f"<p><strong>{xml_text(_escape(w.model_answer))}</strong></p>"
                     f"{m.block(q.unit.model_answer)}")
    if q.explanation:
        parts.append(m.block(q.explanation))
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def item(q: Question, ident: str, m: Markup, w: Wording) -> X:
    """One question as a QTI item of the profile."""
    parts = WRITERS[q.type](q, m, w)
    general = _general_feedback(q, m, w)
    weighting = str(min(q.points, 1000) if q.scored else 0)
    meta = [field_("cc_profile", parts.profile), field_("cc_weighting", weighting)]
    meta += [field_(label, entry) for label, entry in parts.metadata]
    conditions = parts.conditions
    feedback = dict(parts.feedback)
    if general:
        conditions = [X("respcondition", {"continue": "Yes"}, [
            X("conditionvar", children=[X("other")]), _show(GENERAL_FB)]), *conditions]
        feedback = {GENERAL_FB: general, **feedback}
    if parts.profile == ESSAY and not general:
        conditions = []
    kids = [X("itemmetadata", children=[X("qtimetadata", children=meta)]),
            X("presentation", children=[mattext(m.block(q.prompt)),
                                        *([parts.response] if parts.response else [])])]
    kids.append(X("resprocessing", children=[
        X("outcomes", children=[X("decvar", {"varname": "SCORE", "vartype": "Decimal",
                                             "minvalue": "0", "maxvalue": "100"})]),
        *conditions]))
    kids += [X("itemfeedback", {"ident": ident_}, [
        X("flow_mat", children=[mattext(html_text)])]) for ident_, html_text in feedback.items()]
    return X("item", {"ident": ident, "title": xml_text(plain_text(q.prompt, 100))}, kids)


def assessment(quiz: Quiz, questions: Iterable[Question], ident: str, m: Markup,
               w: Wording) -> str:
    """The assessment's XML document (questions: those of the quiz in the profile)."""
    items = [item(q, f"{ident}.{_ident(q.id)}", m, w) for q in questions]
    meta = [field_("cc_profile", "cc.exam.v0p1"), field_("qmd_assessmenttype", "Examination"),
            field_("qmd_scoretype", "Percentage"), field_("qmd_feedbackpermitted", "Yes"),
            field_("qmd_hintspermitted", "No"), field_("qmd_solutionspermitted", "Yes"),
            field_("cc_maxattempts", "unlimited")]
    root = X("questestinterop", {
        "xmlns": NS_QTI, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": f"{NS_QTI} http://www.imsglobal.org/profile/cc/ccv1p1/"
                              f"ccv1p1_qtiasiv1p2p1_v1p0.xsd"}, [
        X("assessment", {"ident": ident, "title": xml_text(quiz.title)}, [
            X("qtimetadata", children=meta),
            X("section", {"ident": f"{ident}.section"}, items)])])
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + root.render() + "\n"


def _ident(question_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", question_id)
