"""Quizzes that measure learning (issue 15), in Chromium: choices shuffled per learner and
attempt (stable on reload, on a SCORM relaunch on another device, through a progress
file), a pool that draws 3 of 6, two attempts then a lock, a hint, a scenario walked by
keyboard alone, axe on each new control, and the French interface.

The course is tests/fixtures/measure (English and French): m/shuffled, m/pool,
m/limited, m/talk; its packages are played under scorm-again (tests/fixtures/scorm-lms).
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
from playwright.sync_api import Page, expect

from builder.export import get_exporter
from builder.export.budget import commit_budget
from builder.export.plan import plan_package, suspend_bound
from builder.pipeline import Settings, load_checked

from ..conftest import FIXTURES
from .conftest import NODE_MODULES, _QuietCSP, build_site, checked_page, served
from .learner import tab_to
from .test_quiz_axe import assert_no_blocking
from .test_scorm_lms import VERSIONS, Lms
from .test_scorm_saves import moodle_form_bytes

SHUFFLED = "#mooc-quiz-m-shuffled"
POOL = "#mooc-quiz-m-pool"
LIMITED = "#mooc-quiz-m-limited"
TALK = "#mooc-quiz-m-talk"
LEARNER_KEY = "mooc:v1:measure:learner"
ORDERS = """(quiz) => Array.from(document.querySelectorAll(quiz + ' fieldset[data-question]'))
    .map(fs => fs.dataset.question + ':' + Array.from(fs.querySelectorAll('li[data-choice]'))
    .map(li => li.dataset.choice).join(''))"""
SHOWN = """(quiz) => Array.from(document.querySelectorAll(quiz + ' fieldset[data-question]'))
    .filter(fs => !fs.hidden).map(fs => fs.dataset.question)"""


@pytest.fixture(scope="module")
def measure_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("measure-src") / "measure"
    shutil.copytree(FIXTURES / "measure", src)
    return build_site(src / "mkdocs.yml", tmp_path_factory.mktemp("measure-site") / "site")


@pytest.fixture(scope="module")
def measure_url(measure_site: Path) -> Iterator[str]:
    with served(measure_site, _QuietCSP) as url:
        yield url


@pytest.fixture(scope="module")
def measure_lms(measure_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """lms.html, scorm-again, and the measure course's packages under pkg/<zip name>/."""
    root = tmp_path_factory.mktemp("measure-lms")
    shutil.copy(FIXTURES / "scorm-lms" / "lms.html", root / "lms.html")
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(NODE_MODULES / "scorm-again" / "dist" / name, root / name)
    for package in sorted((measure_site / "downloads").glob("*.zip")):
        with zipfile.ZipFile(package) as zf:
            zf.extractall(root / "pkg" / package.stem)
    with served(root) as url:
        yield url


def open_quiz(page: Page, url: str, module: str, quiz: str) -> None:
    page.goto(f"{url}/{module}.html")
    expect(page.locator(quiz)).to_have_attribute("data-ready", "true")


def orders(page: Any, quiz: str = SHUFFLED) -> list[str]:
    return list(page.evaluate(ORDERS, quiz))


# ---------------------------------------------------------------- shuffling

def test_two_learners_see_other_orders_and_each_keeps_theirs(browser: Any,
                                                             measure_url: str) -> None:
    seen = []
    for _ in range(2):  # two browser profiles: two learners
        with checked_page(browser) as page:
            open_quiz(page, measure_url, "m/shuffled", SHUFFLED)
            first = orders(page)
            page.reload()
            expect(page.locator(SHUFFLED)).to_have_attribute("data-ready", "true")
            assert orders(page) == first  # the same learner, the same order
            assert first[-1] == "capitals:0123"  # `shuffle: false` on the question
            seen.append(first)
    assert seen[0] != seen[1]
    # each order is a permutation of the file's, and the choices keep their ids
    assert all(sorted(o.split(":")[1]) == list("0123") for o in seen[0] + seen[1])


def test_a_new_attempt_draws_a_new_order_and_keeps_the_answers(page: Page,
                                                                measure_url: str) -> None:
    open_quiz(page, measure_url, "m/shuffled", SHUFFLED)
    page.evaluate("k => localStorage.setItem(k, JSON.stringify('k3y000'))", LEARNER_KEY)
    page.reload()
    expect(page.locator(SHUFFLED)).to_have_attribute("data-ready", "true")
    attempt1 = orders(page)
    page.check(f"{SHUFFLED}-red-c0")
    page.click(f"{SHUFFLED} [data-action=check]")
    assert orders(page) == attempt1  # the checked attempt keeps its order
    page.click(f"{SHUFFLED} [data-action=retry]")
    attempt2 = orders(page)
    assert attempt2 != attempt1
    assert page.is_checked(f"{SHUFFLED}-red-c0")
    page.reload()
    expect(page.locator(SHUFFLED)).to_have_attribute("data-ready", "true")
    assert orders(page) == attempt2


