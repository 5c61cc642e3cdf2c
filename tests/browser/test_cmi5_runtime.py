"""The cmi5 AU runtime (builder/export/assets/cmi5-runtime.js) in Chromium, against a small
LMS and LRS of ours on the package's origin: what it sends, in which order and with which
context; retries; the state restored; Review mode; the LMS's mastery score; and what
reaches the LRS when the page goes away without Exit (keepalive). ADL's own suite plays the
real course in tests/cmi5/ (`make test-cmi5`).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from builder.export.cmi5 import Cmi5Exporter
from builder.pipeline import Settings, load_checked

from ..conftest import FIXTURES
from .conftest import _Quiet, build_site, served

QUIZ = "mooc-quiz-basics-all-types"
VERB = "http://adlnet.gov/expapi/verbs/"
ACTOR = {"objectType": "Agent", "name": "Learner",
         "account": {"homePage": "https://lms.example", "name": "learner-1"}}
REGISTRATION = "6f0c5a1e-1111-4222-8333-944455556666"
ACTIVITY = "https://lms.example/au/first"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"


@dataclass
class Lms:
    """What the LMS hands the AU, and everything the AU sends it."""

    launch_mode: str = "Normal"
    mastery: float | None = 0.7
    fail_statements: int = 0  # answer the first N statement requests with 503
    state: dict[str, Any] | None = None  # the AU's State API document
    held: list[dict[str, Any]] = field(default_factory=list)  # statements from earlier
    log: list[tuple[float, str, str, dict[str, Any], Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def launch_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"id": "urn:mooc:mini:en:au:basics/first"}]},
                "extensions": {SESSION: "session-1"}},
            "launchMode": self.launch_mode, "launchMethod": "AnyWindow",
            "moveOn": "CompletedAndPassed", "returnURL": "/returned.html"}
        if self.mastery is not None:
            data["masteryScore"] = self.mastery
        return data

    def statements(self) -> list[dict[str, Any]]:
        with self.lock:
            return [st for _, method, path, _, body in self.log
                    if path.endswith("/statements") and method == "POST" and body != "refused"
                    for st in body]

    def verbs(self) -> list[str]:
        return [st["verb"]["id"].removeprefix(VERB) for st in self.statements()]

    def requests(self) -> list[str]:
        with self.lock:
            return [f"{method} {path.rsplit('/lrs/', 1)[-1]}" for _, method, path, _, _ in self.log]


def handler_for(lms: Lms) -> type[_Quiet]:
    class Handler(_Quiet):
        def _reply(self, status: int, body: Any = None) -> None:
            raw = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _record(self, method: str) -> tuple[str, dict[str, Any], Any]:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            size = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(size)) if size else None
            with lms.lock:
                lms.log.append((time.monotonic(), method, url.path, query, body))
            return url.path, query, body

        def _lrs(self, method: str) -> bool:
            if not self.path.startswith(("/lrs/", "/fetch")):
                return False
            path, query, body = self._record(method)
            if path == "/fetch":
                self._reply(200, {"auth-token": "dG9rZW4="})
                return True
            assert self.headers["Authorization"] == "Basic dG9rZW4="
            assert self.headers["X-Experience-API-Version"] == "1.0.3"
            if path == "/lrs/activities/state" and query["stateId"] == "LMS.LaunchData":
                self._reply(200, lms.launch_data())
            elif path == "/lrs/activities/state":
                if method == "PUT":
                    lms.state = body
                    self._reply(204)
                else:
                    self._reply(200, lms.state) if lms.state else self._reply(404)
            elif path == "/lrs/agents/profile":
                self._reply(404)
            elif path == "/lrs/statements" and method == "GET":
                assert query["activity"] == ACTIVITY and query["registration"] == REGISTRATION
                self._reply(200, {"statements": lms.held + lms.statements(), "more": ""})
            elif path == "/lrs/statements":
                if lms.fail_statements > 0:
                    lms.fail_statements -= 1
                    with lms.lock:
                        lms.log[-1] = (*lms.log[-1][:4], "refused")
                    self._reply(503, {"error": "try later"})
                else:
                    self._reply(200, [st["id"] for st in body])
            return True

        def do_GET(self) -> None:
            if not self._lrs("GET"):
                super().do_GET()

        def do_POST(self) -> None:
            self._lrs("POST")

        def do_PUT(self) -> None:
            self._lrs("PUT")

    return Handler


@pytest.fixture(scope="session")
def au_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini course's cmi5 package for its track, unzipped."""
    out = tmp_path_factory.mktemp("cmi5")
    shutil.copytree(FIXTURES / "mini", out / "mini")
    site = build_site(out / "mini" / "mkdocs.yml", out / "site")
    project, _ = load_checked(Settings.at(out / "mini"))
    assert project is not None
    package = Cmi5Exporter().export(project, "en", site, out, "basics")
    root = out / "au"
    with zipfile.ZipFile(package) as zf:
        zf.extractall(root)
    (root / "returned.html").write_text("<!doctype html><title>LMS</title><p>back</p>",
                                        encoding="utf-8")
    return root


