"""Glossary terms (course/abbreviations/<lang>.md)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem
from .files import read_text, rel

ABBR_RE = re.compile(r"^\*\[[^\]]+\]:\s*\S")


def load_abbreviations(path: Path, base: Path, problems: list[Problem]) -> str:
    """Glossary terms added to every page of a language: `*[PSW]: Peer support worker`.
    Any other line would show at the end of every page, so it is an error."""
    if not path.is_file():
        return ""
    shown = rel(path, base)
    text = read_text(path, shown, problems)
    if text is None:
        return ""
    bad = False
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip() and not ABBR_RE.match(line):
            problems.append(Problem(shown, n, "this line is not a term ('*[PSW]: Peer support "
                                    "worker'): it would show at the end of every page"))
            bad = True
    return "" if bad else text
