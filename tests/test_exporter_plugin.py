"""An output format from another distribution, installed with pip, is a format of every
command: `mooc export --help`, `mooc build`'s downloads (packages.json and the page) and
`mooc validate` (tests/fixtures/exporter-plugin: one module and one entry point)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import FIXTURES

PLUGIN = FIXTURES / "exporter-plugin"
DIST = "mooc-tinyzip"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True,
                          env=ENV, check=False)


def _mooc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed `mooc` command, in a new process: it reads the entry points afresh,
    with the folder mooc-tinyzip is installed in on its path (see `tinyzip`)."""
    path = os.pathsep.join(p for p in (*INSTALLED_IN, ENV.get("PYTHONPATH")) if p)
    return subprocess.run([str(BIN / "mooc"), *args], capture_output=True, text=True,
                          env={**ENV, "PYTHONPATH": path}, cwd=cwd, check=False)


INSTALLED_IN: list[str] = []  # the folder `tinyzip` installed it in


@pytest.fixture(scope="module")
def tinyzip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """mooc-tinyzip installed with pip for the module's tests, into a folder of its own
    that only `_mooc` puts on the path: the venv, which other tests (and other test runs,
    in parallel) use at the same time, never sees it."""
    source = tmp_path_factory.mktemp("plugin") / "exporter-plugin"
    shutil.copytree(PLUGIN, source)  # pip builds in the folder: not in the repository
    target = tmp_path_factory.mktemp("site-packages")
    run = _pip("install", "--quiet", "--no-deps", "--target", str(target), str(source))
    assert run.returncode == 0, run.stderr
    INSTALLED_IN[:] = [str(target)]
    yield
    INSTALLED_IN.clear()


@pytest.mark.slow
def test_an_installed_exporter_is_a_format_of_every_command(
        tinyzip: None, tmp_path: Path) -> None:
    help_text = _mooc("export", "--help", cwd=tmp_path).stdout
    choices = re.search(r"--format \{([^}]*)\}", help_text)
    assert choices and {"scorm12", "scorm2004", "tinyzip"} <= set(choices.group(1).split(","))
    assert "tinyzip: Tiny zip" in " ".join(help_text.split())  # however argparse wraps it

    course = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", course)
    build = _mooc("build", "-d", str(tmp_path / "site"), cwd=course)
    assert build.returncode == 0, build.stderr
    downloads = tmp_path / "site" / "downloads"
    rows = json.loads((downloads / "packages.json").read_text(encoding="utf-8"))
    tiny = [r for r in rows if r["format"] == "tinyzip"]
    assert [(r["file"], r["scope"], r["pages"]) for r in tiny] == [
        ("mini-en-basics-tinyzip.zip", "basics", 2), ("mini-en-all-tinyzip.zip", "all", 2)]
    assert "suspend_data_max" not in tiny[0]  # a SCORM fact, not this format's
    page = (downloads / "index.html").read_text(encoding="utf-8")
    assert '<a href="mini-en-all-tinyzip.zip" download>' in page
    assert "<td>Tiny zip</td>" in page
    assert "; Tiny zip for reading offline." in page  # its description, after SCORM's

    package = downloads / "mini-en-all-tinyzip.zip"
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        first = zf.read("basics/first.html").decode("utf-8")
    assert {"tinyzip.json", "basics/first.html", "basics/second.html"} <= names
    assert "Content-Security-Policy" in first  # rewritten by the shared floor...
    assert "scorm-runtime.js" not in first and "assets/mooc/scorm-runtime.js" not in names

    valid = _mooc("validate", str(package), str(downloads / "mini-en-all-scorm12.zip"),
                  cwd=tmp_path)
    assert valid.returncode == 0, valid.stderr
    assert f"{package}: valid Tiny zip package (listing; 0 warning(s))" in valid.stdout
    assert "valid SCORM 1.2 package" in valid.stdout
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            if name != "basics/second.html":
                dst.writestr(name, src.read(name))
    invalid = _mooc("validate", str(broken), cwd=tmp_path)
    assert invalid.returncode == 1
    assert f"{broken}:tinyzip.json: page 'basics/second.html' is not in the zip" \
        in invalid.stderr

    export = _mooc("export", "--format", "tinyzip", "--track", "basics", "-o",
                   str(tmp_path / "dist"), cwd=course)
    assert export.returncode == 0, export.stderr
    assert "mini-en-basics-tinyzip.zip" in export.stdout and "  2 pages  " in export.stdout
