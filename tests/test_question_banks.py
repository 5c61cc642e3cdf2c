"""Question banks (issue 16): Moodle XML and GIFT files of a track or of the whole course.

Checked here: the files of the mini course (goldens a reviewer can read, and how each of
our types and grades is written), the same questions read back by our GIFT reader (the
way Moodle's import reads them), hostile quiz text escaped in both, reproducible files,
what GIFT leaves out said at each question's line, `mooc validate` accepting ours and
refusing broken ones, and the real course's files. Moodle itself imports them in
tests/lms/test_question_banks.py (`make test-lms`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from builder.common.safe_markdown import SafeMarkdown
from builder.errors import Problem
from builder.export import GROUP, base, get_exporter
from builder.export.base import Package
from builder.export.downloads import export_packages, write_page
from builder.export.gift import GiftExporter, escape, read
from builder.export.moodle_xml import MoodleXmlExporter, check, read_xml
from builder.export.qbank import (
    Bank,
    BankQuestion,
    Category,
    accepted_answers,
    clean,
    shortanswer_text,
)
from builder.export.validate import validate_package
from builder.loaders import quiz_from_text
from builder.model import Project, Quiz
from builder.pipeline import Settings, load_checked
from builder.render import load_strings

from .browser.test_quiz_browser import HOSTILE
from .conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).parent / "golden"
FORMATS = ["moodle-xml", "gift"]
ENTRY_POINTS = {"moodle-xml": "builder.export.moodle_xml:MoodleXmlExporter",
                "gift": "builder.export.gift:GiftExporter"}
MD = SafeMarkdown()


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both formats on the registry, as pyproject.toml declares them, even in a venv whose
    metadata predates them (nothing changes once it is reinstalled)."""
    found = dict(base._entry_points())
    for name, value in ENTRY_POINTS.items():
        found.setdefault(name, metadata.EntryPoint(name, value, GROUP))
    monkeypatch.setattr(base, "_entry_points", lambda: found)


@pytest.fixture(scope="module")
def mini() -> Project:
    return load_checked(Settings.at(FIXTURES / "mini"))[0]


def export(project: Project, fmt: str, out: Path, track: str | None = None,
           lang: str = "en") -> Package:
    return get_exporter(fmt).package(project, lang, out / "no-site", out, track)


def quiz(text: str) -> Quiz:
    problems: list[Problem] = []
    made = quiz_from_text(text, "q.yml", "t/q", "en", 70, problems)
    assert made is not None and not [p for p in problems if p.severity == "error"], problems
    return made


def bank_of(q: Quiz) -> Bank:
    questions = tuple(BankQuestion(q, x, f"{q.id}/{x.id}", x.id) for x in q.questions)
    return Bank("c", "en", "all", "C", (Category(("C (en)", "T", "M"), "", questions),))


# ---------------------------------------------------------------- the mini course's files

@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_mini_course(mini: Project, tmp_path: Path, fmt: str,
                            update_golden: bool) -> None:
    made = export(mini, fmt, tmp_path).path
    golden = GOLDEN / made.name
    if update_golden:
        shutil.copyfile(made, golden)
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden"
    assert made.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8"), (
        "the file changed: review, then run pytest --update-golden")


