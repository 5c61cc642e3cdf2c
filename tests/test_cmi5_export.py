"""cmi5 export: course packages made from the built mini course (with the learner overlay:
two tracks), checked against the cmi5 course structure XSD and by `mooc validate`.

Checked here: cmi5.xml's shape (one AU per module, blocks per track for the whole
course), moveOn and masteryScore from the completion rule and the pass mark, stable
identifiers, reproducible zips, hostile titles, the launch pages and the runtime's
settings, `mooc validate`'s cmi5 checks, and `mooc build`'s downloads. The runtime is
played in a browser in tests/browser/test_cmi5_runtime.py and by ADL's conformance test
suite in tests/cmi5/ (`make test-cmi5`).
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from builder.cli import main
from builder.export.cmi5 import NS, Cmi5Exporter, au_rules, iri
from builder.export.plan import plan_package
from builder.export.validate import SCHEMAS, validate_package
from builder.model import Project
from builder.pipeline import Settings, load_checked

from .conftest import declared_exporters, lay_learner_course
from .test_checks import edit
from .test_scorm_validate import make_zip

C = {"c": NS}


@pytest.fixture(scope="module", autouse=True)
def cmi5_installed() -> Iterator[None]:
    with declared_exporters():
        yield


def build(src: Path) -> tuple[Project, Path]:
    site = src.parent / "site"
    assert main(["build", "-f", str(src), "-d", str(site)]) == 0
    project, _ = load_checked(Settings.at(src.parent))
    return project, site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The mini course with a second track, built by `mooc build` (downloads too)."""
    return build(lay_learner_course(tmp_path_factory.mktemp("src") / "mini"))


def export(built: tuple[Project, Path], out: Path, track: str | None = None) -> Path:
    project, site = built
    return Cmi5Exporter().export(project, "en", site, out, track)


def structure(package: Path) -> ET.Element:
    with zipfile.ZipFile(package) as zf:
        return ET.fromstring(zf.read("cmi5.xml"))


def config(package: Path, launch: str) -> dict[str, object]:
    with zipfile.ZipFile(package) as zf:
        page = zf.read(launch).decode("utf-8")
    m = re.search(r'<script type="application/json" id="mooc-cmi5-config">(.*?)</script>',
                  page, re.S)
    assert m
    data = json.loads(m.group(1))
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------- cmi5.xml

@pytest.mark.parametrize("track", [None, "basics", "more"])
def test_course_structure_is_valid_against_the_xsd(built: tuple[Project, Path],
                                                    tmp_path: Path, track: str | None) -> None:
    package = export(built, tmp_path, track)
    found, problems = validate_package(package, SCHEMAS)
    assert found == "cmi5"
    assert [str(p) for p in problems] == []
    assert main(["validate", str(package)]) == 0


def test_one_au_per_module_in_a_block_per_track(built: tuple[Project, Path],
                                                tmp_path: Path) -> None:
    root = structure(export(built, tmp_path))
    assert root.tag == f"{{{NS}}}courseStructure"
    assert root.find("c:course", C).get("id") == "urn:mooc:mini:en:all"  # type: ignore[union-attr]
    blocks = root.findall("c:block", C)
    assert [b.get("id") for b in blocks] == ["urn:mooc:mini:en:all:basics",
                                             "urn:mooc:mini:en:all:more"]
    assert [[au.get("id") for au in b.findall("c:au", C)] for b in blocks] == [
        ["urn:mooc:mini:en:au:basics/first", "urn:mooc:mini:en:au:basics/second"],
        ["urn:mooc:mini:en:au:more/third"]]
    first = blocks[0].find("c:au", C)
    assert first is not None
    assert first.findtext("c:url", namespaces=C) == "launch-basics-first.html"
    assert first.findtext("c:title/c:langstring", namespaces=C) == "First module"
    assert first.find("c:title/c:langstring", C).get("lang") == "en"  # type: ignore[union-attr]
    # a track's package: its AUs, no block; the same AU ids as in the whole course
    track = structure(export(built, tmp_path / "t", "basics"))
    assert track.findall("c:block", C) == []
    assert [au.get("id") for au in track.findall("c:au", C)] == [
        "urn:mooc:mini:en:au:basics/first", "urn:mooc:mini:en:au:basics/second"]
    assert track.find("c:course", C).get("id") == "urn:mooc:mini:en:basics"  # type: ignore[union-attr]


