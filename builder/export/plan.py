"""What goes into a SCORM package: its SCOs, their pages and quizzes, stable ids, and the
bound of the learner's saved state (suspend_data).

Pure functions of the model plus the quiz placement read from the built pages. Shared by
both SCORM versions; nothing here depends on the version except the suspend_data limit
and the version's name given to `check_suspend_limit`. What differs between question
types comes from the type (`Question.unit`, builder/questions/).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from ..errors import ExportError, SuspendLimitError, did_you_mean
from ..model import (
    HELP_PAGE,
    Edition,
    Page,
    Project,
    Question,
    QuestionUnit,
    QuizRule,
    Track,
    Value,
    pick,
)
from ..questions import LETTERS

# One SCO for the whole package, or one per module.
Layout = Literal["single", "module"]
LAYOUTS: tuple[Layout, ...] = get_args(Layout)
SUSPEND_FORMAT = "M2"  # version tag of suspend_data (scorm-runtime.js reads it, and M1)
LEARNER = 6  # characters of the learner's key in suspend_data (questions.js LEARNER_LENGTH)
B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
ATTEMPTS_MAX = 36 * 36 - 1  # stored in two base-36 digits at most


@dataclass(frozen=True, eq=False, repr=False)
class PagePlan(Value):
    """A module's page in a package."""

    module: str  # module id, e.g. "psw/intervision"
    path: str  # file in the package, e.g. "psw/intervision.html"
    title: str
    summary: str
    fp: str  # 4-character fingerprint kept in suspend_data


@dataclass(frozen=True, eq=False, repr=False)
class QuestionPlan(Value):
    """A question of a quiz in a package, as the LMS learns of it."""

    id: str
    type: str  # the course's question type
    points: int
    scored: bool
    n: int  # choices, items or pairs
    interaction: str  # cmi.interactions.n.id
    prompt: str  # plain text, at most 250 characters
    unit: QuestionUnit  # its type: interaction type, correct patterns, response bound
    cap: int = 0  # longest text response kept (the input's maxlength); 0: not text


@dataclass(frozen=True, eq=False, repr=False)
class QuizPlan(Value):
    """A quiz in a package, on its page."""

    id: str
    fp: str
    page: str
    title: str
    pass_mark: int
    max_points: int  # of an attempt (with `draw`, of the questions drawn)
    questions: tuple[QuestionPlan, ...]
    draw: int = 0  # scored questions each attempt shows (0: all)

    @property
    def scored(self) -> bool:
        return self.max_points > 0

    @property
    def interaction(self) -> str:
        """Its id as one interaction (budget.py's `quizzes` level of detail)."""
        return self.id.replace("/", ".")


@dataclass(frozen=True, eq=False, repr=False)
class ScoPlan(Value):
    """One part of a package (a SCO, an AU): its pages and quizzes."""

    key: str  # the scope ("psw", "all") or a module id
    item_id: str
    resource_id: str
    launch: str  # the launch page, at the package root
    title: str
    description: str
    pages: tuple[PagePlan, ...]
    quizzes: tuple[QuizPlan, ...]


@dataclass(frozen=True, eq=False, repr=False)
class PackagePlan(Value):
    """What a package holds, whatever its format."""

    course_id: str
    lang: str
    scope: str  # a track id, or "all"
    title: str
    description: str
    layout: Layout
    manifest_id: str
    org_id: str
    root_item_id: str
    pass_mark: int
    page_seen: bool
    quiz_rule: QuizRule
    scos: tuple[ScoPlan, ...]
    # pages the package holds beside its SCOs, in none of them: the course's help page,
    # which every module page links to (not a SCO, not an item: completion is unchanged)
    side: tuple[str, ...] = ()

    @property
    def pages(self) -> tuple[PagePlan, ...]:
        return tuple(p for sco in self.scos for p in sco.pages)


def xml_id(*parts: str) -> str:
    """An XML NCName from course, track and module ids (stable across exports)."""
    raw = ".".join(p.replace("/", ".") for p in parts if p)
    raw = re.sub(r"[^A-Za-z0-9._-]", "_", raw)
    return raw if re.match(r"[A-Za-z_]", raw) else "_" + raw


