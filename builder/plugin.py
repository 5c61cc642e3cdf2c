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
import gc
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .build import pages_language, prepare
from .cache import CacheStore
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

if TYPE_CHECKING:  # imported by `serve` only: a build does not pay for the server's imports
    from mkdocs.livereload import LiveReloadServer

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
        self.store: CacheStore | None = None  # the preview's caches, open between rebuilds
        self.site: BuiltSite | None = None  # what the last build left (see Preview)
        self._made: dict[str, Any] = {}  # this build's files, navigation and theme

    def options(self) -> Options:
        return Options(**{key: self.config[key] for key in asdict(Options())})

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # (its presence keeps this plugin across the rebuilds of one `mkdocs serve`)
        self.serving = command == "serve"
        self.store = CacheStore() if self.serving else None

    def on_shutdown(self) -> None:
        if self.store is not None:
            self.store.flush()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        options = self.options()
        prepared, self.prepared = self.prepared, None  # for this build only
        self.build, self.problems, self.site, self._made = None, None, None, {}
        if not options.enabled:
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        self.settings = replace(Settings.at(root, options), store=self.store)
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
        _hold_for_build(True)
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

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        """A page's Markdown is not read again once it is HTML, by mkdocs, the theme, its
        search or this plugin: with no other plugin, it is let go (a 1,000-module course
        would hold every page's text twice until the end: the course's and mkdocs'). The
        empty text keeps the page's title as it is (mkdocs reads the rendered one)."""
        if self.build is not None and _only_known_plugins(config):
            page.markdown = ""
        return html

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
        _hold_for_build(False)
        self.build.save_cache()
        if self.store is not None:
            self.store.flush()
        _write_search_script(Path(config.site_dir))
        if {"files", "nav", "env"} <= self._made.keys():
            self.site = BuiltSite(config, self, self._made["files"], self._made["nav"],
                                  self._made["env"], self.build)

    def on_build_error(self, *, error: Exception) -> None:
        _hold_for_build(False)

    @event_priority(-100)  # the navigation as the pages see it (after other plugins)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig,
               files: Files) -> Navigation | None:
        self._made["nav"] = nav
        return nav

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment | None:
        if self.build is not None:
            env.globals["mooc_nav_memo"] = _NavMemo()  # one per build: the menu is new
            self._made |= {"env": env, "files": files}
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
        # (mkdocs keeps one plugin per process: an earlier preview in this process set it
        # to serve)
        config.plugins.on_startup(command="build", dirty=False)
        plugin.prepared = language
        try:
            mkdocs_build(config, dirty=False)
        except MkDocsException as exc:
            raise SiteError(str(exc)) from None


@dataclass
class BuiltSite:
    """What a finished mkdocs build leaves for the preview to render a page again with:
    its configuration (and this plugin's state), files, navigation, theme environment
    and the language's prepared build."""

    config: MkDocsConfig
    plugin: MoocPlugin
    files: Files
    nav: Navigation
    env: jinja2.Environment
    language: LanguageBuild
    config_text: bytes = b""  # mkdocs.yml as it was read
    statics: dict[str, tuple[int, int]] = field(default_factory=dict)  # files copied as is


