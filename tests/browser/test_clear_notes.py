""""Clear my notes" (issue 18 section 4): a reflection typed in a quiz stays in the browser;
the learner erases it by keyboard, with a confirmation in the page and the result read out,
and after a reload it is gone from the page and from localStorage, the other answers kept.

The fixture course's basics/first.html shows basics/all-types, whose reflection is "think".
"""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from .test_quiz_browser import FIRST, REFLECTION, STORAGE_KEY, P, open_quiz, question

NOTES = f"#{P} [data-notes]"


def stored(page: Page) -> str:
    return page.evaluate("k => localStorage.getItem(k) || ''", STORAGE_KEY)


def test_clear_my_notes_erases_the_reflection_on_this_device(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    question(page, "single").get_by_text("Namur", exact=True).click()
    question(page, "reflection").get_by_label("Your answer").fill(REFLECTION)
    page.reload(wait_until="domcontentloaded")
    expect(page.locator(f"#{P}")).to_have_attribute("data-ready", "true")
    area = page.locator(f"#{P}-think-text")
    expect(area).to_have_value(REFLECTION)
    assert REFLECTION in stored(page)

    # a real button, reached and pressed by keyboard; the question comes in the page
    clear = page.locator(f"{NOTES} [data-action=clear-notes]")
    expect(clear).to_be_visible()
    expect(clear).to_have_accessible_name("Clear my notes")
    clear.focus()
    page.keyboard.press("Enter")
    ask = page.locator(f"{NOTES} [data-notes-confirm]")
    expect(ask).to_be_visible()
    expect(ask).to_have_attribute("role", "group")
    expect(clear).to_have_attribute("aria-expanded", "true")
    # Escape keeps the notes and gives the focus back
    page.keyboard.press("Escape")
    expect(ask).to_be_hidden()
    expect(clear).to_be_focused()
    expect(area).to_have_value(REFLECTION)
    assert REFLECTION in stored(page)

    page.keyboard.press("Enter")
    yes = page.locator(f"{NOTES} [data-action=clear-notes-yes]")
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")
    status = page.locator(f"{NOTES} [data-notes-status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("Your notes in this quiz were cleared from this device.")
    expect(area).to_have_value("")
    expect(clear).to_be_focused()

    page.reload(wait_until="domcontentloaded")
    expect(page.locator(f"#{P}")).to_have_attribute("data-ready", "true")
    expect(page.locator(f"#{P}-think-text")).to_have_value("")
    raw = stored(page)
    assert REFLECTION not in raw
    state = json.loads(raw)
    assert "think" not in state["responses"]
    assert state["responses"]["capital"] == 1  # the other answers stay
    expect(page.locator(f"#{P}-capital-c1")).to_be_checked()
    assert page.url.endswith(FIRST)


def test_clearing_after_checking_leaves_the_result(page: Page, mini_url: str) -> None:
    open_quiz(page, mini_url)
    question(page, "reflection").get_by_label("Your answer").fill(REFLECTION)
    page.locator(f"#{P} [data-action=check]").click()
    result = page.locator(f"#{P} .mooc-quiz__result").inner_text()
    expect(question(page, "reflection").locator(".mooc-q__status")).to_have_text("Answer saved")
    page.locator(f"{NOTES} [data-action=clear-notes]").click()
    page.locator(f"{NOTES} [data-action=clear-notes-yes]").click()
    expect(question(page, "reflection").locator(".mooc-q__status")).to_have_text("Not answered")
    assert page.locator(f"#{P} .mooc-quiz__result").inner_text() == result
    page.reload(wait_until="domcontentloaded")
    expect(page.locator(f"#{P}")).to_have_attribute("data-ready", "true")
    expect(page.locator(f"#{P}-think-text")).to_have_value("")
    assert REFLECTION not in stored(page)


def test_a_quiz_without_reflection_has_no_notes_button(page: Page, mini_url: str) -> None:
    page.goto(mini_url + "/basics/second.html", wait_until="domcontentloaded")
    quizzes = page.locator("section.mooc-quiz")
    assert quizzes.count() >= 1
    for quiz in quizzes.all():
        has_reflection = quiz.locator("fieldset[data-type=reflection]").count() > 0
        assert (quiz.locator("[data-notes]").count() > 0) == has_reflection