def test_moodle_xml_writes_each_type_as_its_moodle_type(mini: Project, tmp_path: Path) -> None:
    package = export(mini, "moodle-xml", tmp_path)
    assert dict(package.facts) == {"questions": 8, "left_out": 0} and not package.left_out
    read_back = read_xml(package.path.read_bytes())
    assert not isinstance(read_back, str)
    root = read_back.root
    assert [c.findtext("category/text") for c in root.findall("question[@type='category']")] \
        == ["$course$/top/A mini course (en)", "$course$/top/A mini course (en)/Basics",
            "$course$/top/A mini course (en)/Basics/First module",
            "$course$/top/A mini course (en)/Basics/Second module"]
    qs = {q.findtext("idnumber"): q for q in root.findall("question") if q.get("type") !=
          "category"}
    assert [(i, q.get("type")) for i, q in qs.items()] == [
        ("basics/all-types/capital", "multichoice"), ("basics/all-types/colours", "multichoice"),
        ("basics/all-types/sky", "truefalse"), ("basics/all-types/balint", "shortanswer"),
        ("basics/all-types/steps", "ordering"), ("basics/all-types/pairs", "matching"),
        ("basics/all-types/think", "essay"), ("basics/inline/q1", "truefalse")]

    def fractions(idnumber: str) -> list[str]:
        return [a.get("fraction", "") for a in qs[idnumber].findall("answer")]

    # single: one answer; multiple: 100/k each correct choice, -100 each wrong one
    assert qs["basics/all-types/capital"].findtext("single") == "true"
    assert fractions("basics/all-types/capital") == ["100", "0", "0"]
    assert qs["basics/all-types/colours"].findtext("single") == "false"
    assert fractions("basics/all-types/colours") == ["50", "50", "-100"]
    assert qs["basics/all-types/capital"].findtext("answer/feedback/text") == \
        "<p>Yes, Brussels.</p>"
    assert qs["basics/all-types/capital"].findtext("questiontext/text") == \
        "<p>Which city is the capital of <em>Belgium</em>?</p>"
    sky = qs["basics/all-types/sky"]
    assert [(a.findtext("text"), a.get("fraction"), a.findtext("feedback/text")) for a in
            sky.findall("answer")] == [("true", "0", "<p>Look again.</p>"),
                                       ("false", "100", "<p>Right: it is usually blue.</p>")]
    balint = qs["basics/all-types/balint"]
    assert balint.findtext("usecase") == "0" and fractions("basics/all-types/balint") == ["100"]
    steps = qs["basics/all-types/steps"]
    assert steps.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert [a.findtext("text") for a in steps.findall("answer")] == ["One", "Two", "Three",
                                                                      "Four"]
    pairs = qs["basics/all-types/pairs"]
    assert [(s.findtext("text"), s.findtext("answer/text")) for s in
            pairs.findall("subquestion")] == [("Bonjour", "French"), ("Hallo", "German"),
                                              ("Hola", "Spanish")]
    think = qs["basics/all-types/think"]
    assert think.findtext("defaultgrade") == "0"  # never scored, as ours
    assert think.findtext("generalfeedback/text") == "<p>Anything you noticed is fine.</p>"
    assert {q.findtext("penalty") for q in qs.values()} == {"0"}
    assert check(read_back, "f") == []


def test_points_are_the_default_mark_and_feedback_goes_along() -> None:
    q = quiz("""title: Q
questions:
  - {id: two, type: true-false, prompt: Sure?, answer: true, points: 3,
     explanation: "Because *so*."}
""")
    text, left_out, count = MoodleXmlExporter().write(bank_of(q))
    assert count == 1 and not left_out
    assert "<defaultgrade>3</defaultgrade>" in text
    assert "<generalfeedback format=\"html\">\n            <text><![CDATA[<p>Because " \
           "<em>so</em>.</p>]]></text>" in text
    gift, notes, _ = GiftExporter().write(bank_of(q))
    assert [n.message for n in notes] == [
        "worth 3 points here, 1 in GIFT (which has no marks): set its mark in the Moodle "
        "quiz, or import the Moodle XML file"]
    assert (notes[0].path, notes[0].line) == ("q.yml", 3)
    assert "####<p>Because <em>so</em>.</p>" in gift


def test_gift_reads_back_as_the_quiz_it_was_made_from(mini: Project, tmp_path: Path) -> None:
    package = export(mini, "gift", tmp_path)
    items, problems = read(package.path.read_text(encoding="utf-8"))
    assert problems == []
    questions = [i for i in items if i.qtype != "category"]
    assert dict(package.facts) == {"questions": 7, "left_out": 1}
    assert package.note == "questions left out: 1"
    ed = mini.editions["en"]
    expected = [(f"{qz}/{q.id}", q) for qz in ("basics/all-types", "basics/inline")
                for q in ed.quizzes[qz].questions if q.type != "ordering"]
    assert [i.idnumber for i in questions] == [i for i, _ in expected]
    for item, (_, q) in zip(questions, expected, strict=True):
        assert item.text == MD.block(q.prompt) and item.text_format == "html"
        assert item.qtype == {"single": "multichoice", "multiple": "multichoice",
                              "true-false": "truefalse", "fill-in": "shortanswer",
                              "matching": "match", "reflection": "essay"}[q.type]
    capital, colours, sky, balint, pairs, think, inline = questions
    assert capital.single and [(a.text, a.fraction, a.feedback) for a in capital.answers] == [
        ("Brussels", 1.0, "<p>Yes, Brussels.</p>"),
        ("Namur", 0.0, "<p>Namur is the capital of Wallonia.</p>"),
        ("Lille", 0.0, "<p>Lille is in France.</p>")]
    assert not colours.single and [a.fraction for a in colours.answers] == [0.5, 0.5, -1.0]
    assert not sky.truth and (sky.feedback_true, sky.feedback_false) == (
        "<p>Look again.</p>", "<p>Right: it is usually blue.</p>")
    assert [(a.text, a.fraction) for a in balint.answers] == [("Balint", 1.0)]
    assert pairs.pairs == [("Bonjour", "French"), ("Hallo", "German"), ("Hola", "Spanish")]
    assert think.general == "<p>Anything you noticed is fine.</p>" and inline.truth
    # what GIFT leaves out or changes, at the question's line
    assert [(p.line, p.severity, p.message.split(":")[0]) for p in package.left_out] == [
        (31, "warning", "left out of the GIFT file"),
        (42, "warning", "not scored here, but an essay worth 1 point in GIFT (which has no "
                        "marks)")]
    assert "// left out: basics/all-types/steps (GIFT has no 'ordering' questions)" in \
        package.path.read_text(encoding="utf-8")


