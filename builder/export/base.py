"""The exporter interface, and the registry of the formats installed.

An output format is a class derived from `Exporter`, named under the `mooc.exporters`
entry points of the distribution that holds it, the way mkdocs finds its plugins:

    [project.entry-points."mooc.exporters"]
    scorm12 = "builder.export.scorm12:Scorm12Exporter"

so a format from another distribution is installed with pip, and every command sees it:
`mooc export --format`, the packages `mooc build` writes into downloads/ and lists on the
downloads page, and `mooc validate`. The class declares everything those need (its name,
label and description per language, file names, the runtime script it adds to pages, its
measured bounds and fallbacks) and checks its own packages (`recognises`, `validate`).
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import ClassVar

from ..common.rewrite import NO_SIDE, Finish, PageCache, Side
from ..common.strings import ANY, load_strings
from ..errors import ExportError, Problem, did_you_mean
from ..model import Project, Value, pick
from .archive import SafeZip
from .plan import LAYOUTS, Layout

GROUP = "mooc.exporters"


@dataclass(frozen=True, eq=False, repr=False)
class Runtime(Value):
    """A script a format adds to every page it packages (each page's last element is
    `<script src=... data-page=... data-scope=...>`: its own path, its part's pages)."""

    path: str  # in the package, e.g. "assets/mooc/package-page.js"
    package: str  # the Python package that holds the file
    resource: str  # the file inside that package

    def read(self) -> bytes:
        return (resources.files(self.package) / self.resource).read_bytes()


# The script every page of a SCORM or cmi5 package ends with: it hands the page to the
# format's runtime in the launch page above it, and keeps later links inside the package.
PACKAGE_PAGE = Runtime("assets/mooc/package-page.js", "builder.export", "assets/package-page.js")


class Report:
    """The problems `validate` finds in a package, each `where:` (the package) first."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def error(self, message: str, line: int = 0, path: str = "") -> None:
        self.problems.append(Problem(path or self.where, line, message))

    def warn(self, message: str, line: int = 0, path: str = "") -> None:
        self.problems.append(Problem(path or self.where, line, message, "warning"))


@dataclass(frozen=True, eq=False, repr=False)
class Package(Value):
    """One package written by an exporter."""

    path: Path
    facts: Mapping[str, int] = field(default_factory=dict)  # keys of Exporter.facts
    note: str = ""  # how a fallback changed it, in the package's language (downloads page)
    # what of the course it leaves out (a question its format cannot express), each at
    # its source's path:line as a warning; `mooc export` prints them
    left_out: tuple[Problem, ...] = ()


class Exporter(ABC):
    """One output format. Subclasses set the class attributes and write `package`,
    `recognises` and `validate`; then one entry point makes them a format."""

    name: ClassVar[str]  # the --format value, e.g. "scorm12"
    label: ClassVar[Mapping[str, str]]  # per language ("en" at least): "SCORM 1.2"
    description: ClassVar[Mapping[str, str]]  # per language: when to use it (downloads page)
    # The files it writes: {course}, {lang}, {scope} (a track id or "all"), {layout}
    # ("" for one part per package, "-modules" for one part per module).
    file_pattern: ClassVar[str]
    runtime: ClassVar[Runtime | None] = None
    # whether `package` reads the built site (a question bank needs only the course)
    needs_site: ClassVar[bool] = True
    # a folder where a format may keep what it made for the next build to take back when
    # its inputs are the same (the build's cache, .cache/mooc/<format>/); None: none
    cache_dir: Path | None = None
    # What it measures per package: packages.json key -> `mooc export` wording ({} the value)
    facts: ClassVar[Mapping[str, str]] = {}
    # `mooc validate`'s words: what a package it recognises is called (default: the English
    # label), and what its `validate` looks at
    recognised_as: ClassVar[str | None] = None
    checks: ClassVar[str] = "structure"
    # What the downloads page may say of a package (Package.note), per language: interface
    # strings `format_<name>_note_<key>` (wordings()), so a course may add a language
    notes: ClassVar[Mapping[str, Mapping[str, str]]] = {}

    def __init__(self, layout: Layout = "single", pages: PageCache | None = None) -> None:
        """`layout`: one part (SCO) per package or one per module; `pages`: the rewritten
        pages that the exports of one scope share (see PageCache)."""
        self.layout = layout
        self.pages = pages if pages is not None else PageCache()

    # -- writing
    @abstractmethod
    def package(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
                track: str | None = None, *, fallback: bool = False) -> Package:
        """Write the package of `track` (None: the whole course) from a site built with
        file-relative links into out_dir. With `fallback`, a package that cannot be made
        as asked may be made another way (Package.note says how) instead of failing."""

    def export(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
               track: str | None = None) -> Path:
        """`package` without fallback: the path of the file written."""
        return self.package(project, lang, site_dir, out_dir, track).path

    @classmethod
    def package_name(cls, course: str, lang: str, scope: str, layout: Layout) -> str:
        return cls.file_pattern.format(course=course, lang=lang, scope=scope,
                                       layout="-modules" if layout == "module" else "")

    def site_files(self, site_dir: Path, parts: Sequence[Sequence[str]],
                   side: Side = NO_SIDE, finish: Mapping[str, Finish] | None = None
                   ) -> dict[str, bytes]:
        """The package's pages (each part's own: a SCO's, and the `side` pages beside
        them), rewritten with this format's runtime and `finish` (by path, see
        `PageCache.content`), every file they use, and the runtime itself."""
        runtime = self.runtime
        files = dict(self.pages.content(site_dir, parts, runtime.path if runtime else None,
                                        side, finish))
        if runtime is not None:
            files[runtime.path] = runtime.read()
        return files

    @classmethod
    def note(cls, key: str, project: Project, lang: str) -> str:
        """The note `key` (see `notes`) in `lang`, the course's own wording first."""
        return interface_strings(project, lang)[f"format_{cls.name}_note_{key}"]

    @classmethod
    def text(cls, wording: Mapping[str, str], lang: str) -> str:
        """A declared wording in `lang`, else in the first language it declares."""
        return pick(dict(wording), lang, cls.name)

    # -- checking (`mooc validate`); nothing is ever extracted from `package`
    @classmethod
    @abstractmethod
    def recognises(cls, package: SafeZip) -> bool:
        """Whether the file is a package of this format (its own marks, not its name)."""

    @classmethod
    @abstractmethod
    def validate(cls, package: SafeZip, where: str, schemas: Path | None) -> list[Problem]:
        """What is wrong with a package this format recognises (errors: do not import).
        `where` starts every problem's path; `schemas`: a folder of official schemas."""

    @classmethod
    def why_not(cls, package: SafeZip, where: str) -> list[Problem]:
        """When no format recognises a file: why it is not a package of this one, if it
        nearly is (a SCORM package with a broken manifest). Nothing by default."""
        return []


