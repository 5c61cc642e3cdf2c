"""SCORM packages in a real Moodle 4.5 (`make test-lms`; issue 13).

Moodle is the lab in ../shared/lms (setup.sh installs it offline; import_and_play.py
imports a package, plays it in Chromium as student1 and reports what Moodle recorded).
Each case imports a package, opens every page and answers every quiz correctly (the
lab's hook, wrapped by tests/lms/hook.py to measure each save), leaves the player like a
learner, then relaunches it in new browsers and checks that what Moodle hands back (the
answers, the bookmark, the grade) is all there, with no save that failed, ever.

Run only by `make test-lms` (MOOC_TEST_LMS=1); every figure goes to
lms-results/summary.txt (the largest save Moodle sent, status, score, grade, resume).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAB = Path(os.environ.get("MOOC_LMS_LAB", ROOT.parent / "shared" / "lms"))
DRIVER = LAB / "import_and_play.py"
HOOK = Path(__file__).with_name("hook.py")
RESULTS = ROOT / "lms-results"
BEACON_LIMIT = 64 * 1024  # what Chromium lets the beacons of a closing page carry
FAILED_SAVE = ("Failed to queue navigator.sendBeacon", "DoRequest failed", "did not save",
               "did not end the session")


# ---------------------------------------------------------------- the packages

def generated_course(folder: Path, modules: int) -> None:
    """A course of `modules` short modules in tracks of ten, each with a quiz of every
    scored type; the first quiz of each track has a fill-in with 6 accepted answers (more
    fill-ins would pass SCORM 1.2's 4,096 characters of saved state in one SCO)."""
    (folder / "course/en").mkdir(parents=True)
    tracks: list[tuple[str, list[str]]] = []
    for t in range(0, modules, 10):
        tid = f"t{t // 10:02d}"
        ids = [f"{tid}/m{m:02d}" for m in range(min(10, modules - t))]
        tracks.append((tid, ids))
        for mid in ids:
            page = folder / "course/en" / f"{mid}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(
                f"---\ntitle: Module {mid}\nsummary: A generated module.\nduration: 5\n"
                f"objectives: [Answer]\ncompetencies: [C1]\nquiz: {mid}\n---\n\n"
                f"# Module {mid}\n\nA short page for the LMS test.\n", encoding="utf-8")
            quiz = folder / "quizzes/en" / f"{mid}.yml"
            quiz.parent.mkdir(parents=True, exist_ok=True)
            fill_in = ('  - {type: fill-in, prompt: "Fill ___", '
                       'answers: [one, two, three, four, five, six]}\n'
                       if mid.endswith("/m00") else "")
            quiz.write_text(f"""title: Quiz {mid}
questions:
  - type: single
    prompt: Which one?
    choices: [{{text: A, correct: true}}, {{text: B}}, {{text: C}}]
  - type: multiple
    prompt: Which ones?
    choices: [{{text: A, correct: true}}, {{text: B, correct: true}}, {{text: C}}]
  - {{type: true-false, prompt: "True?", answer: true}}
{fill_in}  - {{type: ordering, prompt: Order, items: [one, two, three]}}
  - type: matching
    prompt: Match
    pairs: [{{left: a, right: one}}, {{left: b, right: two}}]
""", encoding="utf-8")
    (folder / "course/en/index.md").write_text("# Generated\n\n::: mooc tracks\n", encoding="utf-8")
    lines = ["id: gen", "title: Generated course", "languages: [en]", "pages: [index]",
             "competencies:", "  - {id: C1, title: One}", "tracks:"]
    for tid, ids in tracks:
        lines += [f"  - id: {tid}", f"    title: Track {tid}", f"    modules: [{', '.join(ids)}]"]
    (folder / "course/course.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Generated\ndocs_dir: course/en\nuse_directory_urls: false\n"
        "theme: {name: material, font: false}\nplugins: [mooc]\n", encoding="utf-8")