@contextlib.contextmanager
def lms_serving(au_dir: Path, lms: Lms) -> Iterator[str]:
    with served(au_dir, handler_for(lms)) as url:
        yield url


def launch_url(base: str) -> str:
    query = urlencode({"endpoint": f"{base}/lrs", "fetch": f"{base}/fetch",
                       "actor": json.dumps(ACTOR), "registration": REGISTRATION,
                       "activityId": ACTIVITY})
    return f"{base}/launch-basics-first.html?{query}"


def course_page(page: Any) -> Any:
    for _ in range(100):
        for frame in page.frames:
            if frame.url.endswith("/basics/first.html") and \
                    frame.locator("section.mooc-quiz[data-ready]").count():
                return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"the module's page never showed: {[f.url for f in page.frames]}")


def connected(page: Any) -> Any:
    page.wait_for_function("() => window.MoocCmi5 && MoocCmi5.connected()")
    return course_page(page)


def answer_all(frame: Any, wrong: bool = False) -> None:
    frame.check(f"#{QUIZ}-capital-c{2 if wrong else 0}")
    frame.check(f"#{QUIZ}-colours-c0")
    frame.check(f"#{QUIZ}-colours-c1")
    frame.check(f"#{QUIZ}-sky-false")
    frame.fill(f"#{QUIZ}-balint-input", "balint")
    for item in range(4):  # ordering: the rendered order is shuffled, move each up
        for _ in range(4):
            items = frame.locator(f"#{QUIZ} .mooc-order__item")
            order = [items.nth(k).get_attribute("data-item") for k in range(items.count())]
            if order.index(str(item)) <= item:
                break
            frame.click(f'#{QUIZ} .mooc-order__item[data-item="{item}"] .mooc-order__up')
    for k in range(3):
        frame.select_option(f"#{QUIZ}-pairs-m{k}", str(k))
    frame.fill(f"#{QUIZ} textarea", "I learned a lot.")
    frame.click(f"#{QUIZ} [data-action=check]")


