"""`scenario`: a branching conversation. The learner walks it one step at a time: each step
has a text and choices, each choice its feedback and the step or ending it leads to
(`next`); each ending an outcome, best, ok or poor. It is right when the walk reaches a
best ending (`scored: false`: practice only, never scored).

A response is the path taken: the index of the choice made at each step, from the first
step on (`[1, 0, 2]`); it is judged by walking it. The graph is checked when the file is
loaded: unknown `next` ids, steps without choices, loops, no best ending, more than 36
choices in all (errors), steps or endings no path reaches (warnings); every path is
finite, so a response is at most as long as the longest path.

For the other output formats, the unit says what it is in plain data, never HTML:
- `start`, `step(id)`, `ending(id)`: the graph (`Step.choices[k].next` is a step or
  ending id);
- `walk(path)`: the steps a path visits and the ending it reaches (None: unfinished or
  invalid); `correct(path)` is "walk reaches a best ending";
- `paths()`: every complete path, shortest first, with its ending; `best_paths()`;
- `sections()`: the scenario as numbered sections, "go to N" after each choice (a
  gamebook: `worksheet` and `answer_sheet` print it so, export/pdf.py);
- `choice_ids(path)`: a path as the numbers of its choices across the steps (what a SCORM
  response names, one letter or digit each);
- `PORTABLE`: False. QTI 1.2 (IMS CC), Moodle XML and GIFT have no branching question:
  their exporters keep the site's widget in the page or list the question as not
  expressible, never drop it silently. SCORM and cmi5 report it as one interaction of
  type `sequencing` (see `interaction_type`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self, get_args

from ..errors import did_you_mean
from ..model import QuizMarkup, ScormSpelling, Value
from ..yamlsrc import LDict, LList, Reader
from .base import LETTERS, Key, QuestionType, TypeName, is_index_list, letters

Outcome = Literal["best", "ok", "poor"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Every choice of a scenario has an identifier of its own in an LMS report (a letter or a
# digit, numbered across the steps): a sequencing pattern may not repeat one.
MAX_CHOICES = len(LETTERS)
MAX_PATTERNS = 36  # best paths given to an LMS as correct patterns (shortest first)


@dataclass(frozen=True, eq=False, repr=False)
class Choice(Value):
    """A choice of a step, and the step or ending it leads to."""

    text: str
    feedback: str
    next: str  # a step or ending id
    line: int


@dataclass(frozen=True, eq=False, repr=False)
class Step(Value):
    """A situation of the scenario and its choices."""

    id: str
    text: str
    choices: tuple[Choice, ...]
    line: int


@dataclass(frozen=True, eq=False, repr=False)
class Ending(Value):
    """Where a path through the scenario ends, and how it went."""

    id: str
    text: str
    outcome: Outcome
    line: int


@dataclass(frozen=True, eq=False, repr=False)
class Section(Value):
    """One numbered part of the scenario as a gamebook (`Scenario.sections`)."""

    number: int
    id: str
    text: str
    outcome: Outcome | None  # an ending's; None for a step
    choices: tuple[tuple[str, str, int], ...]  # (text, feedback, section to go to)


@dataclass(frozen=True, eq=False, repr=False)
class Scenario(QuestionType):
    """A branching scenario: steps, each with choices, that lead to endings."""

    steps: tuple[Step, ...]
    endings: tuple[Ending, ...]
    practice: bool = False  # `scored: false`

    name: ClassVar[TypeName] = "scenario"
    keys: ClassVar[tuple[Key, ...]] = (
        Key("steps", "a list of steps: id, text, choices (text, feedback, next)", True),
        Key("endings", "a list of endings: id, text, outcome (best, ok or poor)", True),
        Key("scored", "true or false (false: practice only)"))
    shuffles: ClassVar[bool] = True
    hint_key: ClassVar[str] = "scn_hint"
    paper_hint: ClassVar[str] = "pdf_scn_hint"
    PORTABLE: ClassVar[bool] = False

    @classmethod
    def text_paths(cls) -> tuple[str, ...]:
        return ("steps.*.text", "steps.*.choices.*.text", "steps.*.choices.*.feedback",
                "endings.*.text")

    @classmethod
    def load(cls, r: Reader, q: LDict) -> Self:
        seen: dict[str, int] = {}  # ids of steps and endings, and their lines
        steps = _steps(r, q, seen)
        endings = _endings(r, q, seen)
        unit = cls(tuple(steps), tuple(endings), not r.boolean(q, "scored", True))
        if steps and "endings" in q:
            unit.check(r, q)
        return unit

    # -- the graph
    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def ending(self, ending_id: str) -> Ending | None:
        return next((e for e in self.endings if e.id == ending_id), None)

    def walk(self, path: Any) -> tuple[list[Step], Ending | None]:
        """The steps a path of choice indexes visits, and the ending it reaches (None:
        the path stops before an ending, or a choice does not exist)."""
        visited: list[Step] = []
        if not is_index_list(path) or not self.steps:
            return visited, None
        here: Step | None = self.start
        for k, index in enumerate(path):
            if here is None or not 0 <= index < len(here.choices):
                return visited, None
            visited.append(here)
            target = here.choices[index].next
            here = self.step(target)
            if here is None:
                end = self.ending(target)
                return visited, end if k == len(path) - 1 else None
        return visited, None

    def paths(self) -> list[tuple[tuple[int, ...], Ending]]:
        """Every complete path (choice indexes) with the ending it reaches, shortest
        first. The graph has no loop (checked), so there are finitely many."""
        out: list[tuple[tuple[int, ...], Ending]] = []

        def go(step: Step, path: tuple[int, ...], depth: int) -> None:
            if depth > len(self.steps):  # a loop the checks reported: stop
                return
            for k, choice in enumerate(step.choices):
                nxt = self.step(choice.next)
                if nxt is not None:
                    go(nxt, (*path, k), depth + 1)
                elif (end := self.ending(choice.next)) is not None:
                    out.append(((*path, k), end))

        if self.steps:
            go(self.start, (), 0)
        return sorted(out, key=lambda p: (len(p[0]), p[0]))

    def best_paths(self) -> list[tuple[int, ...]]:
        return [p for p, end in self.paths() if end.outcome == "best"]

    def ids(self) -> list[str]:
        return [s.id for s in self.steps] + [e.id for e in self.endings]

    def sections(self) -> list[Section]:
        """The steps, then the endings, numbered from 1, each choice with the number of
        the section it leads to."""
        number = {ident: n for n, ident in enumerate(self.ids(), 1)}
        out = [Section(number[s.id], s.id, s.text, None,
                       tuple((c.text, c.feedback, number.get(c.next, 0)) for c in s.choices))
               for s in self.steps]
        out += [Section(number[e.id], e.id, e.text, e.outcome, ()) for e in self.endings]
        return out

    # -- checks (each with the line of the element at fault)
    def check(self, r: Reader, q: LDict) -> None:
        ids = self.ids()
        known = set(ids)
        broken = any(not s.choices for s in self.steps)  # reported when loaded
        for step in self.steps:
            for choice in step.choices:
                if choice.next and choice.next not in known:
                    broken = True
                    r.error(choice.line, f"unknown next '{choice.next}': no step or ending "
                            f"has this id{did_you_mean(choice.next, ids) or _valid(ids)}")
        if not any(e.outcome == "best" for e in self.endings):
            r.error(r.line_of(q, "endings"), "this scenario has no ending with 'outcome: "
                    "best': give the ending a learner should reach 'outcome: best'")
        loops = self._loops(r)
        reached = self._reached()
        lost = [("step", s.id, s.line) for s in self.steps if s.id and s.id not in reached]
        lost += [("ending", e.id, e.line) for e in self.endings if e.id and e.id not in reached]
        for what, ident, line in lost:
            r.warn(line, f"{what} '{ident}' is never reached: no choice leads to it from the "
                   f"first step '{self.start.id}'")
        if loops or broken:
            return
        if any(e.outcome == "best" for e in self.endings) and not any(
                e.outcome == "best" and e.id in reached for e in self.endings):
            r.error(r.line_of(q, "endings"), "no path of this scenario reaches an ending with "
                    "'outcome: best'")
        total = sum(len(s.choices) for s in self.steps)
        if total > MAX_CHOICES:
            r.error(r.line_of(q, "steps"), f"this scenario has {total} choices in all; at most "
                    f"{MAX_CHOICES} fit in a report to an LMS (each is named by a letter or a "
                    "digit): shorten it, or split it in two")

    def _reached(self) -> set[str]:
        seen = {self.start.id}
        todo = [self.start]
        while todo:
            for choice in todo.pop().choices:
                if choice.next not in seen:
                    seen.add(choice.next)
                    if (nxt := self.step(choice.next)) is not None:
                        todo.append(nxt)
        return seen

    def _loops(self, r: Reader) -> bool:
        """Report each choice that leads back to a step on the way to it."""
        found = False
        done: set[str] = set()

        def go(step: Step, trail: list[str]) -> None:
            nonlocal found
            trail.append(step.id)
            for choice in step.choices:
                if choice.next in trail:
                    loop = [*trail[trail.index(choice.next):], choice.next]
                    r.error(choice.line, f"this choice leads back to step '{choice.next}' "
                            f"({' → '.join(loop)}): a scenario must always move on towards "
                            "an ending")
                    found = True
                elif choice.next not in done and (nxt := self.step(choice.next)) is not None:
                    go(nxt, trail)
            trail.pop()
            done.add(step.id)

        for step in self.steps:
            if step.id not in done:
                go(step, [])
        return found

    # -- on paper (the print edition): a gamebook, the answer key a best way through
    def worksheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        """Numbered sections: a step's text and its choices, each with a box to tick and the
        section it leads to; an ending's text (its outcome is on the answer key)."""
        out = []
        for sec in self.sections():
            choices = "".join(f'<li><span class="ws-box"></span> {m.inline(text)} '
                              f'<span class="ws-goto">{m.t("pdf_goto", n=goto)}</span></li>'
                              for text, _, goto in sec.choices)
            body = f'<ol class="ws-choices" type="A">{choices}</ol>' if choices else ""
            out.append(f'<li value="{sec.number}">{m.block(sec.text)}{body}</li>')
        return f'<ol class="ws-scn">{"".join(out)}</ol>'

    def answer_sheet(self, m: QuizMarkup, seed: tuple[str, ...]) -> str:
        """A best way through in section numbers and letters, then each section's choices
        with their feedback and each ending's outcome."""
        sections = self.sections()
        by_id = {sec.id: sec for sec in sections}
        best = self.best_paths()
        way = []
        if best:
            steps, end = self.walk(list(best[0]))
            way = [f"{by_id[st.id].number}{LETTERS[k].upper()}" for st, k in zip(steps, best[0],
                                                                             strict=True)]
            if end is not None:
                way.append(str(by_id[end.id].number))
        out = [f'<p class="key-answer">{m.t("pdf_scn_key", path=" → ".join(way))}</p>',
               '<ol class="key-scn">']
        for sec in sections:
            if sec.outcome is None:
                items = "".join(
                    f"<li>{m.inline(text)} ({m.t('pdf_goto', n=goto)})"
                    + (f'<div class="key-feedback">{m.block(fb)}</div>' if fb else "")
                    + "</li>" for text, fb, goto in sec.choices)
                out.append(f'<li value="{sec.number}"><ol class="key-choices" type="A">'
                           f"{items}</ol></li>")
            else:
                out.append(f'<li value="{sec.number}"><strong>{m.t("scn_" + sec.outcome)}'
                           f"</strong></li>")
        return "".join(out) + "</ol>"

    # -- the type's contract (builder/questions/base.py)
    @property
    def scored(self) -> bool:
        return not self.practice

    @property
    def size(self) -> int:
        return max((len(s.choices) for s in self.steps), default=0)

    def targets(self) -> list[list[int]]:
        """For each step, where each choice leads: a step's index, or -1 - an ending's
        (-1 - len(endings): nowhere, an unknown id that was reported)."""
        index = {s.id: i for i, s in enumerate(self.steps)}
        index |= {e.id: -1 - j for j, e in enumerate(self.endings)}
        return [[index.get(c.next, -1 - len(self.endings)) for c in s.choices]
                for s in self.steps]

    def key(self) -> dict[str, Any]:
        return {"n": self.size, "steps": self.targets(),
                "endings": [e.outcome for e in self.endings]}

    def inputs(self, m: QuizMarkup, base: str, seed: tuple[str, ...]) -> str:
        parts = []
        targets = self.targets()
        for i, step in enumerate(self.steps):
            sid = f"{base}-s{i}"
            choices = "".join(
                f'<li class="mooc-scn__choice" data-choice="{k}" data-next="{targets[i][k]}">'
                f'<button type="button" class="mooc-scn__pick" id="{sid}-c{k}" '
                f'aria-describedby="{sid}-text">{m.inline(c.text)}</button>'
                + (f'<div class="mooc-scn__feedback" id="{sid}-c{k}-fb" tabindex="-1" hidden>'
                   f"{m.block(c.feedback)}</div>" if c.feedback else "")
                + "</li>" for k, c in enumerate(step.choices))
            parts.append(
                f'<li class="mooc-scn__step" data-step="{i}"{" hidden" if i else ""}>'
                f'<div class="mooc-scn__text" id="{sid}-text" tabindex="-1">'
                f"{m.block(step.text)}</div>"
                f'<ul class="mooc-scn__choices">{choices}</ul></li>')
        for j, end in enumerate(self.endings):
            parts.append(
                f'<li class="mooc-scn__ending mooc-scn__ending--{end.outcome}" '
                f'data-ending="{j}" tabindex="-1" hidden>'
                f'<p class="mooc-scn__outcome">{m.t("scn_" + end.outcome)}</p>'
                f"{m.block(end.text)}</li>")
        return (f'<ol class="mooc-scn" data-path="">{"".join(parts)}</ol>'
                f'<p class="mooc-scn__actions"><button type="button" class="md-button '
                f'mooc-scn__restart" hidden>{m.t("scn_restart")}</button></p>'
                f'<div class="mooc-sr-only" aria-live="polite" data-live></div>')

    def correct(self, response: Any) -> bool:
        end = self.walk(response)[1]
        return end is not None and end.outcome == "best"

    def correct_response(self) -> Any:
        best = self.best_paths()
        return list(best[0]) if best else []

    def interaction_type(self, s: ScormSpelling) -> str:
        """`sequencing`, in both SCORM versions: the learner's response is the ordered
        series of choices they made, and each path to a best ending is a correct pattern
        the LMS can match. SCORM 1.2 has no `other`; in 2004, `other` would carry the path
        as free text that no correct pattern describes."""
        return "sequencing"

    def scorm_key(self) -> dict[str, Any]:
        return {"steps": self.targets(), "endings": [e.outcome for e in self.endings]}

    def choice_ids(self, path: tuple[int, ...]) -> list[int]:
        """A path as the numbers of its choices across the steps (step 0's first, ...):
        the identifiers of its SCORM response, each a letter or a digit."""
        first = [0]
        for step in self.steps:
            first.append(first[-1] + len(step.choices))
        index = {s.id: i for i, s in enumerate(self.steps)}
        out, at = [], 0
        for k in path:
            out.append(first[at] + k)
            at = index.get(self.steps[at].choices[k].next, at)
        return out

    def correct_patterns(self, s: ScormSpelling, lang: str) -> list[str]:
        return [s.list_sep.join(letters(self.choice_ids(p)))
                for p in self.best_paths()[:MAX_PATTERNS]]

    def longest_response(self, s: ScormSpelling, lang: str) -> str | None:
        longest = max((len(p) for p, _ in self.paths()), default=0)
        return s.list_sep.join("a" * longest) if longest else None

    def response_bound(self) -> int:
        return max((len(p) for p, _ in self.paths()), default=0)

    def guess_chance(self) -> float:
        """A learner choosing at random at every step reaches a best ending."""
        memo: dict[str, float] = {}

        def chance(target: str, depth: int) -> float:
            if (end := self.ending(target)) is not None:
                return 1.0 if end.outcome == "best" else 0.0
            step = self.step(target)
            if step is None or not step.choices or depth > len(self.steps):
                return 0.0
            if target not in memo:
                memo[target] = sum(chance(c.next, depth + 1) for c in step.choices) / len(
                    step.choices)
            return memo[target]

        return chance(self.start.id, 0) if self.steps else 0.0


