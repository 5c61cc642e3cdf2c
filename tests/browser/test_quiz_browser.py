"""The quiz in a real browser: every type answered by mouse, by keyboard only and by touch,
scored as the authoring guide says, with feedback; state, Try again, Reset, the
`mooc:quiz-checked` event, and quiz text that tries to inject HTML.

The fixture course's basics/first.html shows basics/all-types (one question of each type).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from builder.cli import main as mooc_main

from .conftest import checked_page, served

# tests/browser/conftest.py's mini_url server does not close its socket; the unclosed-socket
# ResourceWarning then lands on whichever test runs last.

FIRST = "/basics/first.html"
P = "mooc-quiz-basics-all-types"
STORAGE_KEY = "mooc:v1:mini:en:quiz:basics/all-types"
TYPES = ("single", "multiple", "true-false", "fill-in", "ordering", "matching", "reflection")
QID = {"single": "capital", "multiple": "colours", "true-false": "sky", "fill-in": "balint",
       "ordering": "steps", "matching": "pairs", "reflection": "think"}
MATCHES = (("Bonjour", "French"), ("Hallo", "German"), ("Hola", "Spanish"))
INITIAL_ORDER = ["0", "2", "1", "3"]  # as rendered (seeded, never the right order)
REFLECTION = "I learnt to check my answers."
FAILED = "Pass mark 70% not reached yet: read the feedback, then try again."
PASSED = "Quiz passed: well done."
CORRECT_TEXT = {
    "single": "The correct answer: Brussels",
    "multiple": "The correct answer: Red; Blue",
    "true-false": "The correct answer: False",
    "fill-in": "The correct answer: Balint",
    "ordering": "The correct answer: 1. One 2. Two 3. Three 4. Four",
    "matching": "The correct answer: Bonjour → French; Hallo → German; Hola → Spanish",
}


# ---------------------------------------------------------------- helpers

def open_quiz(page: Page, base: str) -> Locator:
    page.goto(base + FIRST, wait_until="domcontentloaded")
    quiz = page.locator(f"#{P}")
    expect(quiz).to_have_attribute("data-ready", "true")
    return quiz


def question(page: Page, qtype: str) -> Locator:
    return page.locator(f'fieldset[data-question="{QID[qtype]}"]')


def status(page: Page, qtype: str) -> Locator:
    return question(page, qtype).locator(".mooc-q__status")


def result(page: Page) -> Locator:
    return page.locator(f"#{P} .mooc-quiz__result")


def order(page: Page) -> list[str]:
    return question(page, "ordering").locator(".mooc-order__item").evaluate_all(
        "items => items.map(li => li.getAttribute('data-item'))")


def move_button(page: Page, item: int, direction: str) -> Locator:
    return question(page, "ordering").locator(
        f'.mooc-order__item[data-item="{item}"]').get_by_role("button", name=f"Move {direction}")


def score_text(score: int, percent: int, verdict: str, attempts: int = 1) -> str:
    return f"You scored {score} of 6 points ({percent}%). {verdict} Attempts: {attempts}"


def focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector))


def describe_focus(page: Page) -> str:
    return str(page.evaluate("""() => { const e = document.activeElement;
        return e ? e.tagName + '#' + e.id + '.' + e.className + ' ' +
                   (e.textContent || '').trim().slice(0, 30) : 'none'; }"""))


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab (only Tab) until the element matching `selector` has the focus."""
    seen = []
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
        seen.append(describe_focus(page))
    raise AssertionError(f"Tab never reached {selector}; visited: {seen}")


def stored(page: Page) -> Any:
    raw = page.evaluate("k => localStorage.getItem(k)", STORAGE_KEY)
    return None if raw is None else json.loads(raw)


# ---------------------------------------------------------------- three ways to answer

