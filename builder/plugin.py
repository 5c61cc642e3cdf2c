"""The mkdocs plugin `mooc`: a thin adapter over the core.

on_config loads and checks the course (every problem is logged, then the build stops),
adds the Markdown extension, the navigation and the assets; on_files adds the assets and
the generated course.js (the course's structure for progress.js); on_page_markdown places
the module header, quiz and footer; on_page_context keeps previous/next within a track;
on_post_page puts the quizzes, module headers and footers in (see LanguageBuild.defer);
on_post_build writes search/search_index.js so that search works from disk (file://);
on_serve watches quizzes/ and the course file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from .errors import ContentError
from .pipeline import (
    ASSETS,
    ASSETS_DIR,
    DEFAULT_CACHE_DIR,
    HEAD_SCRIPTS,
    PAGE_SCRIPTS,
    TEMPLATES_DIR,
    LanguageBuild,
    Settings,
    load_checked,
)
from .render.progress import COURSE_DATA_PATH

log = get_plugin_logger(__name__)


class MoocConfig(Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    course = c.Type(str, default="course/course.yml")
    quizzes = c.Type(str, default="quizzes")
    language = c.Optional(c.Type(str))
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)


class MoocPlugin(BasePlugin[MoocConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.build: LanguageBuild | None = None
        self.settings: Settings | None = None

    def on_config(self, config: Any) -> Any:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        self.settings = Settings.at(root, self.config.course, self.config.quizzes,
                                    self.config.cache_dir if self.config.cache else None)
        lang = self.config.language or _language_of(Path(config.docs_dir),
                                                    self.settings.course_file.parent)
        try:
            project, warnings = load_checked(self.settings)
        except ContentError as exc:
            for problem in exc.problems:
                log.error(str(problem))
            raise PluginError(f"the course has {len(exc.problems)} problem(s), listed "
                              "above") from None
        for problem in warnings:
            log.warning(str(problem))
        lang = lang or project.course.default_language
        if lang not in project.editions:
            raise PluginError(f"the pages are in {config.docs_dir}, but '{lang}' is not one of "
                              f"the course's languages ({', '.join(project.course.languages)}"
                              f"): add it to 'languages' in "
                              f"{self.settings.course_file.name}, or set the 'language' "
                              "option of the mooc plugin")
        # Quizzes, module headers and footers wait for on_post_page: the search plugin,
        # which parses every tag of a page's content, then never sees their markup.
        self.build = LanguageBuild(project, lang, defer=True, settings=self.settings)
        config.markdown_extensions.append(self.build.extension)
        if config.nav is None:
            config.nav = _escape_nav(self.build.nav())
        config.theme["language"] = lang
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

    def on_files(self, files: Files, config: Any) -> Files:
        if self.build is None:
            return files
        for name in ASSETS:
            files.append(File.generated(config, f"assets/mooc/{name}",
                                        abs_src_path=str(ASSETS_DIR / name)))
        files.append(File.generated(config, COURSE_DATA_PATH,
                                    content=self.build.course_script()))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
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

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if self.build is None:
            return context
        if len(self.build.course.languages) > 1:
            context["mooc_alternates"] = self.build.alternates(page.file.src_uri)
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
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return output if self.build is None else self.build.finish_page(output)

    @event_priority(-100)  # after the search plugin has written search_index.json
    def on_post_build(self, config: Any) -> None:
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

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        if self.build is not None:
            env.globals["mooc_nav_memo"] = _NavMemo()  # one per build: the menu is new
        return env

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        if self.settings is not None:
            server.watch(str(self.settings.quizzes_dir))
            # the course file, the other languages, strings/ and abbreviations/
            server.watch(str(self.settings.course_file.parent))
        return server


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


def _language_of(docs_dir: Path, course_root: Path) -> str | None:
    """`course/<lang>` as docs_dir means that language."""
    docs_dir = docs_dir.resolve()
    if docs_dir.parent == course_root.resolve():
        return docs_dir.name
    return None
