"""A learner's journey on the mini course (with tests/fixtures/learner's pages), served
with a Content-Security-Policy that forbids inline scripts: the track done by keyboard
only up to the certificate; progress that survives a reload, an export and an import;
reset; the previous/next links that stay within a track."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .learner import (
    FIRST,
    PROGRESS_KEY,
    SECOND,
    THIRD,
    answer_all_types,
    answer_all_types_by_keyboard,
    answer_inline,
    record,
    store,
    tab_to,
)


@pytest.fixture
def csp_errors(page: Page) -> Iterator[list[str]]:
    """Console messages about the Content-Security-Policy (none is allowed)."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    yield found
    assert not found, f"blocked by the Content-Security-Policy: {found}"


def test_track_by_keyboard_only_to_the_certificate(page: Page, learner_url: str,
                                                   csp_errors: list[str]) -> None:
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    page.goto(learner_url + "/index.html")
    start = page.locator('.mooc-track[data-track="basics"] a[data-start]')
    expect(start).to_have_text("Start the track: Basics")
    tab_to(page, '.mooc-track[data-track="basics"] a[data-start]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/basics/first.html")
    status = page.locator("[data-module-status]")
    expect(status).to_have_text("To complete this module: pass the quiz.")

    answer_all_types_by_keyboard(page)
    expect(status).to_have_text("Module done.")

    # the theme's footer: next is the second module of the same track
    tab_to(page, "a.md-footer__link--next")
    expect(page.locator("a.md-footer__link--next")).to_have_attribute(
        "aria-label", "Next: Second module")
    page.keyboard.press("Enter")
    page.wait_for_url("**/basics/second.html")
    expect(status).to_have_text("To complete this module: pass the quiz.")
    tab_to(page, "#mooc-quiz-basics-inline-q1-true")
    page.keyboard.press("Space")
    tab_to(page, '#mooc-quiz-basics-inline [data-action="check"]')
    page.keyboard.press("Enter")
    expect(status).to_have_text("Module done.")

    # the end of the track says so, and leads to the certificate (not into track "more")
    expect(page.locator("a.md-footer__link--next")).to_have_count(0)
    footer = page.locator(".mooc-module-footer")
    expect(footer).to_contain_text("This is the last module of the track “Basics”.")
    expect(footer.locator("[data-track-status]")).to_have_text("Track complete")
    tab_to(page, '.mooc-module-footer a[href$="certificate.html"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/certificate.html")

    section = page.locator('.mooc-cert-track[data-track="basics"]')
    expect(section.locator("[data-cert-status]")).to_contain_text("You have completed this track")
    tab_to(page, "#mooc-cert-basics-name")
    page.keyboard.press("Enter")  # no name yet: said, and the focus stays
    expect(section.locator("[data-cert-message]")).to_have_text("Type your name first.")
    expect(page.locator("#mooc-cert-basics-name")).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("Ada <b>Lovelace</b>")
    page.keyboard.press("Enter")
    cert = section.locator("[data-certificate]")
    expect(cert).to_be_visible()
    expect(cert).to_be_focused()
    expect(cert.locator("[data-cert-name]")).to_have_text("Ada <b>Lovelace</b>")  # text, not HTML
    expect(cert.locator("b")).to_have_count(0)
    expect(cert).to_contain_text("for completing the track “Basics” of the online course "
                                 "“A mini course”.")
    expect(cert.locator("[data-cert-modules] li")).to_have_text(["First module", "Second module"])
    expect(cert.locator("[data-cert-score]")).to_have_text(
        "Average of the best quiz scores: 100%")
    expect(cert.locator("[data-cert-date]")).to_contain_text("Completed on ")
    expect(cert).to_contain_text("Self-issued: this certificate was made by the learner’s own "
                                 "web browser")
    expect(section.locator("[data-cert-message]")).to_have_text(
        "Your certificate is ready below. Print it or save it as PDF.")
    # the other track still says what is left
    more = page.locator('.mooc-cert-track[data-track="more"]')
    expect(more.locator("[data-cert-left] li")).to_have_text(["Third module (open the page)"])
    expect(more.locator("[data-cert-form]")).to_be_hidden()

    tab_to(page, '.mooc-cert-track[data-track="basics"] [data-action="print"]')
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1
    # printed: the certificate alone
    page.emulate_media(media="print")
    expect(cert).to_be_visible()
    for hidden in ("h1", ".md-header", ".md-footer", '.mooc-cert-track[data-track="more"]',
                   '.mooc-cert-track[data-track="basics"] h2', "[data-cert-form]",
                   "[data-cert-print]"):
        expect(page.locator(hidden).first).to_be_hidden()
    page.emulate_media(media="screen")

    # home: the track is complete and leads to the certificate
    page.goto(learner_url + "/index.html")
    card = page.locator('.mooc-track[data-track="basics"]')
    expect(card.locator("[data-progress]")).to_have_text("Track complete")
    expect(card.locator("a[data-start]")).to_have_text("Get your certificate: Basics")
    expect(page.locator('.mooc-track[data-track="more"] a[data-start]')).to_have_text(
        "Start the track: More")


def test_progress_survives_reload_and_shows_scores(page: Page, learner_url: str,
                                                   csp_errors: list[str]) -> None:
    page.goto(f"{learner_url}/{FIRST}")
    page.locator("#mooc-quiz-basics-all-types-capital-c1").check()  # one wrong answer of 6
    page.locator('#mooc-quiz-basics-all-types [data-action="check"]').click()
    expect(page.locator("[data-module-status]")).to_have_text(
        "To complete this module: pass the quiz.")
    page.goto(f"{learner_url}/{THIRD}")  # no quiz: done when seen
    expect(page.locator("[data-module-status]")).to_have_text("Module done.")
    page.reload()
    page.goto(f"{learner_url}/progress.html")
    basics = page.locator('.mooc-progress__track[data-track="basics"]')
    expect(basics.locator("[data-summary]")).to_have_text(
        "0 of 2 modules done · 0 of 2 quizzes passed · average best score 0% · about 30 "
        "minutes left")
    first = basics.locator('li[data-module="basics/first"]')
    expect(first.locator("[data-done]")).to_have_text("Not done yet")
    expect(first.locator("[data-facts] > li")).to_have_text(
        ["Page seen", "Quiz not passed yet, best score 0% (pass mark 70%)"])
    expect(basics.locator('li[data-module="basics/second"] [data-facts] > li')).to_have_text(
        ["Page not opened yet", "Quiz not tried yet"])
    expect(basics.locator("[data-next] a")).to_have_text("Continue: First module")
    more = page.locator('.mooc-progress__track[data-track="more"]')
    expect(more.locator("[data-summary]")).to_have_text("1 of 1 modules done · Track complete")
    expect(more.locator('li[data-module="more/third"] [data-facts] > li')).to_have_text(
        ["Page seen", "No quiz"])
    page.goto(f"{learner_url}/{FIRST}")
    page.locator('#mooc-quiz-basics-all-types [data-action="retry"]').click()
    answer_all_types(page)
    page.reload()  # the quiz, its status and the progress are all still there
    expect(page.locator("[data-module-status]")).to_have_text("Module done.")
    rec = record(page)
    assert rec["quizzes"]["basics/all-types"]["best"] == 100
    assert rec["quizzes"]["basics/all-types"]["attempts"] == 2
    page.goto(f"{learner_url}/index.html")
    expect(page.locator('.mooc-track[data-track="basics"] [data-progress]')).to_have_text(
        "1 of 2 modules done · about 10 minutes left")
    expect(page.locator('.mooc-track[data-track="basics"] a[data-start]')).to_have_attribute(
        "href", f"{learner_url}/{SECOND}")


def export_file(page: Page, learner_url: str, folder: Path) -> Path:
    page.goto(f"{learner_url}/progress.html")
    with page.expect_download() as info:
        page.locator('[data-action="export"]').click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    expect(page.locator("[data-status]")).to_have_text(
        f"Your progress was saved in the file {download.suggested_filename} (look in your "
        "downloads).")
    return target


def import_file(page: Page, path: Path) -> None:
    page.locator('[data-action="import"]').set_input_files(str(path))


def test_export_then_import_on_another_device(browser: Any, page: Page, learner_url: str,
                                              tmp_path: Path, csp_errors: list[str]) -> None:
    page.goto(f"{learner_url}/{FIRST}")
    answer_all_types(page)
    page.goto(f"{learner_url}/{SECOND}")
    answer_inline(page, right=False)
    exported = export_file(page, learner_url, tmp_path)
    assert exported.name.startswith("progress-mini-en-") and exported.suffix == ".json"
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "mooc-progress" and data["version"] == 1
    assert (data["course"], data["lang"]) == ("mini", "en")
    assert set(data["seen"]) == {"basics/first", "basics/second"}
    assert data["quizzes"]["basics/all-types"]["passed"] is True
    assert data["quizzes"]["basics/inline"] == {**data["quizzes"]["basics/inline"],
                                                "best": 0, "passed": False}

    other = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        pg = other.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(f"{learner_url}/progress.html")
        expect(pg.locator('.mooc-progress__track[data-track="basics"] [data-summary]')
               ).to_contain_text("0 of 2 modules done")
        import_file(pg, exported)
        expect(pg.locator("[data-status]")).to_have_text(
            f"Imported from {exported.name}: pages seen: 2, quiz results: 2.")
        basics = pg.locator('.mooc-progress__track[data-track="basics"]')
        expect(basics.locator("[data-summary]")).to_contain_text("1 of 2 modules done")
        pg.reload()
        expect(basics.locator("[data-summary]")).to_contain_text("1 of 2 modules done")
        import_file(pg, exported)  # again: nothing new
        expect(pg.locator("[data-status]")).to_have_text(
            f"{exported.name} holds nothing that is not already on this device.")
        pg.goto(f"{learner_url}/{SECOND}")
        expect(pg.locator("[data-module-status]")).to_have_text(
            "To complete this module: pass the quiz.")
        assert not errors, errors
    finally:
        other.close()


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "could not be read as a progress file (JSON). Nothing was imported."),
    ('{"format": "something", "version": 1}',
     "is not a progress file of this course. Nothing was imported."),
    ('[1, 2, 3]', "is not a progress file of this course. Nothing was imported."),
    ('{"format": "mooc-progress", "version": 2, "course": "mini"}',
     "was made by a newer version of this site. Nothing was imported."),
    ('{"format": "mooc-progress", "version": 1, "course": "pat-mooc", "seen": {}}',
     "holds progress in another course (pat-mooc). Nothing was imported."),
])
def test_import_refuses_what_is_not_this_course_s_progress(
        page: Page, learner_url: str, tmp_path: Path, content: str, message: str) -> None:
    page.goto(f"{learner_url}/{THIRD}")
    before = record(page)
    bad = tmp_path / "progress.json"
    bad.write_text(content, encoding="utf-8")
    page.goto(f"{learner_url}/progress.html")
    import_file(page, bad)
    expect(page.locator("[data-status]")).to_have_text(f"progress.json {message}")
    assert record(page) == before


