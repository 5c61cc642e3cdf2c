"""One mistake per case, made in a copy of the mini course: `mooc check` must print it as
`path:line: message`, exit 1 and print no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import measurable_inline


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_check(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "-f", str(config), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


M1 = "course/en/basics/first.md"
Q1 = "quizzes/en/basics/all-types.yml"
CY = "course/course.yml"

# (name, file, old, new, expected "path:line: message" regex)
CASES = [
    ("front-matter typo", M1, "summary:", "sumary:",
     rf"{M1}:3: unknown key 'sumary' in the front matter of a module \(did you mean 'summary'\?\)"),
    ("missing front-matter key", M1, "duration: 20\n", "",
     rf"{M1}:2: missing key 'duration' in the front matter of a module"),
    ("duration not a number", M1, "duration: 20", "duration: twenty",
     rf"{M1}:4: 'duration' must be a whole number, got text 'twenty'"),
    ("missing quiz", M1, "quiz: basics/all-types", "quiz: basics/all-typos",
     rf"{M1}:7: quiz 'basics/all-typos' does not exist \(did you mean 'basics/all-types'\?\)"),
    ("unknown competency", M1, "competencies: [K1]", "competencies: [K9]",
     rf"{M1}:6: unknown competency 'K9'"),
    ("broken link", M1, "second.md#details", "third.md",
     rf"{M1}:12: link to a missing page 'third.md'"),
    ("broken anchor", M1, "second.md#details", "second.md#nowhere",
     rf"{M1}:12: link to 'second.md#nowhere': no heading '#nowhere' in that page"),
    ("module listed twice", CY, "modules: [basics/first, basics/second]",
     "modules: [basics/first, basics/second, basics/first]",
     rf"{CY}:12: module 'basics/first' is listed twice \(first in track 'basics', line 12\)"),
    ("module not listed", CY, "modules: [basics/first, basics/second]", "modules: [basics/first]",
     r"course/en/basics/second.md:1: page 'basics/second' is in no track"),
    ("module file missing", CY, "basics/second]", "basics/second, basics/third]",
     rf"{CY}:12: module 'basics/third' has no file en/basics/third.md"),
    ("bad YAML in course file", CY, "title: A mini course", "title: [A mini course",
     rf"{CY}:\d+: YAML syntax error"),
    ("tab in quiz", Q1, "  - id: sky", "\t- id: sky", rf"{Q1}:\d+: YAML syntax error: .*tab"),
    ("unknown question type", Q1, "type: single", "type: singel",
     rf"{Q1}:5: unknown question type 'singel' \(did you mean 'single'\?\)"),
    ("unknown quiz key", Q1, "    answers: [Balint]", "    answers: [Balint]\n    anwser: x",
     rf"{Q1}:\d+: unknown key 'anwser' in a fill-in question \(did you mean 'answers'\?\)"),
    ("single with two correct", Q1, "      - text: Namur\n",
     "      - text: Namur\n        correct: true\n",
     rf"{Q1}:7: a single question needs exactly one correct choice, this one has 2"),
    ("empty answers", Q1, "answers: [Balint]", "answers: []",
     rf"{Q1}:\d+: 'answers' is empty"),
    ("one ordering item", Q1, "items: [One, Two, Three, Four]", "items: [One]",
     rf"{Q1}:\d+: an ordering question needs at least two items, got 1"),
    ("pass mark out of range", Q1, "pass_mark: 70", "pass_mark: 170",
     rf"{Q1}:2: 'pass_mark' must be between 0 and 100, got 170"),
    ("duplicate question id", Q1, "id: colours", "id: capital",
     rf"{Q1}:\d+: duplicate question id 'capital' \(first at line 4\)"),
    ("wrong type for answer", Q1, "answer: false", "answer: nope",
     rf"{Q1}:\d+: 'answer' must be true or false, got text 'nope'"),
    ("duplicate YAML key", Q1, "pass_mark: 70", "pass_mark: 70\npass_mark: 80",
     rf"{Q1}:3: duplicate key 'pass_mark' \(first at line 2\)"),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_with_path_and_line(
        mini_course: Path, capsys: pytest.CaptureFixture[str], name: str, rel: str, old: str,
        new: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini_course.parent)
    edit(mini_course.parent, rel, old, new)
    code, err = run_check(mini_course, capsys)
    assert code == 1, err
    assert re.search(expected, err), f"{name}: expected /{expected}/ in:\n{err}"


def test_multiple_none_correct_message(mini_course: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini_course.parent)
    edit(mini_course.parent, Q1, "{text: Red, correct: true}", "{text: Red}")
    edit(mini_course.parent, Q1, "{text: Blue, correct: true}", "{text: Blue}")
    code, err = run_check(mini_course, capsys)
    assert code == 1
    assert "a multiple question needs at least one correct choice" in err


def test_clean_course_prints_nothing(mini_course: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini_course.parent)
    measurable_inline(mini_course.parent)
    assert run_check(mini_course, capsys) == (0, "")


def test_three_mistakes_three_lines(mini_course: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's example: a front-matter typo, a missing quiz id and a duplicate module."""
    root = mini_course.parent
    monkeypatch.chdir(root)
    edit(root, M1, "summary:", "sumary:")
    edit(root, M1, "quiz: basics/all-types", "quiz: basics/nope")
    edit(root, CY, "modules: [basics/first, basics/second]",
         "modules: [basics/first, basics/second, basics/second]")
    code, err = run_check(mini_course, capsys)
    lines = [line for line in err.splitlines()
             if re.match(r"^[\w/.-]+:\d+: ", line) and ": warning: " not in line]
    assert code == 1
    assert len(lines) == 3, err
    assert {line.split(":")[0] for line in lines} == {M1, CY}


