"""Question banks in a real Moodle 4.5 (`make test-lms`; issue 16).

The real course's Moodle XML file of a track (English) and GIFT file of the other track
(French) are imported into the question banks of new courses through Moodle's own import
(qformat_xml, qformat_gift: tests/lms/qbank.php), and every question Moodle stored is
compared with the quiz it came from: type, category, name and idnumber, text, mark,
answers with their grades, feedback. Then a quiz made of one module's imported questions
is attempted by the lab's student and graded by Moodle, and the grade compared with our
scoring rule; the mini course's hostile quizzes go through both imports and stay text.
About 30 s; figures in lms-results/question-banks.txt.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.common.safe_markdown import SafeMarkdown
from builder.export import get_exporter
from builder.export.qbank import accepted_answers, clean, plan_bank, shortanswer_text
from builder.model import Project, Question, Quiz, pick
from builder.pipeline import Settings, load_checked
from builder.questions.choices import ChoiceQuestion
from builder.questions.fill_in import FillIn
from builder.questions.matching import Matching
from builder.questions.ordering import Ordering
from builder.questions.reflection import Reflection
from builder.questions.scoring import correct_response, score_quiz
from builder.questions.true_false import TrueFalse
from tests.test_question_banks import EXTRA, HOSTILE, assert_safe_html

ROOT = Path(__file__).resolve().parents[2]
LAB = Path(os.environ.get("MOOC_LMS_LAB", ROOT.parent / "shared" / "lms"))
SETUP = LAB / "scripts" / "lms_setup.php"
SCRIPT = Path(__file__).with_name("qbank.php")
RESULTS = ROOT / "lms-results"
MD = SafeMarkdown()
QTYPES = {"single": "multichoice", "multiple": "multichoice", "true-false": "truefalse",
          "fill-in": "shortanswer", "matching": "match", "ordering": "ordering",
          "reflection": "essay"}
RUN = time.strftime("%H%M%S")


def php(*args: str) -> dict[str, Any]:
    run = subprocess.run(["php", *args], capture_output=True, text=True, timeout=600,
                         check=False)
    assert run.returncode == 0, f"php {' '.join(args)}:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
    return dict(json.loads(run.stdout))


def new_course(name: str) -> str:
    """A new course of ours (the lab's student enrolled): a bank of its own, each run."""
    shortname = f"mooc-qbank-{name}-{RUN}"
    php(str(SETUP), f"--course={shortname}")
    return shortname


def note(line: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    for name in ("question-banks.txt", "summary.txt"):
        with (RESULTS / name).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


@pytest.fixture(scope="module", autouse=True)
def lab() -> Iterator[None]:
    if not SETUP.is_file():
        pytest.fail(f"no Moodle lab at {LAB} (make test-lms runs its setup.sh)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "question-banks.txt").write_text("", encoding="utf-8")
    yield


@pytest.fixture(scope="module")
def real() -> Project:
    return load_checked(Settings.at(ROOT))[0]


def imported(project: Project, fmt: str, lang: str, track: str | None, folder: Path,
             course: str) -> tuple[Path, dict[str, Any], float]:
    """The file exported, what Moodle reports after importing it, the import's seconds."""
    package = get_exporter(fmt).package(project, lang, folder / "no-site", folder, track)
    started = time.monotonic()
    report = php(str(SCRIPT), "--action=import", f"--course={course}",
                 f"--file={package.path}", f"--format={'xml' if fmt == 'moodle-xml' else fmt}")
    seconds = time.monotonic() - started
    (RESULTS / f"qbank-{course}.json").write_text(json.dumps(report, indent=1,
                                                             ensure_ascii=False),
                                                  encoding="utf-8")
    assert report["ok"], report["output"]
    return package.path, report, seconds


def expected_answers(q: Question) -> list[tuple[str, float, str]]:
    """(text, fraction, feedback) of each answer Moodle should hold, in order."""
    unit = q.unit
    if isinstance(unit, ChoiceQuestion):
        k = sum(c.correct for c in unit.choices)
        wrong = 0.0 if unit.name == "single" else -1.0
        return [(MD.inline(clean(c.text)), 1 / k if c.correct else wrong,
                 MD.block(clean(c.feedback))) for c in unit.choices]
    if isinstance(unit, TrueFalse):
        return [("True", 1.0 if unit.answer else 0.0, MD.block(unit.feedback_true)),
                ("False", 0.0 if unit.answer else 1.0, MD.block(unit.feedback_false))]
    if isinstance(unit, FillIn):
        return [(shortanswer_text(a), 1.0, "") for a in accepted_answers(unit.answers)]
    if isinstance(unit, Ordering):
        return [(MD.inline(clean(item)), 0.0, "") for item in unit.items]
    return []


def compare(project: Project, lang: str, track: str, report: dict[str, Any],
            fmt: str) -> list[str]:
    """What differs between the course's questions and what Moodle stored."""
    bank = plan_bank(project, lang, track)
    stored = {q["idnumber"]: q for q in report["questions"]}
    wrong: list[str] = []
    # what the format can hold: no scenario (a branching question has no Moodle form), and
    # in GIFT no ordering either; the exporters leave those out and say so
    made = [bq for bq in bank.questions if getattr(bq.question.unit, "PORTABLE", True)
            and (fmt == "moodle-xml" or bq.question.type != "ordering")]
    if sorted(stored) != sorted(bq.idnumber for bq in made):
        wrong.append(f"questions: {sorted(stored)} != {sorted(bq.idnumber for bq in made)}")
    categories = {bq.idnumber: "/".join(c.path) for c in bank.categories for bq in c.questions}
    for bq in made:
        q, got = bq.question, stored.get(bq.idnumber)
        if got is None:
            continue
        mark = (q.points if q.scored else 0) if fmt == "moodle-xml" else 1

        def differs(what: str, ours: object, moodle: object,
                    label: str = f"{bq.idnumber} ({q.type})") -> None:
            if ours != moodle:
                wrong.append(f"{label} {what}: ours {ours!r}, Moodle {moodle!r}")

        differs("type", QTYPES[q.type], got["qtype"])
        differs("category", categories[bq.idnumber], got["category"])
        differs("name", re.sub(r"<[^>]*>", "", bq.name).strip(), got["name"])
        differs("text", MD.block(clean(q.prompt)), got["questiontext"])
        differs("mark", float(mark), got["defaultmark"])
        general = MD.block(clean(q.explanation))
        if isinstance(q.unit, Reflection):
            general += MD.block(clean(q.unit.model_answer))
            if fmt == "moodle-xml":
                differs("grader information", MD.block(clean(q.unit.model_answer)),
                        got["graderinfo"])
        differs("general feedback", general, got["generalfeedback"])
        answers = [(a["text"], round(a["fraction"], 5), a["feedback"]) for a in got["answers"]]
        ours = [(t, round(f, 5), fb) for t, f, fb in expected_answers(q)]
        if isinstance(q.unit, Ordering):  # Moodle numbers the items in their correct order
            answers = [(t, 0.0, fb) for t, _, fb in answers]
            differs("grading", -1, got["gradingtype"])  # all or nothing
        differs("answers", ours, answers)
        if isinstance(q.unit, ChoiceQuestion):
            differs("one answer", q.type == "single", got["single"])
        if isinstance(q.unit, Matching):
            differs("pairs", [(MD.inline(clean(p.left)), clean(p.right)) for p in q.unit.pairs],
                    [(s["text"], s["answer"]) for s in got["subquestions"]])
        if isinstance(q.unit, FillIn):
            differs("case", False, got["usecase"])
    return wrong


def test_moodle_xml_of_a_track_in_moodle(real: Project, tmp_path: Path) -> None:
    course = new_course("xml")
    path, report, seconds = imported(real, "moodle-xml", "en", "psw", tmp_path, course)
    assert compare(real, "en", "psw", report, "moodle-xml") == []
    types = sorted({q["qtype"] for q in report["questions"]})
    note(f"moodle-xml psw en: {path.stat().st_size} bytes, {len(report['questions'])} "
         f"questions imported in {seconds:.1f} s ({', '.join(types)}); every one as ours")


def test_gift_of_a_track_in_moodle(real: Project, tmp_path: Path) -> None:
    course = new_course("gift")
    path, report, seconds = imported(real, "gift", "fr", "teams", tmp_path, course)
    assert compare(real, "fr", "teams", report, "gift") == []
    note(f"gift teams fr: {path.stat().st_size} bytes, {len(report['questions'])} questions "
         f"imported in {seconds:.1f} s; every one as ours, the orderings left out")


def module_quiz(project: Project, lang: str, track: str) -> tuple[str, Quiz]:
    """The track's quiz with the most question types, and its module's category path."""
    bank = plan_bank(project, lang, track)
    best = max((c for c in bank.categories if c.questions),
               key=lambda c: len({bq.question.type for bq in c.questions}))
    return "/".join(best.path), best.questions[0].quiz


def attempt(course: str, category: str, plan: dict[str, str]) -> dict[str, Any]:
    return php(str(SCRIPT), "--action=attempt", f"--course={course}",
               f"--category={category}", f"--plan={json.dumps(plan)}")


def test_an_imported_quiz_is_graded_by_moodle_as_by_us(real: Project, tmp_path: Path) -> None:
    course = new_course("attempt")
    imported(real, "moodle-xml", "en", "psw", tmp_path, course)
    category, whole = module_quiz(real, "en", "psw")
    # the quiz as Moodle holds it: its scenario (no Moodle form) is left out
    quiz = dataclasses.replace(whole, questions=tuple(
        q for q in whole.questions if getattr(q.unit, "PORTABLE", True)))
    assert len({q.type for q in quiz.questions}) >= 5, "a quiz of most types"
    # every other scored question wrong: a wrong choice, answer or order scores 0 in both
    scored = [q for q in quiz.questions if q.scored]
    plan = {f"{quiz.id}/{q.id}": "wrong" if i % 2 else "right" for i, q in enumerate(scored)}
    ours = score_quiz(quiz, {q.id: correct_response(q) for q in scored
                             if plan[f"{quiz.id}/{q.id}"] == "right"})
    moodle = attempt(course, category, plan)
    assert moodle["state"] == "finished"
    assert moodle["maxsumgrades"] == pytest.approx(ours["max"])
    assert moodle["sumgrades"] == pytest.approx(ours["score"], abs=1e-5)
    assert int(moodle["grade"] + 0.5) == ours["percent"]  # Moodle's grade out of 100
    rights = {s["idnumber"]: s["state"] for s in moodle["slots"]}
    assert all(rights[k] == ("gradedright" if v == "right" else "gradedwrong")
               for k, v in plan.items())
    note(f"attempt of {quiz.id}: {len(quiz.questions)} questions, Moodle "
         f"{moodle['sumgrades']:.4f}/{moodle['maxsumgrades']:g} = {moodle['grade']:.2f} %, "
         f"ours {ours['score']}/{ours['max']} = {ours['percent']} %")

    # where the rules differ (the import guide says so): a multiple choice with some of its
    # correct choices and no wrong one is worth that part in Moodle, nothing in ours
    multiples = [q for q in scored if q.type == "multiple" and isinstance(
        q.unit, ChoiceQuestion) and sum(c.correct for c in q.unit.choices) > 1]
    if multiples:
        q = multiples[0]
        assert isinstance(q.unit, ChoiceQuestion)
        k = sum(c.correct for c in q.unit.choices)
        partial = attempt(course, category, {f"{quiz.id}/{q.id}": "partial"})
        slot = next(s for s in partial["slots"] if s["idnumber"] == f"{quiz.id}/{q.id}")
        assert slot["fraction"] == pytest.approx(1 / k, abs=1e-5)
        all_right = score_quiz(quiz, {x.id: correct_response(x) for x in scored})
        assert partial["sumgrades"] == pytest.approx(all_right["score"] - q.points +
                                                     q.points / k, abs=1e-5)
        note(f"  one of {k} correct choices of {q.id}: Moodle {slot['fraction']:.4f} of its "
             "points, ours 0 (all or nothing)")


def test_hostile_quiz_text_stays_text_through_both_imports(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(ROOT / "tests/fixtures/mini", root)
    for name, data in (("evil", HOSTILE), ("gift", EXTRA)):
        (root / f"quizzes/en/basics/{name}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    second = root / "course/en/basics/second.md"
    second.write_text(second.read_text(encoding="utf-8") +
                      "\n::: quiz basics/evil\n\n::: quiz basics/gift\n", encoding="utf-8")
    project = load_checked(Settings.at(root))[0]
    for fmt in ("moodle-xml", "gift"):
        course = new_course(f"hostile-{fmt}")
        _, report, _ = imported(project, fmt, "en", None, tmp_path / fmt, course)
        bank = plan_bank(project, "en", None)
        expected = len(bank.questions) - (0 if fmt == "moodle-xml" else sum(
            bq.question.type == "ordering" or bq.idnumber == "basics/gift/g7"
            for bq in bank.questions))
        assert len(report["questions"]) == expected
        for q in report["questions"]:
            for html in (q["questiontext"], q["generalfeedback"], q.get("graderinfo", ""),
                         *(a["feedback"] for a in q["answers"]),
                         *(a["text"] for a in q["answers"] if a["format"] == 1),
                         *(s["text"] for s in q.get("subquestions", []))):
                assert_safe_html(html)
        top = f"{pick(project.course.title, 'en')} (en)/"
        assert all(q["category"].startswith(top) for q in report["questions"])
    note("hostile quizzes: every text stays text in both imports")
