"""The core never imports mkdocs; layers import only what STYLE.md allows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BUILDER = Path(__file__).resolve().parent.parent / "builder"

# module -> builder modules it may import (relative names, first component)
ALLOWED = {
    "errors": set(),
    "model": set(),
    "cache": set(),
    "yamlsrc": {"errors"},
    # question types: below the loaders, render and export, which use them
    "questions": {"errors", "model", "yamlsrc"},
    "loaders": {"cache", "errors", "model", "questions", "yamlsrc"},
    "validate": {"errors", "model"},
    # the built site's pages (URLs, JSON for the browser, HTML tree, page rewriting, page
    # cache): a floor under render and export, which never import each other
    "common": {"common", "errors"},
    "render": {"errors", "model", "common", "questions", "render"},
    "export": {"errors", "model", "common", "export", "questions"},
    # (export: the formats' wordings are interface strings, export.base.wordings)
    "pipeline": {"cache", "errors", "model", "loaders", "validate", "render", "common",
                 "export"},
    # translations in PO files (issue 21): reads the course's files as a loader does
    "i18n": {"errors", "model", "loaders", "questions", "common", "i18n"},
    # the one build path, for the CLI, the plugin and the bench
    "build": {"errors", "export", "model", "pipeline", "i18n", "common", "loaders"},
}
ADAPTERS = {"plugin", "cli"}


def _parts(path: Path) -> tuple[str, ...]:
    """`builder/export/plan.py` -> ("export", "plan")."""
    return path.relative_to(BUILDER).with_suffix("").parts


def _imports(path: Path, parts: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(builder modules imported, top-level third-party packages imported) by the file at
    `path`, read as the module at `parts` in the builder."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside, outside = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(parts[:-node.level]) if len(parts) > 1 else []
                name = ".".join([*base, *(node.module or "").split(".")]).strip(".")
                if not name:  # `from . import x`
                    name = ".".join(base) or (node.names[0].name if node.level == 1 else "")
                inside.add(name.split(".")[0] if name else parts[0])
            elif node.module:
                (inside if node.module.startswith("builder") else outside).add(
                    node.module.split(".")[1 if node.module.startswith("builder.") else 0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                outside.add(alias.name.split(".")[0])
    return inside, outside


def _layer(path: Path) -> str:
    return _parts(path)[0]


def _violations(path: Path, parts: tuple[str, ...]) -> list[str]:
    """What the module at `parts` (its source at `path`) imports and may not."""
    layer = parts[0]
    inside, outside = _imports(path, parts)
    found = []
    if {"mkdocs", "material"} & outside:
        found.append(f"{path.name} imports mkdocs")
    allowed = ALLOWED.get(layer)
    if allowed is None:
        found.append(f"{layer}: add it to ALLOWED in this test (and STYLE)")
    elif not inside <= allowed | {layer}:
        found.append(f"{path.name} imports {sorted(inside - allowed - {layer})}")
    return found


# every module of the core: not the adapters, not the package's own __init__, not the bench
CORE_FILES = [p for p in BUILDER.rglob("*.py")
              if _layer(p) not in {*ADAPTERS, "__init__", "bench"}]


@pytest.mark.parametrize("path", sorted(CORE_FILES), ids=lambda p: str(p.relative_to(BUILDER)))
def test_core_never_imports_mkdocs(path: Path) -> None:
    assert not _violations(path, _parts(path))


def test_nothing_imports_the_adapters() -> None:
    for path in BUILDER.rglob("*.py"):
        if path.stem in ADAPTERS and path.parent == BUILDER:
            continue
        inside, _ = _imports(path, _parts(path))
        assert not inside & ADAPTERS, f"{path} imports an adapter"


@pytest.mark.parametrize(("place", "line", "found"), [
    ("model.py", "import mkdocs.plugins", "model.py imports mkdocs"),
    ("model.py", "from .render import quiz", "model.py imports ['render']"),
    ("questions/single.py", "from ..render.quiz import dom_id", "single.py imports ['render']"),
    ("questions/single.py", "from ..export import plan", "single.py imports ['export']"),
    ("loaders/quizzes.py", "from ..render import QuizRenderer",
     "quizzes.py imports ['render']"),
    ("render/quiz.py", "from ..cli import main", "quiz.py imports ['cli']"),
    ("export/downloads.py", "from ..render.strings import t", "downloads.py imports ['render']"),
    ("common/rewrite.py", "from ..model import Course", "rewrite.py imports ['model']"),
    ("build.py", "from .plugin import MkdocsSite", "build.py imports ['plugin']"),
    ("newlayer.py", "import os", "newlayer: add it to ALLOWED in this test (and STYLE)"),
])
def test_the_checker_sees_a_violation(tmp_path: Path, place: str, line: str, found: str) -> None:
    """The scanner notices each forbidden import added to a real module (a check that can
    fail), and finds nothing wrong with the module as it is."""
    real = BUILDER / place
    source = real.read_text(encoding="utf-8") if real.exists() else ""
    probe = tmp_path / Path(place).name
    parts = Path(place).with_suffix("").parts
    if real.exists():
        probe.write_text(source, encoding="utf-8")
        assert _violations(probe, parts) == []
    probe.write_text(f"{source}\n{line}\n", encoding="utf-8")
    assert _violations(probe, parts) == [found]