class Preview:
    """`mooc serve`'s rebuilds: only the pages an edit changed.

    mkdocs 1.6 rebuilds the whole site on every save (its `--dirty` is broken). After a
    full build, an edit to a page's text or to a quiz reloads and checks the course
    (its cache kept in memory, `CacheStore`), asks `LanguageBuild.changed_pages` which
    pages differ, and renders only those with mkdocs' own steps for a page
    (`_populate_page`, `_build_page`, mkdocs 1.6.1 is pinned) and the full build's
    navigation, theme and search index: each page comes out byte for byte as a full build
    writes it (tests/test_serve.py compares them). Anything else is a full build: the
    first one, mkdocs.yml, course.yml, a title or other front matter, strings, a file
    added or removed, a problem in a file (the problems page), another plugin than search,
    mkdocs' `watch:` folders, or a failure of the page's own rebuild."""

    def __init__(self, config_file: Path, get_config: Callable[[], MkDocsConfig],
                 serve_url: str) -> None:
        self.config_file = config_file
        self.get_config = get_config
        self.serve_url = serve_url
        self.site: BuiltSite | None = None
        self.rebuilt: list[str] | None = None  # what the last rebuild rendered (None: all)

    def build(self, config: MkDocsConfig | None = None) -> None:
        """mkdocs serve's builder: a page's rebuild when it can, else a full build."""
        if config is None and self.site is not None:
            try:
                if self._update(self.site):
                    return
            except Exception as exc:  # the full build reports it properly
                log.debug(f"rebuilding the changed pages failed ({exc!r}): full build")
        self.site, self.rebuilt = None, None
        text = self._config_text()
        config = config or self.get_config()
        config.site_url = self.serve_url
        mkdocs_build(config, serve_url=self.serve_url)
        plugin = config.plugins.get("mooc")
        if isinstance(plugin, MoocPlugin) and plugin.site is not None \
                and _can_update(plugin.site):
            self.site = replace(plugin.site, config_text=text,
                                statics=_statics(plugin.site.files))

    def _config_text(self) -> bytes:
        try:
            return self.config_file.read_bytes()
        except OSError:
            return b""

    def _update(self, site: BuiltSite) -> bool:
        """Render again the pages the edit changed; False when a full build is needed."""
        start = time.monotonic()
        config, plugin = site.config, site.plugin
        if self._config_text() != site.config_text or plugin.settings is None:
            return False
        try:
            course = prepare(plugin.settings)
        except BuilderError:  # the full build shows the problems page
            return False
        old = site.language
        new = course.language(old.lang)
        changed = new.changed_pages(old)
        if changed is None or preview_page(new.project, new.lang, new.strings) != \
                preview_page(old.project, old.lang, old.strings):
            return False
        files = site.files
        pages = [f for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
        rebuilt = [f for f in pages if f.src_uri in changed]
        if len(rebuilt) != len(changed) or any(f.page is None for f in pages):
            return False
        urls = [f.url for f in pages]
        search = _search_index(config, set(urls))
        if search is None:
            return False
        for problem in course.warnings:
            log.warning(problem.located())
        # from here on, this build's state is the new one
        extensions = config.markdown_extensions
        extensions[extensions.index(old.extension)] = new.extension  # type: ignore[arg-type,call-overload]
        plugin.build = site.language = new

        def render() -> None:
            for file in rebuilt:
                page = file.page
                assert page is not None
                _populate_page(page, config, files)
                _build_page(page, config, pages, site.nav, site.env,
                            excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
                page.validate_anchor_links(files=files,
                                           log_level=config.validation.links.anchors)

        search.rebuild(urls, [f.url for f in rebuilt], render)
        script = new.course_script()
        if script != old.course_script():
            course_js = files.get_file_from_path(COURSE_DATA_PATH)
            if course_js is not None:
                mkdocs_utils.write_file(script.encode("utf-8"), course_js.abs_dest_path)
        for path, stat in _statics(files).items():
            if site.statics.get(path) != stat:
                static = files.get_file_from_path(path)
                if static is not None:
                    static.copy_file(dirty=False)
                site.statics[path] = stat
        if rebuilt:
            search.write(Path(config.site_dir))
        _hold_for_build(False)  # what prepare() kept out of the collector's passes
        self.rebuilt = [f.src_uri for f in rebuilt]
        log.info(f"Rebuilt {', '.join(self.rebuilt) or 'no page'} in "
                 f"{time.monotonic() - start:.2f} s (the rest is unchanged)")
        return True


def _only_known_plugins(config: MkDocsConfig) -> bool:
    """No other plugin than search and this one."""
    return set(config.plugins) <= {"mooc", "search", "material/search"}


def _can_update(site: BuiltSite) -> bool:
    """Whether the preview knows all that renders a page of this site: no other plugin
    than search and this one, no `watch:` folder of mkdocs.yml, the pages in course/<lang>/
    (where the course's loader reads them)."""
    config, settings = site.config, site.plugin.settings
    return (_only_known_plugins(config)
            and not config.watch and settings is not None
            and Path(config.docs_dir).resolve()
            == settings.pages_dir(site.language.lang).resolve())


def _statics(files: Files) -> dict[str, tuple[int, int]]:
    """The files of the pages' folder copied as they are (images), with their size and
    time, to copy again those that changed."""
    out = {}
    for file in files:
        if not file.is_documentation_page() and file.abs_src_path and not file.generated_by:
            try:
                stat = os.stat(file.abs_src_path)
            except OSError:
                continue
            out[file.src_uri] = (stat.st_mtime_ns, stat.st_size)
    return out


class _SearchIndex:
    """mkdocs-material's search index, as the preview updates it: the entries of the
    rebuilt pages replaced in place, so that it is the index a full build writes."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin

    def by_page(self, urls: set[str]) -> dict[str, list[dict[str, Any]]] | None:
        """The entries by page URL (None: an entry of no page, which this cannot place)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for entry in self.plugin.search_index.entries:
            url = entry["location"].partition("#")[0]
            if url not in urls:
                return None
            out.setdefault(url, []).append(entry)
        return out

    def rebuild(self, urls: list[str], rebuilt: list[str], render: Callable[[], None]) -> None:
        """`render` the rebuilt pages (the search plugin indexes each), then put their
        entries in their place."""
        kept = self.by_page(set(urls))
        assert kept is not None
        index = self.plugin.search_index
        index.entries = []
        render()
        made = self.by_page(set(urls)) or {}
        kept |= {url: made.get(url, []) for url in rebuilt}
        index.entries = [entry for url in urls for entry in kept.get(url, [])]

    def write(self, site_dir: Path) -> None:
        """search_index.json as the search plugin writes it, and search_index.js."""
        data = self.plugin.search_index.generate_search_index(None)
        mkdocs_utils.write_file(data.encode("utf-8"),
                                str(site_dir / "search" / "search_index.json"))
        _write_search_script(site_dir, data)


def _search_index(config: MkDocsConfig, urls: set[str]) -> _SearchIndex | None:
    """mkdocs-material's search plugin (None: another search, whose index the preview
    cannot update, or entries it cannot place)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    if not isinstance(getattr(index, "entries", None), list):
        return None
    search = _SearchIndex(plugin)
    return search if search.by_page(urls) is not None else None


def _write_search_script(site_dir: Path, data: str | None = None) -> None:
    """search/search_index.js: what mkdocs-material loads instead of the JSON index when
    the site is opened from disk (file://), where it cannot fetch (`data`: the JSON
    index, else read from search_index.json)."""
    index = site_dir / "search" / "search_index.json"
    if data is None:
        if index.is_file():
            _copy_search_script(index, index.with_suffix(".js"))
        return
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    index.with_suffix(".js").write_text(f"var __index = {data};\n", encoding="utf-8")


def _copy_search_script(index: Path, script: Path, chunk: int = 1 << 20) -> None:
    """search_index.js from search_index.json, a piece at a time: a 1,000-module
    course's index is tens of megabytes, which the end of a build need not hold twice
    more. U+2028 and U+2029 (UTF-8 E2 80 A8/A9), which end a line in older JavaScript,
    are escaped; a piece never ends inside one."""
    with index.open("rb") as src, script.open("wb") as out:
        out.write(b"var __index = ")
        rest = b""
        while piece := src.read(chunk):
            piece = rest + piece
            cut = len(piece)  # keep an incomplete E2 80 A8/A9 for the next piece
            if piece.endswith(b"\xe2"):
                cut -= 1
            elif piece.endswith(b"\xe2\x80"):
                cut -= 2
            piece, rest = piece[:cut], piece[cut:]
            out.write(piece.replace(b"\xe2\x80\xa8", b"\\u2028")
                      .replace(b"\xe2\x80\xa9", b"\\u2029"))
        out.write(rest + b";\n")


def serve(config_file: Path, dev_addr: str | None = None, docs_dir: str | None = None) -> None:
    """`mooc serve`: mkdocs' `serve` (mkdocs/commands/serve.py) with the preview's
    rebuilds (`Preview`), and the system's file events instead of mkdocs' polling of the
    watched folders every half second (a save seen a quarter of a second late on average,
    every file stat'ed twice a second)."""
    from mkdocs.livereload import LiveReloadServer, _serve_url  # noqa: PLC0415

    site_dir = tempfile.mkdtemp(prefix="mooc_")
    overrides: dict[str, Any] = {"site_dir": site_dir}
    if dev_addr:
        overrides["dev_addr"] = dev_addr
    if docs_dir:
        overrides["docs_dir"] = docs_dir

    def get_config() -> MkDocsConfig:
        return load_config(str(config_file), **overrides)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(host, port, mount_path)
    preview = Preview(config_file, get_config, serve_url)
    server = LiveReloadServer(builder=preview.build, host=host, port=port, root=site_dir,
                              mount_path=mount_path)
    _use_file_events(server, site_dir)

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        preview.build(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=preview.build)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def _use_file_events(server: LiveReloadServer, probe_dir: str) -> None:
    """The system's file events (inotify, ...) for the server's watches, when they work
    here; a rebuild then starts 30 ms after the last event of a save (mkdocs: 100 ms)."""
    from watchdog.events import FileSystemEventHandler  # noqa: PLC0415
    from watchdog.observers import Observer  # noqa: PLC0415

    try:
        probe = Observer()
        probe.schedule(FileSystemEventHandler(), probe_dir)
        probe.start()
        probe.stop()
        probe.join()
    except Exception:  # no file events here: mkdocs' polling stays
        return
    server.observer = Observer()  # type: ignore[assignment]
    server.build_delay = 0.03


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

    mkdocs writes the pages folder by folder, so only the last few folders' entries are
    kept: a 1,000-module course would otherwise keep a menu entry per track and folder.
    """

    FOLDERS = 4  # folders whose entries are kept

    def __init__(self) -> None:
        self.folders: dict[str, dict[tuple[int, str], str]] = {}  # oldest first

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
                memo = self._memo(folder)
                key = (id(item), path)
                html = memo.get(key) or memo.setdefault(key, str(render(item, path, 1)))
            out.append(f"\n      \n      {html}\n    ")  # the theme's loop's whitespace
        return Markup("".join(out))  # noqa: S704 (the theme's own HTML, joined)

    def _memo(self, folder: str) -> dict[tuple[int, str], str]:
        memo = self.folders.pop(folder, None)
        if memo is None:
            memo = {}
            if len(self.folders) >= self.FOLDERS:
                del self.folders[next(iter(self.folders))]
        self.folders[folder] = memo  # the most recent last
        return memo


def _hold_for_build(hold: bool) -> None:
    """What lives when the pages start (the course, its cache, mkdocs' configuration and
    theme) lives until the end of the build: Python's cycle collector is told so
    (`gc.freeze`), rather than going through all of it again on each of its full passes
    while the pages are made (at 1,000 modules, its older generations' passes take
    0.17 s instead of 0.32 s; plain mkdocs-material's, 0.09 s). After the build they are
    ordinary objects again (`gc.unfreeze`), collected as usual, as in the live preview's
    next rebuild."""
    if hold:
        gc.freeze()
    else:
        gc.unfreeze()


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