def test_fill_in_answers_for_moodle() -> None:
    """Moodle compares without case but with accents: each answer also without them."""
    assert accepted_answers(("Écoute  active", " café ", "CAFE", "Balint", "petit à petit")) == [
        "Écoute active", "ecoute active", "café", "cafe", "Balint", "petit à petit",
        "petit a petit"]
    assert shortanswer_text("5*2") == "5\\*2"  # Moodle's wildcard, made a plain star


def test_eleven_correct_choices_are_left_out_with_the_reason() -> None:
    choices = ", ".join(f"{{text: c{i}, correct: true}}" for i in range(11))
    q = quiz(f"title: Q\nquestions:\n  - {{type: multiple, prompt: All, choices: [{choices}, "
             "{text: none}]}\n")
    for exporter in (MoodleXmlExporter(), GiftExporter()):
        text, left_out, count = exporter.write(bank_of(q))
        assert count == 0
        assert [p.message.split(": ", 1)[1] for p in left_out] == [
            "11 correct choices: Moodle's grades give each a share for 10 at most"]
        assert "left out: t/q/q1" in text


# ---------------------------------------------------------------- hostile text

EXTRA = {
    "title": "GIFT and XML specials",
    "questions": [
        {"id": "g1", "type": "single",
         "prompt": "::fake:: name {=wrong} ~x #y $CATEGORY: z \\ \\n ]]> <![CDATA[ x ]]>\n\n"
                   "// not a comment\n\nlast \x01 \x0b",
         "choices": [{"text": "%50%half {=}", "correct": True, "feedback": "#### not general ]]>"},
                     {"text": "[html]<b>x</b>", "feedback": "[markdown]*x*"},
                     {"text": "\u2028line -> arrow", "feedback": "-- end -"}],
         "explanation": "general ####"},
        {"id": "g2", "type": "fill-in", "prompt": "Type", "answers": ["a*b", "[html]x",
                                                                     "é {=} ~ #"]},
        {"id": "g3", "type": "matching", "prompt": "M",
         "pairs": [{"left": "a -> b", "right": "c -> d"}, {"left": "=x", "right": "~y }"}]},
        {"id": "g4", "type": "true-false", "prompt": "T", "answer": False,
         "feedback": {"true": "#", "false": "####"}},
        {"id": "g5", "type": "multiple", "prompt": "Which?",
         "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True},
                     {"text": "c", "correct": True}, {"text": "d"}]},
        {"id": "g6", "type": "reflection", "prompt": "R {}", "explanation": "e",
         "model_answer": "m {} ####"},
        {"id": "g7", "type": "fill-in", "prompt": "Arrow", "answers": ["x -> y"]},
    ],
}
# what quiz text may become in an HTML field: the safe renderer's tags, no attribute but these
SAFE_TAGS = {"p", "em", "strong", "a", "code", "pre", "ul", "ol", "li", "br", "blockquote",
             "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
SAFE_ATTRS = {"href", "title", "rel"}


def assert_safe_html(text: str) -> None:
    for m in re.finditer(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>", text):
        assert m.group(2).lower() in SAFE_TAGS, f"markup made from quiz text: {m.group(0)}"
        attrs = set(re.findall(r"([A-Za-z-]+)\s*=", m.group(3)))
        assert attrs <= SAFE_ATTRS, f"attribute made from quiz text: {m.group(0)}"
        assert "javascript:" not in m.group(3).lower()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("hostile") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    for name, data in (("evil", HOSTILE), ("gift", EXTRA)):
        (root / f"quizzes/en/basics/{name}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    second = root / "course/en/basics/second.md"
    text = second.read_text(encoding="utf-8").replace(
        "title: Second module", "title: \"Second / module <script>x</script> \\\\: {}\"")
    second.write_text(text + "\n::: quiz basics/evil\n\n::: quiz basics/gift\n",
                      encoding="utf-8")
    yield load_checked(Settings.at(root))[0]


def test_hostile_text_stays_text_in_moodle_xml(hostile: Project, tmp_path: Path) -> None:
    package = export(hostile, "moodle-xml", tmp_path)
    data = package.path.read_bytes()
    read_back = read_xml(data)
    assert not isinstance(read_back, str), read_back
    assert check(read_back, "f") == []
    questions = [q for q in read_back.root.findall("question") if q.get("type") != "category"]
    assert len(questions) == 8 + 6 + 7  # every question, none made from text
    for el in read_back.root.iter():
        if el.get("format") == "html":
            assert_safe_html(el.findtext("text") or "")
    g1 = next(q for q in questions if q.findtext("idnumber") == "basics/gift/g1")
    assert "\ufffd" in (g1.findtext("questiontext/text") or "")  # \x01: not in XML
    assert "]]&gt;" in (g1.findtext("questiontext/text") or "")
    arrow = next(q for q in questions if q.findtext("idnumber") == "basics/gift/g2")
    assert [a.findtext("text") for a in arrow.findall("answer")] == [
        "a\\*b", "[html]x", "é {=} ~ #", "e {=} ~ #"]
    cats = [c.findtext("category/text") for c in read_back.root.findall(
        "question[@type='category']")]
    assert "$course$/top/A mini course (en)/Basics/Second // module <script>x<//script> \\: {}" \
        in cats  # a '/' in a name doubled, as Moodle writes it


def test_hostile_text_stays_text_in_gift(hostile: Project, tmp_path: Path) -> None:
    package = export(hostile, "gift", tmp_path)
    text = package.path.read_text(encoding="utf-8")
    items, problems = read(text)
    assert problems == []
    questions = [i for i in items if i.qtype != "category"]
    by_id = {i.idnumber: i for i in questions}
    # every question but the orderings and the fill-in holding '->', each said at its line
    ed = hostile.editions["en"]
    made = [f"{qz}/{q.id}" for qz in ("basics/all-types", "basics/inline", "basics/evil",
                                      "basics/gift")
            for q in ed.quizzes[qz].questions if q.type != "ordering" and q.id != "g7"]
    assert [i.idnumber for i in questions] == made
    assert [p.message for p in package.left_out if "left out" in p.message] == [
        "left out of the GIFT file: GIFT has no 'ordering' questions"] * 2 + [
        "left out of the GIFT file: an accepted answer holds '->', which GIFT reads as a "
        "matching pair"]
    for item in questions:
        for html in (item.text, item.general, item.feedback_true, item.feedback_false,
                     *(a.text for a in item.answers if item.qtype == "multichoice"),
                     *(a.feedback for a in item.answers), *(left for left, _ in item.pairs)):
            assert_safe_html(html)
    g1 = by_id["basics/gift/g1"]
    quiz_g1 = ed.quizzes["basics/gift"].questions[0]
    assert g1.name == "g1: ::fake:: name {=wrong} ~x #y $CATEGORY: z \\ \\n ]]> <![CDATA[ x ]]> " \
        "// not a com…"  # 80 characters of its prompt
    assert g1.text == MD.block(clean(quiz_g1.prompt))  # \x01 and \x0b made U+FFFD
    assert [(a.text, a.fraction, a.feedback) for a in g1.answers] == [
        ("%50%half {=}", 1.0, "<h4>not general ]]&gt;</h4>"),
        ("&#91;html]&lt;b&gt;x&lt;/b&gt;", 0.0, "<p>[markdown]<em>x</em></p>"),
        ("line -&gt; arrow", 0.0, "<p>-- end -</p>")]  # Markdown drops the U+2028
    assert g1.general == "<p>general ####</p>"
    assert [a.text for a in by_id["basics/gift/g2"].answers] == [
        "a\\*b", "[html]x", "é {=} ~ #", "e {=} ~ #"]
    assert by_id["basics/gift/g3"].pairs == [("a -&gt; b", "c -> d"), ("=x", "~y }")]
    g4 = by_id["basics/gift/g4"]
    assert (g4.truth, g4.feedback_true, g4.feedback_false) == (False, MD.block("#"),
                                                               MD.block("####"))
    assert [a.fraction for a in by_id["basics/gift/g5"].answers] == pytest.approx(
        [0.3333333, 0.3333333, 0.3333333, -1.0])
    assert by_id["basics/gift/g6"].general == "<p>e</p><p>m {} ####</p>"
    assert "$CATEGORY: $course$/top/A mini course (en)/Basics/Second // module " \
           "<script>x<//script> \u2216: {}" in text


def test_gift_escapes_every_special_character() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    items, _ = read("::n::" + escape("x {} ~ = # : \\ end") + "{}\n")
    assert [(i.qtype, i.text) for i in items] == [("essay", "x {} ~ = # : \\ end")]


# ---------------------------------------------------------------- reproducible files

@pytest.mark.parametrize("fmt", FORMATS)
def test_files_are_byte_identical_across_exports(hostile: Project, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 fmt: str) -> None:
    made = []
    for n, epoch in enumerate(("1700000000", "1800000000")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        made.append(export(hostile, fmt, tmp_path / str(n), "basics").path.read_bytes())
    assert made[0] == made[1]


# ---------------------------------------------------------------- mooc validate

@pytest.mark.parametrize("fmt", FORMATS)
def test_validate_recognises_each_format(mini: Project, tmp_path: Path, fmt: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = export(mini, fmt, tmp_path).path
    assert validate_package(path) == (fmt, [])
    assert main(["validate", str(path)]) == 0
    label = {"moodle-xml": "Moodle XML", "gift": "GIFT"}[fmt]
    assert f"{path}: valid {label} package" in capsys.readouterr().out


QUESTION = """<question type="multichoice"><name><text>n</text></name>
<questiontext format="html"><text>q</text></questiontext>{}</question>"""
A100 = '<answer fraction="100"><text>a</text></answer>'
A0 = '<answer fraction="0"><text>b</text></answer>'


@pytest.mark.parametrize(("xml", "why"), [
    ('<?xml version="1.0"?><quiz><question type="multichoice">', "not well-formed XML"),
    ('<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "b">]><quiz>&a;</quiz>', "DOCTYPE"),
    ("<quiz></quiz>", "no question in the file"),
    ("<quiz><question><name><text>n</text></name></question></quiz>",
     "a question without its type"),
    (f"<quiz>{QUESTION.format(A100)}</quiz>", "fewer than two answers"),
    (f"<quiz>{QUESTION.format(A0 + A0)}</quiz>", "no answer is worth 100 %"),
    (f"<quiz>{QUESTION.format('<single>false</single>' + A100.replace('100', '50') + A0)}"
     "</quiz>", "do not add up to 100 %"),
    (f"<quiz>{QUESTION.format(A100 + A0.replace('0', '33'))}</quiz>",
     "grades Moodle does not take: 33.0 %"),
    (f"<quiz>{QUESTION.format(A100 + A0).replace('<text>n</text>', '<text></text>')}</quiz>",
     "no name"),
    (f"<quiz>{QUESTION.format(A100 + A0).replace('<text>q</text>', '<text> </text>')}</quiz>",
     "no question text"),
    (f"<quiz>{QUESTION.format(A100 + A0).replace('multichoice', 'truefalse')}</quiz>",
     "needs the answers 'true' and 'false'"),
    (f"<quiz>{QUESTION.format(A100 + A0).replace('multichoice', 'ordering')}</quiz>",
     "no <shownumcorrect> nor hints"),
    (f"<quiz>{QUESTION.format('<subquestion><text>x</text></subquestion>')}</quiz>"
     .replace("multichoice", "matching"), "fewer than two subquestions"),
    ("<quiz><question type=\"category\"><category><text></text></category></question></quiz>",
     "a category without its path"),
])
def test_validate_refuses_an_incomplete_moodle_xml_file(tmp_path: Path, xml: str,
                                                        why: str) -> None:
    path = tmp_path / "bank.xml"
    path.write_text(xml, encoding="utf-8")
    found, problems = validate_package(path)
    assert found == "moodle-xml"
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors and why in errors[0], errors


@pytest.mark.parametrize(("gift", "why"), [
    ("::q::Which? {=a ~b", "unmatched { or }"),
    ("::q::Which? {~%50%a ~%-100%b}", "do not add up to 100 %"),
    ("::q::Which? {=a ~%33%b}", "grades Moodle does not take: 33 %"),
    ("::q::Which? {=a}\n\n::r::{=b ~c}", "question 'r' (multichoice): no question text"),
    ("::q::Match {=a -> b}", "fewer than two pairs"),
    ("::q::Match {=a -> b =c}", "a matching pair without '->'"),
    ("$CATEGORY: x\n\n// only a comment", "no question in the file"),
])
def test_validate_refuses_an_incomplete_gift_file(tmp_path: Path, gift: str, why: str) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(gift, encoding="utf-8")
    found, problems = validate_package(path)
    assert found == "gift"
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors and why in errors[0], errors
    assert errors[0].startswith(f"{path}:")


def test_plain_text_is_no_gift_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a zip at all, nor a question", encoding="utf-8")
    found, problems = validate_package(path)
    assert found is None and "not a readable zip" in problems[0].message
    assert not GiftExporter.recognises_file(b"\xff\xfe not UTF-8")
    assert not MoodleXmlExporter.recognises_file(b"<?xml version='1.0'?><manifest/>")


def test_a_gift_description_is_a_warning() -> None:
    items, problems = read("::d:: Just some text\n\n::q::Q{T}")
    assert [i.qtype for i in items] == ["description", "truefalse"]
    assert [(p.line, p.severity) for p in problems] == [(1, "warning")]


# ---------------------------------------------------------------- commands and downloads

def test_export_says_what_gift_leaves_out_and_builds_no_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def no_site(*args: object) -> None:
        raise AssertionError("a question bank needs no site")

    monkeypatch.setattr("builder.plugin.MkdocsSite.build", no_site)
    assert main(["export", "--format", "gift", "--all", "-f",
                 str(FIXTURES / "mini/mkdocs.yml"), "-o", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini-en-all-gift.txt",
                                                          "mini-en-basics-gift.txt"]
    assert "7 questions  1 questions left out" in out
    # each once, though both files leave it out
    assert err.count("quizzes/en/basics/all-types.yml:31: warning: left out of the GIFT file: "
                     "GIFT has no 'ordering' questions") == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_downloads_page_lists_both_banks(mini: Project, tmp_path: Path, lang: str) -> None:
    infos = export_packages(mini, "en", tmp_path / "site", tmp_path, FORMATS)
    page = write_page(mini, lang, tmp_path / "site", tmp_path, infos, load_strings(lang))
    html = page.read_text(encoding="utf-8")
    assert '<a href="mini-en-basics-moodle.xml" download>' in html
    assert '<a href="mini-en-all-gift.txt" download>' in html
    assert "<td>Moodle XML</td>" in html and "<td>GIFT</td>" in html
    assert {"en": "to a Moodle question bank", "fr": "à une banque de questions Moodle"}[lang] \
        in html
    assert "A mini course: Basics (questions left out: 1)" in html  # the packages' language


# ---------------------------------------------------------------- the real course

@pytest.fixture(scope="module")
def real() -> Project:
    return load_checked(Settings.at(ROOT))[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_real_course_banks_are_valid_and_complete(real: Project, tmp_path: Path,
                                                      lang: str) -> None:
    ed = real.editions[lang]
    for fmt in FORMATS:
        for track in [*(t.id for t in real.course.tracks), None]:
            package = export(real, fmt, tmp_path, track, lang)
            assert validate_package(package.path) == (fmt, []), package.path
            modules = {m for t in real.course.tracks if track in (None, t.id)
                       for m in t.modules}
            questions = [q for m in modules for qz in ed.pages[m].quiz_ids
                         for q in ed.quizzes[qz].questions]
            orderings = sum(q.type == "ordering" for q in questions)
            # a scenario (branching) has no question in either format: always left out
            branching = sum(not getattr(q.unit, "PORTABLE", True) for q in questions)
            left = branching + (orderings if fmt == "gift" else 0)
            assert dict(package.facts) == {"questions": len(questions) - left,
                                           "left_out": left}

