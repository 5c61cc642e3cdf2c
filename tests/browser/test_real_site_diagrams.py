"""The real PAT MOOC's diagrams in Chromium: on every page that shows one, in each language
and both colour schemes, each picture loads, has its text alternative, fits a 360 px phone,
and the page passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from ..conftest import ROOT
from ..test_course_diagrams import LANGS
from .conftest import checked_page, served
from .test_quiz_axe import assert_no_blocking

IMAGE = re.compile(r"!\[[^\]]*\]\([^)\s]*img/[^)\s]+\.svg\)")


def diagram_pages() -> list[tuple[str, str]]:
    out = []
    for lang in LANGS:
        base = ROOT / "course" / lang
        for page in sorted(base.rglob("*.md")):
            if IMAGE.search(page.read_text(encoding="utf-8")):
                out.append((lang, page.relative_to(base).with_suffix("").as_posix()))
    return out


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    with served(real_site) as url:
        yield url


def url_of(base: str, lang: str, page_id: str) -> str:
    return f"{base}/{page_id}.html" if lang == LANGS[0] else f"{base}/{lang}/{page_id}.html"


def test_the_course_shows_diagrams_in_every_language() -> None:
    found = diagram_pages()
    for lang in LANGS:
        assert any(lg == lang for lg, _ in found), f"no page shows a diagram in {lang}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("lang", "page_id"), diagram_pages())
def test_diagram_pages_pass_axe(page: Page, real_url: str, lang: str, page_id: str,
                                scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url_of(real_url, lang, page_id))
    images = page.locator("article img[src$='.svg']")
    assert images.count() >= 1
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete", arg=img.element_handle())
        assert img.evaluate("i => i.naturalWidth") > 0, img.get_attribute("src")
        assert len(img.get_attribute("alt") or "") >= 20
    assert_no_blocking(page, f"on {lang}/{page_id} ({scheme})")


@pytest.mark.parametrize(("lang", "page_id"), diagram_pages())
def test_diagrams_fit_a_phone(browser: object, real_url: str, lang: str,
                              page_id: str) -> None:
    with checked_page(browser, viewport={"width": 360, "height": 740}) as pg:
        pg.goto(url_of(real_url, lang, page_id))
        content = pg.locator("article").evaluate("a => a.getBoundingClientRect().width")
        for box in pg.locator("article img[src$='.svg']").evaluate_all(
                "imgs => imgs.map(i => i.getBoundingClientRect().width)"):
            assert 0 < box <= content, (page_id, box, content)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360

