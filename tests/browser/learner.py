"""Helpers for the learner's-site browser tests (test_learner_*.py): keyboard moves,
stored progress, the mini course's right answers, checks on a page's width."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

COURSE_KEY = "mooc:v1:mini:en:"
PROGRESS_KEY = COURSE_KEY + "progress"
FIRST = "basics/first.html"
SECOND = "basics/second.html"
THIRD = "more/third.html"
ALL = "#mooc-quiz-basics-all-types"
INLINE = "#mooc-quiz-basics-inline"
# Every page of the learner's site that a learner opens.
PAGES = ("index.html", FIRST, SECOND, THIRD, "progress.html", "certificate.html")


def focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector))


def tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector!r} was not reached with Tab in {limit} presses")


def answer_all_types_by_keyboard(page: Page) -> None:
    """The right answers to basics/all-types, with the keyboard only."""
    tab_to(page, f"{ALL}-capital-c0")
    page.keyboard.press("Space")
    tab_to(page, f"{ALL}-colours-c0")
    page.keyboard.press("Space")
    tab_to(page, f"{ALL}-colours-c1")
    page.keyboard.press("Space")
    tab_to(page, f"{ALL}-sky-true")  # no radio checked: Tab enters the group on the first
    page.keyboard.press("ArrowDown")  # ... and the arrow checks the next one: false
    expect(page.locator(f"{ALL}-sky-false")).to_be_checked()
    tab_to(page, f"{ALL}-balint-input")
    page.keyboard.type("Balint")
    tab_to(page, f'{ALL}-steps [data-item="2"] .mooc-order__down')
    page.keyboard.press("Enter")
    for n, word in enumerate(("French", "German", "Spanish")):
        tab_to(page, f"{ALL}-pairs-m{n}")
        page.keyboard.type(word[:2])  # type-ahead picks the option
    tab_to(page, f"{ALL}-think-text")
    page.keyboard.type("Listening comes first.")
    tab_to(page, f'{ALL} [data-action="check"]')
    page.keyboard.press("Enter")
    expect(page.locator(f"{ALL} .mooc-quiz__result")).to_contain_text("Quiz passed")


def answer_all_types(page: Page) -> None:
    """The same right answers, quickly (not a keyboard test), then check."""
    fill_right_answers(page)
    page.locator(f'{ALL} [data-action="check"]').click()
    expect(page.locator(f"{ALL} .mooc-quiz__result")).to_contain_text("Quiz passed")


def fill_right_answers(page: Page) -> None:
    """The right answer to each question of the all-types quiz, by mouse."""
    page.locator(f"{ALL}-capital-c0").check()
    page.locator(f"{ALL}-colours-c0").check()
    page.locator(f"{ALL}-colours-c1").check()
    page.locator(f"{ALL}-sky-false").check()
    page.locator(f"{ALL}-balint-input").fill("Balint")
    page.locator(f'{ALL}-steps [data-item="2"] .mooc-order__down').click()
    for n in range(3):
        page.locator(f"{ALL}-pairs-m{n}").select_option(str(n))
    page.locator(f"{ALL}-think-text").fill("Something.")


def answer_inline(page: Page, right: bool = True) -> None:
    page.locator(f"{INLINE}-q1-{'true' if right else 'false'}").check()
    page.locator(f'{INLINE} [data-action="check"]').click()
    expect(page.locator(f"{INLINE} .mooc-quiz__result")).not_to_be_empty()


def record(page: Page) -> dict[str, Any]:
    """The stored progress record of the mini course (English)."""
    raw = page.evaluate("k => localStorage.getItem(k)", PROGRESS_KEY)
    return json.loads(raw) if raw else {}


def store(page: Page, key: str, value: str) -> None:
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, value])


def completed_basics() -> str:
    """A stored record in which the track "basics" is complete."""
    return json.dumps({"v": 1, "seen": {"basics/first": 1700000000000,
                                        "basics/second": 1700000100000},
                       "quizzes": {"basics/all-types": {"best": 100, "passed": True,
                                                        "attempts": 1, "at": 1700000050000},
                                   "basics/inline": {"best": 100, "passed": True,
                                                     "attempts": 2, "at": 1700000200000}}})


def overflow(page: Page) -> list[str]:
    """Elements of the page that stick out of the viewport sideways (and would need a
    horizontal scroll), unless a scrolling box of their own holds them."""
    result: list[str] = page.evaluate("""() => {
        const width = document.documentElement.clientWidth, out = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > width + 1)
            out.push('document scrollWidth ' + doc.scrollWidth + ' > ' + width);
        if (document.body.scrollWidth > width + 1)
            out.push('body scrollWidth ' + document.body.scrollWidth + ' > ' + width);
        const held = el => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                const o = getComputedStyle(a).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') {
                    const r = a.getBoundingClientRect();
                    if (r.right <= width + 1 && r.left >= -1) return true;
                }
            }
            return false;
        };
        for (const el of document.querySelectorAll('.md-header *, .md-content *, .md-footer *')) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height || el.closest('.mooc-sr-only, .md-search')) continue;
            if ((r.right > width + 1 || r.left < -1) && !held(el))
                out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' +
                         Math.round(r.left) + '..' + Math.round(r.right));
        }
        return out.slice(0, 10);
    }""")
    return result
