"""Load, check and prepare one language of a course for a site generator.

No mkdocs here: `build.py` (for the CLI, the bench and the plugin) calls these
functions; another generator could too. `Options` declares the `mooc` plugin's options
and their defaults, once: the plugin's mkdocs schema is made from it, and `mooc` reads
mkdocs.yml with it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import get_type_hints

from .cache import BuildCache, CacheStore, paused_gc
from .common.strings import ANY, SOURCE, missing_strings
from .common.urls import relative_url
from .errors import ContentError, Problem, errors_only
from .export.base import wordings
from .loaders import load_project
from .loaders.files import rel
from .model import Course, Edition, Page, Project, Value, pick, title_from_id
from .render import QuizRenderer, load_strings
from .render.markdown_ext import MoocExtension
from .render.progress import course_data_script
from .render.strings import string_keys, t
from .render.widgets import WIDGETS, WidgetMaker
from .render.widgets import translation_status as render_translation_status

NavItem = dict[str, "str | list[NavItem]"]


@dataclass(frozen=True, eq=False, repr=False)
class Options(Value):
    """The `mooc` plugin's options in mkdocs.yml, with their defaults. Each field's
    `what` says in plain words what its value must be."""

    enabled: bool = field(default=True, metadata={"what": "true or false"})
    course: str = field(default="course/course.yml", metadata={"what": "a path"})
    quizzes: str = field(default="quizzes", metadata={"what": "a path"})
    # The pages' language when mkdocs runs by itself and docs_dir is not course/<lang>.
    language: str | None = field(default=None, metadata={"what": "a language code"})
    cache: bool = field(default=True, metadata={"what": "true or false"})
    # Beside mkdocs.yml, where mkdocs-material keeps its own.
    cache_dir: str = field(default=".cache/mooc", metadata={"what": "a path"})
    # A language without every interface string builds with the English ones (a warning)
    allow_english_interface: bool = field(default=False, metadata={"what": "true or false"})

    @classmethod
    def schema(cls) -> list[tuple[str, type, object, str]]:
        """(name, type of its value, default, what it must be) of every option; the type
        is str or bool, and a None default means the option may be left out."""
        hints = get_type_hints(cls)
        return [(f.name, bool if hints[f.name] is bool else str, f.default, f.metadata["what"])
                for f in fields(cls)]


@dataclass(frozen=True, eq=False, repr=False)
class Settings(Value):
    """Where a course's files are; paths are absolute."""

    root: Path  # the project folder (holds mkdocs.yml)
    course_file: Path
    quizzes_dir: Path
    cache_dir: Path | None = None  # None: read every file and render every quiz each time
    english_interface: bool = False  # a language's missing interface strings: a warning
    # the live preview's caches, kept in memory between rebuilds (None: each build opens them)
    store: CacheStore | None = field(default=None, compare=False)

    @classmethod
    def at(cls, root: Path, options: Options | None = None) -> Settings:
        """The files of the project in `root`, as the plugin's options place them."""
        options = options or Options()
        root = root.resolve()
        return cls(root, root / options.course, root / options.quizzes,
                   root / options.cache_dir if options.cache else None,
                   options.allow_english_interface)

    def pages_dir(self, lang: str) -> Path:
        """A language's pages: course/<lang>/ beside the course file."""
        return self.course_file.parent / lang

    def cache(self, name: str) -> BuildCache | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{name}.pickle"
        return self.store.open(path) if self.store is not None else BuildCache(path)


def check(settings: Settings, languages: tuple[str, ...] | None = None,
          base: Path | None = None) -> tuple[Project | None, list[Problem]]:
    """Load and check the course; return the project (None if unreadable) and problems."""
    from .validate import validate  # noqa: PLC0415 (keeps import cost off `mooc --help`)

    with paused_gc(keep=True):  # what is loaded lives on (see cache.paused_gc)
        cache = settings.cache("files")
        project, problems = load_project(settings.course_file, settings.quizzes_dir,
                                         base or Path.cwd(), languages,
                                         [*string_keys(), *wordings().get(ANY, {}),
                                          *wordings().get(SOURCE, {})], cache)
        if cache is not None:
            cache.save()
        if project is not None:
            problems += validate(project)
            problems += _interface_checks(project, settings, base or Path.cwd())
    return project, sorted(set(problems))


