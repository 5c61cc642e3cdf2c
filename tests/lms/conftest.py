"""Fixtures of the real-Moodle tests (make test-lms)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def real_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real course's packages, as `mooc build` makes them."""
    site = tmp_path_factory.mktemp("real") / "site"
    subprocess.run([str(ROOT / ".venv/bin/mooc"), "build", "-d", str(site)], cwd=ROOT,
                   check=True, capture_output=True, text=True)
    return site / "downloads"
