"""The one build path (builder/build.py): `mooc build` reads and checks each file of the
course once, builds each language's site once (with directory URLs asked for too), and
the language travels as an argument, not through docs_dir."""

from __future__ import annotations

import collections
import json
import pathlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from builder import plugin
from builder import validate as validate_module
from builder.cli import main
from builder.export import formats

from .test_checks import edit
from .test_i18n import add_french


@pytest.fixture
def bilingual_course(mini_course: Path) -> Path:
    """The mini course in English and French, without the cache (every file is parsed)."""
    root = mini_course.parent
    add_french(root)
    edit(root, "mkdocs.yml", "  - mooc\n", "  - mooc:\n      cache: false\n")
    return mini_course


def _counting(calls: list[Any], real: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)
    return wrapper


def test_each_file_is_read_and_checked_once_per_build(
        bilingual_course: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = bilingual_course.parent
    sources = {p for folder in ("course", "quizzes") for p in (root / folder).rglob("*")
               if p.is_file()}
    assert len(sources) == 11  # course.yml, 3 pages and 2 quizzes in each language
    reads: list[Any] = []
    checks: list[Any] = []
    monkeypatch.setattr(pathlib.Path, "read_bytes", _counting(reads, pathlib.Path.read_bytes))
    monkeypatch.setattr(validate_module, "validate", _counting(checks,
                                                               validate_module.validate))
    assert main(["build", "-f", str(bilingual_course), "-d", str(root / "out")]) == 0
    counts = collections.Counter(Path(p).resolve() for p in reads)
    assert {p: counts[p] for p in sources} == dict.fromkeys(sources, 1)
    assert len(checks) == 1  # the cross-file checks of the whole course, once


def test_each_language_is_built_once_even_with_directory_urls(
        bilingual_course: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The plugin keeps links file-relative (the widgets' links, packages and file://
    need them), so the site the packages are made from is the site itself."""
    root = bilingual_course.parent
    edit(root, "mkdocs.yml", "use_directory_urls: false", "use_directory_urls: true")
    builds: list[Any] = []
    monkeypatch.setattr(plugin, "mkdocs_build", _counting(builds, plugin.mkdocs_build))
    site = root / "out"
    assert main(["build", "-f", str(bilingual_course), "-d", str(site)]) == 0
    assert [config.theme["language"] for config in builds] == ["en", "fr"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="basics/first.html"' in index and (site / "basics/first.html").is_file()
    assert not (site / "basics/first/index.html").exists()
    for downloads in (site / "downloads", site / "fr/downloads"):
        listed = json.loads((downloads / "packages.json").read_text(encoding="utf-8"))
        made = sorted((row["format"], row["scope"]) for row in listed)
        assert made == sorted((f, scope) for f in formats() for scope in ("basics", "all"))
        assert all((downloads / row["file"]).is_file() for row in listed)


def test_the_language_is_handed_to_the_plugin_not_read_from_docs_dir(
        bilingual_course: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Under `mooc build` the plugin never works the language out for itself."""
    root = bilingual_course.parent

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the plugin loaded the course itself")

    monkeypatch.setattr(plugin.MoocPlugin, "_load", staticmethod(refuse))
    assert main(["build", "-f", str(bilingual_course), "-d", str(root / "out")]) == 0
    fr = (root / "out/fr/basics/first.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in fr and "FR First module" in fr


def test_the_plugin_s_options_are_declared_once() -> None:
    """mkdocs' schema of the plugin is made from pipeline.Options: same names, defaults."""
    from builder.pipeline import Options

    schema = dict(plugin.MoocConfig._schema)
    assert list(schema) == [name for name, *_ in Options.schema()]
    assert {k: v.default for k, v in schema.items()} == {
        name: default for name, _kind, default, _what in Options.schema()}