def test_import_keeps_the_known_and_valid_entries(page: Page, learner_url: str,
                                                  tmp_path: Path) -> None:
    data = {"format": "mooc-progress", "version": 1, "course": "mini", "lang": "fr",
            "seen": {"basics/first": 1700000000000, "gone/module": 1700000000000,
                     "basics/second": "yesterday", "__proto__": 5},
            "quizzes": {"basics/all-types": {"best": 80, "passed": True, "attempts": 1},
                        "basics/inline": {"best": 700, "passed": True},
                        "gone/quiz": {"best": 50, "passed": False}}}
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    page.goto(f"{learner_url}/progress.html")
    import_file(page, path)
    expect(page.locator("[data-status]")).to_have_text(
        "Imported from mixed.json: pages seen: 1, quiz results: 1. 3 entries for modules or "
        "quizzes this course does not have were left out. The file comes from the fr edition "
        "of the course: the modules are the same, so it was imported.")
    rec = record(page)
    assert set(rec["seen"]) == {"basics/first"}
    assert set(rec["quizzes"]) == {"basics/all-types"}
    assert page.evaluate("Object.getPrototypeOf({}) === Object.prototype")


def test_too_large_a_file_is_not_read(page: Page, learner_url: str, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"format": "mooc-progress", "pad": "' + "x" * (1024 * 1024) + '"}')
    page.goto(f"{learner_url}/progress.html")
    import_file(page, big)
    expect(page.locator("[data-status]")).to_have_text(
        "big.json is too large to be a progress file. Nothing was imported.")


