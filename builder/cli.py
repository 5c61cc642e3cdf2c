"""`mooc`: check, build, serve, export and validate a course.

`main(argv)` never raises for a trainer's mistake: it prints `path:line: message` lines
and returns 1. Only this module and `plugin` import mkdocs.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import BuilderError, ContentError, Problem, errors_only
from .model import Project
from .pipeline import DEFAULT_CACHE_DIR, Settings, check

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mooc", description="Build a MOOC from Markdown modules "
                                "and YAML quizzes.")
    sub = p.add_subparsers(dest="command", required=True)

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the project's mkdocs.yml (default: ./mkdocs.yml)")
        return sp

    c = cmd("check", "Load and check the course; print every problem as path:line: message.")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b = cmd("build", "Check, then build the site and every export into site/.")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("-d", "--site-dir", help="output folder (default: mkdocs.yml's site_dir)")
    s = cmd("serve", "Live preview: rebuilds when a page, quiz or the course file changes.")
    s.add_argument("-a", "--dev-addr", help="IP:PORT to serve on (default 127.0.0.1:8000)")
    s.add_argument("-l", "--lang", help="preview this language (default: the first one)")
    e = cmd("export", "Build the site, then package the course for a learning platform.")
    e.add_argument("--format", required=True, choices=["scorm12", "scorm2004"],
                   help="SCORM 1.2 (Moodle and its app) or SCORM 2004 4th edition")
    scope = e.add_mutually_exclusive_group()
    scope.add_argument("--track", help="one track's package (default: the whole course)")
    scope.add_argument("--all", action="store_true",
                       help="one package per track and one for the whole course")
    e.add_argument("--layout", choices=["single", "module"], default="single",
                   help="one SCO for the package (default) or one SCO per module")
    e.add_argument("-o", "--output", default="dist", help="folder for the zip files "
                   "(default: dist)")
    e.add_argument("-l", "--lang", help="this language's edition (default: the first one)")
    v = sub.add_parser("validate", help="Check SCORM packages before importing them.",
                       description="Check SCORM packages before importing them: every "
                       "file's checksum, the manifest, files, identifiers, and the official "
                       "XSDs (shipped with mooc-builder).")
    v.add_argument("packages", nargs="+", metavar="PACKAGE.zip")
    v.add_argument("--schemas", help="check against the XSDs of this folder (scorm12/, "
                   "scorm2004-4th/) instead of the shipped ones")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return cmd_validate([Path(p) for p in args.packages],
                            Path(args.schemas) if args.schemas else None)
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(f"{config_file}: no such file (give the project's mkdocs.yml with -f)",
              file=sys.stderr)
        return 1
    try:
        if args.command == "check":
            return cmd_check(config_file, strict=args.strict)
        if args.command == "build":
            return cmd_build(config_file, args.site_dir, strict=args.strict)
        if args.command == "serve":
            return cmd_serve(config_file, args.dev_addr, args.lang)
        if args.command == "export":
            return cmd_export(config_file, args.format, Path(args.output),
                              None if args.all else [args.track], args.layout, args.lang)
    except ContentError as exc:
        _print_problems(exc.problems)
        return 1
    except BuilderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2


def _plugin_options(config_file: Path) -> dict[str, Any]:
    """The `mooc` plugin's options in mkdocs.yml (course file and quiz folder)."""
    import yaml  # noqa: PLC0415

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold !!python/name tags (material's emoji): read them as text.
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/",
                                  lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    shown = str(config_file)
    try:
        text = config_file.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_Loader)  # noqa: S506
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, 0, "this file is not UTF-8 text: save it as "
                                    "UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ContentError([Problem(shown, line, f"YAML syntax error: "
                                    f"{getattr(exc, 'problem', exc)}")]) from None
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
            return {}
        if not isinstance(options, dict):
            raise ContentError([Problem(shown, line, "the 'mooc' plugin's options must be "
                                        "'key: value' lines under it")])
        for key in ("course", "quizzes", "cache_dir"):
            if key in options and not isinstance(options[key], str):
                raise ContentError([Problem(shown, line, f"the 'mooc' plugin's '{key}' "
                                            f"option must be a path, got {options[key]!r}")])
        if "cache" in options and not isinstance(options["cache"], bool):
            raise ContentError([Problem(shown, line, "the 'mooc' plugin's 'cache' option "
                                        f"must be true or false, got {options['cache']!r}")])
        return dict(options)
    raise ContentError([Problem(shown, 0, "the 'mooc' plugin is not enabled: add "
                                "'- mooc' under 'plugins:'")])


def settings_for(config_file: Path) -> Settings:
    options = _plugin_options(config_file)
    cache_dir = options.get("cache_dir", DEFAULT_CACHE_DIR) if options.get("cache", True) \
        else None
    return Settings.at(config_file.resolve().parent, options.get("course", "course/course.yml"),
                       options.get("quizzes", "quizzes"), cache_dir)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_check(config_file: Path, *, strict: bool = False) -> int:
    project = _checked(settings_for(config_file), strict=strict, table=True)
    return 0 if project is not None else 1


def _checked(settings: Settings, *, strict: bool, table: bool) -> Project | None:
    """Load and check the course, print its problems; the project when it passes."""
    project, problems = check(settings)
    if table and project is not None and len(project.course.languages) > 1:
        _print_translation_table(project)
    _print_problems(problems)
    errors = errors_only(problems)
    if errors or (strict and problems):
        print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)",
              file=sys.stderr)
        return None
    return project


