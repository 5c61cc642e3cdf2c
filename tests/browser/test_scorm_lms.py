"""SCORM packages played by an LMS page built on scorm-again, in Chromium.

The packages are the ones `mooc build` wrote into the mini site's downloads/. The LMS
page (tests/fixtures/scorm-lms/lms.html) creates the API and puts the launch page in a
same-origin frame; the tests take the quizzes in the package's pages and read back what
the LMS stored (renderCMIToJSONObject), then relaunch with that data.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main as mooc_main
from builder.export import get_exporter
from builder.export.plan import plan_package, suspend_bound
from builder.pipeline import Settings, load_checked

from ..conftest import FIXTURES
from .conftest import NODE_MODULES, served

VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}
QUIZ = "mooc-quiz-basics-all-types"
PRIVATE_NOTE = "my private note about the course"


def stand_in_lms(root: Path, packages: list[Path]) -> Path:
    """`root` with lms.html, scorm-again, and each package extracted under
    pkg/<zip name>/."""
    dist = NODE_MODULES / "scorm-again" / "dist"
    if not (dist / "scorm12.js").is_file():
        pytest.fail("node_modules/scorm-again is missing: run `make npm`")
    shutil.copy(FIXTURES / "scorm-lms" / "lms.html", root / "lms.html")
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(dist / name, root / name)
    for package in packages:
        with zipfile.ZipFile(package) as zf:
            zf.extractall(root / "pkg" / package.stem)
    return root


@pytest.fixture(scope="session")
def lms_root(mini_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """lms.html, scorm-again, and every package extracted under pkg/<zip name>/."""
    root = tmp_path_factory.mktemp("lms")
    project, _ = load_checked(Settings.at(FIXTURES / "mini"))
    packages = sorted((mini_site / "downloads").glob("*.zip"))
    for name in VERSIONS.values():  # and the one-SCO-per-module layout
        packages.append(get_exporter(name, layout="module").export(
            project, "en", mini_site, root / "zips"))
    return stand_in_lms(root, packages)


@pytest.fixture(scope="session")
def lms_url(lms_root: Path) -> Iterator[str]:
    """The LMS folder served on 127.0.0.1."""
    with served(lms_root) as url:
        yield url


class Lms:
    """One LMS page: start a SCO, read the LMS side, drive the SCO's pages."""

    def __init__(self, page: Any, base: str, version: str,
                 package: str = "mini-en-all", layout: str = "") -> None:
        self.page = page
        self.base = base
        self.version = version
        self.package = f"{package}-{VERSIONS[version]}{layout}"
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))

    def start(self, data: dict[str, Any] | None = None, delay_ms: int = 0,
              launch: str = "launch.html", also_other: bool = False,
              faults: dict[str, Any] | None = None) -> None:
        """`faults`: how the LMS goes wrong (breakApi in lms.html)."""
        self.page.goto(f"{self.base}/lms.html")
        self.page.evaluate("([v, d, u, ms, o, f]) => startLms(v, d, u, ms, o, f)",
                           [self.version, data, f"pkg/{self.package}/{launch}", delay_ms,
                            also_other, faults])

    def commits(self) -> int:
        return self.calls().count("commit")

    def wait_commit(self, after: int) -> None:
        self.page.wait_for_function(
            "(n) => lms.calls.filter(c => c === 'commit').length > n", arg=after)

    def wait_passed(self) -> None:
        """Until the SCO has set a status that says passed."""
        self.page.wait_for_function(
            "() => lms.sets.some(s => /status$/.test(s[0]) && /passed/.test(s[1]))")

    def outside(self) -> list[str]:
        """Requests for anything but the LMS page, scorm-again and this package."""
        allowed = (f"{self.base}/lms.html", f"{self.base}/scorm12.js",
                   f"{self.base}/scorm2004.js", f"{self.base}/pkg/{self.package}/")
        return [u for u in self.requests if not u.startswith(allowed)
                and not u.startswith("data:")]

    # -- the LMS side
    def cmi(self) -> dict[str, Any]:
        return dict(self.page.evaluate("() => cmi()"))

    def calls(self) -> list[str]:
        return list(self.page.evaluate("() => lms.calls"))

    def sets(self) -> list[list[str]]:
        return list(self.page.evaluate("() => lms.sets"))

    def close(self) -> None:
        self.page.evaluate("() => closeSco()")
        self.page.wait_for_function("() => lms.calls.includes('finish')")

    # -- the SCO side
    def debug(self) -> dict[str, Any]:
        return dict(self.page.evaluate(
            "() => document.getElementById('sco').contentWindow.MoocScorm.debug()"))

    def wait_page(self, path: str) -> Any:
        """Wait until the SCO shows `path` (attached to the runtime); its frame."""
        self.page.wait_for_function(
            """(path) => { const s = document.getElementById('sco');
                 const w = s && s.contentWindow;
                 return !!(w && w.MoocScorm && w.MoocScorm.debug().page === path
                   && w.document.getElementById('mooc-scorm-frame').contentWindow
                        .location.pathname.endsWith('/' + path)); }""", arg=path)
        return next(f for f in self.page.frames if f.url.split("#")[0].endswith("/" + path))

    # -- reading values whatever the version
    def status(self, cmi: dict[str, Any]) -> str:
        if self.version == "1.2":
            return str(cmi["core"]["lesson_status"])
        return f"{cmi['completion_status']}/{cmi['success_status']}"

    def score(self, cmi: dict[str, Any]) -> dict[str, str]:
        return dict(cmi["core"]["score"] if self.version == "1.2" else cmi["score"])

    def location(self, cmi: dict[str, Any]) -> str:
        return str(cmi["core"]["lesson_location"] if self.version == "1.2" else cmi["location"])

    def exit(self, cmi: dict[str, Any]) -> str:
        return str(cmi["core"]["exit"] if self.version == "1.2" else cmi["exit"])

    def interactions(self, cmi: dict[str, Any]) -> list[dict[str, Any]]:
        items = cmi["interactions"]
        return [items[str(i)] for i in range(len(items))]

    def resume_data(self, cmi: dict[str, Any]) -> dict[str, Any]:
        """What an LMS hands back to the next launch of the same attempt."""
        entry = "resume" if self.exit(cmi) == "suspend" else ""
        if self.version == "1.2":
            core = cmi["core"]
            return {"core": {"student_id": "s1", "student_name": "Doe, Jane",
                             "lesson_location": core["lesson_location"],
                             "lesson_status": core["lesson_status"], "entry": entry,
                             "score": core["score"]},
                    "suspend_data": cmi["suspend_data"]}
        return {"learner_id": "s1", "learner_name": "Doe, Jane", "location": cmi["location"],
                "completion_status": cmi["completion_status"],
                "success_status": cmi["success_status"], "entry": entry,
                "score": cmi["score"], "suspend_data": cmi["suspend_data"]}


