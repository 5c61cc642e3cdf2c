"""The built site opened from disk (file://), as a learner who downloaded it would:
navigation, a quiz, progress and search all work, and nothing is fetched from elsewhere."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .learner import FIRST, answer_all_types


def test_site_from_disk_navigation_quiz_progress(page: Page, learner_site: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((learner_site / "index.html").as_uri())
    page.locator('.mooc-track[data-track="basics"] a[data-start]').click()
    page.wait_for_url("**/" + FIRST)
    expect(page.locator("#mooc-quiz-basics-all-types")).to_have_attribute("data-ready", "true")
    answer_all_types(page)
    expect(page.locator("[data-module-status]")).to_have_text("Module done.")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url("**/basics/second.html")
    page.goto((learner_site / "progress.html").as_uri())
    basics = page.locator('.mooc-progress__track[data-track="basics"]')
    expect(basics.locator('li[data-module="basics/first"] [data-done]')).to_have_text("Done")
    expect(basics.locator('li[data-module="basics/second"] [data-facts] > li')).to_have_text(
        ["Page seen", "Quiz not tried yet"])
    page.goto((learner_site / "index.html").as_uri())
    expect(page.locator('.mooc-track[data-track="basics"] a[data-start]')).to_have_text(
        "Continue: Basics")
    outside = [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
    assert outside == []


def test_search_from_disk(page: Page, learner_site: Path) -> None:
    page.goto((learner_site / "index.html").as_uri())
    search = page.locator("input.md-search__input")
    search.click()  # opens the search, which starts its worker (in an iframe from disk)
    search.press_sequentially("zanzibar")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_contain_text("Third module", timeout=10000)
    results.first.locator("a").first.click()
    page.wait_for_url("**/more/third.html*")
