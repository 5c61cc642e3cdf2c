"""The real PAT MOOC site in Chromium: the language switch on every page type lands on the
same page in the other language, and French pages pass axe in both colour schemes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from ..conftest import ROOT
from .conftest import served
from .test_quiz_axe import assert_no_blocking

# one page of each type: home, module (two tracks), course pages, learner pages
PAGE_TYPES = ["index", "psw/intervision", "teams/special-settings", "about", "competencies",
              "glossary", "facilitator-guide", "help", "translations", "progress",
              "certificate"]


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    with served(real_site) as url:
        yield url


def _existing(page_id: str) -> bool:
    return (ROOT / "course/en" / f"{page_id}.md").is_file()


def switch_to(page: Page, lang: str) -> None:
    """Open the language menu by keyboard and follow the link to `lang`."""
    page.locator(".md-header .md-select button").focus()
    link = page.locator(f'.md-select__link[hreflang="{lang}"]')
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("page_id", [p for p in PAGE_TYPES if _existing(p)])
def test_switch_lands_on_the_same_page(page: Page, real_url: str, page_id: str) -> None:
    page.goto(f"{real_url}/{page_id}.html")
    assert page.locator("html").get_attribute("lang") == "en"
    switch_to(page, "fr")
    assert page.url == f"{real_url}/fr/{page_id}.html"
    assert page.locator("html").get_attribute("lang") == "fr"
    current = page.locator('.md-select__link[hreflang="fr"]')
    assert current.get_attribute("aria-current") == "true"
    switch_to(page, "en")
    assert page.url == f"{real_url}/{page_id}.html"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_id", ["index", "psw/intervision", "glossary"])
def test_french_pages_pass_axe(page: Page, real_url: str, page_id: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{real_url}/fr/{page_id}.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_no_blocking(page, f"on fr/{page_id} ({scheme})")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_help_lines_pass_axe_and_dial(page: Page, real_url: str, lang: str) -> None:
    """The help page's crisis lines (course/help-lines.yml): axe finds nothing blocking, and
    each number is a tel: link inside a headed region."""
    page.goto(f"{real_url}/{'' if lang == 'en' else 'fr/'}help.html")
    regions = page.locator(".mooc-help-lines__region")
    assert regions.count() >= 8
    assert page.locator('.mooc-help-line__number a[href^="tel:"]').count() >= 8
    for region in regions.all():
        assert region.get_attribute("aria-labelledby") == region.locator("h3").get_attribute("id")
    assert_no_blocking(page, f"on {lang}/help")


def test_french_module_quiz_in_french_and_axe_after_answering(page: Page,
                                                              real_url: str) -> None:
    page.goto(f"{real_url}/fr/psw/intervision.html")
    quiz = page.locator("section.mooc-quiz")
    assert "Vérifier mes réponses" in quiz.locator("[data-action=check]").inner_text()
    quiz.locator("fieldset[data-type=single] input").first.check()
    quiz.locator("[data-action=check]").click()
    result = quiz.locator(".mooc-quiz__result")
    assert "Vous avez obtenu" in result.inner_text()
    assert_no_blocking(page, "on fr/psw/intervision after checking")


def test_every_page_exists_in_both_languages() -> None:
    en = {p.relative_to(ROOT / "course/en") for p in (ROOT / "course/en").rglob("*.md")}
    fr = {p.relative_to(ROOT / "course/fr") for p in (ROOT / "course/fr").rglob("*.md")}
    assert en == fr
    assert Path("psw/intervision.md") in en


def _modules() -> list[str]:
    import yaml
    course = yaml.safe_load((ROOT / "course/course.yml").read_text(encoding="utf-8"))
    return [m for track in course["tracks"] for m in track["modules"]]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_help_is_one_click_away_on_every_module_page(page: Page, real_url: str,
                                                     lang: str) -> None:
    """Every module's header links to the help page of its language, visible on a phone."""
    prefix = "" if lang == "en" else f"/{lang}"
    page.set_viewport_size({"width": 360, "height": 740})
    for module in _modules():
        page.goto(f"{real_url}{prefix}/{module}.html")
        link = page.locator(".mooc-module-header__help a")
        assert link.count() == 1, module
        assert link.is_visible(), module
        target = link.evaluate("a => a.href")
        assert target == f"{real_url}{prefix}/help.html", (module, target)
    link.click()
    assert page.url == f"{real_url}{prefix}/help.html"
    assert page.locator("html").get_attribute("lang") == lang
