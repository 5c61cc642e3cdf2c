"""axe-core on the learner's pages, in the light and the dark scheme: no serious or
critical violation on the home page (before and with progress), a module page (before and
after answering its quiz), the progress page (with a status message) and the certificate
page (before completion, and with the certificate made). Also checks what axe cannot:
landmarks, one h1, and a visible focus ring on our controls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import checked_page
from .learner import FIRST, PROGRESS_KEY, answer_all_types, completed_basics, store, tab_to
from .test_quiz_axe import assert_no_blocking

SCHEMES = ["light", "dark"]


@pytest.fixture
def scheme_page(browser: Any) -> Iterator[Page]:
    # bypass_csp: axe-core is injected as an inline script
    with checked_page(browser, viewport={"width": 1000, "height": 900},
                      reduced_motion="reduce", bypass_csp=True) as pg:
        yield pg


def open_in(page: Page, url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url)
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default")


def landmarks_and_headings(page: Page) -> None:
    assert page.locator("header").count() >= 1
    assert page.locator("main").count() == 1
    assert page.locator("h1").count() == 1
    lang = page.evaluate("document.documentElement.lang")
    assert lang == "en"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_home_and_module(scheme_page: Page, learner_url: str, scheme: str) -> None:
    page = scheme_page
    open_in(page, f"{learner_url}/index.html", scheme)
    landmarks_and_headings(page)
    assert_no_blocking(page, f"on the home page ({scheme})")
    open_in(page, f"{learner_url}/{FIRST}", scheme)
    landmarks_and_headings(page)
    assert_no_blocking(page, f"on a module before its quiz ({scheme})")
    answer_all_types(page)
    expect(page.locator("[data-module-status]")).to_have_text("Module done.")
    assert_no_blocking(page, f"on a module after its quiz ({scheme})")
    open_in(page, f"{learner_url}/index.html", scheme)
    expect(page.locator('.mooc-track[data-track="basics"] a[data-start]')).to_contain_text(
        "Continue")
    assert_no_blocking(page, f"on the home page with progress ({scheme})")
    tab_to(page, '.mooc-track[data-track="basics"] a[data-start]')
    assert_no_blocking(page, f"with the focus on Continue ({scheme})")
    assert_focus_ring(page)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_progress_page(scheme_page: Page, learner_url: str, scheme: str) -> None:
    page = scheme_page
    open_in(page, f"{learner_url}/{FIRST}", scheme)
    page.locator("#mooc-quiz-basics-all-types-capital-c1").check()
    page.locator('#mooc-quiz-basics-all-types [data-action="check"]').click()
    open_in(page, f"{learner_url}/progress.html", scheme)
    expect(page.locator("[data-actions]")).to_be_visible()
    landmarks_and_headings(page)
    assert_no_blocking(page, f"on the progress page ({scheme})")
    with page.expect_download():
        page.locator('[data-action="export"]').click()
    expect(page.locator("[data-status]")).not_to_be_empty()
    assert_no_blocking(page, f"on the progress page after an export ({scheme})")
    page.evaluate("document.activeElement.blur()")  # clicked: no focus ring; by keyboard:
    for action in ('[data-action="export"]', '[data-action="import"]',
                   '[data-action="reset"]'):
        tab_to(page, action)
        assert_focus_ring(page)
    assert_no_blocking(page, f"with the focus on Reset ({scheme})")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_certificate_page(scheme_page: Page, learner_url: str, scheme: str) -> None:
    page = scheme_page
    open_in(page, f"{learner_url}/certificate.html", scheme)
    landmarks_and_headings(page)
    assert_no_blocking(page, f"on the certificate page before completion ({scheme})")
    store(page, PROGRESS_KEY, completed_basics())
    open_in(page, f"{learner_url}/certificate.html", scheme)
    tab_to(page, "#mooc-cert-basics-name")
    assert_focus_ring(page)
    page.keyboard.type("Grace Hopper")
    page.keyboard.press("Enter")
    expect(page.locator('.mooc-cert-track[data-track="basics"] [data-certificate]')
           ).to_be_focused()
    assert_focus_ring(page)
    assert_no_blocking(page, f"on the certificate page with a certificate ({scheme})")


def assert_focus_ring(page: Page) -> None:
    """The focused element shows an outline of at least 2 px."""
    style = page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
    }""")
    assert style["style"] != "none" and style["width"] >= 2, style
