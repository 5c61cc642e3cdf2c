"""What Moodle's SCORM settings do to our packages, as the import guide says (make test-lms).

One track package is played and passed once; then its activity's settings are changed
as an admin would in the settings form (tests/lms/scorm_settings.php), and the learner
comes back: what Moodle starts (a new attempt or the same one), what the package shows,
and the gradebook grade.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from .test_moodle import LAB, check_no_failed_save, check_recorded, config_of, play

SETTINGS = Path(__file__).with_name("scorm_settings.php")
FORCE_NO, FORCE_ON_COMPLETE, FORCE_ALWAYS = 0, 1, 2  # mod/scorm/locallib.php
GRADE_LEARNING_OBJECTS, GRADE_HIGHEST = 0, 1


def settings(cmid: int, **values: int) -> dict[str, Any]:
    home = os.environ.get("LMS_HOME") or str(Path.home() / ".cache" / "mooc-lms")
    env = dict(os.environ, LMS_HOME=home, PHP_INI_SCAN_DIR=":" + str(Path(home) / "php-conf.d"))
    run = subprocess.run(["php", str(SETTINGS), f"--cmid={cmid}",
                          *(f"--{k}={v}" for k, v in values.items())],
                         capture_output=True, text=True, env=env, check=True, timeout=120)
    return dict(json.loads(run.stdout))


def shown(result: dict[str, Any]) -> dict[str, Any]:
    """What the package had from Moodle when it started: its quiz records."""
    return dict(result["hook"]["shell_before"]["state"]["recs"])


def test_force_new_attempt_and_grading_method(real_packages: Path) -> None:
    assert LAB.is_dir()
    package = real_packages / "pat-mooc-en-psw-scorm12.zip"
    quizzes = len(config_of(package)["quizzes"])
    first = play("settings-psw-scorm12", package)
    check_no_failed_save(first)
    check_recorded(first, "1.2", sum(len(q["questions"]) for q in config_of(package)["quizzes"]))
    cmid = first["cmid"]

    # "No" (the guide's advice): the passed attempt reopens with every answer, in review
    back = play("settings-force-no", cmid=cmid, mode="verify", pages="first")
    assert back["attempts"] == [1] and len(shown(back)) == quizzes

    # "When previous attempt completed, passed or failed": a new, empty attempt
    settings(cmid, forcenewattempt=FORCE_ON_COMPLETE)
    fresh = play("settings-force-on-complete", cmid=cmid, mode="verify", pages="first")
    check_no_failed_save(fresh)
    assert fresh["attempts"] == [1, 2] and shown(fresh) == {}
    assert fresh["scos"][0]["status"] == "incomplete" and fresh["scos"][0]["exit"] == "suspend"
    assert fresh["grade"]["grade"] == 100  # attempts grading "Highest attempt" keeps it

    # "Always": every launch starts a new attempt, even after an incomplete one
    settings(cmid, forcenewattempt=FORCE_ALWAYS)
    again = play("settings-force-always", cmid=cmid, mode="verify", pages="first")
    assert again["attempts"] == [1, 2, 3] and shown(again) == {}
    assert again["grade"]["grade"] == 100

    # Grading method "Learning objects": the grade counts SCOs passed, out of the SCOs:
    # 1 of 1 for a one-SCO package (the guide: use "Highest grade" for those)
    objects = settings(cmid, forcenewattempt=FORCE_NO, grademethod=GRADE_LEARNING_OBJECTS)
    assert (objects["grade"], objects["grademax"]) == (1.0, 1.0)
    highest = settings(cmid, grademethod=GRADE_HIGHEST)
    assert (highest["grade"], highest["grademax"]) == (100.0, 100.0)
