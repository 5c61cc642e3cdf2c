"""IMS Common Cartridge 1.1 (`--format imscc`): cartridges made from the built mini site.

Checked here: the manifest and every assessment against the official CC 1.1 and QTI
profile XSDs, the organisation, our question types mapped onto the profile's (and those it
lacks left in the page, their keys only), hostile quiz text escaped, reproducible zips and
stable identifiers, and `mooc validate` accepting a cartridge and naming what is wrong
with a damaged one. The real Moodle's import of a cartridge: tests/lms/.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from builder.common.strings import load_strings
from builder.errors import ExportError
from builder.export import base, get_exporter
from builder.export.imscc import note
from builder.export.imscc_qti import Markup, fill_in_answers
from builder.export.validate import validate_package
from builder.model import Project
from builder.pipeline import Settings, load_checked

from .browser.test_quiz_browser import HOSTILE
from .conftest import FIXTURES, ROOT

ENTRY = "builder.export.imscc:CommonCartridgeExporter"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


@pytest.fixture(scope="module", autouse=True)
def imscc_format() -> Iterator[None]:
    """The format as pyproject.toml declares it, for a venv installed before it was
    (`test_the_format_is_declared` checks the declaration itself)."""
    eps = dict(base._entry_points())
    eps.setdefault("imscc", metadata.EntryPoint("imscc", ENTRY, base.GROUP))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(base, "_entry_points", lambda: eps)
        base.exporter_class.cache_clear()
        yield
    base.exporter_class.cache_clear()


def build(src: Path) -> tuple[Project, Path]:
    site = src / "site"
    assert main(["build", "-f", str(src / "mkdocs.yml"), "-d", str(site)]) == 0
    project, _ = load_checked(Settings.at(src))
    return project, site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The mini course built by `mooc build` (which writes the cartridges too)."""
    src = tmp_path_factory.mktemp("src") / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    return build(src)


def export(built: tuple[Project, Path], out: Path, track: str | None = "basics") -> Path:
    project, site = built
    return get_exporter("imscc").export(project, "en", site, out, track)


def read(cartridge: Path, name: str) -> str:
    with zipfile.ZipFile(cartridge) as zf:
        return zf.read(name).decode("utf-8")