def test_a_progress_file_carries_the_order_to_another_device(browser: Any,
                                                             measure_url: str) -> None:
    with checked_page(browser) as page:
        open_quiz(page, measure_url, "m/shuffled", SHUFFLED)
        page.check(f"{SHUFFLED}-red-c0")
        page.click(f"{SHUFFLED} [data-action=check]")
        page.click(f"{SHUFFLED} [data-action=retry]")
        order = orders(page)
        data = page.evaluate("() => MoocProgress.exportData()")
    assert len(data["learner"]) == 6
    assert data["quizzes"]["m/shuffled"]["attempts"] == 1
    with checked_page(browser) as other:
        open_quiz(other, measure_url, "m/shuffled", SHUFFLED)
        assert orders(other) != order  # another learner, until the file is imported
        message = other.evaluate("t => MoocProgress.importText(t, 'p.json')", json.dumps(data))
        assert "Imported" in message
        other.reload()
        expect(other.locator(SHUFFLED)).to_have_attribute("data-ready", "true")
        assert orders(other) == order
        assert "Attempts" not in other.inner_text(f"{SHUFFLED} .mooc-quiz__result")


# ---------------------------------------------------------------- pools

def test_a_pool_shows_three_of_six_numbered_and_scored_out_of_three(page: Page,
                                                                     measure_url: str) -> None:
    open_quiz(page, measure_url, "m/pool", POOL)
    shown = page.evaluate(SHOWN, POOL)
    assert len(shown) == 3
    expect(page.locator(f"{POOL} .mooc-quiz__intro")).to_contain_text("3 questions")
    numbers = page.locator(f"{POOL} fieldset:not([hidden]) .mooc-q__number").all_inner_texts()
    assert numbers == ["Question 1", "Question 2", "Question 3"]
    answers = {"sun": True, "moon": False, "snow": True, "winter": False, "summer": True,
               "fire": False}
    for qid in shown:
        page.check(f"{POOL}-{qid}-{'true' if answers[qid] else 'false'}")
    page.click(f"{POOL} [data-action=check]")
    expect(page.locator(f"{POOL} .mooc-quiz__result")).to_contain_text(
        "You scored 3 of 3 points (100%)")
    page.reload()
    expect(page.locator(POOL)).to_have_attribute("data-ready", "true")
    assert page.evaluate(SHOWN, POOL) == shown  # stable on reload
    page.click(f"{POOL} [data-action=retry]")
    assert len(page.evaluate(SHOWN, POOL)) == 3


# ---------------------------------------------------------------- attempts and answers

def test_two_attempts_then_locked_with_the_answers_shown_after_the_last(
        page: Page, measure_url: str) -> None:
    open_quiz(page, measure_url, "m/limited", LIMITED)
    expect(page.locator(f"{LIMITED} .mooc-quiz__intro")).to_contain_text("2 attempts allowed")
    result = page.locator(f"{LIMITED} .mooc-quiz__result")
    page.check(f"{LIMITED}-capital-c0")  # wrong
    page.click(f"{LIMITED} [data-action=check]")
    expect(result).to_contain_text("1 attempt left.")
    expect(result).to_contain_text("The correct answers are shown after your last attempt.")
    status = page.locator(f"{LIMITED}-capital .mooc-q__status")
    expect(status).to_have_text("Not quite")  # no correct answer yet
    expect(page.locator(f"{LIMITED}-capital-c0-fb")).to_be_hidden()
    expect(page.locator(f"{LIMITED}-colour .mooc-q__explanation")).to_be_hidden()
    page.click(f"{LIMITED} [data-action=retry]")
    page.click(f"{LIMITED} [data-action=check]")  # the same wrong answers
    expect(result).to_contain_text("No attempt left: your best score, 0%, is kept.")
    expect(status).to_have_text("Not quite. The correct answer: Brussels")
    expect(page.locator(f"{LIMITED}-capital-c0-fb")).to_be_visible()
    for action in ("retry", "reset", "check"):
        expect(page.locator(f"{LIMITED} [data-action={action}]")).to_be_hidden()
    expect(page.locator(f"{LIMITED}-capital-c1")).to_be_disabled()
    page.reload()
    expect(page.locator(LIMITED)).to_have_attribute("data-ready", "true")
    expect(result).to_contain_text("No attempt left")
    expect(page.locator(f"{LIMITED} [data-action=retry]")).to_be_hidden()
    expect(page.locator(f"{LIMITED}-capital-c1")).to_be_disabled()


