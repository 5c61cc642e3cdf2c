"""The live preview's rebuilds (`mooc serve`, plugin.Preview): an edit to a page's text or to
a quiz renders only the pages it changed, and the site is then, file for file, what a full
build of the edited course writes; anything that may change more (a title, course.yml, a
problem in a file, mkdocs.yml) is a full build. Driven in-process, without the server
(tests/test_serve.py serves it)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from builder.build import read_settings
from builder.pipeline import check
from builder.plugin import Preview

from .conftest import ROOT
from .test_build import tree_digest

URL = "http://127.0.0.1:8000/"


class Session:
    """A preview of the course of `config_file` into `site`, as `mooc serve` runs it."""

    def __init__(self, config_file: Path, site: Path) -> None:
        self.config_file, self.site = config_file, site

        def get_config():  # type: ignore[no-untyped-def]
            return load_config(str(config_file), site_dir=str(site))

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.preview = Preview(config_file, get_config, URL)
        self.preview.build(config)
        assert self.preview.site is not None, "the first build left nothing to update"

    def edit(self, rel: str, old: str, new: str) -> list[str] | None:
        """Edit a file of the course and rebuild: the pages rendered again (None: a full
        build)."""
        path = self.config_file.parent / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.preview.build()
        return self.preview.rebuilt

    def clean(self) -> dict[str, str]:
        """A full build of the course as it is now, with the preview's settings."""
        out = self.config_file.parent / "_clean"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(self.config_file.parent / ".cache", ignore_errors=True)
        config = load_config(str(self.config_file), site_dir=str(out))
        config.plugins.on_startup(command="build", dirty=False)
        config.site_url = URL
        mkdocs_build(config, serve_url=URL)
        return tree_digest(out)


@pytest.fixture
def session(mini_course: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    yield Session(mini_course, mini_course.parent / "_preview")
    # mkdocs keeps one plugin per process: leave it as a build finds it
    load_config(str(mini_course)).plugins.on_startup(command="build", dirty=False)


def test_a_page_edit_renders_that_page_only_and_the_site_is_a_full_builds(
        session: Session) -> None:
    assert session.edit("course/en/basics/first.md", "Some text.",
                        "Some edited text.\n\n## A new section\n\nMore.") == ["basics/first.md"]
    page = (session.site / "basics/first.html").read_text(encoding="utf-8")
    assert "Some edited text." in page and 'id="a-new-section"' in page
    assert tree_digest(session.site) == session.clean()  # pages, search index, course.js


def test_a_quiz_edit_renders_the_pages_that_show_it(session: Session) -> None:
    assert session.edit("quizzes/en/basics/all-types.yml", "Which are colours?",
                        "Which are *colours*, really?") == ["basics/first.md"]
    assert session.edit("quizzes/en/basics/inline.yml", "answer: true",
                        "answer: false") == ["basics/second.md"]
    assert "<em>colours</em>, really?" in (session.site / "basics/first.html").read_text("utf-8")
    assert tree_digest(session.site) == session.clean()


def test_what_may_change_other_pages_is_a_full_build(session: Session) -> None:
    # a title is in the menu of every page
    assert session.edit("course/en/basics/first.md", "title: First module",
                        "title: The first module") is None
    assert "The first module" in (session.site / "basics/second.html").read_text("utf-8")
    # after a full build, a text edit is a page's rebuild again
    assert session.edit("course/en/basics/second.md", "Text after the quiz",
                        "Text after the quiz, edited") == ["basics/second.md"]
    assert session.edit("course/course.yml", "title: Basics", "title: Basic things") is None
    assert tree_digest(session.site) == session.clean()


def test_a_mistake_shows_the_problems_then_the_fixed_course(session: Session) -> None:
    assert session.edit("course/en/basics/second.md", "competencies: [K1, K2]",
                        "competencies: [K1, K9]") is None
    page = (session.site / "basics/first.html").read_text(encoding="utf-8")
    assert "course/en/basics/second.md:6: unknown competency &#x27;K9&#x27;" in page
    assert session.edit("course/en/basics/second.md", "[K1, K9]", "[K1, K2]") is None
    assert session.edit("course/en/basics/first.md", "Some text.", "Some other text.") == \
        ["basics/first.md"]
    assert tree_digest(session.site) == session.clean()


def test_an_image_edited_is_copied_and_mkdocs_yml_is_a_full_build(session: Session) -> None:
    image = session.config_file.parent / "course/en/basics/dot.svg"
    image.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    session.preview.build()  # a new file: a full build
    assert session.edit("course/en/basics/dot.svg", "/>", "><circle r='1'/></svg>") == []
    assert "circle" in (session.site / "basics/dot.svg").read_text(encoding="utf-8")
    assert session.edit("mkdocs.yml", "site_name: Mini course", "site_name: Mini") is None
    assert tree_digest(session.site) == session.clean()


def test_changed_pages_of_the_real_course(tmp_path: Path) -> None:
    """An English module's text: that page, and the page of translation status (its French
    translation is now older than it); a glossary term or a title: everything."""
    root = tmp_path / "real"
    for name in ("course", "quizzes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    settings = read_settings(root / "mkdocs.yml")

    def language():  # type: ignore[no-untyped-def]
        from builder.build import Checked

        project, problems = check(settings)
        assert project is not None
        return Checked(settings, project, problems).language("en")

    before = language()
    page = root / "course/en/psw/intervision.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nA freshly edited line.\n", encoding="utf-8")
    assert language().changed_pages(before) == {"psw/intervision.md", "translations.md"}
    page.write_text(text.replace("title: ", "title: New ", 1), encoding="utf-8")
    assert language().changed_pages(before) is None
    page.write_text(text, encoding="utf-8")
    glossary = root / "course/abbreviations/en.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "*[XYZ]: A new term\n",
                        encoding="utf-8")
    assert language().changed_pages(before) is None
