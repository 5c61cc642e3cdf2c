"""`mooc validate` for SCORM packages, both versions: the checks the XSDs miss (the zip
is read as hostile, never extracted), then the official XSDs.

Manifest at the root, one organization, every `identifierref` resolves, every referenced
file exists, `scormtype`/`scormType` on every launched resource, no absolute or `..`
paths, unique identifiers. `ScormExporter.recognises`, `validate` and `why_not` call
this module with their class, whose attributes give the version's spellings and schemas.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..errors import Problem
from .archive import MANIFEST, SafeZip, UnsafeZip, check_name
from .base import Report

if TYPE_CHECKING:
    from .scorm import ScormExporter

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_MANIFEST = 8 * 1024 * 1024


def read_manifest(package: SafeZip) -> ET.Element | str:
    """The parsed manifest at the root of the zip, or why there is none."""
    if MANIFEST not in package.entries:
        nested = sorted(n for n in package.entries if n.endswith("/" + MANIFEST))
        hint = f" (found {nested[0]}: zip the folder's content, not the folder)" \
            if nested else ""
        return f"no {MANIFEST} at the root of the zip{hint}"
    return read_xml(package, MANIFEST, "the manifest")


def read_xml(package: SafeZip, name: str, what: str, limit: int = MAX_MANIFEST
             ) -> ET.Element | str:
    """A parsed XML file of the zip (`what` names it in messages), or why it is none."""
    try:
        raw = package.read(name, limit)
    except UnsafeZip as exc:
        return str(exc)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return f"{what} declares a DOCTYPE or entities (refused)"
    try:
        # No DOCTYPE (refused above): no entities to expand, nothing external to fetch.
        return ET.fromstring(raw)  # noqa: S314
    except ET.ParseError as exc:
        return f"not well-formed XML: {exc}"


def recognises(package: SafeZip, exporter: type[ScormExporter]) -> bool:
    root = read_manifest(package)
    return not isinstance(root, str) and root.tag == f"{{{exporter.namespaces['']}}}manifest"


def why_not(package: SafeZip, where: str) -> list[Problem]:
    """Why a zip is not a SCORM package of either version (nothing if its manifest is
    damaged: the zip's own check says so)."""
    if MANIFEST in package.damaged():
        return []
    root = read_manifest(package)
    if isinstance(root, str):
        return [Problem(f"{where}:{MANIFEST}" if MANIFEST in package.entries else where, 0,
                        root)]
    return [Problem(f"{where}:{MANIFEST}", 0, f"the root element is {root.tag}, not an IMS "
                    "content-packaging manifest of SCORM 1.2 or 2004")]


def check(package: SafeZip, where: str, exporter: type[ScormExporter],
          schemas: Path | None) -> list[Problem]:
    """What is wrong with a package of `exporter`'s version (one it recognises)."""
    report = Report(where)
    root = read_manifest(package)
    at = f"{where}:{MANIFEST}"
    if isinstance(root, str):  # recognised, so read before; kept for safety
        report.error(root, path=at)
        return report.problems
    _check_manifest(root, exporter, set(package.entries), report, at)
    if schemas is not None:
        for message in xsd_errors(root, exporter, schemas):
            report.error(f"XSD: {message}", path=at)
    return report.problems


def _describe(el: ET.Element) -> str:
    tag = el.tag.rsplit("}", 1)[-1]
    ident = el.get("identifier")
    return f"{tag} '{ident}'" if ident else tag


def _check_manifest(root: ET.Element, exporter: type[ScormExporter], names: set[str],
                    report: Report, where: str) -> None:
    version = exporter.version
    ns, adlcp = exporter.namespaces[""], exporter.namespaces["adlcp"]

    def q(tag: str) -> str:
        return f"{{{ns}}}{tag}"

    spelling = exporter.scormtype_attr.split(":")[1]  # scormtype (1.2) or scormType (2004)
    scormtype = f"{{{adlcp}}}{spelling}"
    wrong_type = f"{{{adlcp}}}{'scormType' if spelling == 'scormtype' else 'scormtype'}"

    schemaversion = root.find(f"{q('metadata')}/{q('schemaversion')}")
    found = (schemaversion.text or "").strip() if schemaversion is not None else ""
    expected = ("1.2",) if version == "1.2" else ("2004 4th Edition", "2004 3rd Edition",
                                                   "CAM 1.3")
    if found not in expected:
        report.warn(f"metadata/schemaversion is '{found}', expected "
                    f"{' or '.join(repr(e) for e in expected)}", path=where)

    check_identifiers(root, report, where)

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
        for el in root.iter(f"{{{adlcp}}}masteryscore"):
            text = (el.text or "").strip()
            if not re.fullmatch(r"\d{1,3}(\.\d+)?", text) or float(text) > 100:
                report.error(f"adlcp:masteryscore '{text}' is not a number from 0 to 100",
                             path=where)


def check_identifiers(root: ET.Element, report: Report, where: str) -> None:
    """Every `identifier` of a manifest: used once, and a valid XML ID."""
    ids: set[str] = set()
    for el in root.iter():
        ident = el.get("identifier")
        if ident is None:
            continue
        if ident in ids:
            report.error(f"identifier '{ident}' is used twice", path=where)
        ids.add(ident)
        if not re.fullmatch(r"[A-Za-z_][\w.-]*", ident):
            report.error(f"{_describe(el)}: identifier is not a valid XML ID", path=where)


def _join_base(*elements: ET.Element | None) -> str:
    base = ""
    for el in elements:
        if el is not None and el.get(XML_BASE):
            base = posixpath.join(base, el.get(XML_BASE) or "")
    return base


def _norm(base: str, href: str) -> str:
    """A manifest href (a URL) -> the zip entry it names."""
    return posixpath.normpath(unquote(posixpath.join(base, href))) if href else ""


def _check_href(base: str, href: str, report: Report, where: str, owner: str) -> str | None:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("//"):
        report.warn(f"{owner}: '{href}' is outside the package", path=where)
        return None
    why = check_name(unquote(posixpath.join(base, href)))
    if why:
        report.error(f"{owner}: {why}", path=where)
        return None
    return _norm(base, href)



# ---------------------------------------------------------------- XSD

@dataclass(frozen=True)
class Xsd:
    """Where a SCORM version's official schemas are, in a folder of schemas."""

    folder: str  # e.g. "scorm12"
    main: str  # the content-packaging schema, in `folder`
    imports: tuple[tuple[str, str], ...]  # namespace prefix (of `namespaces`) -> schema
    xml: str  # the W3C xml.xsd the others import, from the folder of schemas
    xsd11: bool = False  # read as XSD 1.1


@lru_cache(maxsize=4)
def _schema(xsd: Xsd, namespaces: tuple[tuple[str, str], ...], folder: str) -> Any:
    try:
        import xmlschema  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        raise RuntimeError("XSD validation needs the 'xmlschema' package "
                           "(pip install xmlschema)") from None
    root = Path(folder).resolve()
    here = root / xsd.folder
    w3c_xml = (root / xsd.xml).as_uri()

    def uri_mapper(uri: str) -> str:
        if uri.endswith("/ims_xml.xsd") or re.match(r"https?://www\.w3\.org/.*xml\.xsd$", uri):
            return w3c_xml
        return uri

    uris = dict(namespaces)
    kind = xmlschema.XMLSchema11 if xsd.xsd11 else xmlschema.XMLSchema10
    return kind(str(here / xsd.main), allow="local", uri_mapper=uri_mapper,
                locations=[(uris[prefix], str(here / name))
                           for prefix, name in xsd.imports])


def xsd_errors(manifest: ET.Element, exporter: type[ScormExporter],
               schemas: Path) -> list[str]:
    """Messages of the official XSDs about a parsed manifest (empty: valid)."""
    xsd = exporter.xsd
    if not (schemas / xsd.folder).is_dir():
        return [f"no '{xsd.folder}' folder in {schemas} (give the folder that holds scorm12/ "
                "and scorm2004-4th/)"]
    schema = _schema(xsd, tuple(sorted(exporter.namespaces.items())), str(schemas.resolve()))
    return schema_errors(schema, manifest)


def schema_errors(schema: Any, root: ET.Element) -> list[str]:
    """The messages of a loaded schema (`_schema`) about a parsed document, each
    `path: reason` without namespaces (empty: valid)."""
    out = []
    for err in schema.iter_errors(ET.ElementTree(root), use_location_hints=False):
        path = re.sub(r"\{[^}]*\}", "", getattr(err, "path", None) or "")
        reason = getattr(err, "reason", None) or str(err).split("\n", 1)[0]
        out.append(f"{path}: {reason}" if path else str(reason))
    return out
