"""The mkdocs plugin `mooc`: a thin adapter over the core, and `MkdocsSite`, the site
generator that `build.build_course` drives.

on_config takes the language's prepared build (handed over by `MkdocsSite`, or, when
mkdocs runs by itself, loaded and checked through `build.prepare`: every problem is
logged, then the build stops), adds the Markdown extension, the navigation and the
assets, and keeps links file-relative (use_directory_urls: false: the pages work from
disk and inside packages); on_files adds the assets and the generated course.js (the
course's structure for progress.js); on_page_markdown places the module header, quiz
and footer; on_page_context keeps previous/next within a track; on_post_page puts the
quizzes, module headers and footers in (see LanguageBuild.defer); on_post_build writes
search/search_index.js so that search works from disk (file://); on_serve watches
quizzes/ and the course file.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .build import pages_language, prepare
from .errors import BuilderError, ContentError, SiteError
from .export.downloads import DOWNLOADS_PAGE, preview_page
from .pipeline import (
    ASSETS,
    ASSETS_DIR,
    HEAD_SCRIPTS,
    PAGE_SCRIPTS,
    TEMPLATES_DIR,
    LanguageBuild,
    Options,
    Settings,
)
from .render.problems import problems_page
from .render.progress import COURSE_DATA_PATH

log = get_plugin_logger(__name__)


def _config_class() -> type[Config]:
    """mkdocs' schema of the plugin's options, made from pipeline.Options."""
    schema: dict[str, Any] = {}
    for name, kind, default, _what in Options.schema():
        schema[name] = c.Optional(c.Type(kind)) if default is None else \
            c.Type(kind, default=default)
    return type("MoocConfig", (Config,), schema)


if TYPE_CHECKING:  # its options are read as Options (see `options`)
    MoocConfig = Config
else:
    MoocConfig = _config_class()


class MoocPlugin(BasePlugin[MoocConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.build: LanguageBuild | None = None
        self.settings: Settings | None = None
        self.prepared: LanguageBuild | None = None  # set by MkdocsSite before the build
        self.serving = False  # the live preview: show the problems rather than stop
        self.problems: list[str] | None = None  # what stops this build (when serving)
        self.page_lang: str | None = None  # the pages' language when the theme's is "en"

    def options(self) -> Options:
        return Options(**{key: self.config[key] for key in asdict(Options())})

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # (its presence keeps this plugin across the rebuilds of one `mkdocs serve`)
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        options = self.options()
        prepared, self.prepared = self.prepared, None  # for this build only
        self.build, self.problems = None, None
        if not options.enabled:
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        self.settings = Settings.at(root, options)
        config.use_directory_urls = False  # the same pages on the web, from disk, in packages
        try:
            self.build = prepared or self._load(self.settings, Path(config.docs_dir),
                                                options.language)
        except ContentError as exc:  # each problem is logged
            if not self.serving:
                raise PluginError(f"the course has {len(exc.problems)} problem(s), listed "
                                  "above") from None
            self.problems = [str(p) for p in exc.problems]
        except BuilderError as exc:
            if not self.serving:
                raise PluginError(str(exc)) from None
            log.error(str(exc))
            self.problems = [str(exc)]
        if self.build is None:
            log.error("The preview shows these problems on every page until they are fixed.")
            return config
        project, lang = self.build.project, self.build.lang
        config.markdown_extensions.append(self.build.extension)  # type: ignore[arg-type]
        if config.nav is None:
            config.nav = _escape_nav(self.build.nav())
        config.theme["language"] = lang
        self.page_lang = None
        if not any((Path(d) / "partials" / "languages" / f"{lang}.html").is_file()
                   for d in config.theme.dirs):
            # a language the theme does not know (a pseudo-locale): its own few labels
            # (search, "skip to content", ...) in English, the course's in `lang`
            log.warning(f"the theme has no labels in '{lang}' (no partials/languages/"
                        f"{lang}.html): its own labels are in English, the course's in "
                        f"'{lang}'")
            config.theme["language"] = "en"
            self.page_lang = lang
        if lang != project.course.default_language and lang in project.course.title:
            config.site_name = project.course.title[lang]  # the header in that language
        # Theme overrides: partials/search.html names the search dialog for screen readers;
        # partials/alternate.html links each page to itself in the other languages.
        config.theme.dirs.insert(0, str(TEMPLATES_DIR))
        if len(project.course.languages) > 1:
            # A non-list value makes the theme show the switch without <link> tags that
            # would fetch every language's sitemap.
            config.extra["alternate"] = True
        targets = [(config.extra_css, f"assets/mooc/{n}") for n in ASSETS if n.endswith(".css")]
        targets += [(config.extra_javascript, f"assets/mooc/{n}") for n in PAGE_SCRIPTS]
        # mkdocs-material puts extra.polyfills in <head>, before its own bundle.
        polyfills = config.extra.get("polyfills")
        config.extra["polyfills"] = list(polyfills) if isinstance(polyfills, list) else []
        targets += [(config.extra["polyfills"], f"assets/mooc/{n}") for n in HEAD_SCRIPTS]
        for bucket, target in targets:
            if target not in bucket:
                bucket.append(target)
        return config

    @staticmethod
    def _load(settings: Settings, docs_dir: Path, declared: str | None) -> LanguageBuild:
        """mkdocs runs by itself: load and check the course; the pages' language is the
        `language` option's, or <lang> of docs_dir course/<lang>."""
        try:
            course = prepare(settings)
        except ContentError as exc:
            for problem in exc.problems:
                (log.warning if problem.severity == "warning" else log.error)(
                    problem.located())
            raise
        lang = pages_language(settings, course.project, docs_dir, declared)
        for problem in course.warnings:
            log.warning(problem.located())
        return course.language(lang)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.problems is not None:
            return _problems_site(files, config, self.problems)
        if self.build is None:
            return files
        for name in ASSETS:
            files.append(File.generated(config, f"assets/mooc/{name}",
                                        abs_src_path=str(ASSETS_DIR / name)))
        files.append(File.generated(config, COURSE_DATA_PATH,
                                    content=self.build.course_script()))
        if files.get_file_from_path(DOWNLOADS_PAGE) is None:
            # `mooc build` writes the packages and their page after this build; until then
            # (the live preview, plain mkdocs) a page says so, and links to it are not broken
            build = self.build
            files.append(File.generated(config, DOWNLOADS_PAGE, content=preview_page(
                build.project, build.lang, build.strings)))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if self.build is None:
            return markdown
        # mkdocs and the theme print front-matter texts as HTML: trainers' text is escaped.
        for key in ("title", "description", "summary"):
            value = page.meta.get(key)
            if isinstance(value, str):
                page.meta[key] = _no_tags(value)
        if isinstance(page.meta.get("title"), str):
            page.title = page.meta["title"]
        return self.build.prepare_markdown(markdown, page.file.src_uri)

    def on_page_context(self, context: TemplateContext, /, *, page: Page,
                        config: MkDocsConfig, nav: Navigation) -> TemplateContext | None:
        if self.build is None:
            return context
        if len(self.build.course.languages) > 1:
            context["mooc_alternates"] = self.build.alternates(  # type: ignore[typeddict-unknown-key]
                page.file.src_uri)
        # The theme's previous/next follow the menu, which runs from one track into the
        # next: keep them within the page's track (plain pages: among plain pages).
        allowed = self.build.neighbours(page.file.src_uri)
        for attr in ("previous_page", "next_page"):
            other = getattr(page, attr, None)
            if other is not None and getattr(other, "file", None) is not None \
                    and other.file.src_uri not in allowed:
                setattr(page, attr, None)
        return context

    @event_priority(100)  # before any other plugin reads the finished page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.build is None:
            return output
        if self.page_lang is not None:
            output = output.replace('<html lang="en"', f'<html lang="{self.page_lang}"', 1)
        return self.build.finish_page(output)

    @event_priority(-100)  # after the search plugin has written search_index.json
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """search/search_index.js: what mkdocs-material loads instead of the JSON index
        when the site is opened from disk (file://), where it cannot fetch."""
        if self.build is None:
            return
        self.build.save_cache()
        index = Path(config.site_dir) / "search" / "search_index.json"
        if index.is_file():
            data = index.read_text(encoding="utf-8")
            data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
            index.with_suffix(".js").write_text(f"var __index = {data};\n", encoding="utf-8")

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment | None:
        if self.build is not None:
            env.globals["mooc_nav_memo"] = _NavMemo()  # one per build: the menu is new
        return env

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Callable[..., Any]) -> LiveReloadServer | None:
        if self.settings is not None:
            server.watch(str(self.settings.quizzes_dir))
            # the course file, the other languages, strings/ and abbreviations/
            server.watch(str(self.settings.course_file.parent))
        # A rebuild that fails otherwise (mkdocs.yml, the theme) would leave every request
        # waiting "until build errors are resolved": its pages say what failed instead.
        server.builder = functools.partial(_build_or_show, server.builder,
                                           Path(config.site_dir), config.site_name)
        return server