def test_reset_asks_first_then_erases_progress_and_answers(page: Page, learner_url: str) -> None:
    page.goto(f"{learner_url}/{SECOND}")
    answer_inline(page)
    page.goto(f"{learner_url}/progress.html")
    answers: list[str] = []

    def dismiss_then_accept(dialog: Any) -> None:
        answers.append(dialog.message)
        (dialog.dismiss if len(answers) == 1 else dialog.accept)()

    page.on("dialog", dismiss_then_accept)
    page.locator('[data-action="reset"]').click()
    assert "basics/second" in record(page)["seen"]  # dismissed: nothing erased
    page.locator('[data-action="reset"]').click()
    expect(page.locator("[data-status]")).to_have_text("Your progress on this device was erased.")
    assert answers[0].startswith("Erase all your progress and quiz answers")
    keys = page.evaluate("Object.keys(localStorage)")
    assert [k for k in keys if k.startswith("mooc:v1:mini:en:")] == []
    expect(page.locator('.mooc-progress__track[data-track="basics"] [data-summary]')
           ).to_contain_text("0 of 2 modules done")
    page.goto(f"{learner_url}/{SECOND}")  # the quiz is empty again
    expect(page.locator("#mooc-quiz-basics-inline-q1-true")).not_to_be_checked()


