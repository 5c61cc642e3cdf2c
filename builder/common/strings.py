"""Interface strings (the quiz UI, the course widgets, the downloads page, the print edition),
per language, overridable by a course (course/strings/<lang>.yaml). The files are
builder/render/strings/<lang>.yaml."""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from pathlib import Path

import yaml

STRINGS_DIR = Path(__file__).resolve().parent.parent / "render" / "strings"


def load_strings(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """English, then the language's own strings, then the course's overrides (read and
    checked by the loaders: `Edition.strings`)."""
    strings: dict[str, str] = dict(_read(STRINGS_DIR / "en.yaml"))
    own = STRINGS_DIR / f"{lang}.yaml"
    if own.is_file():
        strings.update(_read(own))
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
    return list(_read(STRINGS_DIR / "en.yaml"))


@functools.cache
def _read(path: Path) -> dict[str, str]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # our own files: no error to report
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}
