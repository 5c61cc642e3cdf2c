"""The exporter interface and the registry of formats.

An exporter turns an already-built site (pages with file-relative links) into one
package file. A new format is one module that defines a class and registers it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..errors import ExportError, did_you_mean
from ..model import Project


class Exporter(Protocol):
    name: str

    def export(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
               track: str | None = None) -> Path:
        """Write the package of `track` (None: the whole course) into out_dir; its path."""
        ...


ExporterFactory = Callable[..., Exporter]
_REGISTRY: dict[str, ExporterFactory] = {}


def register(name: str) -> Callable[[ExporterFactory], ExporterFactory]:
    def add(factory: ExporterFactory) -> ExporterFactory:
        _REGISTRY[name] = factory
        return factory
    return add


def formats() -> list[str]:
    return sorted(_REGISTRY)


def get_exporter(name: str, **options: object) -> Exporter:
    """The exporter for a format, with options (layout='module'; pages=a PageCache that
    exports of one scope in several formats share)."""
    factory = _REGISTRY.get(name)
    if factory is None:
        raise ExportError(f"unknown export format '{name}'{did_you_mean(name, formats())}; "
                          f"formats: {', '.join(formats())}")
    return factory(**options)
