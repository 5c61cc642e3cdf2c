"""`mkdocs serve` rebuilds when a quiz file or a course file outside the pages changes (the
plugin watches quizzes/ and course/); with a mistake in a file, the preview (`mooc serve`,
`make serve`, `mkdocs serve`) answers every page with the list of problems, and the page
comes back once they are fixed."""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    """The page's text (HTML entities decoded), or "" when it does not come within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return html.unescape(r.read().decode("utf-8"))
    except OSError as exc:  # an error status still has a page
        read = getattr(exc, "read", None)
        return html.unescape(read().decode("utf-8")) if read else ""


def _wait_for(url: str, text: str, seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in _get(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_reloads_on_quiz_change(mini_course: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(mini_course),
                             "-a", f"127.0.0.1:{port}"],
                            cwd=mini_course.parent, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/basics/first.html"
        assert _wait_for(url, "Quiz: Every type"), "serve did not start"
        quiz = mini_course.parent / "quizzes/en/basics/all-types.yml"
        quiz.write_text(quiz.read_text().replace("title: Every type", "title: Renamed quiz"))
        assert _wait_for(url, "Quiz: Renamed quiz"), "the quiz change was not picked up"
        # the course's own interface strings live outside the pages' folder
        strings = mini_course.parent / "course/strings/en.yaml"
        strings.parent.mkdir()
        strings.write_text('check: "Check it now"\n', encoding="utf-8")
        assert _wait_for(url, "Check it now"), "the strings change was not picked up"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_shows_an_edit_that_leaves_a_translation_behind(tmp_path: Path) -> None:
    """The real course: editing an English module makes its French translation outdated (a
    warning); the preview must still show the edit."""
    import shutil

    from builder.loaders import fingerprint_file

    from .conftest import ROOT

    root = tmp_path / "real"
    for name in ("course", "quizzes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f",
                             str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"], cwd=root,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/psw/intervision.html"
        assert _wait_for(url, "Intervision groups", 60), "serve did not start"
        page = root / "course/en/psw/intervision.md"
        before = fingerprint_file(page)
        page.write_text(page.read_text(encoding="utf-8") + "\nA freshly edited line.\n",
                        encoding="utf-8")
        assert fingerprint_file(page) != before  # fr/psw/intervision.md is now outdated
        assert _wait_for(url, "A freshly edited line.", 60), "the edit was not shown"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("command", [["builder.cli", "serve"], ["mkdocs", "serve"]],
                         ids=["mooc", "mkdocs"])
def test_serve_shows_the_problems_instead_of_hanging(mini_course: Path,
                                                     command: list[str]) -> None:
    """Started with two mistakes, the preview answers a page at once with both as
    `file:line: message` (and mkdocs' live-reload script); fixed, the page comes back;
    broken again while it runs (today: requests hang "until build errors are resolved"),
    the problems again; the same for a mistake in mkdocs.yml."""
    root = mini_course.parent
    module = root / "course/en/basics/second.md"
    quiz = root / "quizzes/en/basics/all-types.yml"
    good_module, good_quiz = module.read_text(), quiz.read_text()
    bad_module = good_module.replace("competencies: [K1, K2]", "competencies: [K1, K9]")
    bad_quiz = good_quiz.replace("pass_mark: 70\n", "pass_mark: 70\nshufle: true\n")
    assert bad_module != good_module and bad_quiz != good_quiz
    module.write_text(bad_module)
    quiz.write_text(bad_quiz)
    problems = ["course/en/basics/second.md:6: unknown competency 'K9'",
                "quizzes/en/basics/all-types.yml:3: unknown key 'shufle' in a quiz "
                "(did you mean 'shuffle'?)"]
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", *command, "-f", str(mini_course),
                             "-a", f"127.0.0.1:{port}"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/basics/first.html"
        assert _wait_for(url, problems[0], 60), "no page listing the problems"
        page = _get(url)
        assert all(p in page for p in problems), page
        assert "livereload(" in page  # it reloads itself when the files change
        assert problems[0] in _get(f"http://127.0.0.1:{port}/index.html")
        module.write_text(good_module)
        quiz.write_text(good_quiz)
        assert _wait_for(url, "Quiz: Every type"), "the fixed page did not come back"
        quiz.write_text(bad_quiz)
        assert _wait_for(url, problems[1]), "a mistake made while serving: no problems page"
        quiz.write_text(good_quiz)
        assert _wait_for(url, "Quiz: Every type"), "the fixed page did not come back"
        config = mini_course.read_text()
        mini_course.write_text(config.replace("plugins:", "plugins: [", 1))
        assert _wait_for(url, "mkdocs.yml"), "a mistake in mkdocs.yml: no problems page"
        mini_course.write_text(config)
        assert _wait_for(url, "Quiz: Every type"), "the fixed page did not come back"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_mooc_serve_shows_an_edit_as_a_clean_build_would(mini_course: Path,
                                                         tmp_path: Path) -> None:
    """`mooc serve` renders only the edited page (its text, then its quiz), and serves it
    byte for byte as a clean build of the edited course writes it (with the preview's
    address), the search index too (tests/test_preview.py: every file, more edits)."""
    import re

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = mini_course.parent
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "builder.cli", "serve", "-f",
                                 str(mini_course), "-a", f"127.0.0.1:{port}"], cwd=root,
                                env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(f"{base}basics/first.html", "Quiz: Every type", 60), "no preview"
        module = root / "course/en/basics/first.md"
        module.write_text(module.read_text().replace("Some text.", "Some edited text."))
        assert _wait_for(f"{base}basics/first.html", "Some edited text."), "edit not shown"
        quiz = root / "quizzes/en/basics/all-types.yml"
        quiz.write_text(quiz.read_text().replace("Which are colours?", "Which are hues?"))
        assert _wait_for(f"{base}basics/first.html", "Which are hues?"), "quiz not shown"
        with urllib.request.urlopen(f"{base}basics/first.html", timeout=10) as r:
            served = r.read()
        with urllib.request.urlopen(f"{base}search/search_index.json", timeout=10) as r:
            served_index = r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert len(re.findall(r"Rebuilt basics/first\.md in [0-9.]+ s \(the rest is unchanged\)",
                          log.read_text())) >= 2
    config = load_config(str(mini_course), site_dir=str(tmp_path / "clean"))
    config.plugins.on_startup(command="build", dirty=False)
    config.site_url = base
    build(config, serve_url=base)
    clean = (tmp_path / "clean/basics/first.html").read_bytes()
    # what the server adds to every page it serves: mkdocs' live-reload script
    served = re.sub(rb"<script>\s*var livereload.*?</script>(?=</body>)", b"", served,
                    flags=re.DOTALL)
    assert served == clean
    assert served_index == (tmp_path / "clean/search/search_index.json").read_bytes()
