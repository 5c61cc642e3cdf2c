"""`mooc validate` for IMS Common Cartridge 1.1: the checks the XSDs miss, then the XSDs.

The zip is read as hostile and never extracted (`archive.SafeZip`, as for SCORM). The
manifest: at the root, of CC 1.1's namespace; unique identifiers; every item's
identifierref names a resource, and an item that launches one has no children; every
file listed once per resource, present in the zip, with a safe path; a resource's href is
one of its files; dependencies name another resource, once; an assessment has exactly one
file and no href, and depends on web content only, as web content does (the profile's
Schematron rules, which an XSD validator does not run). Each assessment: well-formed QTI
of the profile, each question of one of the profile's types with what its type needs (the
choices its scoring names, the feedback its conditions show). Then the official XSDs
shipped in builder/schemas/cc11/: the manifest (`cc11libxml2validator.xsd`) and every
assessment (`ccv1p1_qtiasiv1p2p1_v1p0.xsd`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import Problem
from .archive import MANIFEST, SafeZip
from .base import Report
from .scorm_check import (
    Xsd,
    _check_href,
    _describe,
    _join_base,
    _norm,
    _schema,
    check_identifiers,
    read_manifest,
    read_xml,
    schema_errors,
)

NS_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
NS_QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
WEBCONTENT = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
QUESTION_BANK = "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank"
# Other versions' manifests, for `why_not`.
OTHER_VERSIONS = {"http://www.imsglobal.org/xsd/imscc/imscp_v1p1": "1.0",
                  "http://www.imsglobal.org/xsd/imsccv1p2/imscp_v1p1": "1.2",
                  "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1": "1.3"}
PROFILES = {"cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1",
            "cc.fib.v0p1", "cc.pattern_match.v0p1", "cc.essay.v0p1"}
MAX_ASSESSMENT = 8 * 1024 * 1024
MANIFEST_XSD = Xsd("cc11", "cc11libxml2validator.xsd", (), "cc11/xml.xsd")
QTI_XSD = Xsd("cc11", "ccv1p1_qtiasiv1p2p1_v1p0.xsd", (), "cc11/xml.xsd")


def _cp(tag: str) -> str:
    return f"{{{NS_CP}}}{tag}"


def _qti(tag: str) -> str:
    return f"{{{NS_QTI}}}{tag}"


def recognises(package: SafeZip) -> bool:
    root = read_manifest(package)
    return not isinstance(root, str) and root.tag == _cp("manifest")


def why_not(package: SafeZip, where: str) -> list[Problem]:
    """A cartridge of another CC version: say which (the zip's own check says the rest)."""
    if MANIFEST in package.damaged():
        return []
    root = read_manifest(package)
    if isinstance(root, str) or not root.tag.startswith("{"):
        return []
    version = OTHER_VERSIONS.get(root.tag[1:].split("}", 1)[0])
    if version is None:
        return []
    return [Problem(f"{where}:{MANIFEST}", 0, f"a Common Cartridge {version}: mooc validate "
                    "checks version 1.1, the one every major LMS imports (Moodle restores "
                    "1.0 and 1.1 only)")]


def check(package: SafeZip, where: str, schemas: Path | None) -> list[Problem]:
    """What is wrong with a cartridge this module recognises."""
    report = Report(where)
    at = f"{where}:{MANIFEST}"
    root = read_manifest(package)
    if isinstance(root, str):  # recognised, so read before; kept for safety
        report.error(root, path=at)
        return report.problems
    assessments = _check_manifest(root, set(package.entries), report, at)
    for name in assessments:
        if name not in package.entries or name in package.damaged():
            continue  # said already
        doc = read_xml(package, name, "the assessment", MAX_ASSESSMENT)
        if isinstance(doc, str):
            report.error(doc, path=f"{where}:{name}")
            continue
        _check_assessment(doc, report, f"{where}:{name}")
        if schemas is not None:
            for message in _xsd(QTI_XSD, doc, schemas):
                report.error(f"XSD: {message}", path=f"{where}:{name}")
    if schemas is not None:
        for message in _xsd(MANIFEST_XSD, root, schemas):
            report.error(f"XSD: {message}", path=at)
    return report.problems


# ---------------------------------------------------------------- the manifest

def _check_manifest(root: ET.Element, names: set[str], report: Report,
                    where: str) -> list[str]:
    """Report the manifest's problems; the files of its assessments."""
    check_identifiers(root, report, where)
    resources_el = root.find(_cp("resources"))
    resources = {r.get("identifier", ""): r for r in root.iter(_cp("resource"))}
    orgs = root.findall(f"{_cp('organizations')}/{_cp('organization')}")
    if not orgs:
        report.warn("no organization: the LMS gets files but no course structure", path=where)
    for org in orgs:
        for item in org.iter(_cp("item")):
            ref = item.get("identifierref")
            if ref is None:
                continue
            if item.findall(_cp("item")):
                report.error(f"{_describe(item)} launches '{ref}' and has items inside: an "
                             "item is a folder or a link to a resource, not both", path=where)
            res = resources.get(ref)
            if res is None:
                report.error(f"{_describe(item)}: identifierref '{ref}' names no resource",
                             path=where)
            elif res.get("type") == QUESTION_BANK:
                report.error(f"{_describe(item)}: a question bank cannot be an item",
                             path=where)
    assessments: list[str] = []
    listed_all: set[str] = set()
    for ident, res in resources.items():
        what = _describe(res)
        kind = res.get("type", "")
        base = _join_base(resources_el, res)
        files: list[str] = []
        for file in res.findall(_cp("file")):
            href = file.get("href")
            if href is None:
                report.error(f"{what}: a file without href", path=where)
                continue
            target = _check_href(base, href, report, where, what)
            if target is None:
                continue
            if target in files:
                report.error(f"{what}: file '{href}' is listed twice", path=where)
            files.append(target)
            if target not in names:
                report.error(f"{what}: file '{href}' is not in the zip", path=where)
        listed_all.update(files)
        href = res.get("href")
        if href is not None and _norm(base, href.split("#", 1)[0]) not in files:
            report.error(f"{what}: href '{href}' is not one of its files", path=where)
        seen: set[str] = set()
        for dep in res.findall(_cp("dependency")):
            ref = dep.get("identifierref", "")
            other = resources.get(ref)
            if ref == ident or ref in seen or other is None:
                why = ("itself" if ref == ident else "a resource it names already"
                       if ref in seen else "no resource")
                report.error(f"{what}: dependency '{ref}' names {why}", path=where)
            elif kind in (WEBCONTENT, ASSESSMENT) and other.get("type") != WEBCONTENT:
                report.error(f"{what}: depends on {_describe(other)}, which is not web "
                             "content (the profile forbids it)", path=where)
            seen.add(ref)
        if kind in (ASSESSMENT, QUESTION_BANK):
            if len(files) != 1 or href is not None:
                report.error(f"{what}: an assessment has exactly one file (its QTI) and no "
                             "href", path=where)
            assessments += files[:1]
        elif kind == WEBCONTENT and ident in _launched(orgs) and href is None:
            report.error(f"{what}: web content that an item launches needs an href",
                         path=where)
    unlisted = sorted(n for n in names if n not in listed_all and n != MANIFEST)
    if unlisted:
        more = f" and {len(unlisted) - 5} more" if len(unlisted) > 5 else ""
        report.warn(f"{len(unlisted)} file(s) in the zip are in no resource: "
                    f"{', '.join(unlisted[:5])}{more}", path=where)
    return assessments


def _launched(orgs: list[ET.Element]) -> set[str]:
    return {i.get("identifierref", "") for o in orgs for i in o.iter(_cp("item"))}


# ---------------------------------------------------------------- assessments

def _fields(el: ET.Element | None) -> dict[str, str]:
    if el is None:
        return {}
    return {(f.findtext(_qti("fieldlabel")) or "").strip():
            (f.findtext(_qti("fieldentry")) or "").strip()
            for f in el.iter(_qti("qtimetadatafield"))}


def _check_assessment(doc: ET.Element, report: Report, where: str) -> None:
    if doc.tag != _qti("questestinterop"):
        report.error(f"the root element is {doc.tag}, not QTI 1.2's questestinterop",
                     path=where)
        return
    items = list(doc.iter(_qti("item")))
    if not items:
        report.error("the assessment has no question", path=where)
    seen: set[str] = set()
    for item in items:
        ident = item.get("ident", "")
        if ident in seen:
            report.error(f"question '{ident}' is there twice", path=where)
        seen.add(ident)
        for message in _item_problems(item):
            report.error(f"question '{ident}': {message}", path=where)


def _item_problems(item: ET.Element) -> list[str]:
    profile = _fields(item.find(_qti("itemmetadata"))).get("cc_profile", "")
    if profile not in PROFILES:
        return [f"cc_profile '{profile}' is not a question type of the CC profile "
                f"({', '.join(sorted(PROFILES))})"]
    out: list[str] = []
    presentation = item.find(_qti("presentation"))
    if presentation is None or not "".join(
            t.text or "" for t in presentation.iter(_qti("mattext"))).strip():
        out.append("no question text")
    labels = {lab.get("ident", "") for lab in item.iter(_qti("response_label"))}
    feedback = {fb.get("ident", "") for fb in item.iter(_qti("itemfeedback"))}
    for show in item.iter(_qti("displayfeedback")):
        if show.get("linkrefid") not in feedback:
            out.append(f"shows feedback '{show.get('linkrefid')}', which it does not have")
    scoring = [c for c in item.iter(_qti("respcondition"))
               if any((s.text or "").strip() == "100" for s in c.iter(_qti("setvar")))]
    if profile == "cc.essay.v0p1":
        return out
    if not scoring:
        return [*out, "no condition gives the correct response its score (SCORE 100)"]
    named = [(v.text or "").strip() for c in scoring for v in c.iter(_qti("varequal"))]
    if profile in ("cc.fib.v0p1", "cc.pattern_match.v0p1"):
        if not any(named):
            out.append("no accepted answer")
        return out
    if len(labels) < 2:
        out.append("fewer than two choices")
    unknown = sorted({n for n in named if n not in labels})
    if unknown:
        out.append(f"its scoring names choices it does not have: {', '.join(unknown)}")
    if profile == "cc.true_false.v0p1" and labels != {"true", "false"}:
        out.append("a true/false question's choices must be 'true' and 'false'")
    return out


# ---------------------------------------------------------------- XSD

def _xsd(xsd: Xsd, root: ET.Element, schemas: Path) -> list[str]:
    if not (schemas / xsd.folder / xsd.main).is_file():
        return [f"no '{xsd.folder}/{xsd.main}' in {schemas} (give the folder that holds "
                "cc11/, scorm12/ and scorm2004-4th/)"]
    return schema_errors(_schema(xsd, (), str(schemas.resolve())), root)