def _valid(ids: list[str]) -> str:
    return f" (steps and endings: {', '.join(ids)})" if ids else ""


def _items(r: Reader, q: LDict, key: str) -> list[tuple[LDict, int]]:
    if isinstance(q.get(key), LList) and not q[key]:
        r.error(r.line_of(q, key), f"'{key}' is empty")
    return r.items(q, key)


def _id(r: Reader, d: LDict, seen: dict[str, int], what: str) -> str:
    ident = r.text(d, "id", required=True)
    if ident and not ID_RE.match(ident):
        r.error(r.line_of(d, "id"), f"{what} id '{ident}' may use only letters, digits, '-', "
                "'_' and '.'")
    elif ident in seen:
        r.error(r.line_of(d, "id"), f"duplicate id '{ident}' (first at line {seen[ident]}): "
                "steps and endings need ids of their own")
    seen.setdefault(ident, r.line_of(d, "id"))
    return ident


def _steps(r: Reader, q: LDict, seen: dict[str, int]) -> list[Step]:
    steps = []
    for d, line in _items(r, q, "steps"):
        r.keys(d, ["id", "text", "choices"], ["id", "text"], "a step")
        ident = _id(r, d, seen, "step")
        choices = []
        for c, cline in _items(r, d, "choices"):
            r.keys(c, ["text", "feedback", "next"], ["text", "next"], "a choice")
            choices.append(Choice(r.text(c, "text", required=True), r.text(c, "feedback"),
                                  r.text(c, "next", required=True), cline))
        if "choices" not in d or d.get("choices") is None:
            r.error(line, f"step '{ident}' has no choices: give it at least one (a choice "
                    "that ends the scenario leads to an ending)")
        elif len(choices) > len(LETTERS):
            r.error(r.line_of(d, "choices"), f"step '{ident}' has {len(choices)} choices; "
                    f"at most {len(LETTERS)}")
        steps.append(Step(ident, r.text(d, "text", required=True), tuple(choices), line))
    return steps


def _endings(r: Reader, q: LDict, seen: dict[str, int]) -> list[Ending]:
    endings = []
    for d, line in _items(r, q, "endings"):
        r.keys(d, ["id", "text", "outcome"], ["id", "text", "outcome"], "an ending")
        ident = _id(r, d, seen, "ending")
        given = r.text(d, "outcome")
        outcome = next((o for o in OUTCOMES if o == given), None)
        if "outcome" in d and outcome is None:
            r.error(r.line_of(d, "outcome"), f"'outcome' must be best, ok or poor, got "
                    f"'{given}'{did_you_mean(given, OUTCOMES)}")
        endings.append(Ending(ident, r.text(d, "text", required=True), outcome or "poor",
                              line))
    return endings
