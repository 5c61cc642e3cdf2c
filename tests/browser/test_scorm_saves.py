"""When and how much the SCORM runtime saves, on the real scorm-again API (issue 13).

What a real Moodle showed: saves made while a page closes go out by sendBeacon and fail
above 64 KiB, Moodle's 2004 player sends the whole data model on every commit, and it
hands the earlier data back only when cmi.exit was "suspend". So the runtime commits
while its pages are alive, sets the exit to "suspend" from its first commit, writes
nothing in review mode, keeps each commit within the bound computed at export
(builder/export/budget.py), and never reports less than the LMS already holds.
The real-Moodle counterpart of these tests is tests/lms/ (`make test-lms`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from builder.export import budget, get_exporter
from builder.export.budget import commit_budget
from builder.export.plan import plan_package
from builder.pipeline import Settings, load_checked

from ..conftest import FIXTURES
from . import test_scorm_lms as base
from .test_scorm_lms import QUIZ, VERSIONS, Lms, answer_first_quiz

lms_root = base.lms_root  # the fixtures of the LMS tests
lms_url = base.lms_url

# In the page the SCO shows: record, when it goes away, which LMS calls had been made by
# then (the runtime's own pagehide listener was added before this one, so it has run).
MARK_PAGEHIDE = """() => {
  const shell = document.getElementById('sco').contentWindow;
  const inner = shell.document.getElementById('mooc-scorm-frame').contentWindow;
  window.__callsAtPagehide = null;
  inner.addEventListener('pagehide', () => { window.__callsAtPagehide = lms.calls.slice(); });
}"""


def exits_before_first_commit(lms: Lms) -> list[str]:
    """The exit values set before the first commit, in the order the LMS got them."""
    return list(lms.page.evaluate("""() => {
        const out = [];
        for (const [k, v] of lms.sets) { if (/\\.exit$/.test(k)) out.push(v); }
        return out; }"""))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_exit_is_suspend_from_the_first_commit(page: Any, lms_url: str, version: str) -> None:
    """A learner who leaves without any save arriving still resumes next time."""
    lms = Lms(page, lms_url, version)
    lms.start()
    lms.wait_page("basics/first.html")
    page.wait_for_function("() => lms.calls.includes('commit')")
    calls = lms.calls()
    assert calls[:2] == ["init", "commit"]
    assert exits_before_first_commit(lms) == ["suspend"]
    assert lms.exit(lms.cmi()) == "suspend"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_review_mode_writes_and_commits_nothing(page: Any, lms_url: str, version: str) -> None:
    """Moodle reopens a passed attempt in review mode: no value, no session time, no save."""
    lms = Lms(page, lms_url, version)
    data: dict[str, Any] = ({"core": {"student_id": "s1", "student_name": "Doe, Jane",
                                      "lesson_mode": "review", "lesson_status": "passed",
                                      "entry": "resume"}}
                            if version == "1.2" else
                            {"learner_id": "s1", "learner_name": "Doe, Jane", "mode": "review",
                             "completion_status": "completed", "success_status": "passed",
                             "entry": "resume"})
    lms.start(data)
    first = lms.wait_page("basics/first.html")
    answer_first_quiz(first)
    first.click("a[href='second.html#details']")
    lms.wait_page("basics/second.html")
    lms.close()
    calls = lms.calls()
    assert calls.count("init") == 1 and calls.count("finish") == 1
    assert "commit" not in calls
    assert lms.sets() == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_leaving_a_page_commits_once_the_next_page_is_shown(page: Any, lms_url: str,
                                                            version: str) -> None:
    """No commit from a page that is going away (Moodle's normal save fails there)."""
    lms = Lms(page, lms_url, version)
    lms.start()
    first = lms.wait_page("basics/first.html")
    page.wait_for_function("() => lms.calls.includes('commit')")
    first.check(f"#{QUIZ}-capital-c1")  # answered, not checked: a draft
    page.evaluate(MARK_PAGEHIDE)
    before = lms.commits()
    first.click("a[href='second.html#details']")
    lms.wait_page("basics/second.html")
    at_pagehide = page.evaluate("() => window.__callsAtPagehide")
    assert at_pagehide is not None, "the first page never went away"
    assert at_pagehide.count("commit") == before  # nothing committed while it closed
    lms.wait_commit(before)  # ... but once the second page was shown
    data = lms.cmi()["suspend_data"]
    assert ".0.1," in data or ".0.1" in data.split("~")[0]  # the draft: choice 1 of capital
    assert lms.location(lms.cmi()) == "basics/second.html"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_relaunch_that_lost_data_never_lowers_the_grade(page: Any, lms_url: str,
                                                          version: str) -> None:
    """The LMS holds a score and a pass but no saved state (it lost it): a weaker
    attempt now reports neither a lower score nor a worse status."""
    lms = Lms(page, lms_url, version)
    held: dict[str, Any] = ({"core": {"student_id": "s1", "student_name": "Doe, Jane",
                                      "lesson_status": "passed", "entry": "resume",
                                      "score": {"raw": "90", "min": "0", "max": "100"}},
                             "suspend_data": ""}
                            if version == "1.2" else
                            {"learner_id": "s1", "learner_name": "Doe, Jane",
                             "completion_status": "completed", "success_status": "passed",
                             "entry": "resume", "suspend_data": "",
                             "score": {"raw": "90", "min": "0", "max": "100", "scaled": "0.9"}})
    lms.start(held)
    first = lms.wait_page("basics/first.html")
    before = lms.commits()
    first.check(f"#{QUIZ}-capital-c1")  # wrong
    first.click(f"#{QUIZ} [data-action=check]")
    lms.wait_commit(before)
    cmi = lms.cmi()
    assert lms.score(cmi)["raw"] == "90"
    assert lms.status(cmi) == ("passed" if version == "1.2" else "completed/passed")
    assert len(lms.interactions(cmi)) == 7  # the quiz's block is still reported


def moodle_form_bytes(sets: list[list[str]]) -> tuple[int, int]:
    """What Moodle's 2004 player sends per commit for these values, every element's last
    value (scorm_13.js CollectData): as a URL-encoded form `&cmi__a__b=value` (a commit),
    and as the multipart form of a beacon (a save while the page closes: 87 bytes per
    part besides its name and value, 44 for the closing boundary)."""
    last: dict[str, str] = {}
    for key, value in sets:
        last[key.replace(".", "__")] = value
    form = sum(len("&" + key + "=" + quote(value, safe="-_.!~*'()")) for key, value in last.items())
    beacon = 44 + sum(87 + len(key) + len(value.encode()) for key, value in last.items())
    return form, beacon


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_saves_stay_within_the_bound_computed_at_export(page: Any, lms_url: str,
                                                        mini_site: Path, version: str) -> None:
    """budget.py counts every field the runtime writes: a whole answered course, with a
    long fill-in answer outside ASCII, stays within the bound the export computed."""
    project, _ = load_checked(Settings.at(FIXTURES / "mini"))
    exporter = get_exporter(VERSIONS[version])
    sco = plan_package(project, "en", mini_site).scos[0]
    budget = commit_budget(sco, exporter, version, "en")
    assert budget.detail == "full"
    lms = Lms(page, lms_url, version)
    lms.start()
    first = lms.wait_page("basics/first.html")
    answer_first_quiz(first)
    first.click(f"#{QUIZ} [data-action=retry]")
    first.fill(f"#{QUIZ}-balint-input", "…" * 300)  # 9 bytes each once encoded
    before = lms.commits()
    first.click(f"#{QUIZ} [data-action=check]")  # a second attempt, the long answer
    lms.wait_commit(before)
    first.click("a[href='second.html#details']")
    second = lms.wait_page("basics/second.html")
    second.check("#mooc-quiz-basics-inline-q1-true")
    second.click("#mooc-quiz-basics-inline [data-action=check]")
    lms.wait_passed()
    lms.close()
    form, beacon = moodle_form_bytes(lms.sets())
    interactions = len(lms.interactions(lms.cmi()))
    assert interactions == budget.questions == 8
    assert 2000 < form <= budget.bound, (form, budget.bound)
    assert 2000 < beacon <= budget.bound, (beacon, budget.bound)


def test_a_large_package_reports_each_quiz_as_one_interaction(
        page: Any, lms_url: str, lms_root: Path, mini_site: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """At the `quizzes` level of detail (a package with hundreds of questions), each checked
    quiz is one numeric interaction: its percentage, correct when it met its pass mark."""
    monkeypatch.setattr(budget, "DETAILS", ("quizzes", "none"))
    project, _ = load_checked(Settings.at(FIXTURES / "mini"))
    made = get_exporter("scorm2004").export(project, "en", mini_site, lms_root / "quizzes")
    target = lms_root / "pkg" / "mini-en-all-scorm2004-quizzes"
    with zipfile.ZipFile(made) as zf:
        zf.extractall(target)
    lms = Lms(page, lms_url, "2004", layout="-quizzes")
    lms.start()
    first = lms.wait_page("basics/first.html")
    before = lms.commits()
    answer_first_quiz(first)  # 5 of 6 points: 83 %, the pass mark is 70
    lms.wait_commit(before)
    (item,) = lms.interactions(lms.cmi())
    assert (item["id"], item["type"], item["learner_response"], item["result"]) == (
        "basics.all-types", "numeric", "83", "correct")
    first.click("a[href='second.html#details']")
    second = lms.wait_page("basics/second.html")
    second.check("#mooc-quiz-basics-inline-q1-false")  # wrong: 0 %
    second.click("#mooc-quiz-basics-inline [data-action=check]")
    page.wait_for_function("() => cmi().interactions['1'] !== undefined")
    items = lms.interactions(lms.cmi())
    assert [(i["id"], i["learner_response"], i["result"]) for i in items] == [
        ("basics.all-types", "83", "correct"), ("basics.inline", "0", "incorrect")]