def fingerprint(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    n = int.from_bytes(digest[:8], "big") % 36 ** 4
    out = ""
    for _ in range(4):
        n, d = divmod(n, 36)
        out = B36[d] + out
    return out


def plain_text(markdown: str, limit: int = 250) -> str:
    """Markdown prompt -> short plain text (interaction descriptions)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*`]+", "", text)
    text = re.sub(r"(?<!\w)_{1,2}(?=[^\W_])|(?<=[^\W_])_{1,2}(?!\w)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def edition(project: Project, lang: str) -> Edition:
    """The course in one language; ExportError if it has none."""
    if lang not in project.editions:
        raise ExportError(f"the course has no '{lang}' edition (languages: "
                          f"{', '.join(project.editions)})")
    return project.editions[lang]


def find_track(project: Project, track_id: str | None) -> Track | None:
    """The track of an export's scope (None: the whole course); ExportError if unknown."""
    if track_id is None:
        return None
    track = project.course.track(track_id)
    if track is None:
        ids = [t.id for t in project.course.tracks]
        raise ExportError(f"unknown track '{track_id}'{did_you_mean(track_id, ids)}; "
                          f"tracks: {', '.join(ids)}")
    return track


def scope_modules(project: Project, lang: str, track: Track | None) -> list[Page]:
    """The modules of a track (or of every track, once each) that exist in `lang`."""
    ed = project.editions[lang]
    tracks = [track] if track is not None else list(project.course.tracks)
    seen: dict[str, Page] = {}
    for t in tracks:
        for module_id in t.modules:
            page = ed.pages.get(module_id)
            if page is not None and page.is_module and module_id not in seen:
                seen[module_id] = page
    return list(seen.values())


QUIZ_SECTION = re.compile(r"<section\b[^>]*\bclass=\"mooc-quiz\"[^>]*\bdata-quiz=\"([^\"]+)\"")


def quizzes_on_page(html_text: str) -> list[str]:
    """Quiz ids in a built page, in page order (the quiz renderer's own markup)."""
    return [html.unescape(m.group(1)) for m in QUIZ_SECTION.finditer(html_text)]


def built_page(site_dir: Path, page: Page) -> tuple[str, str]:
    """A page's path in the built site and its HTML, or ExportError if it is not there."""
    path = f"{page.id}.html"
    file = site_dir / path
    if not file.is_file():
        hint = (" (build the site with 'use_directory_urls: false')"
                if (site_dir / page.id / "index.html").is_file() else "")
        raise ExportError(f"{file}: missing from the built site{hint}")
    return path, file.read_text(encoding="utf-8")


def _question(quiz_id: str, q: Question) -> QuestionPlan:
    n = q.unit.size
    if n > len(LETTERS):
        raise ExportError(f"{q.loc.path}:{q.loc.line}: question '{q.id}' has {n} choices; "
                          f"SCORM allows {len(LETTERS)} at most")
    return QuestionPlan(
        id=q.id, type=q.type, points=q.points if q.scored else 0, scored=q.scored, n=n,
        interaction=f"{quiz_id.replace('/', '.')}.{q.id}", prompt=plain_text(q.prompt),
        unit=q.unit, cap=q.unit.response_cap())


def _quiz_fp(quiz_id: str, questions: tuple[QuestionPlan, ...], draw: int = 0) -> str:
    shape = [f"{q.id}:{q.type}:{q.n}:{q.points}" for q in questions]
    if draw:  # another draw shows other questions: what was saved no longer fits
        shape.append(f"draw:{draw}")
    return fingerprint("quiz", quiz_id, *shape)


def plan_package(project: Project, lang: str, site_dir: Path, track: Track | None = None,
                 layout: Layout = "single") -> PackagePlan:
    """Everything an exporter needs, or ExportError with what is wrong."""
    course = project.course
    if layout not in LAYOUTS:
        raise ExportError(f"unknown layout '{layout}' (use one of: {', '.join(LAYOUTS)})")
    ed = edition(project, lang)
    modules = scope_modules(project, lang, track)
    scope = track.id if track is not None else "all"
    if not modules:
        raise ExportError(f"track '{scope}' has no module in '{lang}': nothing to export")

    pages: list[PagePlan] = []
    quiz_pages: list[list[str]] = []
    for page in modules:
        path, text = built_page(site_dir, page)
        pages.append(PagePlan(page.id, path, page.display_title, page.summary,
                              fingerprint("page", page.id)))
        quiz_pages.append(quizzes_on_page(text))

    def quizzes_for(indexes: list[int]) -> tuple[QuizPlan, ...]:
        out: dict[str, QuizPlan] = {}
        for i in indexes:
            for quiz_id in quiz_pages[i]:
                quiz = ed.quizzes.get(quiz_id)
                if quiz is None:
                    raise ExportError(f"{pages[i].path}: quiz '{quiz_id}' is in the built page "
                                      "but not in the course (rebuild the site)")
                if quiz_id in out:
                    continue
                questions = tuple(_question(quiz.id, q) for q in quiz.questions)
                draw = quiz.drawn if quiz.draw else 0
                out[quiz_id] = QuizPlan(quiz.id, _quiz_fp(quiz.id, questions, draw),
                                        pages[i].path, quiz.title, quiz.pass_mark,
                                        quiz.max_points, questions, draw)
        return tuple(out.values())

    title = pick(course.title, lang, course.id)
    description = pick(course.description, lang)
    if track is not None:
        title = f"{title}: {pick(track.title, lang, track.id)}"
        audience = pick(track.audience, lang)
        description = f"{description} {audience}".strip()
    base = (course.id, lang, scope)
    scos: list[ScoPlan] = []
    if layout == "single":
        scos.append(ScoPlan(scope, xml_id("item", *base), xml_id("res", *base), "launch.html",
                            title, description, tuple(pages),
                            quizzes_for(list(range(len(pages))))))
    else:
        for i, pp in enumerate(pages):
            slug = pp.module.replace("/", "-")
            scos.append(ScoPlan(pp.module, xml_id("item", *base, pp.module),
                                xml_id("res", *base, pp.module), f"launch-{slug}.html",
                                pp.title, pp.summary, (pp,), quizzes_for([i])))
    help_page = ed.pages.get(HELP_PAGE)
    side = (built_page(site_dir, help_page)[0],) if help_page is not None and \
        HELP_PAGE not in {p.module for p in pages} else ()
    plan = PackagePlan(
        course_id=course.id, lang=lang, scope=scope, title=title, description=description,
        layout=layout, manifest_id=xml_id("mooc", *base), org_id=xml_id("org", *base),
        root_item_id=xml_id("item", *base), pass_mark=course.pass_mark,
        page_seen=course.completion.page_seen, quiz_rule=course.completion.quiz,
        scos=tuple(scos), side=side)
    _check_unique(plan)
    return plan


def _repeated(items: list[str]) -> set[str]:
    return {item for item, n in Counter(items).items() if n > 1}


def _check_unique(plan: PackagePlan) -> None:
    ids = [plan.manifest_id, plan.org_id]
    ids += [s.item_id for s in plan.scos] + [s.resource_id for s in plan.scos]
    if plan.layout != "single":
        ids.append(plan.root_item_id)
    launches = {s.launch for s in plan.scos}
    clashes = _repeated(ids)
    clashes |= launches & ({p.path for p in plan.pages} | set(plan.side))
    for sco in plan.scos:
        for group in ([p.fp for p in sco.pages], [q.fp for q in sco.quizzes],
                      [q.interaction for quiz in sco.quizzes for q in quiz.questions]):
            clashes |= _repeated(group)
    if clashes:
        raise ExportError(f"two parts of the package would share an identifier or file name: "
                          f"{', '.join(sorted(clashes))} (rename a module, quiz or question)")


# ---------------------------------------------------------------- suspend_data budget

def _digits(n: int) -> int:
    d = 1
    while n >= 36:
        n //= 36
        d += 1
    return d


def quiz_bound(quiz: QuizPlan) -> int:
    # fp, attempts "." best "." checked "." responses joined by ","
    head = 4 + _digits(ATTEMPTS_MAX) + 1 + _digits(max(quiz.max_points, 0)) + 1 + 1 + 1
    body = sum(q.unit.response_bound() for q in quiz.questions) + max(len(quiz.questions) - 1, 0)
    return head + body


def suspend_bound(sco: ScoPlan) -> int:
    """The longest suspend_data this SCO can write: format, learner, pages seen, every
    quiz."""
    total = len(SUSPEND_FORMAT) + 1 + LEARNER + 1 + 4 * len(sco.pages) + 1
    total += sum(quiz_bound(q) for q in sco.quizzes) + max(len(sco.quizzes) - 1, 0)
    return total


def check_suspend_limit(plan: PackagePlan, limit: int, version: str) -> dict[str, int]:
    """Bounds per SCO; SuspendLimitError naming the biggest quizzes when one cannot fit."""
    bounds = {sco.key: suspend_bound(sco) for sco in plan.scos}
    for sco in plan.scos:
        if bounds[sco.key] <= limit:
            continue
        big = sorted(sco.quizzes, key=quiz_bound, reverse=True)[:3]
        detail = ", ".join(f"{q.id} ({quiz_bound(q)})" for q in big)
        advice = (" Export one SCO per module (--layout module) or one package per track."
                  if plan.layout == "single" and len(sco.pages) > 1 else
                  " Shorten the quiz (fewer questions or fill-in answers).")
        what = ("the whole course" if sco.key == "all" and plan.layout == "single" else
                f"track '{sco.key}'" if plan.layout == "single" else f"module '{sco.key}'")
        raise SuspendLimitError(
            f"SCORM {version}: the learner's saved state ('suspend_data') for {what} "
            f"could reach {bounds[sco.key]} characters, over the {limit} SCORM {version} "
            f"allows. Largest quizzes (characters): {detail}; a fill-in answer may take 3 "
            f"characters per letter typed.{advice}")
    return bounds