def _answer_by_pointer(page: Page, qtype: str, press: Callable[[Locator], None]) -> None:
    """Answer with a pointer: `press` is a mouse click or a finger's tap."""
    fs = question(page, qtype)
    if qtype == "single":
        press(fs.get_by_text("Brussels", exact=True))
    elif qtype == "multiple":
        press(fs.get_by_text("Red", exact=True))
        press(fs.get_by_text("Blue", exact=True))
    elif qtype == "true-false":
        press(fs.get_by_text("False", exact=True))
    elif qtype == "fill-in":
        press(fs.get_by_label("Your answer"))
        page.keyboard.type("Balint")  # a keyboard, or the on-screen one
    elif qtype == "ordering":
        press(move_button(page, 2, "down"))
    elif qtype == "matching":
        for left, right in MATCHES:
            # a native drop-down's options are not in the page: pick as the pointer would
            select = fs.get_by_label(left, exact=True)
            press(select)
            select.select_option(label=right)
    elif qtype == "reflection":
        press(fs.get_by_label("Your answer"))
        page.keyboard.type(REFLECTION)


def answer_by_mouse(page: Page, qtype: str) -> None:
    _answer_by_pointer(page, qtype, lambda target: target.click())


def answer_by_touch(page: Page, qtype: str) -> None:
    _answer_by_pointer(page, qtype, lambda target: target.tap())


def answer_by_keyboard(page: Page, qtype: str) -> None:
    kb = page.keyboard
    if qtype == "single":
        tab_to(page, f"#{P}-capital-c0")
        kb.press("ArrowDown")  # radios: the arrow keys move and choose
        expect(page.locator(f"#{P}-capital-c1")).to_be_checked()
        kb.press("ArrowUp")
    elif qtype == "multiple":
        tab_to(page, f"#{P}-colours-c0")
        kb.press("Space")
        kb.press("Tab")
        kb.press("Space")
    elif qtype == "true-false":
        tab_to(page, f"#{P}-sky-true")
        kb.press("ArrowDown")
    elif qtype == "fill-in":
        tab_to(page, f"#{P}-balint-input")
        kb.type("Balint")
    elif qtype == "ordering":
        tab_to(page, f'#{P}-steps .mooc-order__item[data-item="2"] .mooc-order__down')
        kb.press("Enter")
        # the focus stays on the moved item's button
        assert focused(page, '.mooc-order__item[data-item="2"] .mooc-order__down')
    elif qtype == "matching":
        # options: Choose…, Spanish, German, French; arrows change a closed select
        for n, presses in enumerate((3, 2, 1)):
            tab_to(page, f"#{P}-pairs-m{n}")
            for _ in range(presses):
                kb.press("ArrowDown")
    elif qtype == "reflection":
        tab_to(page, f"#{P}-think-text")
        kb.type(REFLECTION)


def check_by_mouse(page: Page) -> None:
    page.get_by_role("button", name="Check my answers").click()


def check_by_keyboard(page: Page) -> None:
    tab_to(page, f'#{P} [data-action="check"]')
    page.keyboard.press("Enter")


def check_by_touch(page: Page) -> None:
    page.get_by_role("button", name="Check my answers").tap()


METHODS: dict[str, tuple[Callable[[Page, str], None], Callable[[Page], None]]] = {
    "mouse": (answer_by_mouse, check_by_mouse),
    "keyboard": (answer_by_keyboard, check_by_keyboard),
    "touch": (answer_by_touch, check_by_touch),
}


@pytest.fixture
def touch_page(browser: Any) -> Iterator[Page]:
    """A phone-sized touch screen; fails the test on any script error."""
    with checked_page(browser, has_touch=True, is_mobile=True, device_scale_factor=2,
                      viewport={"width": 390, "height": 844}) as pg:
        yield pg


def page_for(request: pytest.FixtureRequest, method: str) -> Page:
    page: Page = request.getfixturevalue("touch_page" if method == "touch" else "page")
    return page


# ---------------------------------------------------------------- every type, three ways

