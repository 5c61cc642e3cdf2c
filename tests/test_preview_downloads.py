"""The live preview has a downloads page: a page that links to downloads/index.html (the
real course's About page does) is neither reported as a broken link nor answered with a
404; the page says that `mooc build` makes the packages. `mooc build` still writes the
real page there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from builder.cli import main

from .test_serve import _free_port, _get, _wait_for

LINK = "\n\nThe [packages for learning platforms](downloads/index.html).\n"


def test_the_preview_answers_downloads_with_a_page_saying_what_makes_them(
        mini_course: Path, tmp_path: Path) -> None:
    index = mini_course.parent / "course/en/index.md"
    index.write_text(index.read_text(encoding="utf-8") + LINK, encoding="utf-8")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "builder.cli", "serve", "-f",
                                 str(mini_course), "-a", f"127.0.0.1:{port}"],
                                cwd=mini_course.parent, env=env, stdout=out, stderr=out)
        try:
            url = f"http://127.0.0.1:{port}"
            assert _wait_for(f"{url}/index.html", "packages for learning platforms"), \
                "serve did not start"
            page = _get(f"{url}/downloads/index.html")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    said = log.read_text(encoding="utf-8")
    assert "downloads/index.html" not in said, said
    assert "mooc build" in page and "<h1>" in page, page
    assert 'href="../index.html"' in page
    assert "<table>" not in page  # no packages in a preview


def test_mooc_build_writes_the_real_page_over_it(mini_course: Path, tmp_path: Path) -> None:
    index = mini_course.parent / "course/en/index.md"
    index.write_text(index.read_text(encoding="utf-8") + LINK, encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", "-f", str(mini_course), "-d", str(site)]) == 0
    page = (site / "downloads/index.html").read_text(encoding="utf-8")
    assert "<table>" in page and "scorm12.zip" in page
    assert "made by" not in page