def _interface_checks(project: Project, settings: Settings, base: Path) -> list[Problem]:
    """Each language must have every interface string (never a silent English one)."""
    out: list[Problem] = []
    course = project.course
    for lang, edition in project.editions.items():
        missing = missing_strings(lang, edition.strings, wordings())
        if not missing:
            continue
        shown = rel(settings.course_file.parent / "strings" / f"{lang}.yaml", base)
        names = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more"
                                           if len(missing) > 12 else "")
        out.append(Problem(course.loc.path, _line_of_languages(settings.course_file),
                           f"language '{lang}' has no interface strings for {len(missing)} "
                           f"key(s): {names}. Translate them in {shown} (mooc i18n extract "
                           f"--lang {lang} puts them in translations/{lang}/interface.po)"
                           + (": until then they are in English" if settings.english_interface
                              else ", or build with --allow-english-interface to show them "
                              "in English meanwhile"),
                           "warning" if settings.english_interface else "error"))
    return out


def _line_of_languages(course_file: Path) -> int:
    try:
        lines = course_file.read_text(encoding="utf-8").split("\n")
    except OSError:
        return 0
    return next((n for n, line in enumerate(lines, start=1)
                 if line.startswith("languages:")), 0)


def load_checked(settings: Settings, lang: str | None = None,
                 base: Path | None = None) -> tuple[Project, list[Problem]]:
    """Like `check` for one language, raising ContentError when there is any error."""
    project, problems = check(settings, (lang,) if lang else None, base)
    if project is None or errors_only(problems):
        raise ContentError(errors_only(problems) or problems)
    return project, [p for p in problems if p.severity == "warning"]