def rewrite(cartridge: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of a cartridge with some entries replaced (None: left out) or added."""
    with zipfile.ZipFile(cartridge) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename not in change:
                zout.writestr(info, zin.read(info))
        for name, data in change.items():
            if data is not None:
                zout.writestr(name, data)
    return target


def items(assessment: str) -> dict[str, ET.Element]:
    root = ET.fromstring(assessment)
    return {i.get("ident", "").rsplit(".", 1)[-1]: i for i in root.iter(f"{QTI}item")}


def profile(item: ET.Element) -> str:
    for f in item.iter(f"{QTI}qtimetadatafield"):
        if f.findtext(f"{QTI}fieldlabel") == "cc_profile":
            return f.findtext(f"{QTI}fieldentry") or ""
    return ""


def scored(item: ET.Element) -> list[str]:
    """What the condition that sets SCORE to 100 asks for: 'x' or 'not x' per choice."""
    for cond in item.iter(f"{QTI}respcondition"):
        if any(s.text == "100" for s in cond.iter(f"{QTI}setvar")):
            var = cond.find(f"{QTI}conditionvar")
            assert var is not None
            nots = {id(v) for n in var.iter(f"{QTI}not") for v in n.iter(f"{QTI}varequal")}
            return [("not " if id(v) in nots else "") + (v.text or "")
                    for v in var.iter(f"{QTI}varequal")]
    return []


def feedback(item: ET.Element) -> dict[str, str]:
    return {fb.get("ident", ""): "".join(t.text or "" for t in fb.iter(f"{QTI}mattext"))
            for fb in item.iter(f"{QTI}itemfeedback")}


# ---------------------------------------------------------------- the format

def test_the_format_is_declared() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["entry-points"]["mooc.exporters"]["imscc"] == ENTRY


def test_mooc_build_writes_a_cartridge_per_track_and_for_the_course(
        built: tuple[Project, Path]) -> None:
    _, site = built
    downloads = site / "downloads"
    assert sorted(p.name for p in downloads.glob("*.imscc")) == [
        "mini-en-all-cc11.imscc", "mini-en-basics-cc11.imscc"]
    rows = {r["file"]: r for r in json.loads((downloads / "packages.json").read_text("utf-8"))}
    row = rows["mini-en-basics-cc11.imscc"]
    # all-types: single, multiple, true-false, fill-in, reflection; inline: true-false
    assert (row["qti_questions"], row["page_questions"]) == (6, 2)
    assert row["title"] == ("A mini course: Basics (2 matching and ordering questions stay "
                            "in the pages as self-checks)")
    page = (downloads / "index.html").read_text(encoding="utf-8")
    assert '<a href="mini-en-basics-cc11.imscc" download>' in page
    assert "<td>IMS Common Cartridge 1.1</td>" in page


def test_a_cartridge_is_valid_against_the_official_xsds(built: tuple[Project, Path],
                                                        tmp_path: Path) -> None:
    for track in ("basics", None):
        found, problems = validate_package(export(built, tmp_path, track))
        assert (found, problems) == ("imscc", [])


def test_one_folder_per_track_modules_in_order_each_quiz_after_its_page(
        built: tuple[Project, Path], tmp_path: Path) -> None:
    cartridge = export(built, tmp_path)
    root = ET.fromstring(read(cartridge, "imsmanifest.xml"))
    org = root.find(f"{CP}organizations/{CP}organization")
    assert org is not None and org.get("structure") == "rooted-hierarchy"
    (top,) = org.findall(f"{CP}item")
    # the home page (the site's track cards) is not in a cartridge: one folder, the track's
    (folder,) = top.findall(f"{CP}item")
    assert folder.findtext(f"{CP}title") == "Basics" and folder.get("identifierref") is None
    assert [(i.findtext(f"{CP}title"), i.get("identifierref")) for i in folder] [1:] == [
        ("First module", "page.en.basics.first"),
        ("Quiz: Every type", "quiz.en.basics.all-types"),
        ("Second module", "page.en.basics.second"),
        ("Quiz: Inline quiz", "quiz.en.basics.inline")]
    resources = {r.get("identifier"): r for r in root.iter(f"{CP}resource")}
    quiz = resources["quiz.en.basics.all-types"]
    assert quiz.get("type") == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
    assert [f.get("href") for f in quiz.iter(f"{CP}file")] == ["qti/basics/all-types.xml"]
    page = resources["page.en.basics.first"]
    assert (page.get("type"), page.get("href")) == ("webcontent", "basics/first.html")
    assert [d.get("identifierref") for d in page.iter(f"{CP}dependency")] == ["assets.mini.en"]
    shared = {f.get("href") for f in resources["assets.mini.en"].iter(f"{CP}file")}
    assert "assets/mooc/mooc.css" in shared and "assets/mooc/questions.js" in shared
    lom = "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}"
    general = root.find(f"{CP}metadata/{lom}lom/{lom}general")
    assert general is not None
    assert general.findtext(f"{lom}title/{lom}string") == "A mini course: Basics"
    assert general.findtext(f"{lom}language") == "en"


def test_each_type_has_its_form_in_the_profile(built: tuple[Project, Path],
                                               tmp_path: Path) -> None:
    found = items(read(export(built, tmp_path), "qti/basics/all-types.xml"))
    assert {k: profile(v) for k, v in found.items()} == {
        "capital": "cc.multiple_choice.v0p1", "colours": "cc.multiple_response.v0p1",
        "sky": "cc.true_false.v0p1", "balint": "cc.fib.v0p1", "think": "cc.essay.v0p1"}
    assert scored(found["capital"]) == ["c0"]
    assert scored(found["colours"]) == ["c0", "c1", "not c2"]
    assert scored(found["sky"]) == ["false"]
    assert scored(found["balint"]) == ["Balint"]
    assert scored(found["think"]) == []  # a reflection is never scored
    assert feedback(found["capital"]) == {"c0_fb": "<p>Yes, Brussels.</p>",
                                          "c1_fb": "<p>Namur is the capital of Wallonia.</p>",
                                          "c2_fb": "<p>Lille is in France.</p>"}
    assert feedback(found["sky"]) == {"true_fb": "<p>Look again.</p>",
                                      "false_fb": "<p>Right: it is usually blue.</p>"}
    assert feedback(found["think"]) == {"general_fb": "<p><strong>A possible answer</strong></p>"
                                                      "<p>Anything you noticed is fine.</p>"}
    weights = {k: [f.findtext(f"{QTI}fieldentry") for f in v.iter(f"{QTI}qtimetadatafield")
                   if f.findtext(f"{QTI}fieldlabel") == "cc_weighting"]
               for k, v in found.items()}
    assert weights == {"capital": ["1"], "colours": ["1"], "sky": ["1"], "balint": ["1"],
                       "think": ["0"]}
    prompt = found["capital"].find(f"{QTI}presentation/{QTI}material/{QTI}mattext")
    assert prompt is not None and prompt.get("texttype") == "text/html"
    assert prompt.text == "<p>Which city is the capital of <em>Belgium</em>?</p>"


def test_a_fill_in_accepts_its_answers_and_their_folded_forms() -> None:
    assert fill_in_answers(["Médiateur", " médiateur ", "pair  aidance"]) == [
        "Médiateur", "mediateur", "pair  aidance", "pair aidance"]


def test_quiz_text_keeps_a_relative_url_only_for_a_file_of_the_cartridge() -> None:
    m = Markup("basics/first.html", "qti/basics/q.xml", frozenset({"img/x.png"}))
    assert not m.uses_files
    out = m.inline("![A picture](../img/x.png), ![gone](../img/y.png), "
                   "[elsewhere](second.html) and [out](https://example.org)")
    assert out == ('<img alt="A picture" src="$IMS-CC-FILEBASE$/../../img/x.png">, '
                   "<span>gone</span>, <span>elsewhere</span> and "
                   '<a href="https://example.org" rel="noopener noreferrer">out</a>')
    assert m.uses_files


def test_a_page_keeps_only_the_questions_the_profile_lacks(built: tuple[Project, Path],
                                                           tmp_path: Path) -> None:
    cartridge = export(built, tmp_path)
    first = read(cartridge, "basics/first.html")
    section = re.search(r'<section class="mooc-quiz".*?</section>', first, re.S)
    assert section is not None
    quiz = section.group(0)
    assert re.findall(r'data-question="([^"]+)"', quiz) == ["steps", "pairs"]
    assert re.findall(r'class="mooc-q__number">([^<]+)<', quiz) == ["Question 1", "Question 2"]
    key = re.search(r'class="mooc-quiz__key">(.*?)</script>', quiz, re.S)
    assert key is not None
    assert [q["id"] for q in json.loads(key.group(1))["questions"]] == ["steps", "pairs"]
    assert "Self-check: the platform's quiz, “Every type”, has the other questions" in quiz
    # the keys of the questions in the assessment stay on the server
    assert "Brussels" not in first and "Balint" not in first and "balint" not in first
    # a quiz wholly in the assessment is a note where it was
    second = read(cartridge, "basics/second.html")
    assert 'class="mooc-quiz"' not in second
    assert ("This module's quiz, “Inline quiz”, is a quiz of the course on your learning "
            "platform, after this page.") in second
    assert "Text after the quiz." in second
    # no site navigation, no link to another page (each page is an item of its own)
    assert 'class="md-sidebar' not in first and 'class="md-footer"' not in first
    assert 'href="second.html' not in first and "the second module" in first
    assert "scorm" not in first.lower()


def test_cartridges_are_reproducible_and_keep_their_identifiers(
        built: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one = export(built, tmp_path / "one").read_bytes()
    two = export(built, tmp_path / "two").read_bytes()
    assert one == two
    whole = ET.fromstring(read(export(built, tmp_path / "all", None), "imsmanifest.xml"))
    track = ET.fromstring(read(export(built, tmp_path / "one"), "imsmanifest.xml"))

    def ids(root: ET.Element) -> set[str]:
        return {r.get("identifier", "") for r in root.iter(f"{CP}resource")}

    assert ids(track) == ids(whole)  # a module is the same resource in both
    assert track.get("identifier") == "cc.mini.en.basics"
    assert whole.get("identifier") == "cc.mini.en.all"


def test_mooc_export_names_each_question_left_in_a_page(
        built: tuple[Project, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-f", str(built[1].parent / "mkdocs.yml"), "--format", "imscc",
                 "--track", "basics", "-o", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    quiz = FIXTURES / "mini/quizzes/en/basics/all-types.yml"
    lines = quiz.read_text(encoding="utf-8").splitlines()
    at = {q: lines.index(f"  - id: {q}") + 1 for q in ("steps", "pairs")}
    assert [re.sub(r"^.*?(?=quizzes/)", "", line) for line in err.splitlines()
            if "Common Cartridge" in line] == [  # not the check's own warnings
        f"quizzes/en/basics/all-types.yml:{at['steps']}: warning: ordering question 'steps': a "
        "self-check in its page in the Common Cartridge, not in the LMS's quiz (CC's QTI "
        "profile has no ordering question)",
        f"quizzes/en/basics/all-types.yml:{at['pairs']}: warning: matching question 'pairs': a "
        "self-check in its page in the Common Cartridge, not in the LMS's quiz (CC's QTI "
        "profile has no matching question)"]
    assert "6 questions in LMS quizzes  2 left in pages as self-checks" in out
    assert out.rstrip().endswith("(2 matching and ordering questions stay in the pages as "
                                 "self-checks)")


def test_a_cartridge_has_one_layout(built: tuple[Project, Path], tmp_path: Path) -> None:
    project, site = built
    with pytest.raises(ExportError, match="one layout"):
        get_exporter("imscc", layout="module").export(project, "en", site, tmp_path, "basics")


def test_the_note_names_the_types_left_in_the_pages() -> None:
    left = ["ordering", "matching", "matching", "scenario"]
    assert note(left, load_strings("en")) == ("4 matching, ordering and scenario questions "
                                              "stay in the pages as self-checks")
    assert note(left[:2], load_strings("fr")) == ("2 questions d’appariement et de mise en "
                                                  "ordre restent dans les pages en "
                                                  "auto-évaluation")
    assert note([], load_strings("en")) == ""
    # a language the builder has no strings for: the course's own (course/strings/qps.yaml)
    qps = load_strings("qps", {"cc_note": "⟦{n} ⟦{types}⟧⟧", "cc_and": " ⟦áñđ⟧ ",
                               "cc_type_ordering": "⟦óŕđéŕíñĝ⟧"})
    assert note(left[:2], qps) == "⟦2 ⟦matching ⟦áñđ⟧ ⟦óŕđéŕíñĝ⟧⟧⟧"


# ---------------------------------------------------------------- hostile text

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(tag)
        self.found += [f"{tag}@{k}={v}" for k, v in attrs
                       if k.startswith("on") or "javascript:" in (v or "")]


def test_hostile_quiz_text_is_text_in_every_file(tmp_path: Path) -> None:
    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    (src / "quizzes/en/basics/evil.yml").write_text(
        yaml.safe_dump(HOSTILE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    second = src / "course/en/basics/second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\n::: quiz basics/evil\n",
                      encoding="utf-8")
    cartridge = export(build(src), tmp_path / "out")
    assert validate_package(cartridge) == ("imscc", [])
    assessment = read(cartridge, "qti/basics/evil.xml")
    root = ET.fromstring(assessment)  # well-formed
    quiz = root.find(f"{QTI}assessment")
    assert quiz is not None and quiz.get("title") == HOSTILE["title"]
    texts = [t.text or "" for t in root.iter(f"{QTI}mattext")]
    assert any("&lt;script&gt;window.pwned1" in t for t in texts)  # shown, as text
    for text in texts:  # the HTML each LMS is handed: markup we made, nothing of the quiz
        parser = _Tags()
        parser.feed(text)
        assert set(parser.found) <= {"p", "em", "strong", "b", "a"}, (text, parser.found)
    links = re.findall(r'href="([^"]*)"', "".join(texts))
    assert all(not link.lower().startswith("javascript") for link in links), links
    manifest = read(cartridge, "imsmanifest.xml")
    assert "Quiz: Evil &lt;script&gt;window.pwnedTitle = 1&lt;/script&gt;" in manifest
    page = read(cartridge, "basics/second.html")
    assert "<script>window.pwned" not in page and "onerror=" not in html.unescape(
        page).replace('onerror="window.pwned', "")  # the widget's text, escaped by the site


# ---------------------------------------------------------------- mooc validate

@pytest.mark.parametrize(("damage", "message"), [
    ("missing", "file 'qti/basics/all-types.xml' is not in the zip"),
    ("xsd", "XSD: /questestinterop/assessment/section/item[1]/presentation/response_lid: "
            "attribute rcardinality='One'"),
    ("profile", "question 'quiz.en.basics.all-types.capital': cc_profile "
                "'cc.ordering.v0p1' is not a question type of the CC profile"),
    ("key", "question 'quiz.en.basics.all-types.capital': its scoring names choices it "
            "does not have: c9"),
    ("ref", "item 'item.en.basics.basics.first': identifierref 'page.en.gone' names no "
            "resource"),
    ("doctype", "the assessment declares a DOCTYPE or entities (refused)"),
])
def test_validate_names_what_is_wrong_with_a_damaged_cartridge(
        built: tuple[Project, Path], tmp_path: Path, damage: str, message: str) -> None:
    good = export(built, tmp_path)
    qti = read(good, "qti/basics/all-types.xml")
    manifest = read(good, "imsmanifest.xml")
    changes: dict[str, dict[str, bytes | None]] = {
        "missing": {"qti/basics/all-types.xml": None},
        "xsd": {"qti/basics/all-types.xml": qti.replace('rcardinality="Single"',
                                                        'rcardinality="One"', 1).encode()},
        "profile": {"qti/basics/all-types.xml": qti.replace(
            "cc.multiple_choice.v0p1", "cc.ordering.v0p1", 1).encode()},
        "key": {"qti/basics/all-types.xml": qti.replace(
            '<varequal respident="response1">c0</varequal>',
            '<varequal respident="response1">c9</varequal>', 1).encode()},
        "ref": {"imsmanifest.xml": manifest.replace(
            'identifierref="page.en.basics.first"', 'identifierref="page.en.gone"').encode()},
        "doctype": {"qti/basics/all-types.xml": qti.replace(
            "<questestinterop", '<!DOCTYPE x [<!ENTITY e "boom">]>\n<questestinterop',
            1).encode()},
    }
    found, problems = validate_package(rewrite(good, tmp_path / "bad.imscc", changes[damage]))
    assert found == "imscc"
    errors = [f"{p.message}" for p in problems if p.severity == "error"]
    assert any(message in e for e in errors), errors
    assert main(["validate", str(tmp_path / "bad.imscc")]) == 1


def test_validate_refuses_a_hostile_zip_and_names_another_cc_version(
        built: tuple[Project, Path], tmp_path: Path) -> None:
    good = export(built, tmp_path)
    found, problems = validate_package(rewrite(good, tmp_path / "evil.imscc",
                                               {"../evil.html": b"<p>out</p>"}))
    assert found is None and "'..' in a path" in problems[0].message
    manifest = read(good, "imsmanifest.xml").replace("imsccv1p1/imscp_v1p1",
                                                     "imsccv1p3/imscp_v1p1")
    found, problems = validate_package(rewrite(good, tmp_path / "v13.imscc",
                                               {"imsmanifest.xml": manifest.encode()}))
    assert found is None
    assert any("a Common Cartridge 1.3: mooc validate checks version 1.1" in p.message
               for p in problems), problems