def test_move_on_and_mastery_score_follow_the_completion_rule(
        built: tuple[Project, Path], tmp_path: Path) -> None:
    aus = {au.get("id", "").rsplit(":", 1)[1]: au
           for au in structure(export(built, tmp_path)).iter(f"{{{NS}}}au")}
    # basics/first: the all-types quiz (pass mark 70), completion rule "passed" (default)
    assert aus["basics/first"].get("moveOn") == "CompletedAndPassed"
    assert aus["basics/first"].get("masteryScore") == "0.7"
    # basics/second: its inline quiz, pass mark not set: the course's default (70)
    assert aus["basics/second"].get("moveOn") == "CompletedAndPassed"
    # more/third: no quiz: completed is all there is
    assert aus["more/third"].get("moveOn") == "Completed"
    assert aus["more/third"].get("masteryScore") is None


def test_the_rule_attempted_and_a_quizs_own_pass_mark(tmp_path: Path) -> None:
    src = lay_learner_course(tmp_path / "mini")
    root = src.parent
    edit(root, "course/course.yml", "pages: [index", "completion: {quiz: attempted}\npages: [index")
    edit(root, "quizzes/en/basics/all-types.yml", "pass_mark: 70", "pass_mark: 85")
    project, site = build(src)
    package = Cmi5Exporter().export(project, "en", site, tmp_path / "out", None)
    aus = {au.get("id", "").rsplit(":", 1)[1]: au for au in structure(package).iter(f"{{{NS}}}au")}
    assert aus["basics/first"].get("moveOn") == "Completed"
    assert aus["basics/first"].get("masteryScore") == "0.85"
    settings = config(package, "launch-basics-first.html")
    assert settings["masteryScore"] == 0.85 and settings["quizRule"] == "attempted"


def test_au_rules_take_the_highest_pass_mark_of_the_scored_quizzes(
        built: tuple[Project, Path]) -> None:
    project, site = built
    plan = plan_package(project, "en", site, None, "module")
    first = next(sco for sco in plan.scos if sco.key == "basics/first")
    quiz = first.quizzes[0]
    other = type(quiz)(**{**quiz.__dict__, "id": "x", "pass_mark": 90})
    unscored = type(quiz)(**{**quiz.__dict__, "id": "y", "pass_mark": 100, "max_points": 0})
    assert au_rules(plan, (quiz, other, unscored)) == ("CompletedAndPassed", Decimal("0.9"))
    assert au_rules(plan, (unscored,)) == ("Completed", None)


