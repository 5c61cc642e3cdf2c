"""`mooc validate PACKAGE.zip`: what an LMS admin wants to know before an import.

Structural checks that the XSDs miss (the zip is read as hostile, never extracted):
manifest at the root, safe names, one organization, every `identifierref` resolves,
every referenced file exists, `scormtype`/`scormType` on every launched resource, no
absolute or `..` paths, unique identifiers, no page loading anything from another host.
Then XSD validation of the manifest against the official schemas shipped in
`builder/schemas/` (or those of another folder given).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import Problem
from . import scorm12, scorm2004
from .archive import MANIFEST, SafeZip, UnsafeZip, check_name

NS12, ADLCP12 = scorm12.NS_CP, scorm12.NS_ADLCP
NS04, ADLCP04 = scorm2004.NS_CP, scorm2004.NS_ADLCP
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# The official XSDs shipped inside the package (scorm12/, scorm2004-4th/, cc11/).
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
MAX_MANIFEST = 8 * 1024 * 1024
MAX_PAGE = 16 * 1024 * 1024
MAX_PAGES_READ = 128 * 1024 * 1024  # of HTML read in all, looking for remote resources
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|link|source|video|audio|embed|object)\b[^>]*?\s"""
    r"""(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


class _Report:
    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def error(self, message: str, line: int = 0, path: str = "") -> None:
        self.problems.append(Problem(path or self.where, line, message))

    def warn(self, message: str, line: int = 0, path: str = "") -> None:
        self.problems.append(Problem(path or self.where, line, message, "warning"))


def validate_package(package: Path, schemas: Path | None = None) -> tuple[str | None,
                                                                          list[Problem]]:
    """(the SCORM version found or None, problems). Errors mean: do not import.
    `schemas`: a folder holding scorm12/ and scorm2004-4th/ (default: the shipped XSDs)."""
    report = _Report(str(package))
    if not package.is_file():
        report.error("no such file")
        return None, report.problems
    try:
        with SafeZip(package) as zf:
            version = _check_zip(zf, report, schemas or SCHEMAS)
    except UnsafeZip as exc:
        report.error(f"unsafe or unreadable zip: {exc}")
        return None, report.problems
    return version, report.problems


def _check_zip(zf: SafeZip, report: _Report, schemas: Path) -> str | None:
    names = set(zf.entries)
    damaged = zf.damaged()
    for name, why in sorted(damaged.items()):
        report.error(f"damaged: {why} (make the package again, or copy it again)",
                     path=f"{report.where}:{name}")
    if MANIFEST in damaged:
        return None
    if MANIFEST not in names:
        nested = sorted(n for n in names if n.endswith("/" + MANIFEST))
        hint = f" (found {nested[0]}: zip the folder's content, not the folder)" \
            if nested else ""
        report.error(f"no {MANIFEST} at the root of the zip{hint}")
        return None
    where = f"{report.where}:{MANIFEST}"
    raw = zf.read(MANIFEST, MAX_MANIFEST)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        report.error("the manifest declares a DOCTYPE or entities (refused)", path=where)
        return None
    try:
        # No DOCTYPE (refused above): no entities to expand, nothing external to fetch.
        root = ET.fromstring(raw)  # noqa: S314
    except ET.ParseError as exc:
        report.error(f"not well-formed XML: {exc}", path=where)
        return None
    version = _version(root)
    if version is None:
        report.error(f"the root element is {root.tag}, not an IMS content-packaging "
                     "manifest of SCORM 1.2 or 2004", path=where)
        return None
    _check_manifest(root, version, names, report, where)
    _check_pages(zf, names - set(damaged), report)
    for message in xsd_errors(root, version, schemas):
        report.error(f"XSD: {message}", path=where)
    return version


def _version(root: ET.Element) -> str | None:
    if root.tag == f"{{{NS12}}}manifest":
        return "1.2"
    if root.tag == f"{{{NS04}}}manifest":
        return "2004"
    return None


def _describe(el: ET.Element) -> str:
    tag = el.tag.rsplit("}", 1)[-1]
    ident = el.get("identifier")
    return f"{tag} '{ident}'" if ident else tag


def _check_manifest(root: ET.Element, version: str, names: set[str], report: _Report,
                    where: str) -> None:
    ns = NS12 if version == "1.2" else NS04
    adlcp = ADLCP12 if version == "1.2" else ADLCP04

    def q(tag: str) -> str:
        return f"{{{ns}}}{tag}"

    scormtype = f"{{{adlcp}}}scormtype" if version == "1.2" else f"{{{adlcp}}}scormType"
    wrong_type = f"{{{adlcp}}}scormType" if version == "1.2" else f"{{{adlcp}}}scormtype"

    schemaversion = root.find(f"{q('metadata')}/{q('schemaversion')}")
    found = (schemaversion.text or "").strip() if schemaversion is not None else ""
    expected = ("1.2",) if version == "1.2" else ("2004 4th Edition", "2004 3rd Edition",
                                                   "CAM 1.3")
    if found not in expected:
        report.warn(f"metadata/schemaversion is '{found}', expected "
                    f"{' or '.join(repr(e) for e in expected)}", path=where)

    ids: dict[str, ET.Element] = {}
    for el in root.iter():
        ident = el.get("identifier")
        if ident is None:
            continue
        if ident in ids:
            report.error(f"identifier '{ident}' is used twice", path=where)
        ids[ident] = el
        if not re.fullmatch(r"[A-Za-z_][\w.-]*", ident):
            report.error(f"{_describe(el)}: identifier is not a valid XML ID", path=where)

    resources = {r.get("identifier", ""): r for r in root.iter(q("resource"))}
    orgs_el = root.find(q("organizations"))
    orgs = list(orgs_el.findall(q("organization"))) if orgs_el is not None else []
    if not orgs:
        report.error("no organization: the LMS would have nothing to launch", path=where)
    elif len(orgs) > 1:
        report.warn(f"{len(orgs)} organizations: most LMSs show only the default one",
                    path=where)
    default = orgs_el.get("default") if orgs_el is not None else None
    if default and default not in {o.get("identifier") for o in orgs}:
        report.error(f"organizations/@default '{default}' names no organization", path=where)

    launched: set[str] = set()
    for org in orgs:
        top = org.findall(q("item"))
        if len(top) > 1:
            report.warn(f"{_describe(org)} has {len(top)} top-level items: wrap them in one "
                        "item (Moodle's previous/next needs it)", path=where)
        for item in org.iter(q("item")):
            ref = item.get("identifierref")
            children = item.findall(q("item"))
            if ref is None:
                if not children:
                    report.error(f"{_describe(item)}: an item without children must launch "
                                 "something (identifierref)", path=where)
                continue
            if version == "2004" and children:
                report.error(f"{_describe(item)}: an item with children cannot have an "
                             "identifierref in SCORM 2004", path=where)
            if ref not in resources:
                report.error(f"{_describe(item)}: identifierref '{ref}' names no resource",
                             path=where)
                continue
            launched.add(ref)

    for ident, res in resources.items():
        base = _join_base(root.find(q("resources")), res)
        href = res.get("href")
        kind = res.get(scormtype)
        if res.get(wrong_type) is not None:
            report.error(f"{_describe(res)}: '{wrong_type.rsplit('}', 1)[-1]}' is the other "
                         f"SCORM version's spelling", path=where)
        if ident in launched:
            if kind is None:
                report.error(f"{_describe(res)}: launched but has no "
                             f"adlcp:{scormtype.rsplit('}', 1)[-1]} (the LMS treats it as "
                             "an asset: no API, marked complete on launch)", path=where)
            if not href:
                report.error(f"{_describe(res)}: launched but has no href", path=where)
        if kind is not None and kind not in ("sco", "asset"):
            report.error(f"{_describe(res)}: scormtype '{kind}' (use sco or asset)",
                         path=where)
        listed: set[str] = set()
        for file in res.findall(q("file")):
            fhref = file.get("href")
            if fhref is None:
                report.error(f"{_describe(res)}: a file without href", path=where)
                continue
            target = _check_href(base, fhref, report, where, _describe(res))
            if target is not None:
                listed.add(target)
                if target not in names:
                    report.error(f"{_describe(res)}: file '{fhref}' is not in the zip",
                                 path=where)
        if href:
            target = _check_href(base, href.split("?", 1)[0].split("#", 1)[0], report, where,
                                 _describe(res))
            if target is not None and target not in names:
                report.error(f"{_describe(res)}: href '{href}' is not in the zip", path=where)
            elif target is not None and target not in listed and res.findall(q("file")):
                report.warn(f"{_describe(res)}: href '{href}' is not listed as a file",
                            path=where)
        for dep in res.findall(q("dependency")):
            dref = dep.get("identifierref")
            if dref not in resources:
                report.error(f"{_describe(res)}: dependency '{dref}' names no resource",
                             path=where)

    listed_all = {_norm(_join_base(root.find(q("resources")), r), f.get("href") or "")
                  for r in resources.values() for f in r.findall(q("file"))}
    unlisted = sorted(n for n in names if n not in listed_all and n != MANIFEST
                      and not n.endswith((".xsd", ".dtd")))
    if unlisted:
        more = f" and {len(unlisted) - 5} more" if len(unlisted) > 5 else ""
        report.warn(f"{len(unlisted)} file(s) in the zip are in no resource: "
                    f"{', '.join(unlisted[:5])}{more}", path=where)
    if version == "1.2":
        for el in root.iter(f"{{{ADLCP12}}}masteryscore"):
            text = (el.text or "").strip()
            if not re.fullmatch(r"\d{1,3}(\.\d+)?", text) or float(text) > 100:
                report.error(f"adlcp:masteryscore '{text}' is not a number from 0 to 100",
                             path=where)


def _join_base(*elements: ET.Element | None) -> str:
    base = ""
    for el in elements:
        if el is not None and el.get(XML_BASE):
            base = posixpath.join(base, el.get(XML_BASE) or "")
    return base


def _norm(base: str, href: str) -> str:
    """A manifest href (a URL) -> the zip entry it names."""
    return posixpath.normpath(unquote(posixpath.join(base, href))) if href else ""


def _check_href(base: str, href: str, report: _Report, where: str, owner: str) -> str | None:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("//"):
        report.warn(f"{owner}: '{href}' is outside the package", path=where)
        return None
    why = check_name(unquote(posixpath.join(base, href)))
    if why:
        report.error(f"{owner}: {why}", path=where)
        return None
    return _norm(base, href)


def _check_pages(zf: SafeZip, names: set[str], report: _Report) -> None:
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


# ---------------------------------------------------------------- XSD

@lru_cache(maxsize=4)
def _schema(version: str, folder: str) -> Any:
    try:
        import xmlschema  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        raise RuntimeError("XSD validation needs the 'xmlschema' package "
                           "(pip install xmlschema)") from None
    root = Path(folder).resolve()
    s12, s04 = root / "scorm12", root / "scorm2004-4th"
    w3c_xml = (s04 / "xml.xsd").as_uri()

    def uri_mapper(uri: str) -> str:
        if uri.endswith("/ims_xml.xsd") or re.match(r"https?://www\.w3\.org/.*xml\.xsd$", uri):
            return w3c_xml
        return uri

    if version == "1.2":
        return xmlschema.XMLSchema11(
            str(s12 / "imscp_rootv1p1p2.xsd"), allow="local", uri_mapper=uri_mapper,
            locations=[(scorm12.NS_ADLCP, str(s12 / "adlcp_rootv1p2.xsd")),
                       (scorm12.NS_MD, str(s12 / "imsmd_rootv1p2p1.xsd"))])
    return xmlschema.XMLSchema10(
        str(s04 / "imscp_v1p1.xsd"), allow="local", uri_mapper=uri_mapper,
        locations=[(scorm2004.NS_ADLCP, str(s04 / "adlcp_v1p3.xsd")),
                   (scorm2004.NS_ADLSEQ, str(s04 / "adlseq_v1p3.xsd")),
                   (scorm2004.NS_ADLNAV, str(s04 / "adlnav_v1p3.xsd")),
                   (scorm2004.NS_IMSSS, str(s04 / "imsss_v1p0.xsd")),
                   (scorm2004.NS_LOM, str(s04 / "lom.xsd"))])


def xsd_errors(manifest: ET.Element, version: str, schemas: Path) -> list[str]:
    """Messages of the official XSDs about a parsed manifest (empty: valid)."""
    sub = "scorm12" if version == "1.2" else "scorm2004-4th"
    if not (schemas / sub).is_dir():
        return [f"no '{sub}' folder in {schemas} (give the folder that holds scorm12/ and "
                "scorm2004-4th/)"]
    schema = _schema(version, str(schemas.resolve()))
    tree = ET.ElementTree(manifest)
    out = []
    for err in schema.iter_errors(tree, use_location_hints=False):
        path = re.sub(r"\{[^}]*\}", "", getattr(err, "path", None) or "")
        reason = getattr(err, "reason", None) or str(err).split("\n", 1)[0]
        out.append(f"{path}: {reason}" if path else str(reason))
    return out
