"""The learner's site as a whole: no request to any other host and nothing the
Content-Security-Policy blocks, on every page; no horizontal scrolling at 360 px; a module
that prints cleanly."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .learner import (
    FIRST,
    PAGES,
    PROGRESS_KEY,
    answer_all_types,
    completed_basics,
    overflow,
    store,
)


def test_no_request_leaves_the_site_and_nothing_is_blocked(page: Page,
                                                          learner_url: str) -> None:
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    for path in PAGES:
        page.goto(f"{learner_url}/{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{learner_url}/{FIRST}")
    answer_all_types(page)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("module")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    outside = [u for u in requests
               if not u.startswith((learner_url + "/", "data:", "blob:"))]
    assert outside == []
    assert any(u.endswith("search/search_index.json") for u in requests)
    assert console == []


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, errors


def test_no_horizontal_scroll_at_360_px(phone: Page, learner_url: str) -> None:
    page = phone
    page.goto(f"{learner_url}/index.html")
    assert overflow(page) == [], "home"
    page.goto(f"{learner_url}/{FIRST}")
    assert overflow(page) == [], "module before answering"
    page.locator("#mooc-quiz-basics-all-types-capital-c1").tap()
    page.locator('#mooc-quiz-basics-all-types [data-action="check"]').tap()
    expect(page.locator("#mooc-quiz-basics-all-types .mooc-quiz__result")).not_to_be_empty()
    assert overflow(page) == [], "module after checking (feedback shown)"
    page.goto(f"{learner_url}/progress.html")
    expect(page.locator("[data-actions]")).to_be_visible()
    assert overflow(page) == [], "progress"
    store(page, PROGRESS_KEY, completed_basics())
    page.goto(f"{learner_url}/certificate.html")
    assert overflow(page) == [], "certificate, before"
    page.locator("#mooc-cert-basics-name").fill(
        "Maximiliana Wilhelmina Hohenzollern-Sigmaringen-Vasconcelos-Papadopoulou")
    page.locator('.mooc-cert-track[data-track="basics"] button[type="submit"]').tap()
    expect(page.locator('.mooc-cert-track[data-track="basics"] [data-certificate]')
           ).to_be_visible()
    assert overflow(page) == [], "certificate, made"


def test_reduced_motion_is_respected(browser: Any, learner_url: str) -> None:
    context = browser.new_context(reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(f"{learner_url}/{FIRST}")
        durations = page.evaluate("""() => ['.md-header', '.md-top', '.md-search__inner',
            '.md-footer__link', '.md-sidebar'].map(s => document.querySelector(s))
            .filter(Boolean).map(el => parseFloat(getComputedStyle(el).transitionDuration))""")
        assert durations and max(durations) < 0.01, durations
    finally:
        context.close()


def test_a_module_prints_cleanly(page: Page, learner_url: str) -> None:
    page.goto(f"{learner_url}/{FIRST}")
    answer_all_types(page)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   "#mooc-quiz-basics-all-types .mooc-quiz__actions", ".mooc-order__moves",
                   ".md-top"):
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in ("h1", ".mooc-module-header", "#mooc-quiz-basics-all-types legend",
                  "#mooc-quiz-basics-all-types .mooc-quiz__result"):
        expect(page.locator(shown).first).to_be_visible()
    # black text on white paper, whatever the screen's colour scheme
    colour = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    assert colour.startswith("rgba(0, 0, 0") or colour == "rgb(0, 0, 0)", colour
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
