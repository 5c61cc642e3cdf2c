"""Exports of a built course: SCORM 1.2 and SCORM 2004 packages, and their checks.

Imports only `errors` and `model` from the builder (never mkdocs): packages are made
from the already-built site folder.
"""

from . import scorm12, scorm2004  # noqa: F401 (registers the formats)
from .base import Exporter, formats, get_exporter, register
from .plan import LAYOUTS

__all__ = ["LAYOUTS", "Exporter", "formats", "get_exporter", "register"]
