"""Interface strings (the quiz UI, the course widgets, the downloads page, the print edition,
the packages' runtimes), per language: builder/render/strings/<lang>.yaml, the output
formats' own wordings (their labels and descriptions, `export.base.wordings`), then a
course's overrides (course/strings/<lang>.yaml, read by the loaders: `Edition.strings`).

English is the base every key has. A language that lacks keys is reported by the checks
(`missing_strings`, pipeline.py): an error, or a warning when the course allows an English
interface; never a silent English string.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from pathlib import Path

import yaml

STRINGS_DIR = Path(__file__).resolve().parent.parent / "render" / "strings"
SOURCE = "en"  # the language every interface string is written in first
ANY = "*"  # wordings the same in every language (names: "SCORM 1.2")


def builtin(lang: str) -> dict[str, str]:
    """The builder's own strings of a language ({} when it has none)."""
    path = STRINGS_DIR / f"{lang}.yaml"
    return dict(_read(path)) if path.is_file() else {}


def load_strings(lang: str, overrides: Mapping[str, str] | None = None,
                 wordings: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str]:
    """English, then the language's own strings, then the course's overrides (read and
    checked by the loaders: `Edition.strings`); `wordings`: more strings per language
    (the formats')."""
    wordings = wordings or {}
    strings: dict[str, str] = {**_read(STRINGS_DIR / f"{SOURCE}.yaml"),
                               **wordings.get(ANY, {}), **wordings.get(SOURCE, {})}
    strings.update(builtin(lang))
    strings.update(wordings.get(lang, {}))
    strings.update(overrides or {})
    return strings


def t(strings: Mapping[str, str], key: str, **values: object) -> str:
    """An interface string with its `{name}` placeholders filled, escaped for HTML."""
    text = strings.get(key, key)
    for k, v in values.items():
        text = text.replace("{" + k + "}", str(v))
    return html.escape(text)


def string_keys() -> list[str]:
    """The names of the interface strings a course may override."""
    return list(_read(STRINGS_DIR / f"{SOURCE}.yaml"))


def missing_strings(lang: str, overrides: Mapping[str, str],
                    wordings: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The interface strings a language has in none of its files."""
    have = {*builtin(lang), *wordings.get(lang, {}), *wordings.get(ANY, {}), *overrides}
    every = [*string_keys(), *wordings.get(SOURCE, {})]
    return [key for key in every if key not in have]


@functools.cache
def _read(path: Path) -> dict[str, str]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # our own files: no error to report
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}
