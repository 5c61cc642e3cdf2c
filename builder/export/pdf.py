"""The print edition: accessible PDF books laid out by WeasyPrint (`mooc export --format pdf`).

Scopes as for every format: a track gives that track's **learner workbook**, the whole
course ("all") the **facilitator's kit** (`printbook.py` writes their HTML). Each PDF is
PDF/UA-1 (WeasyPrint's `pdf/ua-1` variant: tagged, its reading order the document's, its
language and title in the catalogue and the XMP metadata, headings as bookmarks, images
with their text alternatives), with its fonts embedded: Open Sans for text and DejaVu Sans
for the signs Open Sans lacks, both from Debian packages (`make` installs them), named by
file so that no other font on the machine can slip in.

Only local files are read: the built site's own pages and images, this module's style
sheet, the two fonts; any other URL (an image from another host) is refused, never
fetched. Reproducible: the same source gives the same bytes; with SOURCE_DATE_EPOCH the
PDF's dates are that time, without it the PDF has none.

Laying out takes seconds a book (about 0.05 s of CPU a page), so `mooc build` keeps each
book in its cache (.cache/mooc/pdf/) under a key of everything its bytes depend on: the
next build copies a book whose key is the same instead of laying it out again.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import mimetypes
import os
import re
import shutil
from importlib import metadata, resources
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from ..errors import ExportError, Problem
from ..model import Project
from .base import FileExporter, Package
from .plan import Layout

STYLE = ("builder.export", "assets/print.css")
# family -> (weight, style, file) of each face used; the fonts are Debian's
FONT_DIRS = (Path("/usr/share/fonts/truetype/open-sans"), Path("/usr/share/fonts/truetype/dejavu"))
FONTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Open Sans": (("400", "normal", "OpenSans-Regular.ttf"),
                  ("400", "italic", "OpenSans-Italic.ttf"),
                  ("600", "normal", "OpenSans-Semibold.ttf"),
                  ("600", "italic", "OpenSans-SemiboldItalic.ttf"),
                  ("700", "normal", "OpenSans-Bold.ttf"),
                  ("700", "italic", "OpenSans-BoldItalic.ttf")),
    "DejaVu Sans": (("400", "normal", "DejaVuSans.ttf"),
                    ("700", "normal", "DejaVuSans-Bold.ttf")),
}
FONT_PACKAGES = "fonts-open-sans fonts-dejavu-core"


def font_files() -> dict[str, Path]:
    """Each font file the books use, by name; ExportError naming the Debian packages when
    one is missing."""
    found: dict[str, Path] = {}
    missing = []
    for faces in FONTS.values():
        for _weight, _style, name in faces:
            path = next((d / name for d in FONT_DIRS if (d / name).is_file()), None)
            if path is None:
                missing.append(name)
            else:
                found[name] = path
    if missing:
        raise ExportError(f"the PDF print edition needs the fonts {', '.join(missing)}: "
                          f"install Debian's {FONT_PACKAGES} (make build does it, or "
                          f"apt-get install {FONT_PACKAGES})")
    return found


def font_css(files: dict[str, Path]) -> str:
    rules = []
    for family, faces in FONTS.items():
        for weight, style, name in faces:
            rules.append(f'@font-face{{font-family:"{family}";font-weight:{weight};'
                         f'font-style:{style};src:url("{files[name].as_uri()}")}}')
    return "\n".join(rules)


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date (the PDF's creation and modification dates), or
    None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        epoch = int(raw)
    except ValueError:
        raise ExportError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got "
                          f"'{raw}'") from None
    when = datetime.datetime.fromtimestamp(max(epoch, 0), tz=datetime.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class PdfExporter(FileExporter):
    name = "pdf"
    label: ClassVar[dict[str, str]] = {"en": "PDF (print)", "fr": "PDF (impression)"}
    description: ClassVar[dict[str, str]] = {
        "en": "the PDF print edition to print or read offline (a learner workbook per track, "
              "a facilitator's kit for the whole course)",
        "fr": "l’édition PDF à imprimer ou à lire hors ligne (un cahier d’apprentissage par "
              "parcours, un kit d’animation pour tout le cours)"}
    file_pattern = "{course}-{lang}-{scope}-workbook.pdf"  # "all": package_name below
    kit_pattern: ClassVar[str] = "{course}-{lang}-facilitator-kit.pdf"
    facts: ClassVar[dict[str, str]] = {"pages": "{} pages"}
    notes: ClassVar[dict[str, dict[str, str]]] = {
        "workbook": {"en": "learner workbook", "fr": "cahier d’apprentissage"},
        "kit": {"en": "facilitator's kit", "fr": "kit d’animation"},
        "alt": {"en": "some images have no text alternative",
                "fr": "des images n’ont pas de texte de remplacement"}}
    recognised_as = "PDF"
    checks = "complete file"

    def __init__(self, layout: Layout = "single", pages: Any = None) -> None:
        if layout != "single":
            raise ExportError("the PDF print edition has one layout: a book per track and "
                              "a facilitator's kit (leave out --layout)")
        super().__init__(layout, pages)

    @classmethod
    def package_name(cls, course: str, lang: str, scope: str, layout: Layout) -> str:
        pattern = cls.kit_pattern if scope == "all" else cls.file_pattern
        return pattern.format(course=course, lang=lang, scope=scope)

    def package(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
                track: str | None = None, *, fallback: bool = False) -> Package:
        """The workbook of `track`, or (None) the facilitator's kit. An image without a
        text alternative is an error, or with `fallback` a note on the downloads page."""
        from .printbook import kit, workbook  # noqa: PLC0415 (a site build reads only words)
        course = project.course
        if lang not in project.editions:
            raise ExportError(f"the course has no '{lang}' edition")
        site_dir = Path(site_dir)
        if track is None:
            book = kit(project, lang, site_dir)
            scope, what = "all", "kit"
        else:
            found = course.track(track)
            if found is None:
                ids = ", ".join(t.id for t in course.tracks)
                raise ExportError(f"unknown track '{track}'; tracks: {ids}")
            book = workbook(project, lang, site_dir, found)
            scope, what = track, "workbook"
        if book.missing_alt and not fallback:
            raise ExportError("images without a text alternative (write what the image "
                              "shows between the brackets: ![...](image.png)): "
                              + "; ".join(book.missing_alt))
        path = Path(out_dir) / self.package_name(course.id, lang, scope, self.layout)
        pages = render_pdf(book.html, site_dir, path, self.cache_dir)
        notes = [self.note(what, project, lang)]
        if book.missing_alt:
            notes.append(self.note("alt", project, lang))
        return Package(path, {"pages": pages}, "; ".join(notes))

    @classmethod
    def recognises_file(cls, data: bytes) -> bool:
        return data.startswith(b"%PDF-")

    @classmethod
    def validate_file(cls, data: bytes, where: str) -> list[Problem]:
        """A PDF cut short (an interrupted download) has no end-of-file marker."""
        if b"%%EOF" not in data[-1024:]:
            return [Problem(where, 0, "this PDF is cut short (no end-of-file marker): "
                            "download it again, or make it again")]
        return []


def _language_in_xmp(metadata: Any) -> None:
    """The document's language in the XMP metadata too (dc:language, beside dc:title), not
    only in the catalogue where WeasyPrint puts it (/Lang)."""
    lang = metadata.lang
    if not lang:
        return
    base = type(metadata)

    class WithLanguage(base):  # type: ignore[misc, valid-type]
        def generate_rdf_metadata(self, *args: Any, **kwargs: Any) -> bytes:
            rdf: bytes = super().generate_rdf_metadata(*args, **kwargs)
            language = ('<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
                        'rdf:about=""><dc:language><rdf:Bag><rdf:li>'
                        f"{html.escape(lang, quote=False)}</rdf:li></rdf:Bag></dc:language>"
                        "</rdf:Description>").encode()
            end = b"</rdf:RDF>"
            return rdf.replace(end, language + end, 1) if end in rdf else rdf

    metadata.__class__ = WithLanguage


def render_pdf(document: str, site_dir: Path, target: Path,
               cache_dir: Path | None = None) -> int:
    """Lay out a book's HTML into a PDF/UA-1 file at `target` (written beside it, then
    renamed); its number of pages. With `cache_dir`, a book whose inputs are all the same
    as a book made before (see `_inputs_key`) is that book's copy, not laid out again."""
    import weasyprint  # noqa: PLC0415 (a second or two to load: only when a PDF is made)
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    files = font_files()
    allowed = {p.resolve() for p in files.values()}
    site = site_dir.resolve()

    class LocalFiles(URLFetcher):  # type: ignore[misc]
        """The site's files and the fonts, nothing else: never the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not (path in allowed or path.is_relative_to(site)):
                raise ValueError(f"not fetched: the print edition reads only the site's "
                                 f"own files: {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    date = source_date()
    if date:
        meta = (f'<meta name="dcterms.created" content="{date}">'
                f'<meta name="dcterms.modified" content="{date}">')
        document = document.replace("</head>", meta + "</head>", 1)
    css = font_css(files) + "\n" + (resources.files(STYLE[0]) / STYLE[1]).read_text(
        encoding="utf-8")
    key = _inputs_key(document, css, files, site) if cache_dir is not None else ""
    if cache_dir is not None and (pages := _from_cache(cache_dir, key, target)) is not None:
        return pages
    fetcher = LocalFiles()
    source = weasyprint.HTML(string=document, base_url=site.as_uri() + "/",
                             url_fetcher=fetcher)
    rendered = source.render(stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)],
                           pdf_variant="pdf/ua-1")
    _language_in_xmp(rendered.metadata)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        rendered.write_pdf(partial, pdf_variant="pdf/ua-1")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    pages = len(rendered.pages)
    if cache_dir is not None:
        _to_cache(cache_dir, key, pages, target)
    return pages


# ---------------------------------------------------------------- the cache of books

CACHE_KEEP = 32  # books kept (a course's workbooks and kits in every language, and more)


@functools.cache
def _tools_key() -> str:
    """What lays the books out besides their inputs: this module, WeasyPrint and the
    libraries under it (Pango's version too), the fonts' bytes."""
    from weasyprint.text.ffi import pango  # noqa: PLC0415

    h = hashlib.sha256(Path(__file__).read_bytes())
    for dist in ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5"):
        h.update(f"{dist} {metadata.version(dist)}\n".encode())
    h.update(f"pango {pango.pango_version()}\n".encode())
    for path in font_files().values():
        h.update(path.read_bytes())
    return h.hexdigest()


def _inputs_key(document: str, css: str, files: dict[str, Path], site: Path) -> str:
    """Everything a book's bytes depend on: its HTML (dates included), its style sheet,
    the tools that lay it out, and the bytes of every site file it shows (images)."""
    h = hashlib.sha256(_tools_key().encode())
    # the site's own images are named by their place in the site, not where it is built
    for part in (css, document.replace(site.as_uri(), "site:")):
        h.update(hashlib.sha256(part.encode()).digest())
    for url in sorted(set(re.findall(r'\bsrc="(file://[^"]+)"', document))):
        path = Path(unquote(urlsplit(html.unescape(url)).path))
        if path.is_file():
            h.update(path.relative_to(site).as_posix().encode() if path.is_relative_to(site)
                     else b"")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:40]


def _from_cache(cache_dir: Path, key: str, target: Path) -> int | None:
    """The number of pages of the cached book with this key, copied to `target`; None if
    there is none."""
    hit = next(iter(sorted(cache_dir.glob(f"{key}-*.pdf"))), None)
    if hit is None:
        return None
    try:
        pages = int(hit.stem.rsplit("-", 1)[1])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(hit, partial)
        partial.replace(target)
        os.utime(hit)  # recently used: kept by the next pruning
    except (OSError, ValueError):
        return None
    return pages


def _to_cache(cache_dir: Path, key: str, pages: int, made: Path) -> None:
    """Keep a copy of a book just made; the least recently used beyond CACHE_KEEP go.
    A cache that cannot be written is no error: the next build lays the book out again."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cache_dir / f".{key}.partial"
        shutil.copyfile(made, partial)
        partial.replace(cache_dir / f"{key}-{pages}.pdf")
        books = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in books[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
