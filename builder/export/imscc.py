"""IMS Common Cartridge 1.1 (`.imscc`): the course as native LMS content.

What a cartridge holds, in the organisation's order (an LMS makes a section of each
folder: Moodle the course's sections, Canvas its modules):

- a folder of the course's plain pages (about, competencies, glossary, ...), first: in
  Moodle it becomes the course's general section. Pages that show the site itself (its
  home's track cards, the learner's progress and certificate kept by the browser, the
  translation status) are left out: `SITE_WIDGETS`;
- one folder per track, its modules in order: each module's page (`webcontent`), then
  each quiz placed in the page as a CC assessment (QTI in CC's profile: `imscc_qti.py`).

Pages are the site's own, rewritten like SCORM's (`common/rewrite.py`: the files they use
collected, a Content-Security-Policy) without a runtime, each page a part of its own: a
link to another page is plain text (Moodle, which makes each page one of its own, breaks
such links; the LMS's course structure leads from page to page). Then each is made for a
frame or page of the LMS: the site's header, menus, table of contents and footer go
(`without_chrome`), and each quiz section (`lms_tree`) keeps only the questions the
profile lacks (ordering, matching, ...) as the site's self-check, with a note; the others,
and their answer keys, are in the assessment only. A quiz with no question left in the
page becomes a note pointing to the LMS's quiz.

Identifiers are made from the course's, the language's and the pages' and quizzes' ids:
the same in every export (a module's resource is the same in its track's cartridge and
the whole course's). The zip is written like every package (`archive.write_zip`).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

from ..common.html import Element, serialise
from ..common.jsdata import script_json
from ..common.rewrite import Finish
from ..errors import ExportError, Problem
from ..model import Page, Project, Question, Quiz, pick
from . import imscc_check
from .archive import MANIFEST, SafeZip, write_zip
from .base import Exporter, Package, interface_strings
from .plan import built_page, find_track, quizzes_on_page, scope_modules, xml_id
from .scorm import X, short

if TYPE_CHECKING:  # imported when a cartridge is made (a site build reads only words)
    from .imscc_qti import Split

NS_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
NS_LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
NS_LOMR = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
QTI_FOLDER = "qti"  # the assessments' files: qti/<quiz id>.xml
# Course widgets that show the site itself: a page holding one is not in a cartridge.
SITE_WIDGETS = frozenset({"tracks", "progress", "certificate", "translation-status"})
# The theme's parts that a page shown inside an LMS does without (its navigation).
CHROME_COMPONENTS = frozenset({"skip", "announce", "sidebar", "tabs", "top"})

# The cartridge's own words are interface strings (cc_* in render/strings/<lang>.yaml):
# cc_about, cc_quiz, cc_true, cc_false, cc_model_answer, cc_moved, cc_self_check, cc_note,
# cc_and, and cc_type_<type> for a question type the note names otherwise than by its name.


@dataclass(frozen=True)
class CcQuiz:
    quiz: Quiz
    page: str  # the page that holds it
    resource: str
    file: str  # the assessment's file
    split: Split


@dataclass(frozen=True)
class CcPage:
    page: Page
    path: str
    resource: str
    quizzes: tuple[CcQuiz, ...]  # with questions in the assessment, in page order


@dataclass(frozen=True)
class Folder:
    key: str  # a track's id, or "about"
    title: str
    pages: tuple[CcPage, ...]


@dataclass(frozen=True)
class Cartridge:
    course_id: str
    lang: str
    scope: str  # a track's id or "all"
    title: str
    description: str
    licence: str
    folders: tuple[Folder, ...]
    left_in_pages: tuple[Question, ...]  # the questions kept as the site's self-checks

    @property
    def pages(self) -> list[CcPage]:
        return list({p.path: p for f in self.folders for p in f.pages}.values())

    @property
    def quizzes(self) -> list[CcQuiz]:
        return [q for p in self.pages for q in p.quizzes]


def words(key: str, lang: str, project: Project) -> str:
    """The cartridge's wording `cc_<key>` in `lang` (the course's own first)."""
    return interface_strings(project, lang)[f"cc_{key}"]


class CommonCartridgeExporter(Exporter):
    name = "imscc"
    label: ClassVar[dict[str, str]] = {"en": "IMS Common Cartridge 1.1"}
    description: ClassVar[dict[str, str]] = {
        "en": "Common Cartridge for a native course: pages, and quizzes in the LMS's own "
              "quiz engine (Moodle, Canvas, Brightspace, Blackboard)",
        "fr": "Common Cartridge pour un cours natif : des pages, et des quiz dans le moteur "
              "de quiz de la plateforme (Moodle, Canvas, Brightspace, Blackboard)"}
    file_pattern = "{course}-{lang}-{scope}-cc11.imscc"
    recognised_as = "IMS Common Cartridge 1.1"
    checks = "structure, CC 1.1 and QTI profile XSDs"
    facts: ClassVar[dict[str, str]] = {"qti_questions": "{} questions in LMS quizzes",
                                       "page_questions": "{} left in pages as self-checks"}

    # -- writing
    def package(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
                track: str | None = None, *, fallback: bool = False) -> Package:
        from .imscc_qti import Markup, Wording, assessment  # noqa: PLC0415
        if self.layout != "single":
            raise ExportError("a Common Cartridge has one layout: its pages and quizzes are "
                              "separate items of the LMS already (leave out --layout)")
        cartridge = plan_cartridge(project, lang, Path(site_dir), track)
        finish = {page.path: Finish(  # the same page in another cartridge: made once
            ("imscc", id(project), lang, tuple(
                (q.quiz.id, q.quiz.title, tuple(x.id for x in q.split.in_qti),
                 tuple(x.id for x in q.split.in_page)) for q in page.quizzes)),
            functools.partial(lms_tree, page=page, lang=lang, project=project),
            without_chrome) for page in cartridge.pages}
        files = self.site_files(Path(site_dir), [[p.path] for p in cartridge.pages],
                                finish=finish)
        shared = sorted(f for f in files if f not in {p.path for p in cartridge.pages})
        known = frozenset(files)
        uses_files: set[str] = set()
        wording = Wording(words("true", lang, project), words("false", lang, project),
                          words("model_answer", lang, project))
        for cq in cartridge.quizzes:
            if cq.file in files:
                raise ExportError(f"{cq.file}: the site has a file where the quiz "
                                  f"'{cq.quiz.id}' would go (rename that file)")
            markup = Markup(cq.page, cq.file, known)
            files[cq.file] = assessment(cq.quiz, cq.split.in_qti, cq.resource, markup,
                                        wording).encode("utf-8")
            if markup.uses_files:
                uses_files.add(cq.resource)
        files[MANIFEST] = manifest(cartridge, shared, uses_files, lang, project).encode("utf-8")
        path = write_zip(Path(out_dir) / self.package_name(project.course.id, lang,
                                                           cartridge.scope, "single"), files)
        in_qti = sum(len(q.split.in_qti) for q in cartridge.quizzes)
        return Package(path, {"qti_questions": in_qti,
                              "page_questions": len(cartridge.left_in_pages)},
                       note([q.type for q in cartridge.left_in_pages],
                            interface_strings(project, lang)),
                       tuple(Problem(q.loc.path, q.loc.line, f"{q.type} question '{q.id}': a "
                                     "self-check in its page in the Common Cartridge, not in "
                                     f"the LMS's quiz (CC's QTI profile has no {q.type} "
                                     "question)", "warning")
                             for q in cartridge.left_in_pages))

    # -- checking (`mooc validate`)
    @classmethod
    def recognises(cls, package: SafeZip) -> bool:
        return imscc_check.recognises(package)

    @classmethod
    def validate(cls, package: SafeZip, where: str, schemas: Path | None) -> list[Problem]:
        return imscc_check.check(package, where, schemas)

    @classmethod
    def why_not(cls, package: SafeZip, where: str) -> list[Problem]:
        return imscc_check.why_not(package, where)


def note(left: Iterable[str], strings: Mapping[str, str]) -> str:
    """What the package's title says of the questions left in its pages, given their
    types ("" if none), in the language of `strings`."""
    kinds = Counter(left)
    if not kinds:
        return ""
    names = [strings.get(f"cc_type_{kind}", kind) for kind in sorted(kinds)]
    types = names[0] if len(names) == 1 else \
        ", ".join(names[:-1]) + strings["cc_and"] + names[-1]
    return strings["cc_note"].replace("{types}", types).replace("{n}", str(sum(kinds.values())))


# ---------------------------------------------------------------- what goes in

def plan_cartridge(project: Project, lang: str, site_dir: Path,
                   track_id: str | None = None) -> Cartridge:
    """The cartridge of a track (None: the whole course), or ExportError."""
    from .imscc_qti import split  # noqa: PLC0415
    course = project.course
    if lang not in project.editions:
        raise ExportError(f"the course has no '{lang}' edition (languages: "
                          f"{', '.join(project.editions)})")
    ed = project.editions[lang]
    track = find_track(project, track_id)
    scope = track.id if track is not None else "all"
    if not scope_modules(project, lang, track):
        raise ExportError(f"track '{scope}' has no module in '{lang}': nothing to export")
    made: dict[str, CcPage] = {}
    left: list[Question] = []

    def page_of(page: Page) -> CcPage:
        if page.id in made:
            return made[page.id]
        path, text = built_page(site_dir, page)
        quizzes = []
        for quiz_id in quizzes_on_page(text):
            quiz = ed.quizzes.get(quiz_id)
            if quiz is None:
                raise ExportError(f"{path}: quiz '{quiz_id}' is in the built page but not in "
                                  "the course (rebuild the site)")
            if any(quiz_id == q.quiz.id for p in made.values() for q in p.quizzes):
                continue
            parts = split(quiz)
            left.extend(parts.in_page)
            if parts.in_qti:
                quizzes.append(CcQuiz(quiz, path, xml_id("quiz", lang, quiz.id),
                                      f"{QTI_FOLDER}/{quiz.id}.xml", parts))
        made[page.id] = CcPage(page, path, xml_id("page", lang, page.id), tuple(quizzes))
        return made[page.id]

    about = [ed.pages[pid] for pid in course.pages
             if pid in ed.pages and not ed.pages[pid].is_module
             and not (ed.pages[pid].widgets & SITE_WIDGETS)]
    folders = []
    if about:
        folders.append(Folder("about", words("about", lang, project),
                              tuple(page_of(p) for p in about)))
    for t in [track] if track is not None else course.tracks:
        modules = scope_modules(project, lang, t)
        if modules:
            folders.append(Folder(t.id, pick(t.title, lang, t.id),
                                  tuple(page_of(p) for p in modules)))
    title = pick(course.title, lang, course.id)
    description = pick(course.description, lang)
    if track is not None:
        title = f"{title}: {pick(track.title, lang, track.id)}"
        description = f"{description} {pick(track.audience, lang)}".strip()
    cartridge = Cartridge(course.id, lang, scope, title, description, course.licence,
                          tuple(folders), tuple(left))
    _check_unique(cartridge)
    return cartridge


def _ids(c: Cartridge) -> tuple[str, str, str, str]:
    """The manifest's, the organisation's, the root item's and the shared files' ids."""
    base = (c.course_id, c.lang, c.scope)
    return (xml_id("cc", *base), xml_id("org", *base), xml_id("root", *base),
            xml_id("assets", c.course_id, c.lang))


def _item_id(c: Cartridge, folder: Folder, *parts: str) -> str:
    return xml_id("item", c.lang, folder.key, *parts)


def _check_unique(c: Cartridge) -> None:
    ids = list(_ids(c)) + [p.resource for p in c.pages] + [q.resource for q in c.quizzes]
    for folder in c.folders:
        ids.append(_item_id(c, folder))
        for p in folder.pages:
            ids.append(_item_id(c, folder, p.page.id))
            ids += [_item_id(c, folder, p.page.id, "quiz", q.quiz.id) for q in p.quizzes]
    clashes = sorted({i for i in ids if ids.count(i) > 1})
    if clashes:
        raise ExportError(f"two parts of the cartridge would share an identifier: "
                          f"{', '.join(clashes)} (rename a module, page or quiz)")


# ---------------------------------------------------------------- the manifest

def _lom(c: Cartridge) -> X:
    def text(tag: str, value: str) -> X:
        return X(f"lomimscc:{tag}", children=[
            X("lomimscc:string", {"language": c.lang}, text=value)])

    general = [text("title", c.title), X("lomimscc:language", text=c.lang)]
    if c.description:
        general.append(text("description", c.description))
    rights = [X("lomimscc:copyrightAndOtherRestrictions", children=[
        X("lomimscc:value", text="yes" if c.licence else "no")])]
    if c.licence:
        rights.append(text("description", c.licence))
    return X("lomimscc:lom", children=[X("lomimscc:general", children=general),
                                       X("lomimscc:rights", children=rights)])


def manifest(c: Cartridge, shared: list[str], uses_files: set[str], lang: str,
             project: Project) -> str:
    manifest_id, org_id, root_id, assets_id = _ids(c)
    quiz_word = words("quiz", lang, project)
    folders = []
    for folder in c.folders:
        items = []
        for p in folder.pages:
            items.append(X("item", {"identifier": _item_id(c, folder, p.page.id),
                                    "identifierref": p.resource},
                           [X("title", text=short(p.page.display_title))]))
            items += [X("item", {"identifier": _item_id(c, folder, p.page.id, "quiz", q.quiz.id),
                                 "identifierref": q.resource},
                        [X("title", text=short(f"{quiz_word}: {q.quiz.title}"))])
                      for q in p.quizzes]
        folders.append(X("item", {"identifier": _item_id(c, folder)},
                         [X("title", text=short(folder.title)), *items]))
    resources = [X("resource", {"identifier": p.resource, "type": "webcontent",
                                "href": quote(p.path)},
                   [X("file", {"href": quote(p.path)}),
                    *([X("dependency", {"identifierref": assets_id})] if shared else [])])
                 for p in c.pages]
    resources += [X("resource", {"identifier": q.resource, "type": ASSESSMENT},
                    [X("file", {"href": quote(q.file)}),
                     *([X("dependency", {"identifierref": assets_id})]
                       if q.resource in uses_files else [])])
                  for q in c.quizzes]
    if shared:
        resources.append(X("resource", {"identifier": assets_id, "type": "webcontent"},
                           [X("file", {"href": quote(f)}) for f in shared]))
    root = X("manifest", {
        "identifier": manifest_id, "xmlns": NS_CP, "xmlns:lomimscc": NS_LOM,
        "xmlns:lom": NS_LOMR, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": f"{NS_CP} http://www.imsglobal.org/profile/cc/ccv1p1/"
                              f"ccv1p1_imscp_v1p2_v1p0.xsd {NS_LOM} http://www.imsglobal.org/"
                              "profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"}, [
        X("metadata", children=[X("schema", text="IMS Common Cartridge"),
                                X("schemaversion", text="1.1.0"), _lom(c)]),
        X("organizations", children=[
            X("organization", {"identifier": org_id, "structure": "rooted-hierarchy"},
              [X("item", {"identifier": root_id}, folders)])]),
        X("resources", children=resources)])
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + root.render() + "\n"


# ---------------------------------------------------------------- pages for the LMS

def without_chrome(tree: Element) -> None:
    """A page without the site's header, menus, table of contents and footer (before it is
    rewritten: nothing in them is rewritten, and the files only they use stay out)."""
    for el in tree.descendants():
        cls = el.classes()
        if el.tag == "header" and el.get("data-md-component") == "header":
            el.children = []  # the theme's script needs the element, the page its content
            el.put("hidden", "")
        elif el.get("data-md-component") in CHROME_COMPONENTS or \
                (el.tag == "footer" and "md-footer" in cls) or \
                (el.tag == "a" and "headerlink" in cls):
            el.remove()


def lms_tree(tree: Element, page: CcPage, lang: str, project: Project) -> None:
    """A rewritten page made for a frame or page of the LMS, in place (the finish of
    `PageCache.content`, after `without_chrome`): its quizzes without the questions (and
    answer keys) that are in the assessments."""
    quizzes = {q.quiz.id: q for q in page.quizzes}
    for section in list(tree.iter("section")):
        cq = quizzes.get(section.get("data-quiz") or "")
        if cq is not None and "mooc-quiz" in section.classes():
            _quiz_section(section, cq, lang, project)


def _quiz_section(section: Element, cq: CcQuiz, lang: str, project: Project) -> None:
    title = html.escape(cq.quiz.title, quote=False)
    if not cq.split.in_page:  # every question is in the LMS's quiz
        parent = section.parent
        assert parent is not None
        message = html.escape(words("moved", lang, project), quote=False).replace("{title}", title)
        heading = html.escape(words("quiz", lang, project), quote=False)
        parent.insert(parent.children.index(section) + 1,
                      f'<p class="mooc-quiz-moved"><strong>{heading}</strong>: {message}</p>')
        section.remove()
        return
    moved = {q.id for q in cq.split.in_qti}
    number = 0
    for el in list(section.iter()):
        cls = el.classes()
        if el.tag == "fieldset" and "mooc-q" in cls:
            if el.get("data-question") in moved:
                el.remove()
                continue
            number += 1
            for span in el.iter("span"):
                if "mooc-q__number" in span.classes():
                    span.children = [_renumber(span.children, number)]
                    break
        elif el.tag == "p" and "mooc-quiz__intro" in cls:
            el.children = [html.escape(words("self_check", lang, project), quote=False)
                           .replace("{title}", title)]
        elif el.tag == "script" and "mooc-quiz__key" in cls:
            key = json.loads("".join(c for c in el.children if isinstance(c, str)))
            key["questions"] = [q for q in key["questions"] if q.get("id") not in moved]
            el.children = [script_json(key)]


def _renumber(children: list[Element | str], number: int) -> str:
    """"Question 3" -> "Question 2", in whatever words the page's language says it."""
    return re.sub(r"\d+", str(number), "".join(serialise(c) for c in children), count=1)