def put_in_order(frame: Any, fieldset: str) -> None:
    """Press the move buttons until the ordering question is in the correct order."""
    for target in range(10):
        order = frame.evaluate(
            f"""() => Array.from(document.querySelectorAll('#{fieldset} .mooc-order__item'))
                  .map(li => Number(li.dataset.item))""")
        if target >= len(order) or order == sorted(order):
            return
        at = order.index(target)
        for _ in range(at - target):
            frame.click(f'#{fieldset} [data-item="{target}"] .mooc-order__up')


def answer_first_quiz(frame: Any) -> None:
    """Five of the six scored questions right (83 %: passed), and a reflection."""
    frame.check(f"#{QUIZ}-capital-c0")
    frame.check(f"#{QUIZ}-colours-c0")
    frame.check(f"#{QUIZ}-colours-c1")
    frame.check(f"#{QUIZ}-sky-false")
    frame.fill(f"#{QUIZ}-balint-input", "Bálint ")
    put_in_order(frame, f"{QUIZ}-steps")
    frame.select_option(f"#{QUIZ}-pairs-m0", "0")
    frame.select_option(f"#{QUIZ}-pairs-m1", "2")  # wrong
    frame.fill(f"#{QUIZ}-think-text", PRIVATE_NOTE)
    frame.click(f"#{QUIZ} [data-action=check]")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_take_quiz_leave_resume_and_finish(page: Any, lms_url: str, version: str,
                                           browser: Any) -> None:
    lms = Lms(page, lms_url, version)
    lms.start()
    first = lms.wait_page("basics/first.html")
    assert lms.calls()[:1] == ["init"]
    assert lms.status(lms.cmi()) == ("incomplete" if version == "1.2" else "incomplete/unknown")
    commits = lms.commits()
    answer_first_quiz(first)
    lms.wait_commit(commits)

    # -- what the LMS got after one checked quiz
    cmi = lms.cmi()
    assert lms.status(cmi) == ("incomplete" if version == "1.2" else "incomplete/unknown")
    assert lms.score(cmi)["raw"] == "71"  # 5 of 7 points in the SCO (6 + 1 in page 2)
    assert (lms.score(cmi)["min"], lms.score(cmi)["max"]) == ("0", "100")
    if version == "2004":
        assert lms.score(cmi)["scaled"] == "0.71"
    items = lms.interactions(cmi)
    assert [i["id"] for i in items] == [f"basics.all-types.{q}" for q in
                                        ("capital", "colours", "sky", "balint", "steps",
                                         "pairs", "think")]
    response = "student_response" if version == "1.2" else "learner_response"
    wrong = "wrong" if version == "1.2" else "incorrect"
    assert [i["type"] for i in items] == [
        "choice", "choice", "true-false", "fill-in", "sequencing", "matching",
        "fill-in" if version == "1.2" else "long-fill-in"]
    assert [i["result"] for i in items] == ["correct"] * 5 + [wrong, "neutral"]
    sep, pair = ("," if version == "1.2" else "[,]"), ("." if version == "1.2" else "[.]")
    assert [i[response] for i in items[:6]] == [
        "a", f"a{sep}b", "f" if version == "1.2" else "false", "Bálint ",
        sep.join("abcd"), f"a{pair}a{sep}b{pair}c"]
    assert items[0]["correct_responses"]["0"]["pattern"] == "a"
    assert items[5]["correct_responses"]["0"]["pattern"] == sep.join(
        f"{c}{pair}{c}" for c in "abc")
    assert all(i["latency"] for i in items)
    assert PRIVATE_NOTE not in json.dumps(cmi)  # reflections stay on the device
    assert lms.location(cmi) == "basics/first.html"
    assert re.match(r"M2\|[0-9a-z]{6}\|", cmi["suspend_data"])  # format, learner's key

    # -- go to the second page, start its quiz without checking, leave
    commits = lms.commits()
    first.click("a[href='second.html#details']")
    second = lms.wait_page("basics/second.html")
    lms.wait_commit(commits)  # on page change
    second.check("#mooc-quiz-basics-inline-q1-true")
    lms.close()
    cmi = lms.cmi()
    assert lms.calls().count("finish") == 1
    assert lms.exit(cmi) == "suspend"
    assert lms.location(cmi) == "basics/second.html"
    session = cmi["core"]["session_time"] if version == "1.2" else cmi["session_time"]
    assert session and session not in ("00:00:00", "PT0S")
    data = lms.resume_data(cmi)
    assert data["suspend_data"] and len(data["suspend_data"]) < 4096

    # -- relaunch on another device (a new browser context: no local storage)
    context = browser.new_context(viewport={"width": 1350, "height": 900})
    try:
        page2 = context.new_page()
        errors: list[str] = []
        page2.on("pageerror", lambda exc: errors.append(str(exc)))
        lms2 = Lms(page2, lms_url, version)
        lms2.start(data)
        second = lms2.wait_page("basics/second.html")  # back where they left
        assert second.is_checked("#mooc-quiz-basics-inline-q1-true")  # the draft answer
        second.click("a.md-nav__link[href='first.html']")
        first = lms2.wait_page("basics/first.html")
        assert first.is_checked(f"#{QUIZ}-capital-c0")
        assert first.is_checked(f"#{QUIZ}-colours-c1")
        assert not first.is_checked(f"#{QUIZ}-colours-c2")
        assert first.is_checked(f"#{QUIZ}-sky-false")
        assert first.input_value(f"#{QUIZ}-balint-input") == "Bálint "
        assert first.input_value(f"#{QUIZ}-pairs-m1") == "2"
        assert first.evaluate(f"""() => Array.from(document.querySelectorAll(
            '#{QUIZ}-steps .mooc-order__item')).map(li => li.dataset.item).join('')""") == "0123"
        result = first.inner_text(f"#{QUIZ} .mooc-quiz__result")
        assert "5 of 6" in result and "1" in result.rsplit(":", 1)[-1]  # attempts: 1
        assert first.input_value(f"#{QUIZ}-think-text") == ""  # stayed on the first device

        first.click("a.md-nav__link[href='second.html']")
        second = lms2.wait_page("basics/second.html")
        second.click("#mooc-quiz-basics-inline [data-action=check]")
        lms2.wait_passed()
        cmi = lms2.cmi()
        assert lms2.status(cmi) == ("passed" if version == "1.2" else "completed/passed")
        assert lms2.score(cmi)["raw"] == "86"
        items = lms2.interactions(cmi)
        assert len(items) == 8  # the first quiz's block written again, then the new one
        assert len({i["id"] for i in items}) == 8
        assert items[7]["id"] == "basics.inline.q1"
        assert items[7]["result"] == "correct"

        lms2.close()
        cmi = lms2.cmi()
        assert lms2.calls().count("finish") == 1
        assert lms2.calls().count("init") == 1
        exits = [v for k, v in lms2.sets() if k.endswith(".exit")]
        assert exits == ["suspend"]  # set once, from the first commit, kept once passed
        assert lms2.status(cmi) == ("passed" if version == "1.2" else "completed/passed")
        assert not errors, errors
    finally:
        context.close()

    assert not lms.outside() and not lms2.outside(), lms.outside() + lms2.outside()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_binds_only_the_api_of_its_version(page: Any, lms_url: str, version: str) -> None:
    lms = Lms(page, lms_url, version)
    lms.start(also_other=True)
    lms.wait_page("basics/first.html")
    assert lms.calls()[:1] == ["init"]
    assert page.evaluate("() => lms.otherCalls") == []