class FileExporter(Exporter):
    """A format whose package is one file, not a zip (a question bank in Moodle XML or
    GIFT): `mooc validate` hands it the file's bytes instead of a zip."""

    MAX_FILE: ClassVar[int] = 64 * 1024 * 1024  # bytes `mooc validate` reads at most

    @classmethod
    def recognises(cls, package: SafeZip) -> bool:
        return False

    @classmethod
    def validate(cls, package: SafeZip, where: str, schemas: Path | None) -> list[Problem]:
        return []

    @classmethod
    @abstractmethod
    def recognises_file(cls, data: bytes) -> bool:
        """Whether the bytes are a file of this format (its own marks, not its name)."""

    @classmethod
    @abstractmethod
    def validate_file(cls, data: bytes, where: str) -> list[Problem]:
        """What is wrong with a file this format recognises (errors: do not import)."""


# ---------------------------------------------------------------- the registry

@functools.cache
def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=GROUP)}


def formats() -> list[str]:
    """The names of the installed formats, sorted."""
    return sorted(_entry_points())


@functools.cache
def exporter_class(name: str) -> type[Exporter]:
    """The class of an installed format; ExportError if there is none or it is broken."""
    ep = _entry_points().get(name)
    if ep is None:
        known = formats()
        hint = f"formats: {', '.join(known)}" if known else (
            f"no format is installed: reinstall mooc-builder (pip install -e .), whose "
            f"'{GROUP}' entry points declare them")
        raise ExportError(f"unknown export format '{name}'{did_you_mean(name, known)}; {hint}")
    where = f"export format '{name}' ({ep.value}, entry point of {GROUP})"
    try:
        cls = ep.load()
    except Exception as exc:  # a broken plugin must not look like our bug
        raise ExportError(f"{where} cannot be loaded: {type(exc).__name__}: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, Exporter)):
        raise ExportError(f"{where} is not a class derived from builder.export.Exporter")
    if getattr(cls, "name", None) != name:
        raise ExportError(f"{where} calls itself '{getattr(cls, 'name', None)}'")
    return cls


def exporter_classes() -> list[type[Exporter]]:
    return [exporter_class(name) for name in formats()]


def wordings() -> dict[str, dict[str, str]]:
    """Each installed format's label and description as interface strings
    (`format_<name>_label`, `format_<name>_description`), per language it declares them
    in: a course's strings file may override them, or add a language. A label declared in
    one language only is the format's name ("SCORM 1.2", "GIFT"): the same in every
    language (under ANY)."""
    out: dict[str, dict[str, str]] = {}
    for e in exporter_classes():
        declared = [("label", e.label), ("description", e.description),
                    *((f"note_{key}", text) for key, text in e.notes.items())]
        for what, wording in declared:
            if what == "label" and len(wording) == 1:
                out.setdefault(ANY, {})[f"format_{e.name}_{what}"] = next(
                    iter(wording.values()))
                continue
            for lang, text in wording.items():
                out.setdefault(lang, {})[f"format_{e.name}_{what}"] = text
    return out


def interface_strings(project: Project, lang: str) -> dict[str, str]:
    """The interface strings of `lang` a package shows: the builder's (render/strings/),
    the formats' wordings, the course's own overrides."""
    edition = project.editions.get(lang)
    return load_strings(lang, edition.strings if edition is not None else {}, wordings())


def get_exporter(name: str, layout: Layout = "single",
                 pages: PageCache | None = None) -> Exporter:
    """An exporter of an installed format, with its layout and the page cache that the
    exports of one scope in several formats share."""
    if layout not in LAYOUTS:
        raise ExportError(f"unknown layout '{layout}' (use one of: {', '.join(LAYOUTS)})")
    return exporter_class(name)(layout=layout, pages=pages)
