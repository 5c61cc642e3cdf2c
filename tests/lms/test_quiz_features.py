"""Quizzes that measure learning (issue 15) in the real Moodle 4.5 (`make test-lms`).

The track of tests/fixtures/measure (English): six questions with shuffled choices, a pool
that draws 3 of 6, a quiz of two attempts, a branching scenario. The lab imports its
package; tests/lms/hook_measure.py answers every question shown right (the scenario
walked to its best ending) and notes the questions drawn, the order of every question's
choices and the scenario's path; Moodle must record 100, every question as one
interaction (the drawn ones right, the others neutral, the scenario a `sequencing`
interaction with the path taken); a relaunch in a new browser must show the same draw,
the same orders and the same path, every quiz checked. About 1.5 minutes per version.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .test_moodle import check_no_failed_save, config_of, play, summary

ROOT = Path(__file__).resolve().parents[2]
HOOK = Path(__file__).with_name("hook_measure.py")
MEASURE = ROOT / "tests/fixtures/measure"


@pytest.fixture(scope="module")
def measure_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("measure")
    for fmt in ("scorm12", "scorm2004"):
        subprocess.run([str(ROOT / ".venv/bin/mooc"), "export", "-f", str(MEASURE / "mkdocs.yml"),
                        "--format", fmt, "--track", "m", "-l", "en", "-o", str(out)],
                       cwd=MEASURE, check=True, capture_output=True, text=True)
    return out


def interactions(sco: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Moodle's record of each interaction, by its id: {field: value} (Moodle stores
    `cmi.interactions.0.correct_responses.0.pattern` as `cmi.interactions_0....`)."""
    elements = {re.sub(r"_(\d+)", r".\1", k): v for k, v in sco["elements"].items()}
    out: dict[str, dict[str, str]] = {}
    for n in range(int(sco["interactions_count"])):
        prefix = f"cmi.interactions.{n}."
        fields = {k[len(prefix):]: str(v) for k, v in elements.items() if k.startswith(prefix)}
        out[fields["id"]] = fields
    return out


@pytest.mark.parametrize("fmt,version", [("scorm12", "1.2"), ("scorm2004", "2004")])
def test_shuffled_drawn_and_scenario_questions_in_moodle(measure_packages: Path, fmt: str,
                                                          version: str) -> None:
    package = measure_packages / f"measure-en-m-{fmt}.zip"
    config = config_of(package)
    first = play(f"measure-{fmt}", package, hook=HOOK)
    largest = check_no_failed_save(first)
    (sco,) = first["scos"]
    hook = first["hook"]
    assert hook["quizzes_answered"] == 4
    if version == "1.2":
        assert sco["status"] == "passed", sco
    else:
        assert (sco["status"], sco["success_status"]) == ("completed", "passed"), sco
    assert float(sco["score_raw"]) == 100 and first["grade"]["grade"] == 100
    assert sco["exit"] == "suspend"
    assert sco["elements"]["cmi.suspend_data"].startswith("M2|")

    # every question is one interaction, whatever was drawn
    assert config["detail"] == "full"
    items = interactions(sco)
    assert len(items) == sum(len(q["questions"]) for q in config["quizzes"]) == 18
    drawn = hook["quizzes"]["m/pool"]["shown"]
    assert len(drawn) == 3
    for qid in ("sun", "moon", "snow", "winter", "summer", "fire"):
        assert items[f"m.pool.{qid}"]["result"] == ("correct" if qid in drawn else "neutral")
    wrong = "wrong" if version == "1.2" else "incorrect"
    assert not [i for i in items.values() if i["result"] == wrong]
    scenario = items["m.talk.sam"]
    response = "student_response" if version == "1.2" else "learner_response"
    sep = "," if version == "1.2" else "[,]"
    assert (scenario["type"], scenario["result"], scenario[response]) == (
        "sequencing", "correct", sep.join("ace"))  # choices 0, 2, 4 of the scenario
    assert scenario["correct_responses.0.pattern"] == sep.join("ace")

    # a relaunch in a new browser: the same draw, orders and path, every quiz checked
    again = play(f"measure-{fmt}-relaunch", cmid=first["cmid"], mode="verify", hook=HOOK)
    largest = max(largest, check_no_failed_save(again))
    for quiz, seen in hook["quizzes"].items():
        back = again["hook"]["quizzes"][quiz]
        assert back["locked"] and "100%" in back["result"], back
        assert (back["shown"], back["orders"], back["paths"]) == (
            seen["shown"], seen["orders"], seen["paths"]), quiz
    assert again["hook"]["quizzes"]["m/talk"]["paths"] == {"sam": "0,0,0"}
    shuffled = hook["quizzes"]["m/shuffled"]["orders"]
    assert shuffled["capitals"] == "0 1 2 3"  # `shuffle: false` on this question
    summary(f"measure-{fmt}", version, package, first, largest,
            f"draw {' '.join(drawn)}, orders and scenario path back")