def test_finds_an_api_that_appears_late_and_opens_the_bookmark(page: Any, lms_url: str) -> None:
    lms = Lms(page, lms_url, "1.2")
    data = {"core": {"lesson_location": "basics/second.html", "entry": "resume",
                     "lesson_status": "incomplete"}, "suspend_data": ""}
    lms.start(data, delay_ms=-1)
    lms.wait_page("basics/first.html")  # never a blank page while the API is missing
    assert lms.calls() == []
    page.evaluate("() => exposeApi()")
    lms.wait_page("basics/second.html")  # found on a retry: back to the bookmark
    assert lms.calls().count("init") == 1
    assert lms.debug()["state"]["seen"] == {"basics/first.html": True,
                                            "basics/second.html": True}


@pytest.mark.parametrize("suspend", [
    "garbage", '{"v": 1, "quizzes": {}}', "M0|abcd|", "M1|", "M1|||", "M1|zz|~~~",
    "M1|3r9wzzzz|zzzz1.2.1.a", "M1|3r9w|hqelzz.zz.1.9,xyz,q,%ZZ%,9999,---,",
    "M1|3r9w|hqel1.1.1.0", "M2|3r9w|hqel1.1.1.0,,,,,,"])
def test_old_or_foreign_suspend_data_never_breaks_the_sco(page: Any, lms_url: str,
                                                          suspend: str) -> None:
    lms = Lms(page, lms_url, "1.2")
    lms.start({"core": {"lesson_location": "basics/first.html", "entry": "resume",
                        "lesson_status": "incomplete"}, "suspend_data": suspend})
    first = lms.wait_page("basics/first.html")
    commits = lms.commits()
    if first.is_visible(f"#{QUIZ} [data-action=retry]"):  # restored as checked
        first.click(f"#{QUIZ} [data-action=retry]")
    first.check(f"#{QUIZ}-capital-c0")
    first.click(f"#{QUIZ} [data-action=check]")
    lms.wait_commit(commits)
    cmi = lms.cmi()
    assert cmi["suspend_data"].startswith("M2|")
    assert lms.interactions(cmi)[0]["id"] == "basics.all-types.capital"
    lms.close()
    assert lms.calls().count("finish") == 1


