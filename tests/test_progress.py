"""The learner's progress on the Python side: the course data progress.js reads
(assets/mooc/course.js), the progress, certificate and module-footer widgets, the UI
strings in every language, and the built site (no inline script, previous/next within a
track, the search index as a script for file://)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from builder.pipeline import LanguageBuild, Settings, load_checked
from builder.render.progress import (
    JS_STRINGS,
    course_data,
    course_data_script,
    module_quizzes,
    widget_page,
)
from builder.render.strings import STRINGS_DIR, load_strings
from builder.render.widgets import _hours, certificate, module_footer, progress, tracks

from .conftest import ROOT, lay_learner_course

HOSTILE = '</script><script>alert(1)</script> & "quotes" \u2028'


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> LanguageBuild:
    config = lay_learner_course(tmp_path_factory.mktemp("learner") / "mini")
    project, _ = load_checked(Settings.at(config.parent), base=config.parent)
    return LanguageBuild(project, "en")


def test_course_data(learner: LanguageBuild) -> None:
    data = course_data(learner.course, learner.edition, learner.strings)
    assert (data["v"], data["course"], data["lang"], data["title"]) == (
        1, "mini", "en", "A mini course")
    assert data["completion"] == {"pageSeen": True, "quiz": "passed"}
    assert data["pages"] == {"progress": "progress.html", "certificate": "certificate.html"}
    basics, more = data["tracks"]
    assert [m["id"] for m in basics["modules"]] == ["basics/first", "basics/second"]
    first, second = basics["modules"]
    assert first == {"id": "basics/first", "title": "First module", "duration": 20,
                     "url": "basics/first.html",
                     "quizzes": [{"id": "basics/all-types", "passMark": 70, "scored": True}]}
    assert second["quizzes"] == [{"id": "basics/inline", "passMark": 70, "scored": True}]
    assert more == {"id": "more", "title": "More", "modules": [
        {"id": "more/third", "title": "Third module", "duration": 75, "url": "more/third.html",
         "quizzes": []}]}
    assert set(data["t"]) == set(JS_STRINGS)
    assert data["t"]["continue_track"] == "Continue"


def test_module_quizzes_markers_then_front_matter(learner: LanguageBuild) -> None:
    page = learner.edition.pages["basics/first"]
    assert module_quizzes(page) == ["basics/all-types"]
    assert module_quizzes(replace(page, quiz=None)) == []


def test_course_script_is_inert_whatever_the_titles(learner: LanguageBuild) -> None:
    ed = learner.edition
    pages = dict(ed.pages)
    pages["basics/first"] = replace(pages["basics/first"], title=HOSTILE)
    script = course_data_script(learner.course, replace(ed, pages=pages), learner.strings)
    assert "<" not in script and "\u2028" not in script
    prefix = "window.MoocCourseData = "
    body = script.split(prefix, 1)[1].rstrip().removesuffix(";")
    assert json.loads(body)["tracks"][0]["modules"][0]["title"] == HOSTILE


def test_widget_page_finds_the_marker_not_a_fenced_mention(learner: LanguageBuild) -> None:
    assert widget_page(learner.edition, "progress") == "progress"
    assert widget_page(learner.edition, "certificate") == "certificate"
    assert widget_page(learner.edition, "nothing") is None


def test_widgets_escape_trainer_text(learner: LanguageBuild) -> None:
    course = learner.course
    hostile_tracks = tuple(replace(t, title={"en": HOSTILE}) for t in course.tracks)
    course = replace(course, tracks=hostile_tracks)
    ed, s = learner.edition, learner.strings
    for html in (progress(course, ed, s, "progress.md"), certificate(course, ed, s, "cert.md"),
                 module_footer(course, ed, s, "basics/second.md"), tracks(course, ed, s, "x.md")):
        assert "<script" not in html and "</script" not in html
        assert "&lt;/script&gt;" in html


def test_module_footer_only_at_the_end_of_a_track(learner: LanguageBuild) -> None:
    course, ed, s = learner.course, learner.edition, learner.strings
    assert module_footer(course, ed, s, "basics/first.md") == ""
    assert module_footer(course, ed, s, "index.md") == ""
    end = module_footer(course, ed, s, "basics/second.md")
    assert "This is the last module of the track “Basics”." in end
    assert 'href="../progress.html"' in end and 'href="../certificate.html"' in end
    assert 'data-track-status="basics"' in end


def test_progress_and_certificate_widgets_link_every_module(learner: LanguageBuild) -> None:
    course, ed, s = learner.course, learner.edition, learner.strings
    page = progress(course, ed, s, "progress.md")
    assert page.count('class="mooc-progress__module"') == 3
    assert 'href="basics/first.html"' in page and 'href="more/third.html"' in page
    assert 'role="status"' in page and 'accept=".json,application/json"' in page
    cert = certificate(course, ed, s, "certificate.md")
    assert cert.count("<h2 ") == 2 and cert.count('role="status"') == 2
    assert 'for="mooc-cert-basics-name"' in cert and 'id="mooc-cert-basics-name"' in cert
    assert "Self-issued" in cert


def test_neighbours_keep_a_module_in_its_track(learner: LanguageBuild) -> None:
    assert learner.neighbours("basics/second.md") == {"basics/first.md", "basics/second.md"}
    assert learner.neighbours("more/third.md") == {"more/third.md"}
    assert learner.neighbours("progress.md") == {"index.md", "progress.md", "certificate.md"}


@pytest.mark.parametrize(("minutes", "en", "fr"), [
    (45, "45 minutes", "45 minutes"), (60, "1 hour", "1 heure"), (75, "1.3 hours", "1,3 heures"),
    (90, "1.5 hours", "1,5 heures"), (120, "2 hours", "2 heures"),
    (405, "6.8 hours", "6,8 heures")])
def test_hours_one_decimal_half_up(minutes: int, en: str, fr: str) -> None:
    assert _hours(minutes, load_strings("en")) == en
    assert _hours(minutes, load_strings("fr")) == fr


def test_every_language_has_every_string() -> None:
    english = yaml.safe_load((STRINGS_DIR / "en.yaml").read_text(encoding="utf-8"))
    assert set(JS_STRINGS) <= set(english)
    for path in STRINGS_DIR.glob("*.yaml"):
        strings = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(strings) == set(english), path.name
        for key in JS_STRINGS:  # the placeholders survive translation
            assert set(re.findall(r"\{\w+\}", strings[key])) == set(
                re.findall(r"\{\w+\}", english[key])), (path.name, key)


def test_the_course_has_progress_and_certificate_pages_in_each_language() -> None:
    project, _ = load_checked(Settings.at(ROOT), base=ROOT)
    for lang in project.course.languages:
        ed = project.editions[lang]
        assert widget_page(ed, "progress") == "progress", lang
        assert widget_page(ed, "certificate") == "certificate", lang
    assert {"progress", "certificate"} <= set(project.course.pages)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = lay_learner_course(tmp_path_factory.mktemp("learner-built") / "mini")
    site = config.parent / "out"
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    return site


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_no_inline_script_or_handler_in_any_page(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if "downloads" not in p.parts]
    assert len(pages) >= 7
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), page
        assert not HANDLER.search(text), page


def test_scripts_in_order(built: Path) -> None:
    text = (built / "basics/first.html").read_text(encoding="utf-8")
    order = ["assets/mooc/offline-search.js", "assets/mooc/theme.js",
             "assets/javascripts/bundle.", "assets/mooc/mooc.js", "assets/mooc/course.js",
             "assets/mooc/progress.js"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert text.index("offline-search.js") < text.index("</head>")
    for name in ("course.js", "progress.js", "offline-search.js", "theme.js"):
        assert (built / "assets/mooc" / name).is_file()


def test_search_index_as_a_script_for_file_urls(built: Path) -> None:
    js = (built / "search/search_index.js").read_text(encoding="utf-8")
    assert js.startswith("var __index = ") and js.rstrip().endswith(";")
    index = json.loads(js.removeprefix("var __index = ").rstrip().removesuffix(";"))
    assert index == json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))


def test_previous_and_next_within_a_track(built: Path) -> None:
    def footer(path: str) -> list[str]:
        text = (built / path).read_text(encoding="utf-8")
        return re.findall(r'class="md-footer__link md-footer__link--(prev|next)" '
                          r'aria-label="[^"]*: ([^"]*)"', text)

    assert footer("index.html") == []  # the menu's next is a track's first module
    assert footer("progress.html") == [("next", "Certificate")]
    assert footer("basics/first.html") == [("next", "Second module")]
    assert footer("basics/second.html") == [("prev", "First module")]
    assert footer("more/third.html") == []
    assert footer("certificate.html") == [("prev", "My progress")]