@pytest.mark.parametrize(("stored", "recovered", "seen"), [
    ("{not json", True, []),
    ("[1, 2]", True, []),
    ('{"v": 99, "seen": {"basics/first": 1}}', True, []),
    ('{"seen": {"basics/first": 1700000000000}}', False, ["basics/first"]),  # no version
    ('{"v": 1, "seen": {"basics/first": "yesterday", "basics/second": 1700000000000}, '
     '"quizzes": {"basics/inline": {"best": "all"}, "basics/all-types": null}}',
     False, ["basics/second"]),
])
def test_old_or_corrupt_stored_progress_never_breaks_a_page(
        page: Page, learner_url: str, stored: str, recovered: bool, seen: list[str]) -> None:
    page.goto(f"{learner_url}/index.html")
    store(page, PROGRESS_KEY, stored)
    store(page, "mooc:v1:mini:en:quiz:basics/all-types", '{"v": 1, "best": {"percent": "x"}}')
    page.goto(f"{learner_url}/progress.html")
    alert = page.locator("[data-alert]")
    if recovered:
        expect(alert).to_have_text("The progress stored on this device could not be read, so "
                                   "it was started again.")
    else:
        expect(alert).to_be_hidden()
    expect(page.locator('.mooc-progress__track[data-track="basics"] [data-summary]')
           ).to_contain_text("0 of 2 modules done")
    for module in ("basics/first", "basics/second"):
        expect(page.locator(f'li[data-module="{module}"] [data-facts] > li').first).to_have_text(
            "Page seen" if module in seen else "Page not opened yet")
    page.goto(f"{learner_url}/index.html")  # the home page too
    expect(page.locator('.mooc-track[data-track="basics"] a[data-start]')).to_be_visible()
    page.goto(f"{learner_url}/{FIRST}")  # a module page too
    expect(page.locator("#mooc-quiz-basics-all-types")).to_have_attribute("data-ready", "true")


