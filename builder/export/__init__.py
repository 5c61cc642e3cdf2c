"""Packages of a built course for learning platforms, and `mooc validate`'s checks.

The formats are not listed here: each is an `Exporter` class named under the
`mooc.exporters` entry points (see `base.py`); this distribution declares SCORM 1.2 and
SCORM 2004 (`scorm12.py`, `scorm2004.py`, their shared flow in `scorm.py`), and the
question banks, Moodle XML and GIFT (`moodle_xml.py`, `gift.py`, their shared flow in
`qbank.py`; made from the course alone, no site). Packages are made from the already-built
site folder, so nothing here imports mkdocs; the builder's
own modules imported are `errors`, `model`, `questions` and the `common` floor (page
rewriting, relative URLs, JSON for the browser), never `render`.
"""

from .base import (
    GROUP,
    Exporter,
    FileExporter,
    Package,
    Runtime,
    exporter_class,
    exporter_classes,
    formats,
    get_exporter,
)
from .plan import LAYOUTS

__all__ = ["GROUP", "LAYOUTS", "Exporter", "FileExporter", "Package", "Runtime", "exporter_class",
           "exporter_classes", "formats", "get_exporter"]
