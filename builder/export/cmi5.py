"""cmi5: the xAPI profile by which an LMS launches content whose results go to a Learning
Record Store (LRS). One course package per track and one for the whole course, each with
one assignable unit (AU) per module.

A package holds `cmi5.xml` (the course structure: the course, then its AUs, in one block
per track for the whole course), one launch page per AU at the root, which shows the
module's page in a frame and talks to the LRS (`assets/cmi5-runtime.js`), and the module
pages rewritten by `common/rewrite.py` with every file they use.

Each AU's `moveOn` and `masteryScore` come from course.yml's completion rule and the
quiz's pass mark (`au_rules`). Identifiers are URNs made of the course, language, scope
and module ids (`iri`): stable from one export to the next, the same AU in a track's
package and in the whole course's, so that an LRS counts one module as one activity.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote

from ..common.rewrite import CSP, PageCache
from ..common.strings import load_strings
from ..errors import Problem
from ..model import Project
from .archive import SafeZip, check_name, write_zip
from .base import PACKAGE_PAGE, Exporter, Package, Report, Runtime, wordings
from .launch import add_launch_scripts, launch_page, question_settings, side_pages
from .plan import (
    Layout,
    PackagePlan,
    QuizPlan,
    ScoPlan,
    find_track,
    plan_package,
)
from .scorm import X, short
from .scorm_check import Xsd, _schema, read_xml, schema_errors

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE_FILE = "cmi5.xml"
# in a folder of schemas (builder/schemas/); it imports nothing, not even xml.xsd
XSD = Xsd("cmi5", "CourseStructure.xsd", (), "scorm2004-4th/xml.xsd")
MAX_COURSE_FILE = 8 * 1024 * 1024
RUNTIME_VERSION = 1
RUNTIME = Runtime("assets/mooc/cmi5-runtime.js", "builder.export", "assets/cmi5-runtime.js")
STATE_ID = "https://w3id.org/xapi/cmi5/mooc-builder/state"  # the runtime's State API document
STATE_FORMAT = "C1"  # version of that document (cmi5-runtime.js reads it)
# The launch page reaches the LRS the LMS names at launch: another host, over HTTPS.
LAUNCH_CSP = CSP.replace("script-src 'self' 'unsafe-inline'", "script-src 'self'").replace(
    "connect-src 'self'", "connect-src 'self' https:")
NOTICES = ("pending", "off", "saving", "done", "left")  # the runtime's messages (strings)
# The launch page's own CSS (after launch.py's): the bar above the frame, with Exit
LAUNCH_STYLE = (
    "body{display:flex;flex-direction:column;font:15px/1.4 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,sans-serif}"
    "#mooc-cmi5-bar{display:flex;align-items:center;justify-content:flex-end;gap:1rem;"
    "padding:4px 8px;background:#283593;color:#fff}"
    "#mooc-cmi5-bar[hidden]{display:none}"
    "#mooc-cmi5-status{margin:0 auto 0 0;min-height:1em}"
    "#mooc-cmi5-exit{font:inherit;padding:4px 12px;border:2px solid #fff;"
    "border-radius:4px;background:#fff;color:#1a237e;cursor:pointer}"
    "#mooc-cmi5-exit:focus-visible{outline:3px solid #ffd54f;outline-offset:2px}"
    "#mooc-cmi5-exit:disabled{cursor:default;opacity:.8}"
    "#mooc-cmi5-frame{display:block;border:0;width:100%;flex:1}")
# XML 1.0 cannot hold these characters, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def iri(*parts: str) -> str:
    """A URN for the course, a block or an AU: `urn:mooc:pat-mooc:en:au:psw/intervision`
    (each part percent-encoded but its slashes, which module ids hold)."""
    return "urn:mooc:" + ":".join(quote(p, safe="/-._~") for p in parts)


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def au_rules(plan: PackagePlan, quizzes: tuple[QuizPlan, ...]) -> tuple[str, Decimal | None]:
    """(moveOn, masteryScore) of a module's AU. A module with a scored quiz is done when
    its pages are seen and its quiz is passed (course.yml `completion: quiz: passed`:
    CompletedAndPassed) or attempted (`attempted`: Completed); its mastery score is the
    quiz's pass mark (with several scored quizzes, the highest: the AU's score is their
    points together). Without a scored quiz: Completed, no mastery score."""
    marks = [q.pass_mark for q in quizzes if q.scored]
    if not marks:
        return "Completed", None
    move_on = "CompletedAndPassed" if plan.quiz_rule == "passed" else "Completed"
    return move_on, (Decimal(max(marks)) / 100).normalize()


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class Cmi5Exporter(Exporter):
    name = "cmi5"
    label: ClassVar[dict[str, str]] = {"en": "cmi5", "fr": "cmi5"}
    description: ClassVar[dict[str, str]] = {
        "en": "cmi5 (xAPI) for platforms with a learning record store, one activity per "
              "module",
        "fr": "cmi5 (xAPI) pour les plateformes dotées d’un entrepôt de traces "
              "d’apprentissage (LRS), une activité par module"}
    file_pattern = "{course}-{lang}-{scope}-cmi5.zip"
    runtime = PACKAGE_PAGE  # in every page; the launch pages load RUNTIME (launch.py)
    facts: ClassVar[dict[str, str]] = {"aus": "{} AUs"}
    recognised_as = "cmi5"
    checks = "course structure and XSD"
    # How xAPI spells interaction responses and patterns (cmi.interaction: as SCORM 2004)
    list_sep = "[,]"
    pair_sep = "[.]"
    truth = ("true", "false")
    reflection_type = "long-fill-in"

    def fill_in_pattern(self, answer: str, lang: str) -> str:
        text = answer[:250].replace("[,]", "[ ,]")
        return f"{{lang={lang}}}{text}" if text.startswith("{") else text

    def __init__(self, layout: Layout = "single", pages: PageCache | None = None) -> None:
        super().__init__(layout, pages)
        self.words: dict[str, str] = {}  # the runtime's wording, in the package's language

    # -- writing
    def package(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
                track: str | None = None, *, fallback: bool = False) -> Package:
        """One AU per module whatever the layout asked (cmi5 has no other)."""
        plan = plan_package(project, lang, Path(site_dir), find_track(project, track), "module")
        strings = load_strings(lang, project.editions[lang].strings, wordings())
        self.words = {key: strings[f"cmi5_{key}"] for key in (*NOTICES, "exit")}
        files = self.site_files(Path(site_dir), [[p.path for p in au.pages] for au in plan.scos],
                                side_pages(plan, strings))
        add_launch_scripts(files, Path(site_dir), RUNTIME)
        for au in plan.scos:
            files[au.launch] = self.launch_page(plan, au).encode("utf-8")
        files[COURSE_FILE] = self.course_structure(project, plan).encode("utf-8")
        path = write_zip(Path(out_dir) / self.package_name(
            plan.course_id, plan.lang, plan.scope, "single"), files)
        return Package(path, {"aus": len(plan.scos)})

    def course_structure(self, project: Project, plan: PackagePlan) -> str:
        """cmi5.xml: the course, then its AUs (the whole course: one block per track, each
        module in the first track that lists it)."""
        lang = plan.lang

        def text(tag: str, value: str) -> X:
            return X(tag, children=[X("langstring", {"lang": lang}, text=xml_text(value))])

        def au(sco: ScoPlan) -> X:
            move_on, mastery = au_rules(plan, sco.quizzes)
            attrs = {"id": iri(plan.course_id, lang, "au", sco.key), "moveOn": move_on}
            if mastery is not None:
                attrs["masteryScore"] = _decimal(mastery)
            attrs["launchMethod"] = "AnyWindow"
            return X("au", attrs, [text("title", short(sco.title)),
                                   text("description", sco.description or sco.title),
                                   X("url", text=quote(sco.launch))])

        children: list[X] = []
        if plan.scope == "all" and len(project.course.tracks) > 1:
            placed: set[str] = set()
            by_module = {sco.key: sco for sco in plan.scos}
            for track in project.course.tracks:
                mine = [by_module[m] for m in track.modules if m in by_module and m not in placed]
                if not mine:
                    continue
                placed.update(s.key for s in mine)
                title = track.title.get(lang) or next(iter(track.title.values()), track.id)
                audience = track.audience.get(lang) or title
                children.append(X("block", {"id": iri(plan.course_id, lang, "all", track.id)},
                                  [text("title", short(title)), text("description", audience),
                                   *(au(s) for s in mine)]))
        else:
            children = [au(s) for s in plan.scos]
        course = X("course", {"id": iri(plan.course_id, lang, plan.scope)},
                   [text("title", short(plan.title)),
                    text("description", plan.description or plan.title)])
        root = X("courseStructure", {"xmlns": NS}, [course, *children])
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + root.render() + "\n"

    # -- the runtime's settings, per AU
    def runtime_config(self, plan: PackagePlan, au: ScoPlan) -> dict[str, Any]:
        move_on, mastery = au_rules(plan, au.quizzes)
        au_iri = iri(plan.course_id, plan.lang, "au", au.key)
        return {
            "runtime": RUNTIME_VERSION, "format": STATE_FORMAT, "stateId": STATE_ID,
            "course": plan.course_id, "lang": plan.lang, "au": au_iri, "module": au.key,
            "moveOn": move_on, "masteryScore": float(mastery) if mastery is not None else None,
            "pageSeen": plan.page_seen, "quizRule": plan.quiz_rule,
            "notices": {key: self.words[key] for key in NOTICES},
            "pages": [{"path": p.path, "fp": p.fp, "title": p.title} for p in au.pages],
            "quizzes": [{
                "id": quiz.id, "fp": quiz.fp, "page": quiz.page, "passMark": quiz.pass_mark,
                "max": quiz.max_points, "title": quiz.title,
                "questions": [question_settings(
                    q, q.unit.interaction_type(self), q.unit.correct_patterns(self, plan.lang),
                    activity=iri(plan.course_id, plan.lang, "quiz", quiz.id, q.id))
                    for q in quiz.questions],
            } for quiz in au.quizzes],
        }

    def launch_page(self, plan: PackagePlan, au: ScoPlan) -> str:
        exit_label = html.escape(self.words["exit"])
        bar = ('<div id="mooc-cmi5-bar" hidden>'
               '<p id="mooc-cmi5-status" role="status" aria-live="polite"></p>'
               f'<button type="button" id="mooc-cmi5-exit">{exit_label}</button></div>\n')
        return launch_page("cmi5", plan.lang, au.title, au.pages[0].path,
                           self.runtime_config(plan, au), RUNTIME, csp=LAUNCH_CSP,
                           style=LAUNCH_STYLE, bar=bar)

    # -- checking (`mooc validate`)
    @classmethod
    def recognises(cls, package: SafeZip) -> bool:
        root = read_course_structure(package)
        return not isinstance(root, str) and root.tag == f"{{{NS}}}courseStructure"

    @classmethod
    def why_not(cls, package: SafeZip, where: str) -> list[Problem]:
        """A cmi5.xml that is not a course structure, or one in a folder of the zip."""
        if COURSE_FILE in package.damaged():
            return []
        if COURSE_FILE not in package.entries:
            nested = sorted(n for n in package.entries if n.endswith("/" + COURSE_FILE))
            return [Problem(where, 0, f"no {COURSE_FILE} at the root of the zip (found "
                            f"{nested[0]}: zip the folder's content, not the folder)")] \
                if nested else []
        root = read_course_structure(package)
        at = f"{where}:{COURSE_FILE}"
        if isinstance(root, str):
            return [Problem(at, 0, root)]
        return [Problem(at, 0, f"the root element is {root.tag}, not a cmi5 "
                        f"courseStructure ({NS})")]

    @classmethod
    def validate(cls, package: SafeZip, where: str, schemas: Path | None) -> list[Problem]:
        report = Report(where)
        at = f"{where}:{COURSE_FILE}"
        root = read_course_structure(package)
        if isinstance(root, str):  # recognised, so read before; kept for safety
            report.error(root, path=at)
            return report.problems
        _check_structure(root, set(package.entries), report, at)
        if schemas is not None:
            for message in xsd_errors(root, schemas):
                report.error(f"XSD: {message}", path=at)
        return report.problems


def read_course_structure(package: SafeZip) -> ET.Element | str:
    """The parsed cmi5.xml at the root of the zip, or why there is none."""
    if COURSE_FILE not in package.entries:
        return f"no {COURSE_FILE} at the root of the zip"
    return read_xml(package, COURSE_FILE, COURSE_FILE, MAX_COURSE_FILE)


def _check_structure(root: ET.Element, names: set[str], report: Report, where: str) -> None:
    """What the XSD cannot say: unique ids, and every AU's launch page in the zip."""
    ids: set[str] = set()
    aus = 0
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag not in ("course", "block", "au", "objective"):
            continue
        ident = el.get("id")
        if ident is None:
            continue
        if ident in ids:
            report.error(f"{tag} id '{ident}' is used twice (every id must be unique)",
                         path=where)
        ids.add(ident)
        if tag != "au":
            continue
        aus += 1
        url_el = el.find(f"{{{NS}}}url")
        url = (url_el.text or "").strip() if url_el is not None else ""
        if not url:
            continue  # the XSD says so
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith("//"):
            report.warn(f"au '{ident}': its url '{url}' is on another host: the package "
                        "does not hold it", path=where)
            continue
        target = unquote(url.split("#", 1)[0].split("?", 1)[0])
        why = check_name(target)
        if why:
            report.error(f"au '{ident}': {why}", path=where)
        elif target not in names:
            report.error(f"au '{ident}': its url '{url}' is not in the zip", path=where)
    if not aus:
        report.error("no au: the LMS would have nothing to launch", path=where)


def xsd_errors(course: ET.Element, schemas: Path) -> list[str]:
    """Messages of the cmi5 course structure XSD about a parsed cmi5.xml (empty: valid)."""
    if not (schemas / XSD.folder / XSD.main).is_file():
        return [f"no '{XSD.folder}/{XSD.main}' in {schemas} (give the folder that holds "
                "cmi5/)"]
    return schema_errors(_schema(XSD, (), str(schemas.resolve())), course)
