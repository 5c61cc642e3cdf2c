"""`mooc validate PACKAGE.zip`: what an LMS admin wants to know before an import.

A package that is one file, not a zip (a question bank), is checked by the installed
format that recognises its bytes (`FileExporter.recognises_file`, `validate_file`).
A zip is read as hostile, never extracted (`archive.SafeZip`): unsafe names, links,
encrypted entries, size overruns and damaged entries (CRC-32) are found whatever the
format. Then the installed format whose marks the package bears (`Exporter.recognises`)
checks it with its own `validate` (SCORM: `scorm_check.py`, with the official XSDs
shipped in `builder/schemas/`, or those of another folder given), and every page is
searched for resources loaded from another host.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import Problem
from .archive import SafeZip, UnsafeZip
from .base import FileExporter, Report, exporter_classes

# The official XSDs shipped inside the package (scorm12/, scorm2004-4th/, cc11/).
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
MAX_PAGE = 16 * 1024 * 1024
MAX_PAGES_READ = 128 * 1024 * 1024  # of HTML read in all, looking for remote resources
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|link|source|video|audio|embed|object)\b[^>]*?\s"""
    r"""(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def validate_package(package: Path, schemas: Path | None = None) -> tuple[str | None,
                                                                          list[Problem]]:
    """(the format found, e.g. "scorm12", or None; problems). Errors mean: do not import.
    `schemas`: a folder of official schemas, scorm12/ and scorm2004-4th/ for SCORM
    (default: the shipped XSDs)."""
    report = Report(str(package))
    if not package.is_file():
        report.error("no such file")
        return None, report.problems
    if not zipfile.is_zipfile(package):
        found = _check_file(package, report)
        if found is not None:
            return found, report.problems
    try:
        with SafeZip(package) as zf:
            found = _check_zip(zf, report, schemas or SCHEMAS)
    except UnsafeZip as exc:
        report.error(f"unsafe or unreadable zip: {exc}")
        return None, report.problems
    return found, report.problems


def _check_zip(zf: SafeZip, report: Report, schemas: Path) -> str | None:
    names = set(zf.entries)
    damaged = zf.damaged()
    for name, why in sorted(damaged.items()):
        report.error(f"damaged: {why} (make the package again, or copy it again)",
                     path=f"{report.where}:{name}")
    installed = exporter_classes()
    exporter = next((e for e in installed if e.recognises(zf)), None)
    if exporter is None:
        reasons = list(dict.fromkeys(p for e in installed for p in e.why_not(zf, report.where)))
        report.problems += reasons
        if not reasons and not damaged:
            labels = ", ".join(e.text(e.label, "en") for e in installed)
            report.error(f"not a package of any installed format ({labels})")
        return None
    report.problems += exporter.validate(zf, report.where, schemas)
    _check_pages(zf, names - set(damaged), report)
    return exporter.name


def _check_file(package: Path, report: Report) -> str | None:
    """A package that is one file (a question bank): the installed format that recognises
    its bytes checks it. None when none does (then it is read as a zip, which says why
    it is not one)."""
    files = [e for e in exporter_classes() if issubclass(e, FileExporter)]
    limit = max((e.MAX_FILE for e in files), default=0)
    if package.stat().st_size > limit:
        return None
    data = package.read_bytes()
    exporter = next((e for e in files if e.recognises_file(data)), None)
    if exporter is None:
        return None
    report.problems += exporter.validate_file(data, report.where)
    return exporter.name


def _check_pages(zf: SafeZip, names: set[str], report: Report) -> None:
    """Pages that would load something from another host (or break offline use)."""
    budget = MAX_PAGES_READ
    for name in sorted(n for n in names if n.endswith((".html", ".htm"))):
        budget -= zf.entries[name].size
        if budget < 0:
            report.warn("too many pages to look at them all for remote resources")
            return
        text = zf.read(name, MAX_PAGE).decode("utf-8", "replace")
        m = EXTERNAL_LOAD.search(text)
        if m:
            report.warn(f"loads a resource from another host: {m.group(0)[:120]}",
                        path=f"{report.where}:{name}")
