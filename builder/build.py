"""The one build path: `mooc build`, `mooc export`, the mkdocs plugin and `make bench`.

`prepare` loads and checks every file of the course once. `build_course` then builds
each language's site once, with a `SiteGenerator` (the mkdocs adapter, `plugin.MkdocsSite`:
nothing here imports mkdocs) handed the language as an argument, writes every package
of every installed format from that same site into its downloads/, and puts the new site
in place only when all of it succeeded (the previous one stays otherwise). `export_course`
builds one language's site in a temporary folder and packages it in chosen formats.

`read_settings` reads the `mooc` plugin's options from mkdocs.yml without mkdocs, with
the same names, defaults and checks as the plugin (`pipeline.Options`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from .errors import BuilderError, ContentError, Problem, SiteError, errors_only
from .export.base import exporter_class, formats
from .export.downloads import (
    PackageInfo,
    export_packages,
    untranslated_tracks,
    write_downloads,
)
from .export.plan import Layout
from .model import Project, Track, Value
from .pipeline import LanguageBuild, Options, Settings, check, language_prefix

if TYPE_CHECKING:  # `mooc i18n` only: a site build does not pay for importing it
    from . import i18n


class SiteGenerator(Protocol):
    """What builds a language's site from its pages (the mkdocs adapter)."""

    def site_dir(self) -> Path:
        """Where the site goes when no folder is given (mkdocs.yml's site_dir)."""
        ...

    def pages_dir(self) -> Path:
        """The default language's pages (mkdocs.yml's docs_dir)."""
        ...

    def build(self, language: LanguageBuild, site_dir: Path, pages_dir: Path | None) -> None:
        """Build the site of `language` (file-relative links) into site_dir, its pages from
        pages_dir (None: pages_dir()). SiteError when it cannot."""
        ...


@dataclass(frozen=True, eq=False, repr=False)
class Checked(Value):
    """A course loaded and checked once: what the build of every language shares."""

    settings: Settings
    project: Project
    warnings: list[Problem]

    def language(self, lang: str) -> LanguageBuild:
        """What a site generator needs for one language (quizzes, module headers and
        footers wait for the finished page: see LanguageBuild.defer)."""
        return LanguageBuild(self.project, lang, defer=True, settings=self.settings)


@dataclass(frozen=True, eq=False, repr=False)
class LanguageSite(Value):
    """One language's site of a build."""

    lang: str
    folder: Path  # where it is once the build is in place
    packages: list[PackageInfo]
    left_out: list[Track]  # not translated at all yet: no menu entry, no package


@dataclass(frozen=True, eq=False, repr=False)
class Built(Value):
    """What `build_course` made: the site, its warnings and each language's site."""

    site_dir: Path
    warnings: list[Problem]
    sites: list[LanguageSite]


def prepare(settings: Settings, *, strict: bool = False) -> Checked:
    """Load and check every file of the course, once; ContentError with every problem
    when there is an error (with `strict`, a warning too)."""
    project, problems = check(settings)
    if project is None or errors_only(problems) or (strict and problems):
        raise ContentError(problems)
    return Checked(settings, project, problems)


def pages_language(settings: Settings, project: Project, pages_dir: Path,
                   declared: str | None = None) -> str:
    """The language of the pages in `pages_dir` (mkdocs' docs_dir) when mkdocs runs by
    itself: `declared` (the plugin's `language` option), else <lang> of course/<lang>,
    else the default language. BuilderError when the course has no such language."""
    course = project.course
    lang = declared
    if lang is None and pages_dir.resolve().parent == settings.course_file.parent.resolve():
        lang = pages_dir.name
    lang = lang or course.default_language
    if lang not in project.editions:
        raise BuilderError(f"the pages are in {pages_dir}, but '{lang}' is not one of the "
                           f"course's languages ({', '.join(course.languages)}): add it to "
                           f"'languages' in {settings.course_file.name}, or set the "
                           "'language' option of the mooc plugin")
    return lang


