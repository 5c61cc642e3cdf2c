"""How much an LMS sends per commit, bounded at export.

Moodle's SCORM 2004 player sends the whole data model on every Commit and Terminate, as a
URL-encoded form (`&cmi__interactions__3__result=correct...`), and everything it stored
earlier in the attempt is loaded back into that model on relaunch. A save made while a
page is closing (the Terminate of a learner leaving the activity) goes out through
`navigator.sendBeacon` as multipart form data, about 87 bytes of boundary and headers per
element, and Chromium refuses a beacon above 64 KiB: past that size the save fails and,
before this budget existed, learners lost their state and grade (issue 13). Its SCORM 1.2
player sends only what changed within a session, but everything it loaded back once the
learner relaunches (measured: 57 KB for LMSFinish of a 56-question track in review mode),
so both versions are bounded alike.

So an export computes the largest commit a SCO can cause: the runtime's scalar values, the
largest `suspend_data` it can write (`plan.suspend_bound`, URL-encoded), and every
interaction it can write, field by field as `scorm-runtime.js` writes them. Each element counts
as the larger of its two spellings, URL-encoded and multipart. The richest level of
interaction detail that keeps the bound under `COMMIT_BUDGET` is chosen:

- `full`: id, type, timestamp, weighting, description (2004), correct responses,
  learner response, result, latency;
- `compact`: id, type, correct responses, learner response, result;
- `minimal`: id, type, result;
- `quizzes`: one interaction per quiz instead: id, type `numeric`, its percentage in the
  last check, result (its pass mark met);
- `none`: no interactions (status, score, bookmark and resume are unaffected).

The runtime reads the level from its settings (`detail`). Nothing here depends on Moodle
beyond the serialisation it measures: a smaller data model helps every LMS.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from ..errors import SuspendLimitError
from ..model import ScormSpelling
from .plan import QuestionPlan, QuizPlan, ScoPlan, suspend_bound

SEPARATORS = 3  # the '|' of suspend_data (plan.SUSPEND_FORMAT "M2": format|learner|pages|quizzes)

Detail = Literal["full", "compact", "minimal", "quizzes", "none"]
DETAILS: tuple[Detail, ...] = ("full", "compact", "minimal", "quizzes", "none")
COMMIT_BUDGET = 56 * 1024  # bytes: under the 64 KiB that the beacons of a closing page share
OVERHEAD = 1024  # Moodle's own fields (id, a, sesskey, attempt, scoid, unloading, total_time)
PART = 87  # a multipart element's boundary line, Content-Disposition header and line ends
MAX_PATTERNS = 5  # correct-response patterns written per interaction (2004's SPM for fill-in)
LATENCY = 20  # "PT9999H59M59.99S" and the like
RESULT = len("incorrect")


_KEPT = re.compile(r"[A-Za-z0-9_.!~*'()-]*")  # what encodeURIComponent leaves as it is


def encoded(text: str) -> int:
    """Bytes of `text` once encodeURIComponent has passed over it."""
    if _KEPT.fullmatch(text):
        return len(text)
    return len(quote(text, safe="-_.!~*'()"))


@functools.lru_cache(maxsize=1 << 16)  # the same questions' fields, in package after package
def entry(name: str, value: str | tuple[int, int]) -> int:
    """One element of Moodle's form, the name spelled as Moodle spells it: the larger of
    `&name=value` URL-encoded and a multipart part (`value`: the text, or its longest
    (UTF-8 bytes, URL-encoded bytes))."""
    raw, enc = (len(value.encode()), encoded(value)) if isinstance(value, str) else value
    name = name.replace(".", "__")
    return max(2 + len(name) + enc, PART + len(name) + raw)


def ascii(n: int) -> tuple[int, int]:
    """A value of at most n characters that URL-encoding leaves as they are."""
    return n, n


@dataclass(frozen=True)
class Spelling:
    """What differs between the versions in the fields the runtime writes."""
    v12: bool

    @property
    def response(self) -> str:
        return "student_response" if self.v12 else "learner_response"

    @property
    def time(self) -> tuple[str, str]:
        return ("time", "23:59:59") if self.v12 else ("timestamp", "2026-12-31T23:59:59")


def interaction_bytes(index: int, q: QuestionPlan, itype: str, patterns: list[str],
                      response: str | None, detail: Detail, s: Spelling, lang: str) -> int:
    """The bytes one interaction adds to every commit, at a level of detail (the fields
    writeInteraction in scorm-runtime.js writes at that level)."""
    if detail == "none":
        return 0
    p = f"cmi.interactions.{index}."
    total = entry(p + "id", q.interaction) + entry(p + "type", itype)
    total += entry(p + "result", ascii(RESULT))
    if detail == "minimal":
        return total
    longest = sorted(patterns, key=lambda x: entry("", x), reverse=True)[:MAX_PATTERNS]
    total += sum(entry(f"{p}correct_responses.{k}.pattern", x) for k, x in enumerate(longest))
    if response is not None:  # the longest learner response (the type's longest_response)
        total += entry(p + s.response, response)
    if detail == "full":
        name, when = s.time
        total += entry(p + name, when)
        if q.points:
            total += entry(p + "weighting", str(q.points))
        if not s.v12 and q.prompt:
            desc = f"{{lang={lang}}}{q.prompt}" if q.prompt.startswith("{") else q.prompt
            total += entry(p + "description", desc)
        total += entry(p + "latency", ascii(LATENCY))
    return total


def quiz_bytes(index: int, quiz: QuizPlan, s: Spelling) -> int:
    """A whole quiz as one interaction (writeQuizResult in scorm-runtime.js)."""
    p = f"cmi.interactions.{index}."
    total = entry(p + "id", quiz.interaction) + entry(p + "type", "numeric")
    total += entry(p + "result", ascii(RESULT))
    if quiz.max_points:
        total += entry(p + s.response, "100")
    return total


def suspend_value(sco: ScoPlan) -> tuple[int, int]:
    """The longest suspend_data of the SCO: (UTF-8 bytes, URL-encoded bytes). Its
    separators, three '|' and the ',' between responses, take 3 bytes once encoded; a
    fill-in character, kept as %XX (3 characters) or as it is (3 bytes in UTF-8, 9
    encoded), at most 9."""
    bound = suspend_bound(sco)
    commas = sum(max(len(quiz.questions) - 1, 0) for quiz in sco.quizzes)
    fill_in = sum(q.cap for quiz in sco.quizzes for q in quiz.questions)  # text answers
    return bound, bound + 2 * (SEPARATORS + commas) + 6 * fill_in


def scalar_bytes(sco: ScoPlan, s: Spelling) -> int:
    """Status, score, bookmark, exit and session time: what the runtime always writes."""
    location = max(sco.pages, key=lambda p: encoded(p.path)).path if sco.pages else ""
    fields: list[tuple[str, str | tuple[int, int]]]
    if s.v12:
        fields = [("cmi.core.lesson_status", ascii(10)), ("cmi.core.score.raw", ascii(3)),
                  ("cmi.core.score.min", ascii(1)), ("cmi.core.score.max", ascii(3)),
                  ("cmi.core.lesson_location", location), ("cmi.core.exit", ascii(7)),
                  ("cmi.core.session_time", ascii(16)), ("cmi.suspend_data", suspend_value(sco))]
    else:
        fields = [("cmi.completion_status", ascii(13)), ("cmi.success_status", ascii(7)),
                  ("cmi.score.raw", ascii(3)), ("cmi.score.min", ascii(1)),
                  ("cmi.score.max", ascii(3)), ("cmi.score.scaled", ascii(4)),
                  ("cmi.progress_measure", ascii(4)), ("cmi.location", location),
                  ("cmi.exit", ascii(7)), ("cmi.session_time", ascii(LATENCY)),
                  ("cmi.suspend_data", suspend_value(sco))]
    return OVERHEAD + sum(entry(name, value) for name, value in fields)


@dataclass(frozen=True)
class Budget:
    detail: Detail
    bound: int  # bytes of the largest commit, at that detail
    questions: int  # interactions the SCO can write


def commit_budget(sco: ScoPlan, spelling: ScormSpelling, version: str, lang: str) -> Budget:
    """The richest detail whose largest commit (the whole data model, as Moodle sends it)
    fits COMMIT_BUDGET; SuspendLimitError when even `none` cannot fit. `spelling`: the
    exporter of the SCORM version, which spells responses and patterns."""
    s = Spelling(version == "1.2")
    questions = [q for quiz in sco.quizzes for q in quiz.questions]
    shapes = [(q.unit.interaction_type(spelling), q.unit.correct_patterns(spelling, lang),
               q.unit.longest_response(spelling, lang)) for q in questions]
    base = scalar_bytes(sco, s)

    def bound(detail: Detail) -> int:
        if detail == "quizzes":
            return base + sum(quiz_bytes(i, quiz, s) for i, quiz in enumerate(sco.quizzes))
        return base + sum(interaction_bytes(i, q, *shape, detail, s, lang)
                          for i, (q, shape) in enumerate(zip(questions, shapes, strict=True)))

    for detail in DETAILS:
        size = bound(detail)
        if size <= COMMIT_BUDGET:
            return Budget(detail, size, len(questions))
    raise SuspendLimitError(
        f"SCORM {version}: one save of '{sco.key}' could reach {bound('none')} bytes even "
        f"without interactions (the learner's saved state alone may take "
        f"{suspend_value(sco)[1]} bytes once encoded), over the {COMMIT_BUDGET // 1024} KiB "
        "that keeps saves safe in Moodle. Export one package per track.")

