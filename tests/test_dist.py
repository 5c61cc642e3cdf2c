"""`make dist`: a wheel an LMS admin installs with pip or pipx, without the repository, and
whose `mooc validate` has everything it needs (the official XSDs)."""

from __future__ import annotations

import os
import subprocess
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_scorm_validate import MANIFEST_12, package


def test_the_licence_is_an_spdx_string() -> None:
    """A TOML table makes setuptools print a deprecation block on every install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"


@pytest.mark.slow
def test_make_dist_builds_a_wheel_that_validates_on_its_own(tmp_path: Path) -> None:
    """Build with `make dist`, install into a plain venv (nothing from the system's or the
    repository's site-packages), and validate from a folder outside the repository."""
    dist = tmp_path / "dist"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    made = subprocess.run(["make", "-C", str(ROOT), "dist", f"DIST={dist}"], env=env,
                          capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "deprecated" not in made.stdout + made.stderr  # setuptools' licence noise
    wheels = list(dist.glob("mooc_builder-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as zf:
        names = set(zf.namelist())
    assert {"builder/schemas/scorm12/imscp_rootv1p1p2.xsd",
            "builder/schemas/scorm2004-4th/imscp_v1p1.xsd",
            "builder/schemas/cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd",
            "builder/schemas/scorm-schemas-README.md"} <= names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)  # no --system-site-packages
    python = env_dir / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheels[0])],
                               env=env, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    elsewhere = tmp_path / "admin"
    elsewhere.mkdir()
    package(elsewhere).rename(elsewhere / "good.zip")
    package(elsewhere, MANIFEST_12.replace(
        "<title>T</title>", "<title>T</title><colour>red</colour>")).rename(
        elsewhere / "bad.zip")
    ran = subprocess.run([str(env_dir / "bin" / "mooc"), "validate", "good.zip", "bad.zip"],
                         cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "good.zip: valid SCORM 1.2 package (structure and XSD;" in ran.stdout
    assert "bad.zip:imsmanifest.xml: XSD:" in ran.stderr and "colour" in ran.stderr
    where = subprocess.run([str(python), "-c", "import builder; print(builder.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True,
                           check=True).stdout
    assert where.startswith(str(env_dir)), where
