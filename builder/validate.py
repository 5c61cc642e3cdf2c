"""Cross-file checks on a loaded project -> list of problems. No I/O.

Imports only `errors` and `model`.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from urllib.parse import unquote, urlsplit

from .errors import Problem, did_you_mean
from .model import (
    MARKER_RE,
    Edition,
    Page,
    Project,
    Question,
    Quiz,
    TranslationRow,
    TranslationState,
)

GENERATED = "downloads"  # a folder `mooc build` adds to each language's site
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def validate(project: Project) -> list[Problem]:
    problems: list[Problem] = []
    course = project.course
    problems += _course_checks(project)
    for edition in project.editions.values():
        problems += _edition_checks(project, edition)
        problems += _objective_checks(edition)
        problems += _help_lines_checks(project, edition)
    if len(course.languages) > 1:
        problems += _translation_checks(project)
    problems += assessment_lint(project)
    return sorted(set(problems))


def _help_lines_checks(project: Project, ed: Edition) -> list[Problem]:
    """A page that shows the help lines needs the file that lists them."""
    if project.course.help_lines:
        return []
    out = []
    for page in ed.pages.values():
        if "help-lines" in page.widgets:
            line = next((n for n, text in enumerate(page.body.split("\n"), page.body_line)
                         if MARKER_RE.match(text) and "help-lines" in text), page.body_line)
            out.append(Problem(page.loc.path, line, "'::: mooc help-lines' shows the "
                               "course's crisis and listening lines, but there is no "
                               "help-lines.yml beside course.yml: create it (see the "
                               "authoring guide) or remove this line"))
    return out


def _course_checks(project: Project) -> list[Problem]:
    course = project.course
    out: list[Problem] = []
    seen_tracks: dict[str, int] = {}
    seen_modules: dict[str, tuple[str, int]] = {}
    for track in course.tracks:
        if track.id in seen_tracks:
            out.append(Problem(track.loc.path, track.loc.line, f"duplicate track id "
                               f"'{track.id}' (first at line {seen_tracks[track.id]})"))
        seen_tracks.setdefault(track.id, track.loc.line)
        for mid, loc in zip(track.modules, track.module_locs, strict=False):
            if mid in seen_modules:
                first_track, first_line = seen_modules[mid]
                out.append(Problem(loc.path, loc.line, f"module '{mid}' is listed twice "
                                   f"(first in track '{first_track}', line {first_line})"))
                continue
            seen_modules[mid] = (track.id, loc.line)
            if mid in course.pages:
                out.append(Problem(loc.path, loc.line, f"'{mid}' is listed both as a page "
                                   "and as a module"))
    seen_comp: dict[str, int] = {}
    for comp in course.competencies:
        if comp.id in seen_comp:
            out.append(Problem(comp.loc.path, comp.loc.line, f"duplicate competency id "
                               f"'{comp.id}' (first at line {seen_comp[comp.id]})"))
        seen_comp.setdefault(comp.id, comp.loc.line)
    seen_pages: set[str] = set()
    for page_id, loc in zip(course.pages, course.page_locs, strict=False):
        if page_id in seen_pages:
            out.append(Problem(loc.path, loc.line, f"page '{page_id}' is listed twice"))
        seen_pages.add(page_id)
    printed = course.print_edition
    for part, ids, locs in (("workbook", printed.workbook, printed.page_locs),
                            ("kit", printed.kit, printed.page_locs[len(printed.workbook):])):
        seen: set[str] = set()
        for page_id, loc in zip(ids, locs, strict=False):
            if page_id in seen:
                out.append(Problem(loc.path, loc.line, f"page '{page_id}' is listed twice "
                                   f"in 'print.{part}'"))
            elif page_id in seen_modules:
                out.append(Problem(loc.path, loc.line, f"'{page_id}' is a module: every "
                                   f"workbook prints its track's modules, so 'print.{part}' "
                                   "lists other pages only"))
            seen.add(page_id)
    return out


def _edition_checks(project: Project, ed: Edition) -> list[Problem]:
    course = project.course
    out: list[Problem] = []
    cpath = course.loc.path
    listed = {m for t in course.tracks for m in t.modules}
    comp_ids = [c.id for c in course.competencies]
    # In other languages a missing page or quiz is a translation to do: a warning (below).
    if ed.lang == course.default_language:
        for track in course.tracks:
            for mid, loc in zip(track.modules, track.module_locs, strict=False):
                if mid not in ed.pages and mid not in ed.unreadable_pages:
                    out.append(Problem(loc.path or cpath, loc.line, f"module '{mid}' has no "
                                       f"file {ed.lang}/{mid}.md"))
        for page_id, loc in [*zip(course.pages, course.page_locs, strict=False),
                             *zip(course.print_edition.pages, course.print_edition.page_locs,
                                  strict=False)]:
            if page_id not in ed.pages and page_id not in ed.unreadable_pages:
                out.append(Problem(loc.path, loc.line, f"page '{page_id}' has no file "
                                   f"{ed.lang}/{page_id}.md"))
    used_quizzes: dict[str, str] = {}
    for page in ed.pages.values():
        where = page.loc.path
        if not page.is_module and page.id not in course.pages and page.id not in listed \
                and page.id not in course.print_edition.pages:
            out.append(Problem(where, 1, f"page '{page.id}' is in no track and not in "
                               "'pages' of the course file: add it to a track's modules or "
                               "to 'pages'"))
        if page.is_module:
            for cid in page.competencies:
                if cid not in comp_ids:
                    hint = did_you_mean(cid, comp_ids)
                    out.append(Problem(where, page.key_lines.get("competencies", 1),
                                 f"unknown competency '{cid}'{hint}"))
            if page.quiz:
                line = page.key_lines.get("quiz", 1)
                if page.quiz not in ed.quizzes and page.quiz not in ed.unreadable_quizzes:
                    out.append(Problem(where, line, f"quiz '{page.quiz}' does not exist"
                                       f"{did_you_mean(page.quiz, list(ed.quizzes))}"))
                used_quizzes[page.quiz] = where
        for marker in page.markers:
            if marker.quiz_id in ed.unreadable_quizzes:
                pass  # its own file's problems are reported
            elif marker.quiz_id not in ed.quizzes:
                out.append(Problem(where, marker.line, f"quiz '{marker.quiz_id}' does not "
                                   f"exist{did_you_mean(marker.quiz_id, list(ed.quizzes))}"))
            elif marker.quiz_id in used_quizzes:
                out.append(Problem(where, marker.line, f"quiz '{marker.quiz_id}' is shown "
                                   f"twice (also in {used_quizzes[marker.quiz_id]})"))
            used_quizzes[marker.quiz_id] = where
        out += _link_checks(page, ed)
    for quiz in ed.quizzes.values():
        if quiz.id not in used_quizzes and not ed.unreadable_pages:
            out.append(Problem(quiz.loc.path, quiz.loc.line, f"quiz '{quiz.id}' is used by no "
                               "page", "warning"))
    return out


def _link_checks(page: Page, ed: Edition) -> list[Problem]:
    out = []
    here = posixpath.dirname(page.src_uri)
    for link in page.links:
        target = link.target
        if SCHEME_RE.match(target) or target.startswith("//"):
            if target.lower().startswith(("javascript:", "data:", "vbscript:")):
                out.append(Problem(page.loc.path, link.line, f"unsafe link '{target}'"))
            continue
        parts = urlsplit(target)
        path, anchor = unquote(parts.path), parts.fragment
        if not path:
            if anchor and anchor not in page.anchors:
                out.append(Problem(page.loc.path, link.line, f"link to '#{anchor}': no such "
                                   "heading in this page"))
            continue
        if path.startswith("/"):
            out.append(Problem(page.loc.path, link.line, f"link '{target}' starts with '/': "
                               "use a path relative to this page"))
            continue
        resolved = posixpath.normpath(posixpath.join(here, path))
        if resolved.startswith("../") or resolved == "..":
            out.append(Problem(page.loc.path, link.line, f"link '{target}' points outside "
                               "the course"))
            continue
        if resolved == GENERATED or resolved.startswith(GENERATED + "/"):
            continue  # written by `mooc build` (the SCORM packages and their page)
        if resolved.endswith(".md"):
            target_id = resolved[:-3]
            other = ed.pages.get(target_id)
            if target_id in ed.unreadable_pages:
                continue  # that file's own problem is reported
            if other is None:
                out.append(Problem(page.loc.path, link.line, f"link to a missing page "
                                   f"'{target}'"))
            elif anchor and anchor not in other.anchors:
                out.append(Problem(page.loc.path, link.line, f"link to '{target}': no "
                                   f"heading '#{anchor}' in that page"))
        elif resolved not in ed.files and resolved.rstrip("/") + "/index.md" not in ed.files:
            what = "image" if link.image else "file"
            out.append(Problem(page.loc.path, link.line, f"{what} '{target}' does not exist"))
    return out


def translation_status(project: Project) -> list[TranslationRow]:
    """For every page and quiz of the default language: (kind, id, {lang: state})."""
    course = project.course
    default = project.editions.get(course.default_language)
    rows: list[TranslationRow] = []
    if default is None:
        return rows
    others = [ed for lang, ed in project.editions.items() if lang != course.default_language]
    items: list[tuple[str, str, str, dict[str, TranslationState]]] = []
    for page in default.pages.values():
        items.append(("page", page.id, page.fingerprint,
                      {ed.lang: _state(ed.pages.get(page.id), page.fingerprint)
                       for ed in others}))
    for quiz in default.quizzes.values():
        items.append(("quiz", quiz.id, quiz.fingerprint,
                      {ed.lang: _state(ed.translated_quiz(quiz.id), quiz.fingerprint)
                       for ed in others}))
    for kind, item_id, _fp, states in sorted(items):
        rows.append((kind, item_id, states))
    return rows


def _state(translation: Page | Quiz | None, source_fp: str) -> TranslationState:
    if translation is None:
        return "missing"
    if not translation.source_fingerprint:
        return "unstamped"
    if translation.source_fingerprint != source_fp or translation.outdated:
        return "outdated"
    return "incomplete" if translation.untranslated else "ok"


def _shown_on(ed: Edition, quiz_id: str) -> str:
    """The pages of an edition that show a quiz."""
    return ", ".join(sorted(page.loc.path for page in ed.pages.values()
                            if page.quiz == quiz_id
                            or any(m.quiz_id == quiz_id for m in page.markers)))


def _translation_note(state: TranslationState, src: Page | Quiz, other: Page | Quiz,
                      lang: str) -> str | None:
    """What a translation (`other`, in `lang`) of `src` in `state` asks of its translator
    (None: nothing)."""
    po = f"translations/{lang}/{'pages' if isinstance(src, Page) else 'quizzes'}/{src.id}.po"
    if state == "unstamped":
        return (f"this translation does not say which version of its source it follows: "
                f"add 'source_fingerprint: {src.fingerprint}' once it is up to date with "
                f"{src.loc.path}")
    if state == "outdated" and other.outdated and other.source_fingerprint == src.fingerprint:
        return (f"{other.outdated} text(s) of this translation follow an older source "
                f"(fuzzy in {po}): check them, then run mooc i18n apply --lang {lang}")
    if state == "incomplete":
        return (f"{other.untranslated} text(s) of this translation are not translated yet "
                f"(shown in '{src.lang}'): translate them in {po}, then run mooc i18n apply "
                f"--lang {lang}")
    if state == "outdated":
        return (f"this translation is older than its source {src.loc.path}: update it, "
                f"then set 'source_fingerprint: {src.fingerprint}'")
    return None


def _translation_checks(project: Project) -> list[Problem]:
    """Pages and quizzes missing or outdated in a language (warnings; errors with --strict)."""
    course = project.course
    out: list[Problem] = []
    default = project.editions.get(course.default_language)
    if default is None:
        return out
    for lang, ed in project.editions.items():
        if lang == course.default_language:
            continue
        sources: list[Page | Quiz] = [*default.pages.values(), *default.quizzes.values()]
        for src in sources:
            is_page = isinstance(src, Page)
            other: Page | Quiz | None = (ed.pages.get(src.id) if is_page
                                         else ed.translated_quiz(src.id))
            kind = "page" if is_page else "quiz"
            state = _state(other, src.fingerprint)
            if state == "missing":
                shown = "" if is_page or src.id not in ed.quizzes else (
                    f": {_shown_on(ed, src.id)} shows it in '{src.lang}' with a 'not yet "
                    "translated' notice")
                out.append(Problem(src.loc.path, 1, f"no '{lang}' translation of this {kind} "
                                   f"({'course' if is_page else 'quizzes'}/{lang}/{src.id}"
                                   f"{'.md' if is_page else '.yml'}){shown}", "warning"))
            elif other is not None:
                note = _translation_note(state, src, other, lang)
                if note:
                    out.append(Problem(other.loc.path, 1, note, "warning"))
        for page in ed.pages.values():
            if page.id not in default.pages:
                out.append(Problem(page.loc.path, 1, f"this page has no "
                                   f"'{course.default_language}' source", "warning"))
        for quiz in ed.quizzes.values():
            if quiz.lang == lang and quiz.id not in default.quizzes:
                out.append(Problem(quiz.loc.path, 1, f"this quiz has no "
                                   f"'{course.default_language}' source", "warning"))
    return out


# ---------------------------------------------------------------- what quizzes assess

def _modules_of(ed: Edition) -> dict[str, list[Page]]:
    """The pages that show each quiz (its front matter's `quiz:` or a `::: quiz` line)."""
    out: dict[str, list[Page]] = {}
    for page in ed.pages.values():
        ids = [page.quiz] if page.quiz else []
        ids += [m.quiz_id for m in page.markers if m.quiz_id != page.quiz]
        for quiz_id in ids:
            out.setdefault(quiz_id, []).append(page)
    return out


def _objective_checks(ed: Edition) -> list[Problem]:
    """`objective: N` names one of the objectives of the module that shows the quiz."""
    out = []
    shown_on = _modules_of(ed)
    for quiz in ed.quizzes.values():
        pages = shown_on.get(quiz.id, [])
        for q in quiz.questions:
            if not q.objective:
                continue
            line = q.key_lines.get("objective", q.loc.line)
            modules = [p for p in pages if p.is_module]
            if pages and not modules:
                out.append(Problem(q.loc.path, line, f"'objective: {q.objective}' refers to "
                                   f"the objectives of a module, but this quiz is shown on "
                                   f"'{pages[0].id}', which is not a module"))
            for page in modules:
                n = len(page.objectives)
                if q.objective > n:
                    out.append(Problem(q.loc.path, line, f"objective {q.objective} does not "
                                       f"exist: module '{page.id}' ({page.loc.path}) has {n} "
                                       f"objective{'s' if n != 1 else ''}"))
    return out


# ---------------------------------------------------------------- the assessment lint

# Below this many scored questions an attempt's score says little.
MIN_SCORED = 3
# A pattern (correct choice first, correct choice longest) found in more than half of a
# quiz's choice questions, and in at least this many, is reported.
MIN_PATTERN = 3


def assessment_lint(project: Project) -> list[Problem]:
    """What makes a quiz's score mean little: warnings (`--strict` makes them errors).
    Objectives a module states and no question of its quizzes assesses (once one of its
    questions says `objective:`), a quiz guessable by position or length, too few scored
    questions, `draw` larger than the pool, a pass mark random answers reach."""
    out: list[Problem] = []
    for ed in project.editions.values():
        for quiz in ed.quizzes.values():
            out += _quiz_lint(quiz)
        out += _objectives_assessed(ed)
    return out


def guess_percent(quiz: Quiz) -> float:
    """The score, in percent, that answers made at random get on average (each scored
    question's chance of being right by its points; with `draw`, every draw has the same
    total, so the average over the pool is the average of a draw)."""
    scored = [q for q in quiz.questions if q.scored and q.points]
    total = sum(q.points for q in scored)
    if not total:
        return 0.0
    return 100 * sum(q.points * q.unit.guess_chance() for q in scored) / total


def _quiz_lint(quiz: Quiz) -> list[Problem]:
    out = []
    path = quiz.loc.path
    at = quiz.key_lines.get("questions", quiz.loc.line)
    scored = quiz.scored_questions
    if quiz.draw and quiz.draw > len(scored):
        out.append(Problem(path, quiz.key_lines.get("draw", at), f"'draw: {quiz.draw}' is more "
                           f"than the {len(scored)} scored questions of this quiz: every "
                           f"attempt shows all of them", "warning"))
    if scored and quiz.drawn < MIN_SCORED:
        what = f"'draw: {quiz.draw}' shows" if quiz.draw else "this quiz has"
        out.append(Problem(path, quiz.key_lines.get("draw", at), f"{what} {quiz.drawn} scored "
                           f"question{'s' if quiz.drawn != 1 else ''}: with fewer than "
                           f"{MIN_SCORED}, a score says little about what was learnt",
                           "warning"))
    out += _tells(quiz, at)
    guess = guess_percent(quiz)
    if scored and guess >= quiz.pass_mark:
        out.append(Problem(path, quiz.key_lines.get("pass_mark", at), f"answers made at random "
                           f"score {guess:.0f}% on average, which reaches the pass mark of "
                           f"{quiz.pass_mark}%: raise the pass mark, or add questions that "
                           "cannot be guessed (more choices, fill-in, ordering)", "warning"))
    return out


def _tells(quiz: Quiz, at: int) -> list[Problem]:
    """Correct choices that give themselves away by their place or their length."""
    out = []
    path = quiz.loc.path
    choice_qs = [q for q in quiz.questions if q.scored and q.unit.length_tell() is not None]
    fixed = [q for q in choice_qs if not quiz.shuffled(q)]
    places = Counter(t for q in fixed if (t := q.unit.position_tell()))
    if places:
        place, n = places.most_common(1)[0]
        if n >= MIN_PATTERN and 2 * n > len(fixed):
            where = {"first": "come first", "last": "come last"}
            words = where.get(place, f"are in position {place[1:]}")
            line = quiz.key_lines.get("shuffle", _first_line(fixed, at))
            out.append(Problem(path, line, f"in {n} of the {len(fixed)} choice questions that "
                               f"are not shuffled, the correct choices {words} in the "
                               "file, so a learner can pass on position alone: let them be "
                               "shuffled (the default), or vary where the correct choices "
                               "are", "warning"))
    longest = [q for q in choice_qs if q.unit.length_tell()]
    if len(longest) >= MIN_PATTERN and 2 * len(longest) > len(choice_qs):
        out.append(Problem(path, at, f"in {len(longest)} of the {len(choice_qs)} choice "
                           "questions, the correct choices are the longest, so a learner can "
                           "pass by picking the longest: give the other choices the same "
                           "length and precision (" + ", ".join(q.id for q in longest) + ")",
                           "warning"))
    return out


def _first_line(questions: list[Question], default: int) -> int:
    return questions[0].loc.line if questions else default


def _objectives_assessed(ed: Edition) -> list[Problem]:
    """A module whose quizzes say which objective a question assesses: every objective
    should be assessed by one of them."""
    out = []
    quizzes_of: dict[str, list[Quiz]] = {}
    for quiz_id, pages in _modules_of(ed).items():
        for page in pages:
            if quiz_id in ed.quizzes:
                quizzes_of.setdefault(page.id, []).append(ed.quizzes[quiz_id])
    for page_id, quizzes in sorted(quizzes_of.items()):
        page = ed.pages[page_id]
        questions = [q for quiz in quizzes for q in quiz.questions]
        if not page.is_module or not any(q.objective for q in questions):
            continue
        assessed = {q.objective for q in questions}
        names = ", ".join(quiz.loc.path for quiz in quizzes)
        for n, objective in enumerate(page.objectives, 1):
            if n not in assessed:
                out.append(Problem(page.loc.path, page.key_lines.get("objectives", 1),
                                   f"objective {n} ('{objective}') is assessed by no question "
                                   f"of this module's quiz ({names}): add 'objective: {n}' to "
                                   "a question that assesses it", "warning"))
    return out