@dataclass
class LanguageBuild:
    """Everything a generator needs to render one language of a course."""

    project: Project
    lang: str
    defer: bool = False  # see MoocExtension: the host then calls `finish_page`
    settings: Settings | None = None  # where the quiz HTML of earlier builds is kept
    strings: dict[str, str] = field(init=False)
    renderer: QuizRenderer = field(init=False)
    extension: MoocExtension = field(init=False)
    quiz_cache: BuildCache | None = field(init=False)
    _renderers: dict[str, QuizRenderer] = field(init=False, default_factory=dict)
    _course_js: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        course = self.project.course
        self.strings = load_strings(self.lang, self.edition.strings, wordings())
        self.renderer = QuizRenderer(self.strings, self.lang, course.id, notice=t(
            self.strings, "untranslated_page",
            language=self.language_name(course.default_language)))
        self.quiz_cache = self.settings.cache(f"quizzes-{self.lang}") if self.settings else None
        widgets: dict[str, Callable[[str], str]] = {
            name: functools.partial(self._widget, make) for name, make in WIDGETS.items()}
        widgets["translation-status"] = self._translation_widget
        self.extension = MoocExtension(self._quiz_html, widgets, defer=self.defer,
                                       known=self.edition.quizzes.__contains__)

    @property
    def course(self) -> Course:
        return self.project.course

    @property
    def edition(self) -> Edition:
        return self.project.editions[self.lang]

    def _translation_widget(self, page: str) -> str:
        from .validate import translation_status  # noqa: PLC0415

        return render_translation_status(self.course, self.edition, self.strings, page,
                                         translation_status(self.project))

    def _widget(self, make: WidgetMaker, page: str) -> str:
        return make(self.course, self.edition, self.strings, page)

    def _quiz_html(self, quiz_id: str) -> str | None:
        quiz = self.edition.quizzes.get(quiz_id)
        if quiz is None:
            return None
        renderer = self.renderer if quiz.lang == self.lang else self._renderer_in(quiz.lang)
        if self.quiz_cache is None:
            return renderer.render(quiz)
        # kept as UTF-8 (half the memory of a str with one character past U+00FF), as
        # the cache's file holds it anyway
        packed: bytes = self.quiz_cache.get((renderer.key, quiz),
                                            lambda: renderer.render(quiz).encode("utf-8"))
        return packed.decode("utf-8")

    def _renderer_in(self, lang: str) -> QuizRenderer:
        """Quizzes not translated yet are shown in their language (the default), under a
        notice in this one."""
        if lang not in self._renderers:
            strings = load_strings(lang, self.project.editions[lang].strings, wordings())
            notice = t(self.strings, "untranslated_quiz", language=self.language_name(lang))
            self._renderers[lang] = QuizRenderer(strings, lang, self.course.id,
                                                 site_lang=self.lang, notice=notice)
        return self._renderers[lang]

    def language_name(self, lang: str) -> str:
        """A language's name in that language: its interface strings' `language_name`
        (the one place language names come from)."""
        edition = self.project.editions.get(lang)
        return load_strings(lang, edition.strings if edition else {}, wordings()).get(
            "language_name", lang) if lang != self.lang else self.strings["language_name"]

    def save_cache(self) -> None:
        """Keep this build's quiz HTML for the next build (when there is a cache)."""
        if self.quiz_cache is not None:
            self.quiz_cache.save()

    def alternates(self, src_uri: str) -> list[dict[str, str | bool]]:
        """The same page in every language (its home page where it is not translated)."""
        page_id = src_uri.removesuffix(".md")
        here = language_prefix(self.course, self.lang) + f"{page_id}.html"
        out: list[dict[str, str | bool]] = []
        for lang in self.course.languages:
            edition = self.project.editions.get(lang)
            target = page_id if edition is not None and page_id in edition.pages else "index"
            path = language_prefix(self.course, lang) + f"{target}.html"
            out.append({"lang": lang, "name": self.language_name(lang),
                        "href": relative_url(here, path),
                        "current": lang == self.lang})
        return out

    def nav(self) -> list[NavItem]:
        """Home, then one section per track, then the other pages, as mkdocs wants it."""
        ed = self.edition
        nav: list[NavItem] = []
        pages = list(self.course.pages)
        if "index" in pages:
            nav.append({_title(ed, "index"): "index.md"})
            pages.remove("index")
        for track in self.course.tracks:
            modules: list[NavItem] = [{_title(ed, m): f"{m}.md"} for m in track.modules
                                      if m in ed.pages]
            if modules:  # a track not translated at all is left out (see untranslated_tracks)
                nav.append({pick(track.title, self.lang, track.id): modules})
        nav += [{_title(ed, p): f"{p}.md"} for p in pages if p in ed.pages]
        return nav

    def prepare_markdown(self, markdown: str, src_uri: str) -> str:
        """Place the module header and the module's quiz; remember the current page."""
        self.extension.current_page = src_uri
        if self.edition.abbreviations:  # glossary terms become tooltips on every page
            markdown = f"{markdown}\n\n{self.edition.abbreviations}\n"
        page = self.edition.pages.get(src_uri.removesuffix(".md"))
        if page is not None and page.untranslated:
            markdown = self._untranslated_notice(markdown)
        if page is None or not page.is_module:
            return markdown
        lines = markdown.split("\n")
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
        lines[at:at] = ["", "::: mooc module-header", ""]
        markdown = "\n".join(lines)
        if page.end_quiz:
            markdown += f"\n\n::: quiz {page.end_quiz}\n"
        return markdown + "\n\n::: mooc module-footer\n"

    def _untranslated_notice(self, markdown: str) -> str:
        """Under the page's title: some of its texts are still in the source language."""
        text = t(self.strings, "untranslated_page",
                 language=self.language_name(self.course.default_language))
        notice = f'<p class="admonition note mooc-untranslated" role="note">{text}</p>'
        lines = markdown.split("\n")
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
        lines[at:at] = ["", notice, ""]
        return "\n".join(lines)

    def finish_page(self, html: str) -> str:
        """The finished HTML of a page, with its deferred quizzes in place."""
        return self.extension.fill(html)

    def course_script(self) -> str:
        """The generated `assets/mooc/course.js` that progress.js reads."""
        if self._course_js is None:
            self._course_js = course_data_script(self.course, self.edition, self.strings)
        return self._course_js

    def changed_pages(self, before: LanguageBuild) -> set[str] | None:
        """The pages (src_uris) whose output differs from what `before` (the same language,
        an earlier load of the course) made of them, when nothing else differs: the
        preview then renders only these. None when more may differ (the menu, a widget
        on other pages, the course's data: a title, front matter, course.yml, strings, a
        file added or removed): then everything is built again.

        A page's output depends on its own file, the quizzes it shows and `outline`;
        the translation-status widget on the translation status of every file."""
        if before.lang != self.lang or before.outline != self.outline:
            return None
        old, new = before.edition, self.edition
        changed = {pid for pid, page in new.pages.items() if old.pages.get(pid) != page}
        quizzes = {q for q in old.quizzes.keys() | new.quizzes.keys()
                   if old.quizzes.get(q) != new.quizzes.get(q)}
        if quizzes:
            changed |= {pid for pid, page in new.pages.items() if quizzes & {*page.quiz_ids}}
        status = {pid for pid, page in new.pages.items() if "translation-status" in page.widgets}
        if status and changed_translation_status(before.project, self.project):
            changed |= status
        return {f"{pid}.md" for pid in changed}

    @functools.cached_property
    def outline(self) -> tuple[object, ...]:
        """What a page shows of the rest of the course: the course file, every language's
        strings, glossary and list of pages and files, and of each page of this language
        all but its text (front matter, title, widgets). Equal outlines: a page's output
        depends on nothing else than its own file and quizzes (see changed_pages)."""
        editions = tuple((ed.lang, frozenset(ed.pages), ed.strings, ed.abbreviations, ed.files,
                          ed.unreadable_pages, ed.unreadable_quizzes)
                         for ed in self.project.editions.values())
        return (self.project.course, editions,
                tuple((_outline(page), page.display_title)
                      for page in self.edition.pages.values()))

    def neighbours(self, src_uri: str) -> set[str]:
        """The pages (src_uris) a page's previous/next links may lead to: a module's
        within its track, a plain page's among the plain pages, so that no link runs from
        one track into another, or from a track into the course's other pages."""
        track = self.course.track_of(src_uri.removesuffix(".md"))
        return {f"{p}.md" for p in (track.modules if track else self.course.pages)}