def assert_question_right(page: Page, qtype: str) -> None:
    fs = question(page, qtype)
    if qtype == "reflection":
        expect(fs).to_have_class(re.compile(r"\bmooc-q--answered\b"))
        expect(status(page, qtype)).to_have_text("Answer saved")
        expect(fs.locator(".mooc-q__explanation")).to_be_visible()
        expect(fs.locator(".mooc-q__explanation p")).to_have_text(
            ["A possible answer", "Anything you noticed is fine."])
        return
    expect(fs).to_have_class(re.compile(r"\bmooc-q--correct\b"))
    expect(status(page, qtype)).to_be_visible()
    expect(status(page, qtype)).to_have_text("Correct")
    if qtype == "single":
        expect(page.locator(f"#{P}-capital-c0-fb")).to_be_visible()
        expect(page.locator(f"#{P}-capital-c0-fb")).to_have_text("Yes, Brussels.")
        expect(page.locator(f"#{P}-capital-c0")).to_have_attribute(
            "aria-describedby", f"{P}-capital-c0-fb")
        expect(page.locator(f"#{P}-capital-c1-fb")).to_be_hidden()
    elif qtype == "multiple":
        expect(page.locator(f"#{P}-colours-c2-fb")).to_be_hidden()  # Table: not chosen
    elif qtype == "true-false":
        expect(page.locator(f"#{P}-sky-false-fb")).to_have_text("Right: it is usually blue.")
        expect(page.locator(f"#{P}-sky-false-fb")).to_be_visible()
        expect(page.locator(f"#{P}-sky-true-fb")).to_be_hidden()
    for explanation in fs.locator(".mooc-q__explanation").all():
        expect(explanation).to_be_visible()


def enabled_controls(page: Page) -> list[str]:
    """Ids (or classes) of the answer controls and move buttons that can be used."""
    found: list[str] = page.locator(f"#{P} form").evaluate(
        """form => Array.from(form.querySelectorAll(
               'input, select, textarea, .mooc-order__moves button'))
             .filter(el => !el.disabled).map(el => el.id || el.className)""")
    return found


def assert_locked(page: Page) -> None:
    expect(page.get_by_role("button", name="Check my answers")).to_be_hidden()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    assert enabled_controls(page) == []