def test_unused_quiz_is_a_warning_unless_strict(
        mini_course: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = mini_course.parent
    monkeypatch.chdir(root)
    (root / "quizzes/en/basics/spare.yml").write_text(
        "title: Spare\nquestions:\n  - type: true-false\n    prompt: Spare?\n    answer: true\n")
    code, err = run_check(mini_course, capsys)
    assert code == 0
    assert "quizzes/en/basics/spare.yml:1: warning: quiz 'basics/spare' is used by no page" in err
    code, _ = run_check(mini_course, capsys, "--strict")
    assert code == 1


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-f", str(tmp_path / "nope.yml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_link_wrapped_over_two_lines_is_checked(
        mini_course: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini_course.parent)
    edit(mini_course.parent, M1, "Some text. See [the second module](second.md#details).",
         "Some text. See [the second\nmodule](third.md) and `[code](nowhere.md)`.")
    code, err = run_check(mini_course, capsys)
    assert code == 1
    assert f"{M1}:12: link to a missing page 'third.md'" in err
    assert "nowhere.md" not in err


def test_plugin_options_in_mkdocs_yml_are_checked(
        mini_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = mini_course.read_text(encoding="utf-8")
    line = text.split("\n").index("  - mooc") + 1
    edit(mini_course.parent, "mkdocs.yml", "  - mooc\n", "  - mooc:\n      course: 5\n")
    code, err = run_check(mini_course, capsys)
    assert code == 1
    assert f"mkdocs.yml:{line}: the 'mooc' plugin's 'course' option must be a path, got 5" in err


def test_plugins_written_as_a_mapping_keep_their_options(
        mini_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = mini_course.parent
    (root / "course").rename(root / "elsewhere")
    edit(root, "mkdocs.yml", "docs_dir: course/en", "docs_dir: elsewhere/en")
    edit(root, "mkdocs.yml", "  - search\n  - mooc\n",
         "  search: {}\n  mooc:\n    course: elsewhere/course.yml\n")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "plugins:\n  search: {}" in text
    measurable_inline(root)
    assert run_check(mini_course, capsys) == (0, "")


def test_pages_in_a_language_the_course_does_not_have(
        mini_course: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    import shutil

    root = mini_course.parent
    shutil.copytree(root / "course/en", root / "course/de")
    edit(root, "mkdocs.yml", "docs_dir: course/en", "docs_dir: course/de")
    assert main(["build", "-f", str(mini_course), "-d", str(root / "out")]) == 1
    err = capsys.readouterr().err + caplog.text  # mkdocs logs the plugin's error
    assert "Traceback" not in err
    assert "'de' is not one of the course's languages (en)" in err
