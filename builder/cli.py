"""`mooc`: check, build, serve, export and validate a course.

`main(argv)` parses the command line, calls the library (`build`, `export.validate`),
prints what it returns and gives the exit code: no build logic here, and nothing about
any format (the `--format` choices and their labels come from the installed exporters).
It never raises for a trainer's mistake: it prints `path:line: message` lines and
returns 1. Only this module and `plugin` import mkdocs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuilderError, ContentError, Problem, errors_only
from .export import LAYOUTS, exporter_class, exporter_classes, formats
from .export.plan import Layout
from .model import Project, pick

if TYPE_CHECKING:
    from .pipeline import Settings

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mooc", description="Build a MOOC from Markdown modules "
                                "and YAML quizzes.")
    sub = p.add_subparsers(dest="command", required=True)

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the project's mkdocs.yml (default: ./mkdocs.yml)")
        sp.add_argument("--allow-english-interface", action="store_true",
                        help="a language without all of its interface strings shows the "
                        "missing ones in English (a warning) instead of failing")
        return sp

    installed = exporter_classes()
    labels = "; ".join(f"{e.name}: {e.text(e.label, 'en')}" for e in installed)
    checks = "; ".join(f"{e.text(e.label, 'en')}: {e.checks}" for e in installed)
    c = cmd("check", "Load and check the course; print every problem as path:line: message.")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b = cmd("build", "Check, then build the site and every export into site/.")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("-d", "--site-dir", help="output folder (default: mkdocs.yml's site_dir)")
    s = cmd("serve", "Live preview: rebuilds when a page, quiz or the course file changes.")
    s.add_argument("-a", "--dev-addr", help="IP:PORT to serve on (default 127.0.0.1:8000)")
    s.add_argument("-l", "--lang", help="preview this language (default: the first one)")
    e = cmd("export", "Build the site, then package the course for a learning platform.")
    e.add_argument("--format", required=True, choices=formats(),
                   help=f"the package's format ({labels})")
    scope = e.add_mutually_exclusive_group()
    scope.add_argument("--track", help="one track's package (default: the whole course)")
    scope.add_argument("--all", action="store_true",
                       help="one package per track and one for the whole course")
    e.add_argument("--layout", choices=LAYOUTS, default="single",
                   help="one launchable part for the package (default) or one per module")
    e.add_argument("-o", "--output", default="dist", help="folder for the zip files "
                   "(default: dist)")
    e.add_argument("-l", "--lang", help="this language's edition (default: the first one)")
    i = cmd("i18n", "Translations in PO files: extract the course's texts, or apply the "
            "translated ones.")
    i.add_argument("action", choices=("extract", "apply"),
                   help="extract: write translations/<lang>/*.po (and the .pot templates) "
                   "from the source language, keeping what is translated; apply: write "
                   "course/<lang>/ and quizzes/<lang>/ from them")
    i.add_argument("-l", "--lang", required=True, help="the language of the translation")
    v = sub.add_parser("validate", help="Check packages before importing them.",
                       description="Check packages before importing them: every file's "
                       "checksum, then what the package's format requires, with the official "
                       f"schemas shipped with mooc-builder ({checks}).")
    v.add_argument("packages", nargs="+", metavar="PACKAGE.zip")
    v.add_argument("--schemas", help="check against the official schemas of this folder "
                   "instead of the shipped ones")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "validate":
            return cmd_validate([Path(p) for p in args.packages],
                                Path(args.schemas) if args.schemas else None)
        config_file = Path(args.config_file)
        global _ENGLISH_INTERFACE  # noqa: PLW0603 (one run of main: one value)
        _ENGLISH_INTERFACE = args.allow_english_interface
        if not config_file.is_file():
            print(f"{config_file}: no such file (give the project's mkdocs.yml with -f)",
                  file=sys.stderr)
            return 1
        if args.command == "check":
            return cmd_check(config_file, strict=args.strict)
        if args.command == "build":
            return cmd_build(config_file, args.site_dir, strict=args.strict)
        if args.command == "serve":
            return cmd_serve(config_file, args.dev_addr, args.lang)
        if args.command == "i18n":
            return cmd_i18n(config_file, args.action, args.lang)
        if args.command == "export":
            return cmd_export(config_file, args.format, Path(args.output),
                              None if args.all else [args.track], args.layout, args.lang)
    except ContentError as exc:
        _print_problems(exc.problems, summary=True)
        return 1
    except BuilderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2


_ENGLISH_INTERFACE = False  # --allow-english-interface


def _settings(config_file: Path) -> Settings:
    """The course's settings from mkdocs.yml, with the command line's."""
    from .build import read_settings  # noqa: PLC0415

    settings = read_settings(config_file)
    return replace(settings, english_interface=True) if _ENGLISH_INTERFACE else settings


def _print_problems(problems: list[Problem], *, summary: bool = False) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    if summary:
        errors = errors_only(problems)
        print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)",
              file=sys.stderr)


def cmd_check(config_file: Path, *, strict: bool = False) -> int:
    from .pipeline import check  # noqa: PLC0415

    project, problems = check(_settings(config_file))
    if project is not None and len(project.course.languages) > 1:
        _print_translation_table(project)
    failed = project is None or bool(errors_only(problems)) or (strict and bool(problems))
    _print_problems(problems, summary=failed)
    return 1 if failed else 0


def _print_translation_table(project: Project) -> None:
    """Translations per language: how many are up to date, and which are not."""
    from .validate import translation_status  # noqa: PLC0415

    rows = translation_status(project)
    langs = list(project.course.languages[1:])
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
    from .build import build_course  # noqa: PLC0415
    from .plugin import MkdocsSite, quiet_mkdocs  # noqa: PLC0415

    quiet_mkdocs()
    built = build_course(_settings(config_file), MkdocsSite(config_file, strict=strict),
                         Path(site_dir) if site_dir else None, strict=strict)
    _print_problems(built.warnings)
    for site in built.sites:
        print(f"Wrote {len(site.packages)} packages ({site.lang}) into "
              f"{site.folder / 'downloads'}", file=sys.stderr)
        for track in site.left_out:
            title = pick(track.title, site.lang, track.id)
            print(f"  {site.lang}: no package of track '{track.id}' ({title}): none of its "
                  f"modules is translated into {site.lang} yet, and the {site.lang} site "
                  "leaves the track out", file=sys.stderr)
    print(f"Built {built.site_dir}", file=sys.stderr)
    return 0


def cmd_export(config_file: Path, format_name: str, out_dir: Path,
               tracks: list[str | None] | None, layout: Layout, lang: str | None = None) -> int:
    from .build import export_course  # noqa: PLC0415
    from .plugin import MkdocsSite, quiet_mkdocs  # noqa: PLC0415

    quiet_mkdocs()
    exporter = exporter_class(format_name)
    infos, warnings = export_course(_settings(config_file), MkdocsSite(config_file),
                                    out_dir, [format_name], tracks, layout, lang)
    _print_problems(warnings)
    _print_problems(list(dict.fromkeys(p for info in infos for p in info.left_out)))
    for info in infos:
        facts = "".join(f"  {exporter.facts[key].format(value)}"
                        for key, value in info.facts.items() if key in exporter.facts)
        note = f"  ({info.note})" if info.note else ""
        print(f"{info.path}  {info.size} bytes  sha256 {info.sha256}{facts}  "
              f"{info.seconds:.2f} s{note}")
    return 0


def cmd_i18n(config_file: Path, action: str, lang: str) -> int:
    from .build import translations  # noqa: PLC0415

    report = translations(_settings(config_file), action, lang)
    _print_problems(report.problems, summary=bool(report.problems))
    if errors_only(report.problems):
        return 1
    for path in report.written:
        print(f"wrote {path}", file=sys.stderr)
    done = f"{report.translated} of {report.messages} messages translated"
    if report.fuzzy:
        done += f" ({report.fuzzy} fuzzy: outdated)"
    if action == "extract":
        print(f"{lang}: {done}; {len(report.written)} files written, {report.unchanged} "
              "unchanged in translations/", file=sys.stderr)
    else:
        print(f"{lang}: {done}; {len(report.written)} files written, {report.unchanged} "
              "unchanged", file=sys.stderr)
    return 0


def cmd_validate(packages: list[Path], schemas: Path | None) -> int:
    from .export.validate import validate_package  # noqa: PLC0415

    if schemas is not None and not schemas.is_dir():
        print(f"{schemas}: no such folder (give the folder of the official schemas)",
              file=sys.stderr)
        return 1
    failed = 0
    for package in packages:
        found, problems = validate_package(package, schemas)
        _print_problems(problems)
        errors = errors_only(problems)
        if errors or found is None:
            failed += 1
            print(f"{package}: NOT valid ({len(errors)} error(s))", file=sys.stderr)
        else:
            exporter = exporter_class(found)
            kind = exporter.recognised_as or exporter.text(exporter.label, "en")
            print(f"{package}: valid {kind} package ({exporter.checks}; "
                  f"{len(problems)} warning(s))")
    return 1 if failed else 0


def cmd_serve(config_file: Path, dev_addr: str | None, lang: str | None = None) -> int:
    from .plugin import serve  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    # the plugin takes the pages' language from docs_dir course/<lang>
    serve(config_file, dev_addr,
          str(_settings(config_file).pages_dir(lang)) if lang else None)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