def _print_translation_table(project: Any) -> None:
    """Translations per language: how many are up to date, and which are not."""
    from .validate import translation_status  # noqa: PLC0415

    rows = translation_status(project)
    langs = [lang for lang in project.course.languages[1:]]
    print(f"Translations of the {project.course.default_language} course "
          f"({len(rows)} pages and quizzes):")
    for lang in langs:
        counts: dict[str, int] = {}
        for _kind, _id, states in rows:
            counts[states[lang]] = counts.get(states[lang], 0) + 1
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        print(f"  {lang}: {summary}")
        for kind, item_id, states in rows:
            if states[lang] != "ok":
                print(f"    {states[lang]:9} {kind} {item_id}")


def cmd_build(config_file: Path, site_dir: str | None, *, strict: bool = False) -> int:
    """Check, build into a temporary folder beside site/, then swap it in."""
    settings = settings_for(config_file)
    project = _checked(settings, strict=strict, table=False)
    if project is None:
        return 1
    from mkdocs.commands.build import build  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    _quiet_mkdocs()
    config = load_config(str(config_file), site_dir=site_dir)
    final = Path(config.site_dir).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f".{final.name}.new-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a site is read by a web server
    try:
        for lang, lang_dir in _language_sites(project, staging):
            overrides: dict[str, Any] = {"site_dir": str(lang_dir)}
            if strict:
                overrides["strict"] = True  # mkdocs' own warnings stop the build too
            if lang is not None:
                overrides["docs_dir"] = str(settings.course_file.parent / lang)
            config = load_config(str(config_file), **overrides)
            build(config, dirty=False)
            _write_downloads(project, config_file, config, lang_dir)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: the site was not built: {exc}", file=sys.stderr)
        print(f"{final} is left as it was.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, final)
    print(f"Built {final}", file=sys.stderr)
    return 0


def _language_sites(project: Project, staging: Path) -> list[tuple[str | None, Path]]:
    """Where each language is built: the default at the root, the others in <lang>/.
    (None: the default language, with mkdocs.yml's own docs_dir.)"""
    from .pipeline import language_prefix  # noqa: PLC0415

    course = project.course
    return [(None, staging)] + [(lang, staging / language_prefix(course, lang).rstrip("/"))
                                for lang in course.languages[1:]
                                if project.editions[lang].pages]  # not started: no site


def _site_language(config: Any) -> str | None:
    theme = config.theme
    lang = theme.get("language") if hasattr(theme, "get") else None
    return str(lang) if lang else None


def _file_url_site(config_file: Path, site: Path, docs_dir: str | None = None) -> Any:
    """Build the site with file-relative links (what packages are made of) into `site`."""
    from mkdocs.commands.build import build  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415

    extra = {"docs_dir": docs_dir} if docs_dir else {}
    config = load_config(str(config_file), site_dir=str(site), use_directory_urls=False,
                         **extra)
    build(config, dirty=False)
    return config


def _write_downloads(project: Project, config_file: Path, config: Any, staging: Path) -> None:
    """Every SCORM package and the page listing them, into <site>/downloads/."""
    from .export.downloads import write_downloads  # noqa: PLC0415

    lang = _site_language(config) or project.course.default_language
    with tempfile.TemporaryDirectory(prefix="mooc-pkg-") as tmp:
        site = staging
        if config.use_directory_urls:
            site = Path(tmp) / "site"
            _file_url_site(config_file, site, config.docs_dir)
        infos = write_downloads(project, lang, site, staging / "downloads")
    print(f"Wrote {len(infos)} SCORM packages into downloads/", file=sys.stderr)


def cmd_export(config_file: Path, format_name: str, out_dir: Path,
               tracks: list[str | None] | None, layout: str, lang: str | None = None) -> int:
    """Build the site (file-relative links) in a temporary folder, then package it."""
    from .export.downloads import export_packages  # noqa: PLC0415
    from .pipeline import load_checked  # noqa: PLC0415

    settings = settings_for(config_file)
    project, warnings = load_checked(settings)
    _print_problems(warnings)
    if lang is not None and lang not in project.course.languages:
        raise BuilderError(f"the course has no '{lang}' edition (languages: "
                           f"{', '.join(project.course.languages)})")
    docs_dir = str(settings.course_file.parent / lang) if lang else None
    _quiet_mkdocs()
    with tempfile.TemporaryDirectory(prefix="mooc-export-") as tmp:
        config = _file_url_site(config_file, Path(tmp) / "site", docs_dir)
        lang = _site_language(config) or project.course.default_language
        infos = export_packages(project, lang, Path(tmp) / "site", out_dir, [format_name],
                                tracks, layout)
    for info in infos:
        print(f"{info.path}  {info.size} bytes  sha256 {info.sha256}  suspend_data <= "
              f"{info.suspend_bound} chars  {info.seconds:.2f} s")
    return 0


def cmd_validate(packages: list[Path], schemas: Path | None) -> int:
    from .export.validate import validate_package  # noqa: PLC0415

    if schemas is not None and not schemas.is_dir():
        print(f"{schemas}: no such folder (give the folder holding scorm12/ and "
              "scorm2004-4th/)", file=sys.stderr)
        return 1
    failed = 0
    for package in packages:
        version, problems = validate_package(package, schemas)
        _print_problems(problems)
        errors = errors_only(problems)
        if errors or version is None:
            failed += 1
            print(f"{package}: NOT valid ({len(errors)} error(s))", file=sys.stderr)
        else:
            print(f"{package}: valid SCORM {version} package (structure and XSD; "
                  f"{len(problems)} warning(s))")
    return 1 if failed else 0


def _swap(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames; the old site goes last."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def cmd_serve(config_file: Path, dev_addr: str | None, lang: str | None = None) -> int:
    from mkdocs.commands.serve import serve  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    extra: dict[str, Any] = {}
    if lang:
        extra["docs_dir"] = str(settings_for(config_file).course_file.parent / lang)
    serve(config_file=str(config_file), dev_addr=dev_addr, **extra)
    return 0


def _quiet_mkdocs() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