# ---------------------------------------------------------------- hints

def test_a_hint_is_reached_by_keyboard_and_read_out(page: Page, measure_url: str) -> None:
    open_quiz(page, measure_url, "m/limited", LIMITED)
    button = f"{LIMITED}-capital .mooc-q__tip-button"
    tab_to(page, button)
    region = page.locator(f"{LIMITED}-capital-tip")
    expect(region).to_have_attribute("role", "status")  # a live region: read when filled
    expect(region).to_be_empty()
    expect(page.locator(button)).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(region).to_have_text(re.compile(r"^Hint:\s*It is also the seat of the European "
                                           r"Commission\.\s*$"))
    expect(page.locator(button)).to_have_attribute("aria-expanded", "true")
    expect(page.locator(button)).to_have_accessible_name("Show a hint")
    page.keyboard.press("Space")
    expect(region).to_be_empty()


# ---------------------------------------------------------------- scenario

def test_a_scenario_walked_by_keyboard_alone_to_its_best_ending_scores(
        page: Page, measure_url: str) -> None:
    open_quiz(page, measure_url, "m/talk", TALK)
    scn = f"{TALK}-sam"
    for step, label in ((0, "Ask how it has been since then"),
                        (1, "Ask what Sam would like to do about sleep"),
                        (2, "Agree on a day with Sam")):
        button = page.locator(f"{scn} .mooc-scn__step[data-step='{step}'] .mooc-scn__pick",
                              has_text=label)
        tab_to(page, f"#{button.get_attribute('id')}")
        page.keyboard.press("Enter")
        # the focus moves to the feedback of the choice, then Tab leads on
        feedback = page.locator(f"#{button.get_attribute('id')}-fb")
        expect(feedback).to_be_focused()
        expect(button).to_be_disabled()
    ending = page.locator(f"{scn} [data-ending='0']")
    expect(ending).to_be_visible()
    expect(ending).to_contain_text("Best outcome")
    expect(page.locator(f"{scn} .mooc-scn__choice--chosen")).to_have_count(3)
    tab_to(page, f"{TALK}-listen-first-true")
    page.keyboard.press("Space")
    tab_to(page, f"{TALK}-next-step-input")
    page.keyboard.type("with")
    tab_to(page, f"{TALK} [data-action=check]")
    page.keyboard.press("Enter")
    expect(page.locator(f"{scn} .mooc-q__status")).to_have_text("Correct")
    expect(page.locator(f"{TALK} .mooc-quiz__result")).to_contain_text("3 of 3 points (100%)")
    page.reload()
    expect(page.locator(TALK)).to_have_attribute("data-ready", "true")
    expect(page.locator(f"{scn} [data-ending='0']")).to_be_visible()  # the path is kept
    assert page.get_attribute(f"{scn} .mooc-scn", "data-path") is not None


def test_a_scenario_starts_again_and_a_poor_ending_is_not_scored(page: Page,
                                                                 measure_url: str) -> None:
    open_quiz(page, measure_url, "m/talk", TALK)
    scn = f"{TALK}-sam"
    page.locator(f"{scn} .mooc-scn__pick", has_text="Tell Sam to start again").click()
    expect(page.locator(f"{scn} [data-ending='2']")).to_be_visible()
    restart = page.locator(f"{scn} .mooc-scn__restart")
    restart.click()
    expect(page.locator(f"{scn} [data-ending='2']")).to_be_hidden()
    expect(page.locator(f"{scn} [data-live]")).to_have_text("The scenario starts again.")
    expect(page.locator(f"{scn} [data-step='0'] .mooc-scn__text")).to_be_focused()
    page.locator(f"{scn} .mooc-scn__pick", has_text="Tell Sam to start again").click()
    page.click(f"{TALK} [data-action=check]")
    expect(page.locator(f"{scn} .mooc-q__status")).to_contain_text("Not quite")
    expect(page.locator(f"{scn} .mooc-q__status")).to_contain_text(
        "Ask how it has been since then → Ask what Sam would like to do about sleep → "
        "Agree on a day with Sam")
    expect(restart).to_be_hidden()