def test_a_state_saved_before_issue_15_is_still_read(page: Any, lms_url: str) -> None:
    """suspend_data "M1" (no learner's key): the answers come back, a key is made."""
    lms = Lms(page, lms_url, "1.2")
    lms.start()
    first = lms.wait_page("basics/first.html")
    first.check(f"#{QUIZ}-capital-c0")
    commits = lms.commits()
    first.click(f"#{QUIZ} [data-action=check]")
    lms.wait_commit(commits)
    lms.close()
    data = lms.resume_data(lms.cmi())
    saved = data["suspend_data"]
    data["suspend_data"] = "M1|" + saved.split("|", 2)[2]  # as a runtime before M2 wrote it
    lms.start(data)
    first = lms.wait_page("basics/first.html")
    assert first.is_checked(f"#{QUIZ}-capital-c0")
    assert first.is_visible(f"#{QUIZ} [data-action=retry]")  # checked, attempts: 1
    assert re.match(r"M2\|[0-9a-z]{6}\|", lms.debug()["suspend"])


def test_hidden_page_commits_the_answers_not_checked_yet(page: Any, lms_url: str) -> None:
    lms = Lms(page, lms_url, "2004")
    lms.start()
    first = lms.wait_page("basics/first.html")
    first.check(f"#{QUIZ}-capital-c1")  # answered, not checked
    commits = lms.commits()
    page.evaluate("""() => { const d = document.getElementById('sco').contentDocument;
        Object.defineProperty(d, 'visibilityState', {value: 'hidden', configurable: true});
        d.dispatchEvent(new Event('visibilitychange')); }""")
    lms.wait_commit(commits)
    assert re.search(r"\|[0-9a-z]{4}0\.0\.0\.1,", lms.cmi()["suspend_data"])
    assert lms.calls().count("finish") == 0


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_one_sco_per_module(page: Any, lms_url: str, version: str) -> None:
    lms = Lms(page, lms_url, version, layout="-modules")
    lms.start(launch="launch-basics-second.html")
    second = lms.wait_page("basics/second.html")
    assert second.locator("a[href^='first.html']").count() == 0  # another SCO's page
    second.check("#mooc-quiz-basics-inline-q1-true")
    second.click("#mooc-quiz-basics-inline [data-action=check]")
    lms.wait_passed()
    cmi = lms.cmi()
    assert lms.status(cmi) == ("passed" if version == "1.2" else "completed/passed")
    assert lms.score(cmi)["raw"] == "100"
    assert [i["id"] for i in lms.interactions(cmi)] == ["basics.inline.q1"]
    lms.close()
    assert lms.exit(lms.cmi()) == "suspend"  # the learner finds their answers next time
    assert not lms.outside(), lms.outside()


