"""Browser fixtures: Debian's Chromium driven by Playwright, and built sites served on
127.0.0.1. Never `playwright install`: the browser is /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main as mooc_main

from ..conftest import FIXTURES, ROOT, lay_learner_course, made_once

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NODE_MODULES = ROOT / "node_modules"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page (own storage) that fails the test on any script error."""
    with checked_page(browser, viewport={"width": 1000, "height": 900}) as pg:
        yield pg


@contextlib.contextmanager
def checked_page(browser: object, **context_options: object) -> Iterator[Any]:
    """A page in a new browser context; any script error in it fails the test."""
    context = browser.new_context(**context_options)  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def build_site(config: Path, out: Path) -> Path:
    """`mooc build` of a fixture course into `out`."""
    assert mooc_main(["build", "-f", str(config), "-d", str(out)]) == 0
    return out


# The built sites are made once per test run and shared by the pytest-xdist workers
# (made_once): the tests only read them.
@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(folder: Path) -> None:
        shutil.copytree(FIXTURES / "mini", folder / "mini")
        build_site(folder / "mini/mkdocs.yml", folder / "site")

    return made_once(tmp_path_factory, "mini-site", make) / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PAT MOOC, built by `mooc build` (both languages, every package)."""
    return made_once(tmp_path_factory, "real-site",
                     lambda folder: build_site(ROOT / "mkdocs.yml", folder / "site")) / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path, handler_class: type[_Quiet] = _Quiet) -> Iterator[str]:
    """`folder` served on 127.0.0.1 while the block runs; yields its URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def mini_url(mini_site: Path) -> Iterator[str]:
    with served(mini_site) as url:
        yield url


# The learner's site: the mini course with the overlay of tests/fixtures/learner (progress
# and certificate pages, a second track, the real site's theme settings), served with a
# Content-Security-Policy that allows no inline script and nothing from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
       "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


@pytest.fixture(scope="session")
def learner_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return made_once(tmp_path_factory, "learner-site", lambda folder: build_site(
        lay_learner_course(folder / "mini"), folder / "site")) / "site"


class _QuietCSP(_Quiet):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()


@pytest.fixture(scope="session")
def learner_url(learner_site: Path) -> Iterator[str]:
    with served(learner_site, _QuietCSP) as url:
        yield url