def test_exports_are_reproducible(built: tuple[Project, Path], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    one = export(built, tmp_path / "a").read_bytes()
    two = export(built, tmp_path / "b").read_bytes()
    assert one == two
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert export(built, tmp_path / "c").read_bytes() == export(built, tmp_path / "d").read_bytes()


def test_identifiers_are_urns_of_the_ids() -> None:
    assert iri("pat-mooc", "en", "au", "psw/intervision") == \
        "urn:mooc:pat-mooc:en:au:psw/intervision"
    assert iri("c", "fr", "quiz", "a b/é", "q?1") == "urn:mooc:c:fr:quiz:a%20b/%C3%A9:q%3F1"


def test_hostile_titles_are_escaped(tmp_path: Path) -> None:
    src = lay_learner_course(tmp_path / "mini")
    root = src.parent
    hostile = 'A <script>alert(1)</script> & \\"quotes\\" ]]> \\u0001end'  # YAML escapes
    edit(root, "course/en/basics/first.md", "title: First module", f'title: "{hostile}"')
    edit(root, "course/course.yml", "title: A mini course", 'title: "</title><x y=\'1\'>&amp;"')
    project, site = build(src)
    package = Cmi5Exporter().export(project, "en", site, tmp_path / "out", "basics")
    course = structure(package)  # well-formed, whatever the titles hold
    title = course.findtext("c:au/c:title/c:langstring", namespaces=C)
    assert title == 'A <script>alert(1)</script> & "quotes" ]]> end'  # control character gone
    assert course.findtext("c:course/c:title/c:langstring", namespaces=C) == \
        "</title><x y='1'>&amp;: Basics"
    with zipfile.ZipFile(package) as zf:
        launch = zf.read("launch-basics-first.html").decode("utf-8")
    assert "<script>alert" not in launch
    assert "<title>A &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in launch
    # the settings are JSON that cannot close their script element
    settings = launch.split('id="mooc-cmi5-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in settings and json.loads(settings)["pages"][0]["title"].startswith("A <")
    assert validate_package(package, SCHEMAS)[1] == []


# ---------------------------------------------------------------- launch pages, settings

def test_launch_pages_and_runtime_settings(built: tuple[Project, Path], tmp_path: Path) -> None:
    package = export(built, tmp_path, "basics")
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        launch = zf.read("launch-basics-first.html").decode("utf-8")
        page = zf.read("basics/first.html").decode("utf-8")
    assert {"cmi5.xml", "launch-basics-first.html", "launch-basics-second.html",
            "basics/first.html", "basics/second.html", "assets/mooc/cmi5-runtime.js",
            "assets/mooc/questions.js", "assets/mooc/mooc.js",
            "assets/mooc/package-page.js", "assets/mooc/package-launch.js"} <= names
    assert not any("scorm" in n for n in names)
    # the launch page: strict CSP (no inline script), but the LMS's LRS may be elsewhere
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', launch)
    assert csp and "script-src 'self';" in csp.group(1)
    assert "connect-src 'self' https:;" in csp.group(1)
    assert re.findall(r"<script[^>]*>", launch) == [
        '<script type="application/json" id="mooc-cmi5-config">',
        '<script src="assets/mooc/questions.js">', '<script src="assets/mooc/package-launch.js">',
        '<script src="assets/mooc/cmi5-runtime.js">']
    assert '<button type="button" id="mooc-cmi5-exit">Exit module</button>' in launch
    # the module's page: its links stay in the AU; the runtime (page role) at its end
    assert '<script src="../assets/mooc/package-page.js" data-page="basics/first.html" ' \
           'data-scope="basics/first.html"></script>' in page
    assert 'href="second.html' not in page  # the other module is another AU
    settings = config(package, "launch-basics-first.html")
    assert settings["au"] == "urn:mooc:mini:en:au:basics/first"
    assert settings["moveOn"] == "CompletedAndPassed" and settings["masteryScore"] == 0.7
    assert settings["stateId"] == "https://w3id.org/xapi/cmi5/mooc-builder/state"
    # what the runtime tells the learner: the interface strings (cmi5_*) of the language
    notices = settings["notices"]
    assert isinstance(notices, dict) and sorted(notices) == ["done", "left", "off", "pending",
                                                             "saving"]
    assert notices["saving"] == "Saving your progress…"
    quizzes = settings["quizzes"]
    assert isinstance(quizzes, list) and len(quizzes) == 1
    questions = {q["id"]: q for q in quizzes[0]["questions"]}
    # the xAPI interaction type and correct-response patterns of every question type
    assert {k: (q["itype"], q["cr"]) for k, q in questions.items()} == {
        "capital": ("choice", ["a"]), "colours": ("choice", ["a[,]b"]),
        "sky": ("true-false", ["false"]), "balint": ("fill-in", ["Balint"]),
        "steps": ("sequencing", ["a[,]b[,]c[,]d"]),
        "pairs": ("matching", ["a[.]a[,]b[.]b[,]c[.]c"]), "think": ("long-fill-in", [])}
    assert questions["capital"]["activity"] == "urn:mooc:mini:en:quiz:basics/all-types:capital"
    assert questions["capital"]["desc"] == "Which city is the capital of Belgium?"


def test_a_fill_in_answer_that_looks_like_a_delimiter() -> None:
    cmi5 = Cmi5Exporter()
    assert cmi5.fill_in_pattern("{case_matters=true}x", "fr") == \
        "{lang=fr}{case_matters=true}x"
    assert cmi5.fill_in_pattern("a[,]b", "en") == "a[ ,]b"


# ---------------------------------------------------------------- mooc validate

STRUCTURE = """<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="urn:x:c"><title><langstring lang="en">C</langstring></title>
    <description><langstring lang="en">D</langstring></description></course>
  <au id="urn:x:au" moveOn="Completed"{extra}><title><langstring>A</langstring></title>
    <description><langstring>B</langstring></description><url>{url}</url></au>
</courseStructure>
"""


def messages(path: Path) -> tuple[str | None, list[str], list[str]]:
    found, problems = validate_package(path, SCHEMAS)
    return (found, [p.message for p in problems if p.severity == "error"],
            [p.message for p in problems if p.severity == "warning"])


def cmi5_zip(tmp_path: Path, url: str = "launch.html", extra: str = "",
             **files: str) -> Path:
    entries = {"cmi5.xml": STRUCTURE.format(url=url, extra=extra), "launch.html": "<p>hi</p>",
               **files}
    return make_zip(tmp_path / "p.zip", entries)


def test_a_minimal_course_is_valid(tmp_path: Path) -> None:
    assert messages(cmi5_zip(tmp_path)) == ("cmi5", [], [])
    query = cmi5_zip(tmp_path, "launch.html?x=1#top")
    assert messages(query) == ("cmi5", [], [])


def test_au_urls_out_of_the_package(tmp_path: Path) -> None:
    assert messages(cmi5_zip(tmp_path, "missing.html"))[1] == [
        "au 'urn:x:au': its url 'missing.html' is not in the zip"]
    assert "'..' in a path" in messages(cmi5_zip(tmp_path, "../launch.html"))[1][0]
    assert "absolute path" in messages(cmi5_zip(tmp_path, "/etc/passwd"))[1][0]
    _, errors, warnings = messages(cmi5_zip(tmp_path, "https://example.org/au"))
    assert errors == [] and "on another host" in warnings[0]


def test_xsd_and_structure_errors(tmp_path: Path) -> None:
    _, errors, _ = messages(cmi5_zip(tmp_path, extra=' masteryScore="1.5"'))
    assert len(errors) == 1 and errors[0].startswith("XSD: ") and "masteryScore" in errors[0]
    done = STRUCTURE.replace('"Completed"', '"Done"').format(url="launch.html", extra="")
    path = make_zip(tmp_path / "done.zip", {"cmi5.xml": done, "launch.html": "x"})
    errors = messages(path)[1]
    assert len(errors) == 1 and "moveOn='Done'" in errors[0]
    twice = STRUCTURE.replace('id="urn:x:c"', 'id="urn:x:au"').format(url="launch.html",
                                                                     extra="")
    path = make_zip(tmp_path / "twice.zip", {"cmi5.xml": twice, "launch.html": "x"})
    assert "id 'urn:x:au' is used twice" in messages(path)[1][0]


def test_hostile_course_files_are_refused(tmp_path: Path) -> None:
    doctype = make_zip(tmp_path / "d.zip", {
        "cmi5.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
                    f'<courseStructure xmlns="{NS}">&e;</courseStructure>'})
    found, errors, _ = messages(doctype)
    assert found is None and any("DOCTYPE or entities (refused)" in e for e in errors)
    broken = make_zip(tmp_path / "b.zip", {"cmi5.xml": "<courseStructure"})
    assert any("not well-formed XML" in e for e in messages(broken)[1])
    nested = make_zip(tmp_path / "n.zip", {"course/cmi5.xml": STRUCTURE, "x.html": "x"})
    assert any("found course/cmi5.xml: zip the folder's content" in e
               for e in messages(nested)[1])
    evil = make_zip(tmp_path / "e.zip", {"cmi5.xml": STRUCTURE, "../evil.html": "x"})
    found, errors, _ = messages(evil)
    assert found is None and "'..' in a path" in errors[0]


# ---------------------------------------------------------------- mooc build, mooc export

def test_build_makes_a_package_per_track_and_one_for_all(built: tuple[Project, Path]) -> None:
    _, site = built
    downloads = site / "downloads"
    rows = json.loads((downloads / "packages.json").read_text(encoding="utf-8"))
    cmi5 = [(r["file"], r["scope"], r["aus"]) for r in rows if r["format"] == "cmi5"]
    assert cmi5 == [("mini-en-basics-cmi5.zip", "basics", 2), ("mini-en-more-cmi5.zip", "more", 1),
                    ("mini-en-all-cmi5.zip", "all", 3)]
    page = (downloads / "index.html").read_text(encoding="utf-8")
    assert "<td>cmi5</td>" in page and "learning record store" in page


def test_export_command(built: tuple[Project, Path], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = built
    src = tmp_path / "mini"
    shutil.copytree(project.course.root.parent, src,
                    ignore=shutil.ignore_patterns("site", ".cache"))
    code = main(["export", "-f", str(src / "mkdocs.yml"), "--format", "cmi5", "--track",
                 "basics", "-o", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0 and "mini-en-basics-cmi5.zip" in out and "2 AUs" in out
    assert main(["export", "-f", str(src / "mkdocs.yml"), "--format", "cmi5", "--track",
                 "basic", "-o", str(tmp_path / "out")]) == 1
    assert "unknown track 'basic' (did you mean 'basics'?)" in capsys.readouterr().err


def test_the_shipped_schema_and_its_licence() -> None:
    folder = SCHEMAS / "cmi5"
    assert "Apache License" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert "Rustici Software" in (folder / "NOTICE").read_text(encoding="utf-8")
    assert (SCHEMAS / "cmi5-schemas-README.md").stat().st_size > 1000
