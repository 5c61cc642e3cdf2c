"""A whole project: the course file, then every language's pages, quizzes, strings and
glossary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..cache import BuildCache
from ..errors import Problem
from ..model import Edition, Project
from .course import load_course
from .files import walk
from .glossary import load_abbreviations
from .pages import load_pages
from .quizzes import load_quizzes
from .strings import load_strings_file


def load_project(course_file: Path, quizzes_root: Path | None = None,
                 base: Path | None = None,
                 languages: tuple[str, ...] | None = None,
                 string_keys: list[str] | None = None,
                 cache: BuildCache | None = None) -> tuple[Project | None, list[Problem]]:
    """Load the course file, then every language's pages and quizzes, and with
    `string_keys` (the interface strings there are) the course's own strings.
    With a `cache`, a page or quiz whose file is unchanged since it was cached is not
    read again (see cache.py)."""
    base = base or Path.cwd()
    problems: list[Problem] = []
    course = load_course(course_file, base, problems)
    if course is None:
        return None, problems
    docs_root = course.root
    qroot = quizzes_root or course.root.parent / "quizzes"
    editions = {}
    for lang in languages or course.languages:
        bad_pages: set[str] = set()
        pages = load_pages(course, lang, docs_root, base, problems, bad_pages, cache)
        unreadable: set[str] = set()
        quizzes = load_quizzes(course, lang, qroot, base, problems, unreadable, cache)
        folder = docs_root / lang
        files = frozenset(name for name, _path in walk(folder))
        strings = load_strings_file(course.root / "strings" / f"{lang}.yaml", base,
                                    string_keys, problems) if string_keys else {}
        abbreviations = load_abbreviations(course.root / "abbreviations" / f"{lang}.md",
                                           base, problems)
        editions[lang] = Edition(lang, pages, quizzes, files, frozenset(unreadable),
                                 frozenset(bad_pages), strings, abbreviations)
    default = editions.get(course.default_language)
    for lang, edition in editions.items():
        if default is not None and lang != course.default_language:
            editions[lang] = _borrow_quizzes(edition, default)
    return Project(course, editions, docs_root, qroot), problems


def _borrow_quizzes(edition: Edition, default: Edition) -> Edition:
    """A translation in progress: a quiz its pages show that is not translated yet is the
    default language's (its `lang` says so: the page shows it with a notice)."""
    wanted = {m.quiz_id for page in edition.pages.values() for m in page.markers}
    wanted |= {page.quiz for page in edition.pages.values() if page.quiz}
    missing = wanted - set(edition.quizzes) - edition.unreadable_quizzes
    borrowed = {q: default.quizzes[q] for q in sorted(missing) if q in default.quizzes}
    unreadable = missing & default.unreadable_quizzes  # its own file's problem is reported
    if not borrowed and not unreadable:
        return edition
    return replace(edition, quizzes={**edition.quizzes, **borrowed},
                   unreadable_quizzes=edition.unreadable_quizzes | unreadable)
