"""YAML mistakes in a trainer's words: a misindented line is named with the line it should
line up with and by how much; text glued to the item above is a warning; a file YAML
cannot read gets no knock-on message."""

from __future__ import annotations

import re

import pytest

from builder.errors import Problem
from builder.yamlsrc import Reader, parse

from .conftest import FIXTURES


def problems_of(text: str, first_line: int = 1) -> list[str]:
    problems: list[Problem] = []
    parse(text, "x.yml", problems, first_line)
    return [str(p) for p in problems]


@pytest.mark.parametrize(("text", "expected"), [
    ("questions:\n  - id: a\n    type: single\n - id: b\n   type: single\n",
     "x.yml:4: wrong indentation: '- id:' is indented 1 space less than line 2, so YAML "
     "does not read it as part of the same block. Indent it 1 space more, in line with "
     "'- id:' on line 2"),
    ("id: mini\n title: A\nlanguages: [en]\n",
     "x.yml:2: wrong indentation: 'title:' is indented 1 space more than the lines around "
     "it (lines 1 and 3), so YAML reads it as part of the line above. Indent it 1 space "
     "less, in line with 'id:' on line 1"),
    ("q:\n  - id: a\n    items:\n      - One\n      - Two\n      explanation: Why\n",
     "x.yml:6: wrong indentation: 'explanation:' is indented 2 spaces more than line 3, so "
     "YAML reads it as part of the list above. Indent it 2 spaces less, in line with "
     "'items:' on line 3"),
    ("choices:\n  - text: A\n    correct: true\n    - text: B\n",
     "x.yml:4: wrong indentation: '- text:' is indented 2 spaces more than line 2, so YAML "
     "reads it as part of the item above. Indent it 2 spaces less, in line with '- text:' "
     "on line 2"),
    ("q:\n  - id: a\n    type: single\n  prompt: P\n",
     "x.yml:4: wrong indentation: 'prompt:' is indented 2 spaces less than the line above "
     "(line 3), so YAML does not read it as part of the same block. Indent it 2 spaces "
     "more, in line with 'type:' on line 3"),
    ("explanation: >-\n  One line\n   two\n  three\n four\nid: x\n",
     "x.yml:5: wrong indentation: this line is indented 1 space less than the text it "
     "continues (line 2), so YAML does not read it as part of that text. Indent it 1 "
     "space more, in line with line 2"),
])
def test_misindented_lines_are_named_with_their_neighbours(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_front_matter_lines_count_from_the_file() -> None:
    assert problems_of("title: T\n summary: S\n", first_line=2)[0].startswith(
        "x.yml:3: wrong indentation: 'summary:'")


@pytest.mark.parametrize(("text", "expected"), [
    ("title: Inline quiz\nprompt: Step 1: listen\n",
     "x.yml:2: YAML syntax error: mapping values are not allowed here (put text that "
     "contains ': ' between quotes)"),
    ("items: [One, Two\nnext: x\n", "x.yml:2: YAML syntax error: expected ',' or ']'"),
    ("a: 'open\n", "x.yml:1: YAML syntax error: a quote"),
])
def test_other_syntax_errors_keep_their_message(text: str, expected: str) -> None:
    got = problems_of(text)
    assert len(got) == 1 and got[0].startswith(expected), got


@pytest.mark.parametrize("name", ["quizzes/en/basics/all-types.yml", "course/course.yml"])
def test_any_line_moved_one_or_two_columns_is_told_as_indentation(name: str) -> None:
    """Every line of the fixture files moved 1 or 2 spaces left or right: when YAML
    refuses the file, the message is about indentation and names that line or the next
    one (which then no longer lines up with it)."""
    lines = (FIXTURES / "mini" / name).read_text(encoding="utf-8").split("\n")
    refused = 0
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        for shift in (-2, -1, 1, 2):
            if not line.strip() or indent + shift < 0:
                continue
            moved = [*lines[:i], " " * (indent + shift) + line.lstrip(" "), *lines[i + 1:]]
            got = problems_of("\n".join(moved))
            if not got or all("warning:" in g for g in got):
                continue
            refused += 1
            assert len(got) == 1 and "wrong indentation" in got[0], (i + 1, shift, got)
            assert int(re.match(r"x\.yml:(\d+):", got[0])[1]) in (i + 1, i + 2), \
                (i + 1, shift, got)
    assert refused > 20


def test_an_item_indented_too_far_is_glued_and_warned() -> None:
    text = "objectives:\n  - Answer every type\n    - Recognise each type\n  - Third\n"
    problems: list[Problem] = []
    data = parse(text, "x.md", problems, first_line=2)
    assert data == {"objectives": ["Answer every type - Recognise each type", "Third"]}
    assert [str(p) for p in problems] == [
        "x.md:4: warning: '- Recognise each type' is indented further than the item on "
        "line 3, so YAML glues it to that item ('Answer every type - Recognise each "
        "type'). To make it an item of its own, start its '-' in the same column as the "
        "'-' on line 3"]
    assert problems_of("objectives: Answer\n  - Recognise\n") == [
        "x.yml:2: warning: '- Recognise' is indented further than line 1, so YAML glues it "
        "to that text ('Answer - Recognise'). To make a list, write each item on a line of "
        "its own, starting with '- ', all in the same column"]


@pytest.mark.parametrize("text", [
    "a: |\n  - not an item\n  - really\n",
    "a: >\n  text\n  - dash\n",
    "a: 'quoted\n  - dash'\n",
    "a: a text - with a dash\n  that runs on\n",
    "items:\n  - One\n  - Two\n",
])
def test_no_glue_warning_where_the_dash_is_meant(text: str) -> None:
    assert problems_of(text) == []


def test_a_file_yaml_cannot_read_gets_no_knock_on_message() -> None:
    problems: list[Problem] = []
    data = parse("id: x\ntracks:\n  - id: a\n    title: A\n   modules: [m]\n", "c.yml",
                 problems)
    r = Reader("c.yml", problems)
    assert data is None and r.mapping(data, 1, "the course file") is None
    assert len(problems) == 1 and "wrong indentation" in problems[0].message
    empty: list[Problem] = []
    assert Reader("c.yml", empty).mapping(None, 1, "the course file") is None
    assert [p.message for p in empty] == [
        "the course file must be a mapping of 'key: value' lines, got nothing"]