class MkdocsSite:
    """`build.SiteGenerator` for mkdocs: each language's site is an mkdocs build of
    mkdocs.yml with this plugin, handed the language's prepared build (nothing is loaded
    or checked again)."""

    def __init__(self, config_file: Path, *, strict: bool = False) -> None:
        self.config_file = config_file
        self.strict = strict  # mkdocs' own warnings stop the build too
        self._base: MkDocsConfig | None = None

    def _config(self, **overrides: Any) -> MkDocsConfig:
        try:
            return load_config(str(self.config_file), **overrides)
        except MkDocsException as exc:
            raise SiteError(str(exc)) from None

    def _defaults(self) -> MkDocsConfig:
        if self._base is None:
            self._base = self._config()
        return self._base

    def site_dir(self) -> Path:
        return Path(self._defaults().site_dir)

    def pages_dir(self) -> Path:
        return Path(self._defaults().docs_dir)

    def build(self, language: LanguageBuild, site_dir: Path, pages_dir: Path | None) -> None:
        overrides: dict[str, Any] = {"site_dir": str(site_dir)}
        if self.strict:
            overrides["strict"] = True
        if pages_dir is not None:
            overrides["docs_dir"] = str(pages_dir)
        config = self._config(**overrides)
        plugin = config.plugins.get("mooc")
        if not isinstance(plugin, MoocPlugin):
            raise SiteError(f"{self.config_file}: the 'mooc' plugin is not enabled: add "
                            "'- mooc' under 'plugins:'")
        plugin.prepared = language
        try:
            mkdocs_build(config, dirty=False)
        except MkDocsException as exc:
            raise SiteError(str(exc)) from None