def _outline(page: Page) -> Page:
    """A page without its text (and what is read from it: quiz markers, links, anchors)."""
    return replace(page, body="", body_line=0, markers=(), links=(), anchors=frozenset(),
                   fingerprint="")


def changed_translation_status(before: Project, after: Project) -> bool:
    from .validate import translation_status  # noqa: PLC0415

    return translation_status(before) != translation_status(after)


def _title(ed: Edition, page_id: str) -> str:
    page = ed.pages.get(page_id)
    return page.display_title if page is not None else title_from_id(page_id)


def language_prefix(course: Course, lang: str) -> str:
    """Where a language's site goes: the default at the root, the others in <lang>/."""
    return "" if lang == course.default_language else f"{lang}/"


TEMPLATES_DIR = Path(__file__).parent / "render" / "templates"
ASSETS_DIR = Path(__file__).parent / "render" / "assets"
# Copied as they are. theme.js holds the theme's inline scripts (templates/partials/
# javascripts/): the site needs no inline script.
ASSETS = ("mooc.css", "questions.js", "mooc.js", "progress.js", "offline-search.js",
          "theme.js")
# The scripts at the end of every page, in this order (course.js is generated;
# questions.js holds what mooc.js does per question type).
PAGE_SCRIPTS = ("questions.js", "mooc.js", "course.js", "progress.js")
# Loaded in <head>, before the theme's bundle: the search worker when opened from disk.
HEAD_SCRIPTS = ("offline-search.js",)