def test_longest_suspend_data_stays_within_the_exported_bound(page: Any, lms_url: str,
                                                               mini_site: Path) -> None:
    project, _ = load_checked(Settings.at(FIXTURES / "mini"))
    bound = suspend_bound(plan_package(project, "en", mini_site).scos[0])
    lms = Lms(page, lms_url, "1.2")
    lms.start()
    first = lms.wait_page("basics/first.html")
    first.fill(f"#{QUIZ}-balint-input", "%|~," * 100)  # every character escaped
    typed = first.input_value(f"#{QUIZ}-balint-input")
    assert len(typed) == int(first.get_attribute(f"#{QUIZ}-balint-input", "maxlength") or 0)
    for i in range(3):
        first.check(f"#{QUIZ}-colours-c{i}")
    first.check(f"#{QUIZ}-capital-c2")
    first.check(f"#{QUIZ}-sky-true")
    for i in range(3):
        first.select_option(f"#{QUIZ}-pairs-m{i}", str(2 - i))
    first.click(f"#{QUIZ} [data-action=check]")
    first.click("a[href='second.html#details']")
    second = lms.wait_page("basics/second.html")
    second.check("#mooc-quiz-basics-inline-q1-false")
    second.click("#mooc-quiz-basics-inline [data-action=check]")
    page.wait_for_function("() => /~/.test(cmi().suspend_data)")
    data = lms.cmi()["suspend_data"]
    assert 3 * len(typed) < len(data) <= bound


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_resume_after_the_package_was_updated(page: Any, lms_url: str, lms_root: Path,
                                              tmp_path: Path, browser: Any,
                                              version: str) -> None:
    """A quiz whose questions changed starts again; the rest of the old state is kept."""
    lms = Lms(page, lms_url, version)
    lms.start()
    first = lms.wait_page("basics/first.html")
    answer_first_quiz(first)
    first.click("a[href='second.html#details']")
    second = lms.wait_page("basics/second.html")
    second.check("#mooc-quiz-basics-inline-q1-true")
    commits = lms.commits()
    second.click("#mooc-quiz-basics-inline [data-action=check]")
    lms.wait_commit(commits)
    lms.close()
    data = lms.resume_data(lms.cmi())

    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    quiz = src / "quizzes/en/basics/all-types.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("questions:\n", (
        "questions:\n  - id: extra\n    type: true-false\n    prompt: A new question.\n"
        "    answer: true\n"), 1), encoding="utf-8")
    fmt = VERSIONS[version]
    assert mooc_main(["export", "-f", str(src / "mkdocs.yml"), "--format", fmt,
                      "-o", str(tmp_path / "out")]) == 0
    with zipfile.ZipFile(tmp_path / "out" / f"mini-en-all-{fmt}.zip") as zf:
        zf.extractall(lms_root / "pkg" / f"updated-{version}-{fmt}")

    context = browser.new_context(viewport={"width": 1350, "height": 900})
    try:
        page2 = context.new_page()
        errors: list[str] = []
        page2.on("pageerror", lambda exc: errors.append(str(exc)))
        lms2 = Lms(page2, lms_url, version, package=f"updated-{version}")
        lms2.start(data)
        second = lms2.wait_page("basics/second.html")
        assert second.is_checked("#mooc-quiz-basics-inline-q1-true")  # unchanged: kept
        assert second.is_visible("#mooc-quiz-basics-inline [data-action=retry]")
        second.click("a.md-nav__link[href='first.html']")
        first = lms2.wait_page("basics/first.html")
        assert not first.is_checked(f"#{QUIZ}-capital-c0")  # changed: starts again
        assert first.is_visible(f"#{QUIZ} [data-action=check]")
        assert lms2.debug()["state"]["seen"] == {"basics/first.html": True,
                                                 "basics/second.html": True}
        cmi = lms2.cmi()  # what the learner had earned stays: status and score
        assert lms2.status(cmi) == ("passed" if version == "1.2" else "completed/passed")
        assert lms2.score(cmi)["raw"] == "86"
        assert not errors, errors
    finally:
        context.close()