def _problems_site(files: Files, config: MkDocsConfig, problems: list[str]) -> Files:
    """The live preview of a course with problems: every page (and the home page) is the
    list of problems; the other files stay."""
    page = problems_page(problems, config.site_name)
    out = Files([f for f in files if not f.is_documentation_page()])
    targets = {f.dest_uri for f in files if f.is_documentation_page()}
    for target in sorted(targets | {"index.html", DOWNLOADS_PAGE}):
        if out.get_file_from_path(target) is None:
            out.append(File.generated(config, target, content=page))
    return out


def _build_or_show(build: Callable[[], None], site_dir: Path, title: str) -> None:
    """The live preview's rebuild; when it fails, every page of the last site (and its
    home page) says why, and the browsers reload to it."""
    try:
        build()
    except Exception as exc:  # the preview must answer whatever went wrong
        log.error(f"The preview shows this problem on every page until it is fixed: {exc}")
        page = problems_page([str(exc) or type(exc).__name__], title)
        site_dir.mkdir(parents=True, exist_ok=True)
        for target in {*site_dir.rglob("*.html"), site_dir / "index.html"}:
            target.write_text(page, encoding="utf-8")


def quiet_mkdocs() -> None:
    """mkdocs' warnings and errors only (`mooc build` and `mooc export` print their own)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


class _NavMemo:
    """The menu's top-level entries, each not open on a page rendered once per folder.

    mkdocs-material writes the whole menu into every page; with `navigation.prune` that is
    still one entry per track on every page, so rendering the menu grows with the square
    of the number of pages (half of a 1,000-module build). An entry that is not open is
    the same on every page of a folder: its links are relative to the folder, and nothing
    else in it depends on the page (material 9.8.1's partials/nav-item.html). Our copy of
    partials/nav.html calls this instead of its loop; the text is the loop's, byte for
    byte (tests/test_build.py builds with and without it).
    """

    def __init__(self) -> None:
        self.html: dict[tuple[int, str, str], str] = {}

    def __call__(self, items: Any, page: Any, render: Any) -> Markup:
        try:
            url = page.url
        except Exception:  # None, or jinja's Undefined in a theme template
            url = None
        folder = url.rpartition("/")[0] if isinstance(url, str) else None
        out = []
        for n, item in enumerate(items, start=1):
            path = f"__nav_{n}"
            if folder is None or getattr(item, "active", False):
                html = str(render(item, path, 1))  # open here, or not a page (404.html)
            else:
                key = (id(item), path, folder)
                html = self.html.get(key) or self.html.setdefault(key,
                                                                  str(render(item, path, 1)))
            out.append(f"\n      \n      {html}\n    ")  # the theme's loop's whitespace
        return Markup("".join(out))  # noqa: S704 (the theme's own HTML, joined)


def _no_tags(text: str) -> str:
    """Trainers' titles as HTML text. The theme prints them raw in text (so `<` and `>` are
    escaped here: no tag can be made) and with `| e` in attributes (so `&` and quotes are
    left to it: escaping them here too would show `&#x27;` to screen readers)."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_nav(items: list[Any]) -> list[Any]:
    """Nav titles come from trainers' files; the theme prints them as HTML."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            out.append({_no_tags(str(k)): _escape_nav(v) if isinstance(v, list) else v
                        for k, v in item.items()})
        else:
            out.append(item)
    return out

