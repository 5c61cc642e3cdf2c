"""Errors and problems. Imports nothing from the rest of the builder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a trainer's file, printed as `path:line: message`."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return self.located(prefix)

    def located(self, prefix: str = "") -> str:
        """`path:line: message`, with `prefix` before the message (a logger says the
        severity itself)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {prefix}{self.message}"


class BuilderError(Exception):
    """Base of every error the builder raises on purpose."""


class ContentError(BuilderError):
    """The course has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ExportError(BuilderError):
    """An export could not be made (e.g. the course does not fit SCORM 1.2 limits)."""


class SiteError(BuilderError):
    """The site generator (mkdocs) could not build a site; the message says why."""


class SuspendLimitError(ExportError):
    """A SCO's saved state cannot fit its SCORM version's suspend_data limit."""


def closest(word: str, valid: Iterable[str]) -> str | None:
    """The valid word a typo most likely meant, if one is close enough."""
    import difflib  # noqa: PLC0415 (only when there is a typo: builds do not pay for it)

    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, valid: Iterable[str]) -> str:
    """` (did you mean 'x'?)` to add to a message, or nothing."""
    close = closest(word, valid)
    return f" (did you mean '{close}'?)" if close else ""


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