# ---------------------------------------------------------------- axe

@pytest.fixture
def axe_page(browser: Any) -> Iterator[Page]:
    # bypass_csp: axe-core is injected as an inline script
    with checked_page(browser, viewport={"width": 1000, "height": 900},
                      reduced_motion="reduce", bypass_csp=True) as pg:
        yield pg


@pytest.mark.parametrize(("module", "quiz"), [("m/shuffled", SHUFFLED), ("m/pool", POOL),
                                              ("m/limited", LIMITED), ("m/talk", TALK)])
def test_axe_on_each_new_control_before_and_after_answering(axe_page: Page, measure_url: str,
                                                            module: str, quiz: str) -> None:
    page = axe_page
    open_quiz(page, measure_url, module, quiz)
    assert_no_blocking(page, f"{module}: before answering")
    for tip in page.locator(f"{quiz} .mooc-q__tip-button").all():
        tip.click()
    if quiz == TALK:
        page.locator(f"{TALK}-sam .mooc-scn__pick", has_text="Ask how").click()
        assert_no_blocking(page, f"{module}: a step answered")
        page.locator(f"{TALK}-sam .mooc-scn__pick", has_text="Call the psychiatrist").click()
    else:
        page.locator(f"{quiz} fieldset:not([hidden]) input").first.check()
    assert_no_blocking(page, f"{module}: answered, hints open")
    page.click(f"{quiz} [data-action=check]")
    assert_no_blocking(page, f"{module}: checked")
    if quiz == LIMITED:
        page.click(f"{quiz} [data-action=retry]")
        page.click(f"{quiz} [data-action=check]")
        assert_no_blocking(page, f"{module}: locked, answers shown")


# ---------------------------------------------------------------- French

def test_the_french_site_speaks_french(page: Page, measure_url: str) -> None:
    open_quiz(page, measure_url, "fr/m/limited", LIMITED)
    expect(page.locator(f"{LIMITED} .mooc-quiz__intro")).to_contain_text("2 tentatives permises")
    expect(page.locator(f"{LIMITED}-capital .mooc-q__tip-button")).to_have_text(
        "Afficher un indice")
    page.click(f"{LIMITED} [data-action=check]")
    expect(page.locator(f"{LIMITED} .mooc-quiz__result")).to_contain_text(
        "Il vous reste 1 tentative.")
    open_quiz(page, measure_url, "fr/m/talk", TALK)
    page.locator(f"{TALK}-sam .mooc-scn__pick", has_text="Dire à Sam").click()
    expect(page.locator(f"{TALK}-sam [data-ending='2']")).to_contain_text(
        "Une issue défavorable")
    expect(page.locator(f"{TALK}-sam .mooc-scn__restart")).to_have_text(
        "Recommencer le scénario")


# ---------------------------------------------------------------- SCORM

