"""The SCORM runtime when the LMS goes wrong, in Chromium on the real scorm-again API.

The LMS page (tests/fixtures/scorm-lms/lms.html) wraps the API's methods before the SCO
sees them (breakApi): commits that fail or throw, SetValue refusing an element, an API
that always fails or throws. `lms.server` is what the LMS's server holds: values reach it
only with a commit that succeeds (a failed commit loses the values set since the last
one), so the package has to send again what a failed commit did not save.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from builder.common.jsdata import script_json
from builder.common.strings import builtin

from . import test_scorm_lms as base
from .test_scorm_lms import QUIZ, VERSIONS, Lms, answer_first_quiz

lms_root = base.lms_root  # the fixtures of the LMS tests
lms_url = base.lms_url

NOTICE = """() => { const s = document.getElementById('sco');
    const d = s && s.contentDocument, n = d && d.getElementById('mooc-scorm-notice');
    return n ? {text: n.textContent, role: n.getAttribute('role'), children: n.children.length,
                visible: n.getBoundingClientRect().height > 0} : null; }"""
PENDING = {"en": "Your progress has not reached the learning platform yet.",
           "fr": "Votre progression n’a pas encore atteint la plateforme de formation."}
FINISH = {"en": "Your latest progress could not be saved on the learning platform.",
          "fr": "Votre dernière progression n’a pas pu être enregistrée"}
OFF = "The learning platform is not recording this session"


def notice(lms: Lms) -> dict[str, Any]:
    found = lms.page.evaluate(NOTICE)
    assert found is not None, "the launch page has no notice element"
    return dict(found)


def wait_notice(lms: Lms, text: str, timeout: float = 20_000) -> None:
    """Until the notice holds `text` ("" : until it is empty)."""
    lms.page.wait_for_function(
        f"""(text) => {{ const n = ({NOTICE})();
            return n && (text ? n.text.includes(text) : n.text === ''); }}""",
        arg=text, timeout=timeout)


def hide_launch_page(lms: Lms) -> None:
    """What the browser does when the learner leaves: pagehide (the frame stays, so the
    notice and the timers can still be seen)."""
    lms.page.evaluate("""() => document.getElementById('sco').contentWindow
        .dispatchEvent(new Event('pagehide'))""")


def faults(lms: Lms) -> list[str]:
    return list(lms.page.evaluate("() => lms.faults"))


def server(lms: Lms) -> dict[str, str]:
    return dict(lms.page.evaluate("() => lms.server"))


def keys(version: str) -> dict[str, str]:
    if version == "1.2":
        return {"status": "cmi.core.lesson_status", "raw": "cmi.core.score.raw",
                "min": "cmi.core.score.min", "max": "cmi.core.score.max",
                "location": "cmi.core.lesson_location", "exit": "cmi.core.exit",
                "session": "cmi.core.session_time"}
    return {"status": "cmi.completion_status", "raw": "cmi.score.raw", "min": "cmi.score.min",
            "max": "cmi.score.max", "location": "cmi.location", "exit": "cmi.exit",
            "session": "cmi.session_time"}


def assert_quiz_works(first: Any) -> None:
    answer_first_quiz(first)
    assert "5 of 6" in first.inner_text(f"#{QUIZ} .mooc-quiz__result")
    assert first.is_visible(f"#{QUIZ} [data-action=retry]")


@pytest.mark.parametrize("mode", ["commitFails", "commitThrows"])
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_failed_commits_are_sent_again_and_the_learner_told_meanwhile(
        page: Any, lms_url: str, version: str, mode: str) -> None:
    lms = Lms(page, lms_url, version)
    lms.start(faults={mode: 5})
    first = lms.wait_page("basics/first.html")
    wait_notice(lms, PENDING["en"])  # after a few failed tries
    shown = notice(lms)
    assert len([f for f in faults(lms) if f.startswith("commit")]) >= 3
    assert shown["role"] == "status" and shown["children"] == 0 and shown["visible"]
    assert_quiz_works(first)  # checked while the LMS still fails: its values are pending
    wait_notice(lms, "")  # a commit went through: the notice is gone
    assert not notice(lms)["visible"]
    tried = [f for f in faults(lms) if f.startswith("commit")]
    assert len(tried) == 5, tried

    k, held, cmi = keys(version), server(lms), lms.cmi()
    assert held[k["raw"]] == "71"
    assert (held[k["min"]], held[k["max"]]) == ("0", "100")
    assert held[k["status"]] == "incomplete"
    assert held[k["location"]] == "basics/first.html"
    assert held["cmi.suspend_data"] == cmi["suspend_data"]
    assert held["cmi.suspend_data"] == lms.debug()["suspend"]  # every answer
    assert [held[f"cmi.interactions.{i}.id"] for i in range(7)] == [
        i["id"] for i in lms.interactions(cmi)]
    assert held["cmi.interactions.0.result"] == "correct"
    if version == "2004":
        assert held["cmi.score.scaled"] == "0.71"

    lms.close()
    held = server(lms)
    assert held[k["exit"]] == "suspend" and held[k["session"]]
    assert lms.calls().count("finish") == 1


@pytest.mark.parametrize(("version", "lang"), [("1.2", "en"), ("2004", "en"), ("1.2", "fr")])
def test_an_lms_that_always_fails_leaves_the_course_usable(
        page: Any, lms_url: str, lms_root: Path, version: str, lang: str) -> None:
    package = "mini-en-all"
    if lang != "en":  # the same package, its launch page in another language
        package = f"{lang}-mini-en-all"
        src = lms_root / "pkg" / f"mini-en-all-{VERSIONS[version]}"
        dst = lms_root / "pkg" / f"{package}-{VERSIONS[version]}"
        if not dst.exists():
            shutil.copytree(src, dst)
            launch = dst / "launch.html"
            text = launch.read_text(encoding="utf-8")
            text = text.replace('<html lang="en">', f'<html lang="{lang}">', 1)
            # the runtime's messages come with its settings, in the package's language
            found = re.search(r'(id="mooc-scorm-config">)(.*?)(</script>)', text, re.S)
            assert found is not None
            config = json.loads(found.group(2))
            config["notices"] = {key: builtin(lang)[f"scorm_{key}"] for key in config["notices"]}
            text = text[:found.start(2)] + script_json(config, sort_keys=True) + text[found.end(2):]
            launch.write_text(text, encoding="utf-8")
    lms = Lms(page, lms_url, version, package=package)
    lms.start(faults={"commitFails": -1, "setFails": -1})
    first = lms.wait_page("basics/first.html")
    wait_notice(lms, PENDING[lang])
    assert notice(lms)["role"] == "status"
    assert_quiz_works(first)
    first.click("a[href='second.html#details']")
    lms.wait_page("basics/second.html")
    assert lms.debug()["state"]["seen"] == {"basics/first.html": True,
                                            "basics/second.html": True}
    assert server(lms) == {}

    before = faults(lms).count("commit failed")
    page.wait_for_timeout(1500)
    assert faults(lms).count("commit failed") - before <= 2  # a backoff, not a busy loop
    hide_launch_page(lms)  # the learner leaves
    wait_notice(lms, FINISH[lang])
    assert lms.calls().count("finish") == 1
    assert lms.debug()["finished"] is True
    after = faults(lms)
    page.wait_for_timeout(1200)
    hide_launch_page(lms)  # again: nothing more
    assert faults(lms) == after  # no call after the end, no loop
    assert lms.calls().count("finish") == 1


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_an_api_that_throws_everywhere_never_breaks_the_page(
        page: Any, lms_url: str, version: str) -> None:
    lms = Lms(page, lms_url, version)
    lms.start(faults={"throwAll": True})
    first = lms.wait_page("basics/first.html")
    assert_quiz_works(first)
    wait_notice(lms, OFF)  # asked again for a few seconds, then the learner is told
    tries = [f for f in faults(lms) if "Initialize" in f]
    assert 2 <= len(tries) <= 8, tries
    first.click("a[href='second.html#details']")
    lms.wait_page("basics/second.html")
    hide_launch_page(lms)
    assert lms.debug()["finished"] is True
    assert not [f for f in faults(lms) if "Initialize" not in f and "GetLastError" not in f]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_refused_value_does_not_stop_the_others(page: Any, lms_url: str,
                                                  version: str) -> None:
    lms = Lms(page, lms_url, version)
    lms.start(faults={"reject": r"score\.raw$"})
    first = lms.wait_page("basics/first.html")
    commits = lms.commits()
    answer_first_quiz(first)
    lms.wait_commit(commits)
    k, held = keys(version), server(lms)
    assert k["raw"] not in held  # refused
    assert (held[k["min"]], held[k["max"]]) == ("0", "100")
    assert held[k["status"]] == "incomplete"
    assert held["cmi.suspend_data"] == lms.debug()["suspend"]
    assert held["cmi.interactions.6.id"] == "basics.all-types.think"
    if version == "2004":
        assert held["cmi.score.scaled"] == "0.71"
    commits = lms.commits()
    first.click("a[href='second.html#details']")
    lms.wait_page("basics/second.html")
    lms.wait_commit(commits)
    assert server(lms)[k["location"]] == "basics/second.html"
    assert faults(lms) == [f"reject {k['raw']}"]  # refused once; the same value not sent again
    assert notice(lms)["text"] == ""  # nothing the learner can do about it
    lms.close()
    assert server(lms)[k["exit"]] == "suspend"
