"""Interface strings of the quiz UI, per language, overridable by a course."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

STRINGS_DIR = Path(__file__).parent / "strings"


def load_strings(lang: str, override: Path | None = None,
                 problems: list[Problem] | None = None) -> dict[str, str]:
    """English, then the language's own strings, then the course's overrides."""
    strings: dict[str, str] = dict(_read(STRINGS_DIR / "en.yaml"))
    own = STRINGS_DIR / f"{lang}.yaml"
    if own.is_file():
        strings.update(_read(own))
    if override is not None and override.is_file():
        data = _read(override)
        for key, value in data.items():
            if key not in strings and problems is not None:
                problems.append(Problem(str(override), 0, f"unknown interface string '{key}'",
                                        "warning"))
            strings[key] = str(value)
    return strings


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}
