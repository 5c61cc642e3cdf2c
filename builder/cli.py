"""`mooc`: check, build, serve (and later export, validate) a course.

`main(argv)` never raises for a trainer's mistake: it prints `path:line: message` lines
and returns 1. Only this module and `plugin` import mkdocs.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import BuilderError, ContentError, Problem, errors_only
from .pipeline import Settings, check

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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
            return cmd_serve(config_file, args.dev_addr)
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
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ContentError([Problem(str(config_file), line, f"YAML syntax error: "
                                    f"{getattr(exc, 'problem', exc)}")]) from None
    for item in (data or {}).get("plugins") or []:
        if isinstance(item, dict) and "mooc" in item:
            return dict(item["mooc"] or {})
        if item == "mooc":
            return {}
    raise ContentError([Problem(str(config_file), 0, "the 'mooc' plugin is not enabled: add "
                                "'- mooc' under 'plugins:'")])


def settings_for(config_file: Path) -> Settings:
    options = _plugin_options(config_file)
    return Settings.at(config_file.resolve().parent, options.get("course", "course/course.yml"),
                       options.get("quizzes", "quizzes"))


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_check(config_file: Path, *, strict: bool = False) -> int:
    _project, problems = check(settings_for(config_file))
    _print_problems(problems)
    errors = errors_only(problems)
    if errors or (strict and problems):
        print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)",
              file=sys.stderr)
        return 1
    return 0


def cmd_build(config_file: Path, site_dir: str | None, *, strict: bool = False) -> int:
    """Check, build into a temporary folder beside site/, then swap it in."""
    if cmd_check(config_file, strict=strict) != 0:
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
    try:
        config = load_config(str(config_file), site_dir=str(staging))
        build(config, dirty=False)
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


def _swap(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames; the old site goes last."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def cmd_serve(config_file: Path, dev_addr: str | None) -> int:
    from mkdocs.commands.serve import serve  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    serve(config_file=str(config_file), dev_addr=dev_addr)
    return 0


def _quiet_mkdocs() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
