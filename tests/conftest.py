"""Shared fixtures: paths of the repository and of the fixture courses."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tomllib
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from builder.export import base

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

# The real-Moodle tests run only through `make test-lms` (they need the lab and ~30 min).
collect_ignore = [] if os.environ.get("MOOC_TEST_LMS") == "1" else ["lms"]
# The cmi5 conformance tests (ADL's CTS) run only through `make test-cmi5` (they need the lab).
if os.environ.get("MOOC_TEST_CMI5") != "1":
    collect_ignore.append("cmi5")


@contextlib.contextmanager
def declared_exporters() -> Iterator[None]:
    """Every output format pyproject.toml declares, found as if installed: for a venv
    installed before one was added (`make` reinstalls when pyproject.toml changes). The
    PDF edition stays out, as everywhere unless a test asks for it (`with_pdf`)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    eps = dict(base._entry_points())
    for name, value in declared["project"]["entry-points"][base.GROUP].items():
        if name != "pdf":
            eps.setdefault(name, metadata.EntryPoint(name, value, base.GROUP))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(base, "_entry_points", lambda: eps)
        base.exporter_class.cache_clear()
        yield
    base.exporter_class.cache_clear()


def lay_learner_course(target: Path) -> Path:
    """The mini course with tests/fixtures/learner laid over it (progress and certificate
    pages, a second track, the real site's theme settings) in `target`; its mkdocs.yml."""
    shutil.copytree(FIXTURES / "mini", target)
    overlay = FIXTURES / "learner"
    for src in overlay.rglob("*"):
        if src.is_file() and src.name != "README.md":
            dst = target / src.relative_to(overlay)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    return target / "mkdocs.yml"


def measurable_inline(root: Path) -> None:
    """Two more scored questions at the end of the mini course's one-question inline quiz,
    for the tests that need a course without a single warning: the assessment lint warns
    about a quiz with fewer than 3 scored questions (issue 15)."""
    quiz = root / "quizzes/en/basics/inline.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8") + "".join(
        f"  - type: true-false\n    prompt: Statement {n}.\n    answer: true\n"
        for n in (2, 3)), encoding="utf-8")


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str,
              make: Callable[[Path], object]) -> Path:
    """The folder `name`, made by `make(folder)` once per test run: with pytest-xdist the
    first worker that asks makes it while the others wait, then all read it (never write
    into it). Without xdist, once per session, like any session fixture."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this run's folder, shared by its workers (pytest-N/)
    folder, done = base / name, base / f"{name}.done"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture
def mini_course(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture course; returns its mkdocs.yml."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target / "mkdocs.yml"


# The PDF print edition lays out books for seconds each: a build in a test makes them only
# when the test asks for them (the `with_pdf` fixture); the other formats are as installed.
# Registered here too, so that the tests see it before the venv is reinstalled.
PDF_ENTRY = metadata.EntryPoint(name="pdf", value="builder.export.pdf:PdfExporter",
                                group=base.GROUP)


def _formats(pdf: bool) -> dict[str, metadata.EntryPoint]:
    installed = {ep.name: ep for ep in metadata.entry_points(group=base.GROUP)}
    installed.pop("pdf", None)
    return {**installed, "pdf": PDF_ENTRY} if pdf else installed


@pytest.fixture(autouse=True, scope="session")
def _no_pdf_unless_asked() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        formats = _formats(pdf=False)
        mp.setattr(base, "_entry_points", lambda: formats)
        yield


@pytest.fixture(scope="module")
def with_pdf() -> Iterator[None]:
    """Builds and exports in this test (or module) make the PDF print edition too."""
    with pytest.MonkeyPatch.context() as mp:
        formats = _formats(pdf=True)
        mp.setattr(base, "_entry_points", lambda: formats)
        yield


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files under tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
