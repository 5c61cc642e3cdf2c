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
    "loaders": {"cache", "errors", "model", "yamlsrc"},
    "validate": {"errors", "model"},
    "render": {"errors", "model", "render"},
    "export": {"errors", "model", "export", "render"},
    "pipeline": {"cache", "errors", "model", "loaders", "validate", "render"},
}
ADAPTERS = {"plugin", "cli"}


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(builder modules imported, top-level third-party packages imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside, outside = set(), set()
    parts = path.relative_to(BUILDER).with_suffix("").parts
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
    return path.relative_to(BUILDER).parts[0].removesuffix(".py")


# every module of the core: not the adapters, not the package's own __init__, not the bench
CORE_FILES = [p for p in BUILDER.rglob("*.py")
              if _layer(p) not in {*ADAPTERS, "__init__", "bench"}]


@pytest.mark.parametrize("path", sorted(CORE_FILES), ids=lambda p: str(p.relative_to(BUILDER)))
def test_core_never_imports_mkdocs(path: Path) -> None:
    layer = _layer(path)
    inside, outside = _imports(path)
    assert not {"mkdocs", "material"} & outside, f"{path.name} imports mkdocs"
    allowed = ALLOWED.get(layer)
    assert allowed is not None, f"{layer}: add it to ALLOWED in this test (and STYLE)"
    assert inside <= allowed | {layer}, f"{path.name} imports {inside - allowed}"


def test_nothing_imports_the_adapters() -> None:
    for path in BUILDER.rglob("*.py"):
        if path.stem in ADAPTERS and path.parent == BUILDER:
            continue
        inside, _ = _imports(path)
        assert not inside & ADAPTERS, f"{path} imports an adapter"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The import scanner itself must notice an mkdocs import (a check that can fail)."""
    bad = BUILDER / "model.py"
    source = bad.read_text(encoding="utf-8") + "\nimport mkdocs.plugins\n"
    probe = tmp_path / "model.py"
    probe.write_text(source, encoding="utf-8")
    tree_outside = {n.names[0].name.split(".")[0] for n in ast.walk(ast.parse(source))
                    if isinstance(n, ast.Import)}
    assert "mkdocs" in tree_outside