def _shuffled_frame(lms: Lms) -> Any:
    return lms.wait_page("m/shuffled.html")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_scorm_relaunch_on_another_device_keeps_orders_draw_attempts_and_path(
        browser: Any, measure_lms: str, version: str) -> None:
    with checked_page(browser, viewport={"width": 1350, "height": 900}) as page:
        lms = Lms(page, measure_lms, version, package="measure-en-all")
        lms.start()
        frame = _shuffled_frame(lms)
        order = orders(frame)
        frame.click("a.md-nav__link[href='pool.html']")
        frame = lms.wait_page("m/pool.html")
        shown = frame.evaluate(SHOWN, POOL)
        frame.click(f"{POOL} [data-action=check]")  # nothing answered: 0 of 3
        frame.click("a.md-nav__link[href='limited.html']")
        frame = lms.wait_page("m/limited.html")
        for _ in range(2):
            if frame.is_visible(f"{LIMITED} [data-action=retry]"):
                frame.click(f"{LIMITED} [data-action=retry]")
            frame.click(f"{LIMITED} [data-action=check]")
        frame.click("a.md-nav__link[href='talk.html']")
        frame = lms.wait_page("m/talk.html")
        for label in ("Ask how", "Ask what Sam", "Agree on a day"):
            frame.locator(f"{TALK}-sam .mooc-scn__pick", has_text=label).click()
        commits = lms.commits()
        frame.click(f"{TALK} [data-action=check]")
        lms.wait_commit(commits)
        cmi = lms.cmi()
        items = {i["id"]: i for i in lms.interactions(cmi)}
        talk = items["m.talk.sam"]
        response = "student_response" if version == "1.2" else "learner_response"
        sep = "," if version == "1.2" else "[,]"
        # each choice named by its number across the steps: 0, then 2 (step 2's first), 4
        assert (talk["type"], talk["result"], talk[response]) == (
            "sequencing", "correct", sep.join("ace"))
        assert talk["correct_responses"]["0"]["pattern"] == sep.join("ace")
        pool = [i for i in items.values() if i["id"].startswith("m.pool.")]
        assert len(pool) == 6  # every question keeps its interaction
        wrong = "wrong" if version == "1.2" else "incorrect"
        assert sorted(i["id"].split(".")[-1] for i in pool if i["result"] == wrong) == sorted(
            shown)  # the three drawn, unanswered
        assert sum(i["result"] == "neutral" for i in pool) == 3  # not drawn
        assert cmi["suspend_data"].startswith("M2|")
        lms.close()
        data = lms.resume_data(lms.cmi())

    with checked_page(browser, viewport={"width": 1350, "height": 900}) as page:
        lms = Lms(page, measure_lms, version, package="measure-en-all")
        lms.start(data)
        frame = lms.wait_page("m/talk.html")  # the bookmark
        expect(frame.locator(f"{TALK}-sam [data-ending='0']")).to_be_visible()
        expect(frame.locator(f"{TALK}-sam .mooc-q__status")).to_have_text("Correct")
        frame.click("a.md-nav__link[href='shuffled.html']")
        frame = _shuffled_frame(lms)
        assert orders(frame) == order  # another device: the LMS's learner key
        frame.click("a.md-nav__link[href='pool.html']")
        frame = lms.wait_page("m/pool.html")
        assert frame.evaluate(SHOWN, POOL) == shown
        frame.click("a.md-nav__link[href='limited.html']")
        frame = lms.wait_page("m/limited.html")
        expect(frame.locator(f"{LIMITED} .mooc-quiz__result")).to_contain_text("No attempt left")
        expect(frame.locator(f"{LIMITED} [data-action=retry]")).to_be_hidden()
        lms.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_saves_of_the_new_questions_stay_within_the_bounds_computed_at_export(
        browser: Any, measure_lms: str, measure_site: Path, version: str) -> None:
    """The learner's key and a scenario's path in suspend_data (plan.suspend_bound), and a
    whole course's interactions, drawn or not, in each save (budget.commit_budget)."""
    project, _ = load_checked(Settings.at(FIXTURES / "measure"))
    sco = plan_package(project, "en", measure_site).scos[0]
    budget = commit_budget(sco, get_exporter(VERSIONS[version]), version, "en")
    bound = suspend_bound(sco)
    with checked_page(browser, viewport={"width": 1350, "height": 900}) as page:
        lms = Lms(page, measure_lms, version, package="measure-en-all")
        lms.start()
        frame = _shuffled_frame(lms)
        for qid in ("warm", "capitals"):  # every box ticked: the longest responses
            for c in range(4):
                frame.check(f"{SHUFFLED}-{qid}-c{c}")
        frame.click(f"{SHUFFLED} [data-action=check]")
        for module, quiz in (("pool", POOL), ("limited", LIMITED)):
            frame.click(f"a.md-nav__link[href='{module}.html']")
            frame = lms.wait_page(f"m/{module}.html")
            for box in frame.locator(f"{quiz} fieldset:not([hidden]) "
                                     "input:is([type=radio], [type=checkbox])").all():
                box.check()
            frame.click(f"{quiz} [data-action=check]")
        frame.click(f"{LIMITED} [data-action=retry]")
        frame.fill(f"{LIMITED}-colour-input", "é" * 300)
        frame.click(f"{LIMITED} [data-action=check]")
        frame.click("a.md-nav__link[href='talk.html']")
        frame = lms.wait_page("m/talk.html")
        for label in ("Ask how", "Ask what Sam", "Say it is not"):  # the longest path
            frame.locator(f"{TALK}-sam .mooc-scn__pick", has_text=label).click()
        commits = lms.commits()
        frame.click(f"{TALK} [data-action=check]")
        lms.wait_commit(commits)
        lms.close()
        cmi = lms.cmi()
        data = cmi["suspend_data"]
        assert re.search(r"~[0-9a-z]{4}1\.0\.1\.001,,$", data)  # the scenario's path, 0 0 1
        assert len(data) <= bound, (data, bound)
        form, beacon = moodle_form_bytes(lms.sets())
        assert len(lms.interactions(cmi)) == budget.questions == 18
        assert form <= budget.bound and beacon <= budget.bound, (form, beacon, budget)