@pytest.fixture(scope="session")
def generated_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole-course packages of a generated 60-module course, in both versions."""
    folder = tmp_path_factory.mktemp("generated")
    generated_course(folder, 60)
    out = folder / "packages"
    for fmt in ("scorm12", "scorm2004"):
        subprocess.run([str(ROOT / ".venv/bin/mooc"), "export", "-f", str(folder / "mkdocs.yml"),
                        "--format", fmt, "--all", "-o", str(out)],
                       cwd=folder, check=True, capture_output=True, text=True)
    return out


def config_of(package: Path) -> dict[str, Any]:
    """The runtime settings of a single-SCO package (its launch page)."""
    with zipfile.ZipFile(package) as zf:
        page = zf.read("launch.html").decode()
    found = re.search(r'<script type="application/json" id="mooc-scorm-config">(.*?)</script>',
                      page, re.S)
    assert found, f"{package.name}: no runtime settings in launch.html"
    return dict(json.loads(found.group(1)))


# ---------------------------------------------------------------- the lab

@pytest.fixture(scope="session", autouse=True)
def lab() -> Iterator[None]:
    if not DRIVER.is_file():
        pytest.fail(f"no Moodle lab at {LAB} (make test-lms runs its setup.sh)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "summary.txt").write_text("", encoding="utf-8")
    yield


def play(name: str, package: Path | None = None, cmid: int | None = None,
         mode: str = "answer", pages: str = "all", hook: Path = HOOK) -> dict[str, Any]:
    """One visit of a learner: import (or relaunch), the hook, leave; Moodle's record."""
    target = [str(package)] if package else ["--cmid", str(cmid)]
    env = dict(os.environ, HOOK_MODE=mode, HOOK_PAGES=pages,
               MOOC_LMS_HOOK=str(LAB / "hook_mooc_quiz.py"))
    RESULTS.mkdir(exist_ok=True)
    started = time.monotonic()
    run = subprocess.run(["python3", str(DRIVER), *target, "--actions", str(hook), "--json",
                          "--wait", "20", "--settle", "3"],
                         capture_output=True, text=True, env=env, timeout=1800, check=False)
    (RESULTS / f"{name}.log").write_text(run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"{name}: the lab said {run.returncode}:\n{run.stderr[-3000:]}"
    result = dict(json.loads(run.stdout))
    result["wall"] = round(time.monotonic() - started, 1)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def saves(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every save the player sent (hook.py's records): {"call", "args": [bytes], "result"}."""
    return [c for c in result["api_calls"] + result["api_calls_while_leaving"]
            if c["call"].startswith("net.")]


def check_no_failed_save(result: dict[str, Any]) -> int:
    """No API call failed, no save was refused or lost; the largest save, in bytes."""
    calls = [c for c in result["api_calls"] + result["api_calls_while_leaving"]
             if not c["call"].startswith("net.")]
    failed = [c for c in calls if c["result"] in ("false", False)]
    assert not failed, f"failed LMS calls: {failed[:5]}"
    sent = saves(result)
    assert all(s["result"] is True for s in sent), [s for s in sent if s["result"] is not True]
    assert all(s["http"] == 200 and s["body"].startswith("true") for s in result["saves"]), \
        result["saves"]
    noise = [line for line in result["console"] if any(x in line for x in FAILED_SAVE)]
    assert not noise, noise
    assert not result["page_errors"], result["page_errors"]
    assert not result["blocked_requests"], result["blocked_requests"]
    largest = max((s["args"][0] for s in sent), default=0)
    assert largest < BEACON_LIMIT
    return int(largest)


def check_recorded(result: dict[str, Any], version: str, questions: int) -> dict[str, Any]:
    """Passed with 100, in the gradebook too; suspended so that it resumes."""
    (sco,) = result["scos"]
    if version == "1.2":
        assert sco["status"] == "passed", sco
    else:
        assert (sco["status"], sco["success_status"]) == ("completed", "passed"), sco
    assert float(sco["score_raw"]) == 100
    assert result["grade"]["grade"] == 100 and result["grade"]["scorm_grade_user"] == 100
    assert sco["exit"] == "suspend"
    assert sco["interactions_count"] == questions
    assert sco["suspend_data_length"] > 0 and sco["location"]
    return dict(sco)


def check_resumed(result: dict[str, Any], first: dict[str, Any], quizzes: int) -> None:
    """What a relaunch shows came back from Moodle: every quiz's result and answers."""
    hook = result["hook"]
    state = hook["shell_before"]["state"]
    checked = [q for q, r in state["recs"].items() if r["attempts"] >= 1 and r["checked"]]
    assert len(checked) == quizzes, f"{len(checked)} of {quizzes} quizzes came back"
    assert hook["first_page"] == first["location"]  # the bookmark
    for page in hook["pages"]:
        for quiz in page["quizzes"]:
            assert quiz["locked"] and "100%" in quiz["result"], quiz
            for answer in quiz["answers"].values():
                # an ordering always has an order, a reflection stays on the device, a
                # scenario's path shows in the quiz's result
                if answer["type"] not in ("ordering", "reflection", "scenario"):
                    assert answer["value"] not in (None, "", []), (quiz["quiz"], answer)
    (sco,) = result["scos"]
    for key in ("status", "success_status", "score_raw", "interactions_count"):
        assert sco[key] == first[key], (key, sco[key], first[key])
    assert result["grade"]["grade"] == 100
    # Moodle reopens a passed attempt in review mode: the package writes nothing there
    written = [c for c in result["api_calls"] + result["api_calls_while_leaving"]
               if re.search(r"SetValue|Commit", c["call"])]
    assert not written, written[:5]


def summary(name: str, version: str, package: Path, result: dict[str, Any], largest: int,
            resumed: str) -> None:
    (sco,) = result["scos"]
    line = (f"{name:34} SCORM {version:4} {package.stat().st_size / 1e6:5.1f} MB  "
            f"largest save {largest:6} B  status {sco['status']}/{sco['success_status']}  "
            f"score {sco['score_raw']}  grade {result['grade']['grade']}  "
            f"interactions {sco['interactions_count']}  resume {resumed}  "
            f"({result['wall']} s)\n")
    with (RESULTS / "summary.txt").open("a", encoding="utf-8") as fh:
        fh.write(line)


def cycle(name: str, package: Path, version: str, relaunches: int, pages: str) -> None:
    """Play, then exit and relaunch `relaunches` times, checking Moodle each time."""
    config = config_of(package)
    questions = sum(len(q["questions"]) for q in config["quizzes"])
    detail = config.get("detail", "full")  # packages made before the budget report all
    expected = {"none": 0, "quizzes": len(config["quizzes"])}.get(detail, questions)
    first = play(name, package)
    largest = check_no_failed_save(first)
    sco = check_recorded(first, version, expected)
    hook = first["hook"]
    assert hook["quizzes_answered"] == len(config["quizzes"])
    for k in range(1, relaunches + 1):
        again = play(f"{name}-relaunch{k}", cmid=first["cmid"], mode="verify", pages=pages)
        largest = max(largest, check_no_failed_save(again))
        check_resumed(again, sco, len(config["quizzes"]))
    summary(name, version, package, first, largest,
            f"{relaunches}/{relaunches} relaunches: all {len(config['quizzes'])} quizzes back")


# ---------------------------------------------------------------- the cases

@pytest.mark.parametrize("fmt,version", [("scorm12", "1.2"), ("scorm2004", "2004")])
def test_a_track_package(real_packages: Path, fmt: str, version: str) -> None:
    cycle(f"real-psw-{fmt}", real_packages / f"pat-mooc-en-psw-{fmt}.zip", version, 1, "first")


def test_the_whole_course_in_scorm_2004_three_relaunches(real_packages: Path) -> None:
    cycle("real-all-scorm2004", real_packages / "pat-mooc-en-all-scorm2004.zip", "2004", 3, "all")


def test_the_whole_course_in_scorm_12(real_packages: Path) -> None:
    cycle("real-all-scorm12", real_packages / "pat-mooc-en-all-scorm12.zip", "1.2", 1, "all")


@pytest.mark.parametrize("fmt,version", [("scorm12", "1.2"), ("scorm2004", "2004")])
def test_a_generated_60_module_course_three_relaunches(generated_packages: Path, fmt: str,
                                                       version: str) -> None:
    package = generated_packages / f"gen-en-all-{fmt}.zip"
    # every quiz comes back in the runtime's state; three pages are looked at in full
    cycle(f"generated60-all-{fmt}", package, version, 3,
          "t00/m00.html t02/m05.html t05/m09.html")
