"""A package opened without an LMS works like the site: launch page over http and from
disk (file://), and a package page opened on its own.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import served

QUIZ = "mooc-quiz-basics-all-types"


@pytest.fixture(scope="session")
def package_dir(mini_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("standalone")
    with zipfile.ZipFile(mini_site / "downloads" / "mini-en-all-scorm12.zip") as zf:
        zf.extractall(root)
    return root


@pytest.fixture(scope="session")
def package_url(package_dir: Path) -> Iterator[str]:
    with served(package_dir) as url:
        yield url


def _content(page: Any, path: str) -> Any:
    """The frame showing `path`, once its quizzes are ready (works for file:// too)."""
    for _ in range(100):
        for frame in page.frames:
            if frame.url.split("#")[0].endswith("/" + path) and \
                    frame.locator("section.mooc-quiz[data-ready]").count():
                return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} never showed up: {[f.url for f in page.frames]}")


def test_launch_page_without_lms_shows_the_course(page: Any, package_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{package_url}/launch.html")
    first = _content(page, "basics/first.html")
    assert page.evaluate("() => MoocScorm.connected()") is False
    first.check(f"#{QUIZ}-capital-c0")
    first.click(f"#{QUIZ} [data-action=check]")
    assert "1 of 6" in first.inner_text(f"#{QUIZ} .mooc-quiz__result")
    page.reload()  # like the site: answers kept on this device
    first = _content(page, "basics/first.html")
    assert first.is_checked(f"#{QUIZ}-capital-c0")
    first.click("a[href='second.html#details']")
    _content(page, "basics/second.html")
    assert all(u.startswith(package_url) for u in requests), requests


def test_package_page_alone_is_the_site_page(page: Any, package_url: str) -> None:
    page.goto(f"{package_url}/basics/first.html")
    page.wait_for_selector(f"#{QUIZ}[data-ready]")
    assert page.evaluate("() => typeof window.MoocScorm") == "undefined"
    page.check(f"#{QUIZ}-sky-false")
    page.click(f"#{QUIZ} [data-action=check]")
    assert page.is_visible(f"#{QUIZ} [data-action=retry]")
    # no search, no link out of the package in the menus
    assert page.locator(".md-search, [data-md-component=search]").count() == 0
    assert page.locator("a[href$='index.html'], a[href$='competencies.html']").count() == 0
    # a link another script adds later, out of the package, leads nowhere
    for href in ("../index.html", "../../elsewhere/page.html", "javascript:void(0)"):
        page.evaluate("""(href) => { const a = document.createElement('a');
            a.href = href; a.id = 'late'; a.textContent = 'late link';
            document.querySelector('article').prepend(a); }""", href)
        page.click("#late")
        page.wait_for_timeout(200)
        assert page.url.endswith("/basics/first.html"), href
        page.evaluate("() => document.getElementById('late').remove()")
    page.click("a[href='second.html#details']")  # a page of the package still opens
    page.wait_for_url("**/basics/second.html#details")


def test_launch_page_from_disk(page: Any, package_dir: Path) -> None:
    page.goto((package_dir / "launch.html").as_uri())
    first = _content(page, "basics/first.html")
    first.check(f"#{QUIZ}-capital-c0")
    first.click(f"#{QUIZ} [data-action=check]")
    assert "1 of 6" in first.inner_text(f"#{QUIZ} .mooc-quiz__result")
    styled = first.evaluate(
        "() => getComputedStyle(document.querySelector('.md-header')).position")
    assert styled in ("sticky", "fixed")  # the theme's CSS loaded under the CSP