@pytest.mark.parametrize("qtype", TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_each_type_answered_right(request: pytest.FixtureRequest, mini_url: str, method: str,
                                  qtype: str) -> None:
    page = page_for(request, method)
    answer, check = METHODS[method]
    open_quiz(page, mini_url)
    expect(question(page, qtype)).to_be_visible()
    answer(page, qtype)
    check(page)
    assert_question_right(page, qtype)
    if qtype == "reflection":
        expect(result(page)).to_have_text(score_text(0, 0, FAILED))
    else:
        expect(result(page)).to_have_text(score_text(1, 17, FAILED))
    assert_locked(page)


@pytest.mark.parametrize("method", METHODS)
def test_whole_quiz_answered_right(request: pytest.FixtureRequest, mini_url: str,
                                   method: str) -> None:
    page = page_for(request, method)
    answer, check = METHODS[method]
    open_quiz(page, mini_url)
    for qtype in TYPES:
        answer(page, qtype)
    assert order(page) == ["0", "1", "2", "3"]
    check(page)
    for qtype in TYPES:
        assert_question_right(page, qtype)
    expect(result(page)).to_have_text(score_text(6, 100, PASSED))
    expect(result(page)).to_have_class(re.compile(r"\bmooc-quiz__result--passed\b"))
    expect(result(page)).to_be_focused()  # the score is read out after checking
    assert_locked(page)
    assert stored(page)["checked"] is True


# ---------------------------------------------------------------- keyboard specifics

def test_ordering_by_keyboard_moves_and_announces(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    live = question(page, "ordering").locator("[data-live]")
    up = f'#{P}-steps .mooc-order__item[data-item="3"] .mooc-order__up'
    tab_to(page, up)
    for _ in range(3):
        page.keyboard.press("Enter")
    assert order(page) == ["3", "0", "2", "1"]
    expect(live).to_have_text("Four: now in position 1 of 4")
    # at the top, Move up is disabled: the focus went to the same item's Move down
    expect(move_button(page, 3, "up")).to_be_disabled()
    assert focused(page, f'#{P}-steps .mooc-order__item[data-item="3"] .mooc-order__down')
    page.keyboard.press("Space")
    assert order(page) == ["0", "3", "2", "1"]
    expect(live).to_have_text("Four: now in position 2 of 4")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert order(page) == ["0", "2", "1", "3"]
    assert focused(page, f'#{P}-steps .mooc-order__item[data-item="3"] .mooc-order__up')
    # Three down once: right order; then check with Enter
    tab_to(page, f'#{P}-steps .mooc-order__item[data-item="2"] .mooc-order__down')
    page.keyboard.press("Enter")
    assert order(page) == ["0", "1", "2", "3"]
    assert stored(page)["responses"]["steps"] == [0, 1, 2, 3]
    check_by_keyboard(page)
    expect(status(page, "ordering")).to_have_text("Correct")


def test_matching_by_typing_the_first_letter(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    for n, letter in enumerate("FGS"):
        tab_to(page, f"#{P}-pairs-m{n}")
        page.keyboard.type(letter)
    values = [page.locator(f"#{P}-pairs-m{n}").input_value() for n in range(3)]
    assert values == ["0", "1", "2"]
    assert stored(page)["responses"]["pairs"] == [0, 1, 2]


def test_enter_in_the_fill_in_box_checks(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    tab_to(page, f"#{P}-balint-input")
    page.keyboard.type("balint")
    page.keyboard.press("Enter")
    expect(status(page, "fill-in")).to_have_text("Correct")
    expect(result(page)).to_have_text(score_text(1, 17, FAILED))


def test_try_again_and_reset_by_keyboard(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    answer_by_keyboard(page, "single")
    check_by_keyboard(page)
    expect(result(page)).to_be_focused()
    # from the result, back to the buttons before it
    page.keyboard.press("Shift+Tab")
    assert focused(page, '[data-action="reset"]'), describe_focus(page)
    page.keyboard.press("Shift+Tab")
    assert focused(page, '[data-action="retry"]'), describe_focus(page)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{P}-capital-c0")).to_be_enabled()
    expect(page.locator(f"#{P}-capital-c0")).to_be_focused()  # back to the first answer
    expect(page.locator(f"#{P}-capital-c0")).to_be_checked()  # answers are kept
    page.once("dialog", lambda d: d.accept())
    tab_to(page, '[data-action="reset"]')
    page.keyboard.press("Enter")
    expect(page.locator(f"#{P}-capital-c0")).not_to_be_checked()
    assert stored(page) is None


# ---------------------------------------------------------------- scoring in the page

def test_wrong_answers_show_feedback_and_the_correct_answer(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    capital, colours, sky = (question(page, t) for t in ("single", "multiple", "true-false"))
    capital.get_by_text("Namur", exact=True).click()
    colours.get_by_text("Red", exact=True).click()
    colours.get_by_text("Table", exact=True).click()
    sky.get_by_text("True", exact=True).click()
    question(page, "fill-in").get_by_label("Your answer").fill("Balnt")
    question(page, "matching").get_by_label("Bonjour").select_option(label="German")
    check_by_mouse(page)

    for qtype, correct in CORRECT_TEXT.items():
        expect(question(page, qtype)).to_have_class(re.compile(r"\bmooc-q--incorrect\b"))
        expect(status(page, qtype)).to_have_text(f"Not quite. {correct}")
    # the feedback of each chosen choice, tied to it for screen readers
    for choice, text in ((f"{P}-capital-c1", "Namur is the capital of Wallonia."),
                         (f"{P}-colours-c2", "A table is furniture."),
                         (f"{P}-sky-true", "Look again.")):
        expect(page.locator(f"#{choice}-fb")).to_be_visible()
        expect(page.locator(f"#{choice}-fb")).to_have_text(text)
        expect(page.locator(f"#{choice}")).to_have_attribute("aria-describedby", f"{choice}-fb")
    for hidden in ("capital-c0", "capital-c2", "sky-false"):
        expect(page.locator(f"#{P}-{hidden}-fb")).to_be_hidden()
    # an unanswered reflection: no model answer yet
    expect(status(page, "reflection")).to_have_text("Not answered")
    expect(question(page, "reflection").locator(".mooc-q__explanation")).to_be_hidden()
    expect(result(page)).to_have_text(score_text(0, 0, FAILED))
    expect(result(page)).to_have_class(re.compile(r"\bmooc-quiz__result--failed\b"))


def test_unanswered_questions_say_so(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    check_by_mouse(page)
    for qtype in ("single", "multiple", "true-false", "fill-in", "matching"):
        expect(status(page, qtype)).to_have_text(f"Not answered. {CORRECT_TEXT[qtype]}")
    expect(result(page)).to_have_text(score_text(0, 0, FAILED))


@pytest.mark.parametrize("typed", ["  bálint ", "BALINT", "Bálínt"])
def test_fill_in_folds_case_accents_and_spaces(page: Page, mini_url: str, typed: str) -> None:
    open_quiz(page, mini_url)
    question(page, "fill-in").get_by_label("Your answer").fill(typed)
    check_by_mouse(page)
    expect(status(page, "fill-in")).to_have_text("Correct")


@pytest.mark.parametrize(("wrong", "score", "percent", "verdict"), [
    ((), 6, 100, PASSED),
    (("matching",), 5, 83, PASSED),        # 83% >= 70%
    (("matching", "ordering"), 4, 67, FAILED),  # 67% < 70%
])
def test_pass_mark(page: Page, mini_url: str, wrong: tuple[str, ...], score: int,
                   percent: int, verdict: str) -> None:
    open_quiz(page, mini_url)
    for qtype in TYPES:
        if qtype not in wrong:
            answer_by_mouse(page, qtype)
    if "matching" in wrong:
        question(page, "matching").get_by_label("Bonjour").select_option(label="Spanish")
    check_by_mouse(page)
    expect(result(page)).to_have_text(score_text(score, percent, verdict))


def test_multiple_is_all_or_nothing(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    question(page, "multiple").get_by_text("Red", exact=True).click()
    check_by_mouse(page)
    expect(status(page, "multiple")).to_have_text(f"Not quite. {CORRECT_TEXT['multiple']}")


# ---------------------------------------------------------------- state

def answer_some(page: Page) -> None:
    question(page, "single").get_by_text("Namur", exact=True).click()
    question(page, "multiple").get_by_text("Red", exact=True).click()
    question(page, "fill-in").get_by_label("Your answer").fill("Bal")
    move_button(page, 2, "down").click()
    question(page, "matching").get_by_label("Bonjour").select_option(label="French")
    question(page, "reflection").get_by_label("Your answer").fill(REFLECTION)


def assert_some_answers(page: Page) -> None:
    expect(page.locator(f"#{P}-capital-c1")).to_be_checked()
    expect(page.locator(f"#{P}-colours-c0")).to_be_checked()
    expect(page.locator(f"#{P}-colours-c1")).not_to_be_checked()
    expect(page.locator(f"#{P}-balint-input")).to_have_value("Bal")
    assert order(page) == ["0", "1", "2", "3"]
    expect(page.locator(f"#{P}-pairs-m0")).to_have_value("0")
    expect(page.locator(f"#{P}-pairs-m1")).to_have_value("")
    expect(page.locator(f"#{P}-think-text")).to_have_value(REFLECTION)


def assert_blank(page: Page) -> None:
    for control in page.locator(f"#{P} input[type=radio], #{P} input[type=checkbox]").all():
        expect(control).not_to_be_checked()
        expect(control).to_be_enabled()
    expect(page.locator(f"#{P}-balint-input")).to_have_value("")
    expect(page.locator(f"#{P}-think-text")).to_have_value("")
    for n in range(3):
        expect(page.locator(f"#{P}-pairs-m{n}")).to_have_value("")
    assert order(page) == INITIAL_ORDER
    expect(page.locator(f"#{P} .mooc-q__status:visible")).to_have_count(0)
    expect(page.locator(f"#{P} .mooc-choice__feedback:visible")).to_have_count(0)
    expect(result(page)).to_have_text("")
    expect(page.get_by_role("button", name="Check my answers")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_hidden()


def test_draft_answers_survive_a_reload(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    answer_some(page)
    page.reload()
    expect(page.locator(f"#{P}")).to_have_attribute("data-ready", "true")
    assert_some_answers(page)
    expect(page.locator(f"#{P} .mooc-q__status:visible")).to_have_count(0)
    expect(page.get_by_role("button", name="Check my answers")).to_be_visible()


def test_checked_quiz_survives_a_reload_and_reset_clears_it(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    answer_some(page)
    check_by_mouse(page)
    after_check = score_text(1, 17, FAILED)  # only the ordering is right
    expect(result(page)).to_have_text(after_check)
    state = stored(page)
    assert (state["checked"], state["attempts"], state["result"]["score"]) == (True, 1, 1)

    page.reload()
    expect(page.locator(f"#{P}")).to_have_attribute("data-ready", "true")
    assert_some_answers(page)
    expect(result(page)).to_have_text(after_check)
    expect(status(page, "single")).to_have_text(f"Not quite. {CORRECT_TEXT['single']}")
    expect(page.locator(f"#{P}-capital-c1-fb")).to_be_visible()
    assert_locked(page)

    # Reset asks first; saying no keeps everything
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Reset this quiz").click()
    expect(result(page)).to_have_text(after_check)
    assert stored(page) is not None

    messages: list[str] = []

    def accept(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Reset this quiz").click()
    assert messages == ["Erase your answers to this quiz?"]
    assert_blank(page)
    assert stored(page) is None
    page.reload()
    expect(page.locator(f"#{P}")).to_have_attribute("data-ready", "true")
    assert_blank(page)


def test_reset_before_checking_needs_no_confirmation(page: Page, mini_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_quiz(page, mini_url)
    answer_some(page)
    page.get_by_role("button", name="Reset this quiz").click()
    assert dialogs == []
    assert_blank(page)
    assert stored(page) is None


def test_try_again_unlocks_and_keeps_the_answers(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    question(page, "single").get_by_text("Namur", exact=True).click()
    for qtype in TYPES[1:]:
        answer_by_mouse(page, qtype)
    check_by_mouse(page)
    expect(result(page)).to_have_text(score_text(5, 83, PASSED))
    assert_locked(page)

    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("button", name="Check my answers")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_hidden()
    assert len(enabled_controls(page)) == 3 + 3 + 2 + 1 + 6 + 3 + 1  # first Up, last Down off
    expect(move_button(page, 0, "down")).to_be_enabled()
    expect(move_button(page, 0, "up")).to_be_disabled()  # first item
    expect(page.locator(f"#{P} .mooc-q__status:visible")).to_have_count(0)
    expect(page.locator(f"#{P} .mooc-q__explanation:visible")).to_have_count(0)
    expect(page.locator(f"#{P} .mooc-choice__feedback:visible")).to_have_count(0)
    expect(result(page)).to_be_hidden()
    expect(page.locator(f"#{P}-capital-c1")).to_be_checked()
    assert page.locator(f"#{P}-capital-c1").get_attribute("aria-describedby") is None

    question(page, "single").get_by_text("Brussels", exact=True).click()
    check_by_mouse(page)
    expect(result(page)).to_have_text(score_text(6, 100, PASSED, attempts=2))
    state = stored(page)
    assert (state["attempts"], state["best"]["score"]) == (2, 6)


def test_result_is_a_status_region(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    region = page.locator(f"#{P}").get_by_role("status", include_hidden=True)
    expect(region).to_have_count(1)
    expect(region).to_have_class(re.compile(r"\bmooc-quiz__result\b"))
    expect(region).to_be_hidden()  # empty until checked
    answer_by_mouse(page, "single")
    check_by_mouse(page)
    expect(region).to_be_visible()
    expect(region).to_have_text(score_text(1, 17, FAILED))
    expect(region).to_be_focused()


def test_checked_event(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    page.evaluate("""() => {
        window.__events = [];
        document.addEventListener('mooc:quiz-checked', e => window.__events.push(e.detail));
        document.addEventListener('mooc:quiz-reset', e => window.__events.push('reset'));
        window.__api = [];
        MoocQuiz.on((name, detail) => window.__api.push([name, detail.score, detail.passed]));
    }""")
    check_by_mouse(page)  # nothing answered
    page.get_by_role("button", name="Try again").click()
    for qtype in TYPES:
        answer_by_mouse(page, qtype)
    check_by_mouse(page)
    events = page.evaluate("window.__events")
    assert len(events) == 2
    first, second = events
    assert (first["score"], first["max"], first["passed"], first["attempts"]) == (0, 6, False, 1)
    assert (second["score"], second["max"], second["percent"], second["passed"]) == (
        6, 6, 100, True)
    assert (second["quiz"], second["lang"], second["checked"], second["attempts"]) == (
        "basics/all-types", "en", True, 2)
    assert second["best"] == {"score": 6, "max": 6, "percent": 100, "passed": True}
    questions = {q["id"]: q for q in second["questions"]}
    assert [q["type"] for q in second["questions"]] == list(TYPES)
    assert questions["capital"]["response"] == 0
    assert questions["steps"]["response"] == [0, 1, 2, 3]
    assert questions["think"] == {**questions["think"], "correct": None, "response": REFLECTION}
    assert all(q["correct"] for q in second["questions"] if q["type"] != "reflection")
    assert page.evaluate("window.__api") == [["mooc:quiz-checked", 0, False],
                                             ["mooc:quiz-checked", 6, True]]
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset this quiz").click()
    assert page.evaluate("window.__events.length") == 3
    assert page.evaluate("window.__events[2]") == "reset"


# ---------------------------------------------------------------- hostile quiz text

HOSTILE: dict[str, Any] = {
    "title": "Evil <script>window.pwnedTitle = 1</script>",
    "questions": [
        {"id": "s", "type": "single",
         "prompt": "Pick <script>window.pwned1 = 1</script> one <img src=x "
                   "onerror=\"window.pwned2 = 1\"> [link](javascript:window.pwned3=1)",
         "choices": [
             {"text": "<b>bold</b> <img src=x onerror=\"window.pwned4 = 1\">", "correct": True,
              "feedback": "<script>window.pwned5 = 1</script> fine"},
             {"text": "other <svg onload=\"window.pwned6 = 1\"></svg>",
              "feedback": "<img src=x onerror=\"alert('feedback')\">"}],
         "explanation": "<iframe src=\"javascript:alert('explanation')\"></iframe> because"},
        {"id": "f", "type": "fill-in", "prompt": "Type <em>it</em>",
         "answers": ["</script><script>window.pwned7 = 1</script>"]},
        {"id": "t", "type": "true-false", "prompt": "<style>body{display:none}</style>True?",
         "answer": True, "feedback": {"true": "<script>alert('t')</script>",
                                      "false": "<img src=x onerror=alert('f')>"}},
        {"id": "o", "type": "ordering", "prompt": "Order",
         "items": ["<img src=x onerror=\"window.pwned8 = 1\">", "<b onclick=alert(1)>two</b>"]},
        {"id": "m", "type": "matching", "prompt": "Match",
         "pairs": [{"left": "<i onmouseover=\"window.pwned9 = 1\">hover</i>",
                    "right": "</option><script>window.pwned10 = 1</script>"},
                   {"left": "plain", "right": "<img src=x onerror=\"window.pwned11 = 1\">"}]},
        {"id": "r", "type": "reflection", "prompt": "Think",
         "model_answer": "<script>window.pwned12 = 1</script> model"},
    ],
}


@pytest.fixture
def hostile_url(mini_course: Path, tmp_path: Path) -> Iterator[str]:
    root = mini_course.parent
    (root / "quizzes/en/basics/evil.yml").write_text(
        yaml.safe_dump(HOSTILE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    second = root / "course/en/basics/second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\n::: quiz basics/evil\n",
                      encoding="utf-8")
    out = tmp_path / "site"
    assert mooc_main(["build", "-f", str(mini_course), "-d", str(out)]) == 0
    with served(out) as url:
        yield url


def test_raw_html_in_quiz_text_is_shown_not_run(page: Page, hostile_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_url + "/basics/second.html")
    quiz = page.locator("#mooc-quiz-basics-evil")
    expect(quiz).to_have_attribute("data-ready", "true")
    q = "mooc-quiz-basics-evil"

    # shown as text
    expect(quiz.locator(".mooc-quiz__title")).to_have_text(
        "Quiz: Evil <script>window.pwnedTitle = 1</script>")
    expect(quiz.locator(f"#{q}-s legend")).to_contain_text(
        'Pick <script>window.pwned1 = 1</script> one <img src=x onerror="window.pwned2 = 1">')
    expect(quiz.locator(f"label[for={q}-s-c0]")).to_have_text(
        '<b>bold</b> <img src=x onerror="window.pwned4 = 1">')
    expect(quiz.locator(f"#{q}-t legend")).to_contain_text("<style>body{display:none}</style>")
    expect(quiz.locator(f"#{q}-o .mooc-order__text").first).to_be_visible()
    expect(quiz.get_by_text('<i onmouseover="window.pwned9 = 1">hover</i>')).to_be_visible()
    options = quiz.locator(f"#{q}-m-m0 option").all_text_contents()
    assert "</option><script>window.pwned10 = 1</script>" in options

    # no element made from quiz text
    assert quiz.locator("img, svg, iframe, style, b, i").count() == 0
    assert quiz.locator("script").count() == 1  # the JSON answer key
    assert quiz.locator('a[href^="javascript"]').count() == 0

    # answer (hover, click, wrong choices) so every feedback text is revealed
    quiz.get_by_text('<i onmouseover="window.pwned9 = 1">hover</i>').hover()
    quiz.locator(f"label[for={q}-s-c1]").click()
    quiz.locator(f"#{q}-f input").fill("nope")
    quiz.locator(f"label[for={q}-t-false]").click()
    quiz.locator(f"#{q}-m-m0").select_option(index=1)
    quiz.locator(f"#{q}-r textarea").fill("something")
    quiz.get_by_role("button", name="Check my answers").click()
    expect(quiz.locator(f"#{q}-s-c1-fb")).to_have_text("<img src=x onerror=\"alert('feedback')\">")
    expect(quiz.locator(f"#{q}-s .mooc-q__explanation")).to_have_text(
        "<iframe src=\"javascript:alert('explanation')\"></iframe> because")
    expect(quiz.locator(f"#{q}-f .mooc-q__status")).to_have_text(
        "Not quite. The correct answer: </script><script>window.pwned7 = 1</script>")
    expect(quiz.locator(f"#{q}-t-false-fb")).to_have_text("<img src=x onerror=alert('f')>")
    expect(quiz.locator(f"#{q}-r .mooc-q__explanation")).to_contain_text(
        "<script>window.pwned12 = 1</script> model")
    expect(quiz.locator(f"#{q}-m .mooc-q__status")).to_contain_text(
        "</option><script>window.pwned10 = 1</script>")
    assert quiz.locator("img, svg, iframe, style, b, i").count() == 0
    assert quiz.locator("script").count() == 1

    # and nothing ran
    page.wait_for_timeout(100)
    ran = page.evaluate("""() => Object.keys(window).filter(k => k.startsWith('pwned'))""")
    assert ran == []
    assert dialogs == []
    expect(page.locator("body")).to_be_visible()
