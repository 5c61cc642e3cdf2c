"""The real course's Common Cartridge in a real Moodle 4.5 (`make test-lms`; issue 16).

The peer support workers' track and the whole course are exported as `mooc build` makes
them, checked by `mooc validate`, then each restored into a new course by Moodle's own CC
converter (what the Restore
page does with an .imscc: tests/lms/cc_restore.php). Moodle's course must be ours: a
section per folder, every page in order with its text and its self-check questions,
each quiz after its page with every question of the profile's types, typed, keyed and
with its feedback as the quiz file says. Then student1 attempts a quiz through Moodle's
quiz attempt API: as imported, Moodle holds the grade until a teacher grades the
reflection (an essay worth 1 mark in Moodle); after the import guide's step (the essay's
mark set to 0), Moodle grades the attempt itself. About 1.5 minutes, a third of it the
build.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.common.safe_markdown import SafeMarkdown
from builder.export.imscc import Cartridge, plan_cartridge
from builder.export.imscc_qti import fill_in_answers
from builder.export.validate import validate_package
from builder.model import Question
from builder.pipeline import Settings, load_checked
from builder.questions.choices import ChoiceQuestion
from builder.questions.fill_in import FillIn
from builder.questions.reflection import Reflection
from builder.questions.true_false import TrueFalse
from tests.test_imscc import imscc_format  # noqa: F401 (the format, registered here)

ROOT = Path(__file__).resolve().parents[2]
RESTORE = Path(__file__).with_name("cc_restore.php")
LMS_HOME = Path(os.environ.get("LMS_HOME", Path.home() / ".cache" / "mooc-lms"))
RESULTS = ROOT / "lms-results"
SUMMARY = RESULTS / "common-cartridge.txt"  # summary.txt is test_moodle.py's (it starts it)
TRACK = "psw"
MOODLE_TYPE = {"single": "multichoice", "multiple": "multichoice", "true-false": "truefalse",
               "fill-in": "shortanswer", "reflection": "essay"}
MD = SafeMarkdown()


def text(markdown: str) -> str:
    """Quiz text as Moodle shows it once its tags are gone (cc_restore.php's text_of)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", MD.block(markdown)))).strip()


def php(*args: str) -> dict[str, Any]:
    env = dict(os.environ, LMS_HOME=str(LMS_HOME),
               PHP_INI_SCAN_DIR=":" + str(LMS_HOME / "php-conf.d"))
    run = subprocess.run(["php", str(RESTORE), *args], capture_output=True, text=True, env=env,
                         timeout=600, check=False)
    assert run.returncode == 0 and run.stdout.startswith("{"), \
        f"cc_restore.php {' '.join(args)}:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    return dict(json.loads(run.stdout))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real course's site, as `mooc build` makes it (its cartridges in downloads/)."""
    if not (LMS_HOME / "moodle" / "config.php").is_file():
        pytest.fail(f"no Moodle lab in {LMS_HOME} (make test-lms runs ../shared/lms/setup.sh)")
    RESULTS.mkdir(exist_ok=True)
    SUMMARY.write_text("", encoding="utf-8")
    site = tmp_path_factory.mktemp("real") / "site"
    assert main(["build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]) == 0
    return site


@pytest.fixture(scope="module", params=[TRACK, "all"])
def exported(request: pytest.FixtureRequest, built: Path) -> tuple[Cartridge, Path, float]:
    """A scope's plan, its cartridge, the export's seconds: the PSW track, the course."""
    scope = str(request.param)
    rows = json.loads((built / "downloads" / "packages.json").read_text(encoding="utf-8"))
    (row,) = [r for r in rows if r["format"] == "imscc" and r["scope"] == scope]
    project, _ = load_checked(Settings.at(ROOT), "en")
    cartridge = plan_cartridge(project, "en", built, None if scope == "all" else scope)
    return cartridge, built / "downloads" / row["file"], row["export_seconds"]


@pytest.fixture(scope="module")
def restored(exported: tuple[Cartridge, Path, float]) -> dict[str, Any]:
    plan, package, _seconds = exported
    assert validate_package(package) == ("imscc", [])
    return php(f"--file={package}", f"--shortname=mooc-cc-{plan.scope}-{int(time.time())}")


def check_question(q: Question, moodle: dict[str, Any]) -> None:
    where = f"{q.loc.path}:{q.loc.line} ({q.id})"
    assert moodle["qtype"] == MOODLE_TYPE[q.type], where
    assert moodle["text"] == text(q.prompt), where
    unit = q.unit
    if isinstance(unit, ChoiceQuestion):
        assert moodle["single"] == (q.type == "single"), where
        assert [a["text"] for a in moodle["answers"]] == [text(c.text) for c in unit.choices]
        assert [a["feedback"] for a in moodle["answers"]] == [
            text(c.feedback) if c.feedback else "" for c in unit.choices], where
        share = 1 / sum(c.correct for c in unit.choices)
        # Moodle's import gives each correct choice its share and a wrong one 0 (no penalty:
        # the import guide says what to change for our all-or-nothing rule)
        assert [round(a["fraction"], 5) for a in moodle["answers"]] == [
            round(share, 5) if c.correct else 0 for c in unit.choices], where
    elif isinstance(unit, TrueFalse):
        assert moodle["rightanswer"] == unit.answer, where
        assert (moodle["truefeedback"], moodle["falsefeedback"]) == (
            text(unit.feedback_true), text(unit.feedback_false)), where
    elif isinstance(unit, FillIn):
        assert {a["text"] for a in moodle["answers"] if a["fraction"] == 1} == set(
            fill_in_answers(unit.answers)), where
        assert not moodle["usecase"], where
    elif isinstance(unit, Reflection):
        assert text(unit.model_answer) in moodle["generalfeedback"], where
        assert (moodle["maxmark"], moodle["defaultmark"]) == (1, 0), where
    if q.explanation and not isinstance(unit, Reflection):
        assert moodle["generalfeedback"] == text(q.explanation), where


def test_moodle_restores_the_track_as_our_course(
        exported: tuple[Cartridge, Path, float], restored: dict[str, Any]) -> None:
    plan, package, seconds = exported
    assert restored["format"] == "imscc11"
    # Moodle adds " copy N" to the name of a course restored once before in the lab
    assert re.fullmatch(re.escape(plan.title) + r"( copy \d+)?", restored["fullname"])
    sections = restored["sections"]
    assert [s["summary"] for s in sections] == [f.title for f in plan.folders]
    expected = [[(("page", p.page.display_title),
                  *[("quiz", f"Quiz: {q.quiz.title}") for q in p.quizzes]) for p in f.pages]
                for f in plan.folders]
    for section, folder in zip(sections, expected, strict=True):
        assert [(m["modname"], m["name"]) for m in section["modules"]] == [
            m for page in folder for m in page]
    modules = {(m["modname"], m["name"]): m for s in sections for m in s["modules"]}
    counts: dict[str, int] = {}
    for page in plan.pages:
        content = modules["page", page.page.display_title]["content"]
        assert "<script" not in content
        shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))
        with zipfile.ZipFile(package) as zf:  # the page's heading, as the cartridge has it
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", zf.read(page.path).decode(), re.S)
        assert heading and re.sub(r"<[^>]+>", "", heading.group(1)).strip() in shown
        for cq in page.quizzes:
            for q in cq.split.in_page:  # the self-check stays in the page...
                assert text(q.prompt) in shown, (page.path, q.id)
                counts[f"{q.type} (page)"] = counts.get(f"{q.type} (page)", 0) + 1
            for q in cq.split.in_qti:  # ...the questions in Moodle's quiz do not
                assert text(q.prompt) not in shown, (page.path, q.id)
            quiz = modules["quiz", f"Quiz: {cq.quiz.title}"]
            assert [m["slot"] for m in quiz["questions"]] == list(
                range(1, len(cq.split.in_qti) + 1))
            for q, moodle in zip(cq.split.in_qti, quiz["questions"], strict=True):
                check_question(q, moodle)
                counts[q.type] = counts.get(q.type, 0) + 1
    with SUMMARY.open("a", encoding="utf-8") as fh:
        fh.write(f"{'cc11 ' + plan.scope:34} {package.stat().st_size / 1e6:5.2f} MB  export "
                 f"{seconds:.1f} s  Moodle restore {restored['seconds']} s  questions "
                 f"{json.dumps(counts, sort_keys=True)}\n")


def test_moodle_grades_an_attempt_at_an_imported_quiz(
        exported: tuple[Cartridge, Path, float], restored: dict[str, Any]) -> None:
    plan, _package, _seconds = exported
    cq = plan.quizzes[0]
    name = f"--quiz=Quiz: {cq.quiz.title}"
    course = f"--courseid={restored['courseid']}"
    scored = sum(q.scored for q in cq.split.in_qti)  # Moodle: 1 mark each (its import)
    # as imported: the reflection is an essay of 1 mark, which a teacher has to grade
    first = php("--attempt", course, name)
    essays = [s for s in first["slots"] if s["qtype"] == "essay"]
    assert first["state"] == "finished" and essays
    assert all(s["state"] == "needsgrading" for s in essays)
    assert all(s["state"] == "gradedright" for s in first["slots"] if s["qtype"] != "essay")
    assert first["sumgrades"] is None and first["gradebook"] is None
    # the import guide's step: the essay's mark set to 0; Moodle grades the attempt itself
    # (one question left unanswered: 1 of the scored points lost)
    scored_slots = [s["slot"] for s in first["slots"] if s["qtype"] != "essay"]
    second = php("--attempt", course, name, "--essaymark=0", f"--skip={scored_slots[0]}")
    assert second["quiz_sumgrades"] == scored
    assert second["sumgrades"] == pytest.approx(scored - 1, abs=1e-5)
    assert float(second["gradebook"]) == pytest.approx(
        second["quiz_grade"] * (scored - 1) / scored, abs=1e-4)
    with SUMMARY.open("a", encoding="utf-8") as fh:
        fh.write(f"{'cc11 ' + plan.scope + ' attempt':34} quiz {cq.quiz.id}: as imported "
                 f"{first['state']}, grade {first['gradebook']} (essay needs grading); essay "
                 f"mark 0 and one question unanswered: {second['sumgrades']}/{scored}, "
                 f"gradebook {second['gradebook']}/{second['grademax']}\n")