def wait_for(lms: Lms, verb: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while verb not in lms.verbs():
        assert time.monotonic() < deadline, f"no {verb}: {lms.verbs()} {lms.requests()}"
        time.sleep(0.05)


def test_a_session_sends_the_statements_cmi5_asks_for(page: Any, au_dir: Path) -> None:
    lms = Lms()
    csp: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    with lms_serving(au_dir, lms) as base:
        page.goto(launch_url(base))
        frame = connected(page)
        assert page.is_visible("#mooc-cmi5-exit")
        # a fill-in takes no more than its cap (package-launch.js, as in SCORM packages)
        assert frame.get_attribute(f"#{QUIZ}-balint-input", "maxlength") == "32"
        answer_all(frame)
        wait_for(lms, "completed")
        page.click("#mooc-cmi5-exit")
        page.wait_for_url(f"{base}/returned.html")
    assert not csp
    requests = lms.requests()
    # the token once, then the launch data and the learner preferences before any statement,
    # the saved state, and what the LRS holds for the AU (passed, completed: once each)
    assert requests[:6] == ["POST /fetch", "GET activities/state", "GET agents/profile",
                            "GET activities/state", "GET statements", "POST statements"]
    assert requests.count("POST /fetch") == 1
    verbs = lms.verbs()
    assert verbs == ["initialized", *["answered"] * 7, "passed", "completed", "terminated"]
    first_post = next(b for _, m, p, _, b in lms.log if p == "/lrs/statements" and m == "POST")
    assert [s["verb"]["id"] for s in first_post] == [VERB + "initialized"]  # a request alone
    statements = lms.statements()
    for st in statements:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                            st["id"])
        assert st["timestamp"].endswith("Z") and st["actor"] == ACTOR
        ctx = st["context"]
        assert ctx["registration"] == REGISTRATION and ctx["extensions"][SESSION] == "session-1"
        assert ctx["contextActivities"]["grouping"][0]["id"] == "urn:mooc:mini:en:au:basics/first"
    by_verb = {st["verb"]["id"].removeprefix(VERB): st for st in statements}
    passed = by_verb["passed"]
    assert passed["object"]["id"] == ACTIVITY
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert passed["result"]["success"] is True and passed["result"]["duration"].startswith("PT")
    assert passed["context"]["extensions"][MASTERY] == 0.7
    assert {a["id"] for a in passed["context"]["contextActivities"]["category"]} == {CMI5, MOVEON}
    assert by_verb["completed"]["result"]["completion"] is True
    assert [a["id"] for a in by_verb["initialized"]["context"]["contextActivities"]["category"]] \
        == [CMI5]
    assert "result" not in by_verb["initialized"]
    assert by_verb["terminated"]["result"]["duration"].startswith("PT")
    answered = {st["object"]["id"].rsplit(":", 1)[1]: st for st in statements
                if st["verb"]["id"] == VERB + "answered"}
    capital = answered["capital"]
    assert capital["object"]["definition"]["interactionType"] == "choice"
    assert capital["object"]["definition"]["correctResponsesPattern"] == ["a"]
    assert capital["result"]["response"] == "a" and capital["result"]["success"] is True
    assert capital["context"]["contextActivities"]["parent"] == [
        {"id": ACTIVITY, "objectType": "Activity"}]
    assert "category" not in capital["context"]["contextActivities"]
    assert answered["steps"]["result"]["response"] == "a[,]b[,]c[,]d"
    assert answered["pairs"]["result"]["response"] == "a[.]a[,]b[.]b[,]c[.]c"
    assert answered["think"]["object"]["definition"]["interactionType"] == "long-fill-in"
    assert "response" not in answered["think"].get("result", {})  # it stays on the device
    # the State API holds the quiz, for the next launch
    assert lms.state is not None and lms.state["passed"] and lms.state["completed"]
    assert lms.state["quizzes"][0]["checked"] is True and lms.state["quizzes"][0]["best"] == 6


def test_a_relaunch_restores_the_answers_and_sends_nothing_twice(page: Any, browser: Any,
                                                                 au_dir: Path) -> None:
    lms = Lms()
    with lms_serving(au_dir, lms) as base:
        page.goto(launch_url(base))
        answer_all(connected(page))
        wait_for(lms, "completed")
        page.click("#mooc-cmi5-exit")
        page.wait_for_url(f"{base}/returned.html")
        del lms.log[:]
        again = browser.new_context().new_page()
        again.goto(launch_url(base))
        frame = connected(again)
        frame.wait_for_selector(f"#{QUIZ} [data-action=retry]:visible")
        assert frame.is_checked(f"#{QUIZ}-capital-c0") and frame.is_checked(f"#{QUIZ}-sky-false")
        assert frame.input_value(f"#{QUIZ}-balint-input") == "balint"
        assert "6 of 6" in frame.inner_text(f"#{QUIZ} .mooc-quiz__result")
        frame.click(f"#{QUIZ} [data-action=retry]")
        frame.click(f"#{QUIZ} [data-action=check]")  # checked again: answered, no passed
        again.wait_for_timeout(500)
        again.click("#mooc-cmi5-exit")
        again.wait_for_url(f"{base}/returned.html")
        again.context.close()
    assert lms.verbs() == ["initialized", *["answered"] * 6, "terminated"]  # no reflection text


def test_a_pass_the_lrs_holds_is_not_sent_again(page: Any, au_dir: Path) -> None:
    """The state document missed it (the page went away first): the statements tell."""
    lms = Lms(held=[{"verb": {"id": VERB + "passed"}, "object": {"id": ACTIVITY}}])
    with lms_serving(au_dir, lms) as base:
        page.goto(launch_url(base))
        answer_all(connected(page))
        wait_for(lms, "completed")
        page.click("#mooc-cmi5-exit")
        page.wait_for_url(f"{base}/returned.html")
    assert lms.verbs() == ["initialized", *["answered"] * 7, "completed", "terminated"]


def test_review_mode_reads_the_state_and_writes_nothing(page: Any, au_dir: Path) -> None:
    lms = Lms(launch_mode="Review", state={
        "format": "C1", "seen": [], "passed": True, "completed": True, "quizzes": []})
    with lms_serving(au_dir, lms) as base:
        page.goto(launch_url(base))
        answer_all(connected(page))
        page.wait_for_timeout(500)
        page.click("#mooc-cmi5-exit")
        page.wait_for_url(f"{base}/returned.html")
    assert lms.verbs() == ["initialized", "terminated"]
    assert not [r for r in lms.requests() if r.startswith("PUT")]


