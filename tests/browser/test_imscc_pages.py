"""A Common Cartridge's pages in Chromium, as an LMS that shows them as web pages does
(Canvas, Brightspace): every page runs without a script error or a request elsewhere, and
the self-check left in a page (the questions CC's QTI profile lacks) works on its own,
scored on its questions only."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

from builder.export.imscc import CommonCartridgeExporter
from builder.pipeline import Settings, load_checked

from ..conftest import FIXTURES
from .conftest import build_site, checked_page, served


def visit(browser: Any, url: str, name: str) -> None:
    """Open one page of the served cartridge and check it."""
    with checked_page(browser) as page:
        console: list[str] = []
        elsewhere: list[str] = []
        page.on("console", lambda m: console.append(m.text)
                if m.type in ("error", "warning") else None)
        page.on("request", lambda r: elsewhere.append(r.url)
                if not r.url.startswith(url) else None)
        page.goto(f"{url}/{name}")
        page.wait_for_load_state("networkidle")
        assert not console, (name, console)
        assert not elsewhere, (name, elsewhere)
        assert page.locator("header.md-header").is_hidden()
        assert page.locator(".md-sidebar, .md-footer").count() == 0
        if name == "basics/first.html":
            quiz = page.locator("section.mooc-quiz")
            assert quiz.locator("fieldset").count() == 2  # ordering, matching
            quiz.locator("button[data-action=check]").click()
            result = quiz.locator(".mooc-quiz__result")
            assert "of 2 points" in result.inner_text(), result.inner_text()


def test_cartridge_pages_run_and_their_self_check_scores_its_own_questions(
        browser: Any, tmp_path: Path) -> None:
    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    site = build_site(src / "mkdocs.yml", tmp_path / "site")
    project, _ = load_checked(Settings.at(src))
    cartridge = CommonCartridgeExporter().export(project, "en", site, tmp_path, "basics")
    folder = tmp_path / "cartridge"
    with zipfile.ZipFile(cartridge) as zf:
        zf.extractall(folder)
        pages = sorted(n for n in zf.namelist() if n.endswith(".html"))
    assert pages == ["basics/first.html", "basics/second.html"]
    with served(folder) as url:
        for name in pages:
            visit(browser, url, name)