def test_quiz_state_from_before_progress_is_taken_over(page: Page, learner_url: str) -> None:
    """Quiz results stored by mooc.js alone (an older site) count as progress."""
    page.goto(f"{learner_url}/index.html")
    store(page, "mooc:v1:mini:en:quiz:basics/inline", json.dumps(
        {"v": 1, "responses": {"q1": True}, "times": {}, "checked": True, "attempts": 3,
         "best": {"score": 1, "max": 1, "percent": 100, "passed": True},
         "checkedAt": 1700000000000}))
    page.goto(f"{learner_url}/progress.html")
    expect(page.locator('li[data-module="basics/second"] [data-facts] > li')).to_have_text(
        ["Page not opened yet", "Quiz passed, best score 100%"])
    assert record(page)["quizzes"]["basics/inline"]["attempts"] == 3


def test_previous_and_next_stay_within_a_track(page: Page, learner_url: str) -> None:
    page.goto(f"{learner_url}/{FIRST}")
    expect(page.locator("a.md-footer__link--prev")).to_have_count(0)  # not back to Home
    expect(page.locator("a.md-footer__link--next")).to_have_attribute("href", "second.html")
    page.goto(f"{learner_url}/{THIRD}")  # the one module of track "more"
    expect(page.locator("a.md-footer__link")).to_have_count(0)
    expect(page.locator(".mooc-module-footer")).to_contain_text(
        "This is the last module of the track “More”.")
    page.goto(f"{learner_url}/progress.html")  # plain pages link to plain pages only
    expect(page.locator("a.md-footer__link--prev")).to_have_count(0)
    expect(page.locator("a.md-footer__link--next")).to_have_attribute("href", "certificate.html")


def with_rule(page: Page, completion: dict[str, Any]) -> None:
    """Serve course.js with another completion rule (as course.yml's `completion`)."""
    def handle(route: Any) -> None:
        body = route.fetch().text()
        body = body.replace('"completion":{"pageSeen":true,"quiz":"passed"}',
                            '"completion":' + json.dumps(completion, separators=(",", ":")))
        assert json.dumps(completion, separators=(",", ":")) in body
        route.fulfill(body=body, content_type="text/javascript")
    page.route("**/assets/mooc/course.js", handle)


def test_completion_rule_quiz_attempted(page: Page, learner_url: str) -> None:
    with_rule(page, {"pageSeen": True, "quiz": "attempted"})
    page.goto(f"{learner_url}/{SECOND}")
    expect(page.locator("[data-module-status]")).to_have_text(
        "To complete this module: check your answers to the quiz.")
    answer_inline(page, right=False)
    expect(page.locator("[data-module-status]")).to_have_text("Module done.")


def test_completion_rule_page_not_needed(page: Page, learner_url: str) -> None:
    with_rule(page, {"pageSeen": False, "quiz": "passed"})
    page.goto(f"{learner_url}/index.html")
    store(page, "mooc:v1:mini:en:quiz:basics/inline", json.dumps(
        {"v": 1, "responses": {"q1": True}, "checked": True, "attempts": 1,
         "best": {"score": 1, "max": 1, "percent": 100, "passed": True}}))
    page.goto(f"{learner_url}/progress.html")
    second = page.locator('li[data-module="basics/second"]')
    expect(second.locator("[data-done]")).to_have_text("Done")
    expect(second.locator("[data-facts] > li").first).to_have_text("Page not opened yet")
    expect(page.locator('li[data-module="more/third"] [data-done]')).to_have_text("Done")


def test_storage_blocked_the_site_still_works(page: Page, learner_url: str) -> None:
    """Storage denied (some private modes, strict settings): progress lives in the page."""
    page.add_init_script("Object.defineProperty(window, 'localStorage', {get() { "
                         "throw new DOMException('denied', 'SecurityError'); }});")
    page.goto(f"{learner_url}/{SECOND}")
    answer_inline(page)
    expect(page.locator("[data-module-status]")).to_have_text("Module done.")
    page.goto(f"{learner_url}/progress.html")
    expect(page.locator("[data-alert]")).to_contain_text(
        "This browser does not let the site store anything")
    # the page fixture fails the test on any script error, the theme's included
