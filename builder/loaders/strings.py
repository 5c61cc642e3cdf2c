"""A course's own interface strings (course/strings/<lang>.yaml)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..yamlsrc import Reader, parse
from .files import read_text, rel


def load_strings_file(path: Path, base: Path, known: list[str],
                      problems: list[Problem]) -> dict[str, str]:
    """A course's interface strings for one language (`course/strings/<lang>.yaml`):
    `name: text` lines, each name one of `known`."""
    if not path.is_file():
        return {}
    shown = rel(path, base)
    text = read_text(path, shown, problems)
    parsed = parse(text, shown, problems) if text is not None else None
    if parsed is None:
        return {}
    r = Reader(shown, problems)
    data = r.mapping(parsed, 1, "an interface strings file")
    if data is None:
        return {}
    r.keys(data, known, [], "the interface strings")
    return {key: r.text(data, key) for key in data if key in known}