def test_attempted_rule_reports_failed_then_passed(page: Any, lms_url: str, lms_root: Path,
                                                   tmp_path: Path) -> None:
    """completion.quiz: attempted; below the pass mark once everything is done: failed,
    and the attempt stays open (exit suspend) so the learner can still pass."""
    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    course = src / "course/course.yml"
    course.write_text(course.read_text(encoding="utf-8") +
                      "completion: {page_seen: true, quiz: attempted}\n", encoding="utf-8")
    assert mooc_main(["export", "-f", str(src / "mkdocs.yml"), "--format", "scorm12",
                      "-o", str(tmp_path / "out")]) == 0
    with zipfile.ZipFile(tmp_path / "out" / "mini-en-all-scorm12.zip") as zf:
        zf.extractall(lms_root / "pkg" / "attempted-scorm12")
    lms = Lms(page, lms_url, "1.2", package="attempted")
    lms.start()
    first = lms.wait_page("basics/first.html")
    first.check(f"#{QUIZ}-capital-c1")  # wrong
    first.click(f"#{QUIZ} [data-action=check]")
    first.click("a[href='second.html#details']")
    second = lms.wait_page("basics/second.html")
    second.check("#mooc-quiz-basics-inline-q1-true")
    commits = lms.commits()
    second.click("#mooc-quiz-basics-inline [data-action=check]")
    lms.wait_commit(commits)
    cmi = lms.cmi()
    assert (lms.status(cmi), lms.score(cmi)["raw"]) == ("failed", "14")  # 1 of 7 points
    assert lms.debug()["evaluation"]["finished"] is False  # would exit with suspend
    second.click("a.md-nav__link[href='first.html']")
    first = lms.wait_page("basics/first.html")
    first.click(f"#{QUIZ} [data-action=retry]")
    answer_first_quiz(first)
    page.wait_for_function("() => cmi().core.lesson_status === 'passed'")
    assert lms.score(lms.cmi())["raw"] == "86"
    lms.close()
    assert lms.exit(lms.cmi()) == "suspend"


def test_clear_my_notes_in_a_package(page: Any, lms_url: str) -> None:
    """A reflection cleared in a package's page is gone from the frame's storage; the LMS
    never had it (reflections stay on the device), before or after the next save."""
    lms = Lms(page, lms_url, "2004")
    lms.start()
    first = lms.wait_page("basics/first.html")
    commits = lms.commits()
    first.fill(f"#{QUIZ}-think-text", PRIVATE_NOTE)
    first.check(f"#{QUIZ}-capital-c0")
    first.click(f"#{QUIZ} [data-action=check]")
    lms.wait_commit(commits)
    assert PRIVATE_NOTE in first.evaluate("() => JSON.stringify(localStorage)")
    first.click(f"#{QUIZ} [data-action=clear-notes]")
    first.click(f"#{QUIZ} [data-action=clear-notes-yes]")
    assert first.input_value(f"#{QUIZ}-think-text") == ""
    assert PRIVATE_NOTE not in first.evaluate("() => JSON.stringify(localStorage)")
    commits = lms.commits()
    first.click("a[href='second.html#details']")
    lms.wait_page("basics/second.html")
    lms.wait_commit(commits)  # the next save
    assert PRIVATE_NOTE not in json.dumps(lms.cmi())
    lms.close()
