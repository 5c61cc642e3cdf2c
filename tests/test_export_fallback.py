"""A course too large for one SCORM 1.2 SCO still builds: its whole-course package is made
with one SCO per module (the per-track packages keep one SCO)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.bench import make_course
from builder.cli import main
from builder.errors import ExportError
from builder.export.downloads import export_packages
from builder.pipeline import Settings, load_checked


def test_large_course_falls_back_to_one_sco_per_module(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "big"
    make_course(folder, 40)  # four tracks of ten modules, six questions each
    site = tmp_path / "site"
    assert main(["build", "-f", str(folder / "mkdocs.yml"), "-d", str(site)]) == 0
    names = sorted(p.name for p in (site / "downloads").glob("*.zip"))
    assert "bench-en-all-scorm12-modules.zip" in names  # the fallback
    assert "bench-en-t000-scorm12.zip" in names  # a track still fits in one SCO
    assert "one SCO per module" in (site / "downloads/index.html").read_text(encoding="utf-8")
    # without the fallback (mooc export), the same package is refused with a clear message
    project, _ = load_checked(Settings.at(folder))
    with pytest.raises(ExportError, match=r"suspend_data.*4096"):
        export_packages(project, "en", site, tmp_path / "out", ["scorm12"], [None])