def build_course(settings: Settings, generator: SiteGenerator, site_dir: Path | None = None,
                 *, strict: bool = False) -> Built:
    """Check, build every language's site and its packages into a new folder beside
    `site_dir` (default: the generator's), then swap it in."""
    course = prepare(settings, strict=strict)
    project = course.project
    default = project.course.default_language
    root_lang = pages_language(settings, project, generator.pages_dir())
    if root_lang != default:
        raise BuilderError(f"the site's root is the default language, '{default}', but the "
                           f"pages in {generator.pages_dir()} are in '{root_lang}': set "
                           f"docs_dir to {settings.pages_dir(default)}")
    final = (site_dir or generator.site_dir()).resolve()
    staging = _staging(final)
    sites: list[LanguageSite] = []
    try:
        for lang in project.course.languages:
            if lang != default and not project.editions[lang].pages:
                continue  # not started: no site
            prefix = language_prefix(project.course, lang).rstrip("/")
            folder = staging / prefix if prefix else staging
            language = course.language(lang)
            generator.build(language, folder, None if lang == default
                            else settings.pages_dir(lang))
            packages = write_packages(project, language, folder)
            sites.append(LanguageSite(lang, final / prefix if prefix else final, packages,
                                      untranslated_tracks(project, lang)))
    except (SiteError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(f"the site was not built: {exc}\n{final} is left as it was.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, final)
    return Built(final, course.warnings, sites)


def write_packages(project: Project, language: LanguageBuild,
                   site_dir: Path) -> list[PackageInfo]:
    """Every package of every installed format, from a language's built site, and the page
    listing them, into <site_dir>/downloads/."""
    cache_dir = language.settings.cache_dir if language.settings else None
    return write_downloads(project, language.lang, site_dir, language.strings,
                           cache_dir=cache_dir)


def export_course(settings: Settings, generator: SiteGenerator, out_dir: Path,
                  format_names: list[str], tracks: Sequence[str | None] | None = None,
                  layout: Layout = "single", lang: str | None = None
                  ) -> tuple[list[PackageInfo], list[Problem]]:
    """Check, build one language's site (default: the first) in a temporary folder, then
    package it in each format: (the packages, the course's warnings). The site is built
    only for the formats that read it (`Exporter.needs_site`)."""
    course = prepare(settings)
    project = course.project
    lang = lang or project.course.default_language
    if lang not in project.course.languages:
        raise BuilderError(f"the course has no '{lang}' edition (languages: "
                           f"{', '.join(project.course.languages)})")
    with tempfile.TemporaryDirectory(prefix="mooc-export-") as tmp:
        site = Path(tmp) / "site"
        pages = None if lang == project.course.default_language else settings.pages_dir(lang)
        if any(exporter_class(name).needs_site for name in format_names or formats()):
            generator.build(course.language(lang), site, pages)
        infos = export_packages(project, lang, site, out_dir, format_names,
                                list(tracks) if tracks is not None else None, layout,
                                cache_dir=settings.cache_dir)
    return infos, course.warnings


def _staging(final: Path) -> Path:
    """A new folder beside `final` (stale ones left by a killed build go first)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f".{final.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a site is read by a web server
    return staging


def _swap(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames; the old site goes last."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def translations(settings: Settings, action: str, lang: str) -> i18n.Report:
    """`mooc i18n extract` or `apply` for `lang` (see builder/i18n). ContentError when
    the course cannot be read."""
    from . import i18n  # noqa: PLC0415
    from .common.strings import SOURCE, string_keys  # noqa: PLC0415
    from .export.base import wordings  # noqa: PLC0415
    from .i18n.coursefile import CourseCatalog  # noqa: PLC0415
    from .i18n.interface import InterfaceCatalog  # noqa: PLC0415
    from .loaders import load_strings_file  # noqa: PLC0415
    from .loaders.files import rel  # noqa: PLC0415

    project, problems = check(settings, base=settings.root)
    if project is None:
        raise ContentError(problems)
    course = project.course
    if course.default_language != SOURCE:
        raise BuilderError(f"the course's source language is '{course.default_language}': "
                           f"mooc i18n translates from '{SOURCE}', the builder's own")
    layout = i18n.Layout(settings.root, settings.course_file.parent, settings.quizzes_dir,
                         course.default_language, course.id)
    found: list[Problem] = []
    known = [*string_keys(), *wordings().get(SOURCE, {})]
    overrides = {code: dict(ed.strings) for code, ed in project.editions.items()}
    if lang not in overrides:  # a language the course does not list yet
        overrides[lang] = load_strings_file(course.root / "strings" / f"{lang}.yaml",
                                            settings.root, known, found)
    interface = InterfaceCatalog(course.root, overrides, wordings(),
                                 rel(course.root / "strings", settings.root))
    run = i18n.extract if action == "extract" else i18n.apply
    course_texts = CourseCatalog(settings.course_file, rel(settings.course_file, settings.root),
                                 course.default_language)
    report = run(layout, lang, [course_texts, interface])
    report.problems = found + report.problems
    return report


# ---------------------------------------------------------------- mkdocs.yml, read as YAML

def read_settings(config_file: Path) -> Settings:
    """Where the course's files are, from the `mooc` plugin's options in mkdocs.yml."""
    return Settings.at(config_file.resolve().parent, read_options(config_file))


def read_options(config_file: Path) -> Options:
    """The `mooc` plugin's options in mkdocs.yml; ContentError naming the line of a bad one."""
    shown = str(config_file)
    text, data = _read_yaml(config_file)
    plugins = data.get("plugins") if isinstance(data, dict) else None
    # mkdocs takes plugins as a list (`- mooc`, `- mooc: {...}`) or as a mapping
    entries = list(plugins.items()) if isinstance(plugins, dict) else [
        next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None)
        for item in plugins or [] if isinstance(plugins, list)]
    line = next((n for n, text_line in enumerate(text.split("\n"), start=1)
                 if re.match(r"^\s*(- )?mooc\s*:?\s*$", text_line)), 0)
    for name, options in entries:
        if name != "mooc":
            continue
        if options is None:
            return Options()
        if not isinstance(options, dict):
            raise ContentError([Problem(shown, line, "the 'mooc' plugin's options must be "
                                        "'key: value' lines under it")])
        values: dict[str, Any] = {}
        for key, kind, default, what in Options.schema():
            value = options.get(key, default)
            if not isinstance(value, kind) and not (value is None and default is None):
                raise ContentError([Problem(shown, line, f"the 'mooc' plugin's '{key}' "
                                            f"option must be {what}, got {value!r}")])
            values[key] = value
        return Options(**values)
    raise ContentError([Problem(shown, 0, "the 'mooc' plugin is not enabled: add "
                                "'- mooc' under 'plugins:'")])


def _read_yaml(config_file: Path) -> tuple[str, Any]:
    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold !!python/name tags (material's emoji): read them as text.
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/",
                                  lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    shown = str(config_file)
    try:
        text = config_file.read_text(encoding="utf-8")
        return text, yaml.load(text, Loader=_Loader)  # noqa: S506
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, 0, "this file is not UTF-8 text: save it as "
                                    "UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ContentError([Problem(shown, line, f"YAML syntax error: "
                                    f"{getattr(exc, 'problem', exc)}")]) from None