def test_the_lms_mastery_score_decides_and_failed_waits_for_the_end(page: Any,
                                                                    au_dir: Path) -> None:
    lms = Lms(mastery=0.9)
    with lms_serving(au_dir, lms) as base:
        page.goto(launch_url(base))
        frame = connected(page)
        answer_all(frame, wrong=True)  # 5 of 6: 83%, passed on the page (70%)
        page.wait_for_timeout(800)
        assert "failed" not in lms.verbs()  # a pass may still come in this session
        frame.click(f"#{QUIZ} [data-action=retry]")
        frame.check(f"#{QUIZ}-capital-c1")  # still wrong
        frame.click(f"#{QUIZ} [data-action=check]")
        page.wait_for_timeout(500)
        page.click("#mooc-cmi5-exit")
        page.wait_for_url(f"{base}/returned.html")
    assert lms.verbs() == ["initialized", *["answered"] * 14, "failed", "terminated"]
    failed = lms.statements()[-2]
    assert failed["result"]["score"]["scaled"] == 0.83 and failed["result"]["success"] is False
    assert failed["context"]["extensions"][MASTERY] == 0.9


def test_failed_requests_are_sent_again_in_order(page: Any, au_dir: Path) -> None:
    lms = Lms(fail_statements=4)
    with lms_serving(au_dir, lms) as base:
        page.goto(launch_url(base))
        page.wait_for_function("() => MoocCmi5.connected()")
        page.wait_for_selector("#mooc-cmi5-status:has-text('not reached')", timeout=15000)
        wait_for(lms, "initialized", 20)
        answer_all(course_page(page))
        wait_for(lms, "completed")
        page.wait_for_function("() => !document.getElementById('mooc-cmi5-status').textContent")
        page.click("#mooc-cmi5-exit")
        page.wait_for_url(f"{base}/returned.html")
    assert lms.verbs() == ["initialized", *["answered"] * 7, "passed", "completed", "terminated"]
    refused = [b for _, m, p, _, b in lms.log if p == "/lrs/statements" and b == "refused"]
    assert len(refused) == 4  # initialized, tried 5 times; nothing overtook it


def test_what_is_left_reaches_the_lrs_when_the_page_closes(browser: Any, au_dir: Path) -> None:
    """No Exit: the learner closes the window. What the queue holds, and terminated, leave
    in keepalive requests that the browser completes after the page is gone."""
    lms = Lms()
    with lms_serving(au_dir, lms) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(launch_url(base))
        frame = connected(page)
        wait_for(lms, "initialized")
        lms.fail_statements = 1  # the answers' request fails: still queued at close
        answer_all(frame)
        page.wait_for_timeout(200)
        closed = time.monotonic()
        page.close()
        wait_for(lms, "terminated", 5)
        arrived = next(t for t, m, p, _, b in lms.log if p == "/lrs/statements" and b != "refused"
                       and m == "POST" and b[-1]["verb"]["id"] == VERB + "terminated")
        assert lms.verbs()[-4:] == ["answered", "passed", "completed", "terminated"]
        assert arrived - closed < 5
        # the state document was still waiting: not sent next to terminated (the LMS may
        # refuse it, cmi5 8.1.2), but kept on the device and sent by the next launch
        assert lms.state is None or not lms.state["quizzes"]
        again = context.new_page()
        again.goto(launch_url(base))
        frame = connected(again)
        frame.wait_for_selector(f"#{QUIZ} [data-action=retry]:visible")
        deadline = time.monotonic() + 5
        while not (lms.state and lms.state["quizzes"]):
            assert time.monotonic() < deadline, lms.requests()
            time.sleep(0.05)
        assert lms.state["quizzes"][0]["checked"] is True and lms.state["passed"] is True
        context.close()


def test_without_launch_parameters_the_pages_just_work(page: Any, au_dir: Path) -> None:
    lms = Lms()
    with lms_serving(au_dir, lms) as base:
        page.goto(f"{base}/launch-basics-first.html")
        frame = course_page(page)
        frame.check(f"#{QUIZ}-capital-c0")
        frame.click(f"#{QUIZ} [data-action=check]")
        assert "1 of 6" in frame.inner_text(f"#{QUIZ} .mooc-quiz__result")
        assert page.is_hidden("#mooc-cmi5-bar")
    assert lms.log == []
