"""What both SCORM versions share: the export flow, launch pages, runtime settings and the
manifest's shape. `scorm12.py` and `scorm2004.py` only say how their version spells things.

A package holds one launch page per SCO (at the root) that finds the LMS and shows the
SCO's pages in a frame; the pages are the site's own, rewritten by `common/rewrite.py`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from ..common.rewrite import CSP, PageCache, Side
from ..common.strings import load_strings
from ..errors import Problem, SuspendLimitError
from ..model import Project
from . import scorm_check
from .archive import MANIFEST, SafeZip, write_zip
from .base import PACKAGE_PAGE, Exporter, Package, Runtime, wordings
from .budget import Budget, commit_budget
from .launch import add_launch_scripts, launch_page, question_settings, side_pages
from .plan import (
    SUSPEND_FORMAT,
    Layout,
    PackagePlan,
    QuestionPlan,
    ScoPlan,
    check_suspend_limit,
    find_track,
    plan_package,
    xml_id,
)

RUNTIME_VERSION = 3  # 2: saves while pages are alive, exit "suspend" from the start, budget.py;
# 3: suspend_data M2 (the learner's key), draws, shuffled orders, attempts, scenarios
RUNTIME = Runtime("assets/mooc/scorm-runtime.js", "builder.export", "assets/scorm-runtime.js")
# What the runtime tells the learner about saving (interface strings scorm_<name>)
NOTICES = ("pending", "finish", "off")


# ---------------------------------------------------------------- a tiny XML writer

@dataclass
class X:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[X] = field(default_factory=list)
    text: str | None = None

    def render(self, depth: int = 0) -> str:
        pad = "  " * depth
        attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in self.attrs.items())
        if self.text is not None:
            return f"{pad}<{self.tag}{attrs}>{html.escape(self.text, quote=False)}</{self.tag}>"
        if not self.children:
            return f"{pad}<{self.tag}{attrs}/>"
        inner = "\n".join(c.render(depth + 1) for c in self.children)
        return f"{pad}<{self.tag}{attrs}>\n{inner}\n{pad}</{self.tag}>"


def short(title: str, limit: int = 200) -> str:
    """Item titles: SCORM's smallest permitted maximum is 200 characters."""
    return title if len(title) <= limit else title[:limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- the exporter

class ScormExporter(Exporter):
    """Shared flow; subclasses set the class attributes and the version's spellings."""

    runtime = PACKAGE_PAGE  # in every page; the launch pages load RUNTIME (launch.py)
    checks = "structure and XSD"
    facts: ClassVar[dict[str, str]] = {"suspend_data_max": "suspend_data <= {} chars",
                                       "save_max": "each save <= {} bytes"}
    # the package made one SCO per module ("fallback"), and what the LMS learns of each
    # question when a package reports less (the other keys: budget.py's details)
    notes: ClassVar[dict[str, dict[str, str]]] = {
        "fallback": {"en": "one SCO per module", "fr": "un SCO par module"},
        "compact": {"en": "answers reported without times or prompts",
                    "fr": "réponses transmises sans heure ni énoncé"},
        "minimal": {"en": "each question reported as right or wrong only",
                    "fr": "chaque question transmise comme juste ou fausse seulement"},
        "quizzes": {"en": "each quiz reported with its score, not each question",
                    "fr": "chaque quiz transmis avec son score, sans le détail des questions"},
        "none": {"en": "score and status only, no report per question",
                 "fr": "score et statut seulement, sans détail par question"}}
    version: ClassVar[str]  # "1.2" | "2004"
    suspend_limit: ClassVar[int]
    namespaces: ClassVar[dict[str, str]]
    schema_version: ClassVar[str]
    scormtype_attr: ClassVar[str]
    xsd: ClassVar[scorm_check.Xsd]

    def __init__(self, layout: Layout = "single", pages: PageCache | None = None) -> None:
        super().__init__(layout, pages)
        self.last_bounds: dict[str, int] = {}
        self.budgets: dict[str, Budget] = {}  # per SCO: the interaction detail it reports
        self.notices: dict[str, str] = {}  # the runtime's messages, in the package's language
        self.side = Side()  # the help page beside the SCOs (a shared file, not a SCO)

    # -- the Exporter interface
    def package(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
                track: str | None = None, *, fallback: bool = False) -> Package:
        """With `fallback`, a single-SCO package whose saved state cannot fit the version's
        suspend_data limit (a large course in SCORM 1.2) is made with one SCO per module."""
        try:
            path = self.export(project, lang, site_dir, out_dir, track)
        except SuspendLimitError:  # only this: any other error is the same in either layout
            if not fallback or self.layout != "single":
                raise
            per_module = type(self)(layout="module", pages=self.pages)
            made = per_module.package(project, lang, site_dir, out_dir, track)
            return Package(made.path, made.facts, "; ".join(
                filter(None, [self.note("fallback", project, lang), made.note])))
        details = sorted({b.detail for b in self.budgets.values()} - {"full"})
        return Package(path, {"suspend_data_max": max(self.last_bounds.values(), default=0),
                              "save_max": max(b.bound for b in self.budgets.values())},
                       "; ".join(self.note(d, project, lang) for d in details))

    @classmethod
    def recognises(cls, package: SafeZip) -> bool:
        """A manifest at the root, of this version's content-packaging namespace."""
        return scorm_check.recognises(package, cls)

    @classmethod
    def validate(cls, package: SafeZip, where: str, schemas: Path | None) -> list[Problem]:
        return scorm_check.check(package, where, cls, schemas)

    @classmethod
    def why_not(cls, package: SafeZip, where: str) -> list[Problem]:
        return scorm_check.why_not(package, where)

    def export(self, project: Project, lang: str, site_dir: Path, out_dir: Path,
               track: str | None = None) -> Path:
        plan = plan_package(project, lang, Path(site_dir), find_track(project, track), self.layout)
        strings = load_strings(lang, project.editions[lang].strings, wordings())
        self.notices = {key: strings[f"scorm_{key}"] for key in NOTICES}
        self.side = side_pages(plan, strings)
        self.last_bounds = check_suspend_limit(plan, self.suspend_limit, self.version)
        self.budgets = {sco.key: commit_budget(sco, self, self.version, lang)
                        for sco in plan.scos}
        files, sco_files, shared = self.assemble(plan, Path(site_dir))
        files[MANIFEST] = self.manifest(plan, sco_files, shared).encode("utf-8")
        path = write_zip(Path(out_dir) / self.file_name(plan), files)
        return path

    def file_name(self, plan: PackagePlan) -> str:
        return self.package_name(plan.course_id, plan.lang, plan.scope, plan.layout)

    def assemble(self, plan: PackagePlan, site_dir: Path
                 ) -> tuple[dict[str, bytes], dict[str, list[str]], list[str]]:
        """Every file of the package; the files of each SCO; the shared files."""
        files = self.site_files(site_dir, [[p.path for p in sco.pages] for sco in plan.scos],
                                self.side)
        add_launch_scripts(files, site_dir, RUNTIME)
        sco_files: dict[str, list[str]] = {}
        for sco in plan.scos:
            files[sco.launch] = self.launch_page(plan, sco).encode("utf-8")
            sco_files[sco.resource_id] = [sco.launch, *(p.path for p in sco.pages)]
        own = {f for files in sco_files.values() for f in files}
        shared = sorted(f for f in files if f not in own)
        return files, sco_files, shared

    # -- the runtime's settings, per SCO
    def runtime_config(self, plan: PackagePlan, sco: ScoPlan) -> dict[str, Any]:
        return {
            "runtime": RUNTIME_VERSION, "scorm": self.version, "format": SUSPEND_FORMAT,
            "limit": self.suspend_limit, "course": plan.course_id, "lang": plan.lang,
            "sco": sco.key, "passMark": plan.pass_mark, "pageSeen": plan.page_seen,
            "quizRule": plan.quiz_rule, "detail": self.budgets[sco.key].detail,
            "notices": self.notices,
            "pages": [{"path": p.path, "fp": p.fp, "title": p.title} for p in sco.pages],
            "quizzes": [{
                "id": quiz.id, "fp": quiz.fp, "page": quiz.page, "passMark": quiz.pass_mark,
                "max": quiz.max_points, "iid": quiz.interaction,
                "questions": [question_settings(q, *self.interaction(q, plan.lang))
                              for q in quiz.questions],
                **({"draw": quiz.draw} if quiz.draw else {}),
            } for quiz in sco.quizzes],
        }

    def launch_page(self, plan: PackagePlan, sco: ScoPlan) -> str:
        return launch_page("scorm", plan.lang, sco.title, sco.pages[0].path,
                           self.runtime_config(plan, sco), RUNTIME, csp=CSP,
                           style="#mooc-scorm-frame{display:block;border:0;width:100%;"
                                 "height:100%}")

    # -- the version's spellings (subclasses set these)
    list_sep: ClassVar[str]  # between the items of a response pattern
    pair_sep: ClassVar[str]  # between the two sides of a pair
    truth: ClassVar[tuple[str, str]]  # true, false
    reflection_type: ClassVar[str]
    lom_prefix: ClassVar[str]  # the metadata's namespace prefix
    lom_string: ClassVar[tuple[str, str]]  # a localised string's element and its lang attribute

    def fill_in_pattern(self, answer: str, lang: str) -> str:
        raise NotImplementedError

    def interaction(self, q: QuestionPlan, lang: str) -> tuple[str, list[str]]:
        """The interaction type and correct-response patterns of a question, in this
        version's spelling (from the question's type)."""
        return q.unit.interaction_type(self), q.unit.correct_patterns(self, lang)

    def lom(self, title: str, description: str, lang: str) -> X:
        """The title, language and description of the package or of a SCO."""
        p = self.lom_prefix
        element, lang_attr = self.lom_string

        def text(value: str) -> list[X]:
            return [X(f"{p}:{element}", {lang_attr: lang}, text=value)]

        general = [X(f"{p}:title", children=text(title)), X(f"{p}:language", text=lang)]
        if description:
            general.append(X(f"{p}:description", children=text(description)))
        return X(f"{p}:lom", children=[X(f"{p}:general", children=general)])

    def item_extra(self, plan: PackagePlan) -> list[X]:
        return []

    def organization_extra(self, plan: PackagePlan) -> list[X]:
        return []

    # -- the manifest's shape, the same in both versions
    def manifest(self, plan: PackagePlan, sco_files: dict[str, list[str]],
                 shared: list[str]) -> str:
        shared_id = xml_id("res", plan.course_id, plan.lang, plan.scope, "_assets")
        items: list[X] = []
        for sco in plan.scos:
            children = [X("title", text=short(sco.title))]
            if plan.layout == "module":
                children.append(X("metadata", children=[
                    self.lom(sco.title, sco.description, plan.lang)]))
            children += self.item_extra(plan)
            items.append(X("item", {"identifier": sco.item_id,
                                    "identifierref": sco.resource_id}, children))
        if plan.layout == "module":
            items = [X("item", {"identifier": plan.root_item_id},
                       [X("title", text=short(plan.title)), *items])]
        organization = X("organization", {"identifier": plan.org_id},
                         [X("title", text=short(plan.title)), *items,
                          *self.organization_extra(plan)])
        res: list[X] = []
        for sco in plan.scos:
            own = sco_files[sco.resource_id]
            files = [own[0], *sorted(own[1:])] if plan.layout == "module" else \
                [own[0], *sorted(set(own[1:]) | set(shared))]
            kids = [X("file", {"href": quote(f)}) for f in files]
            if plan.layout == "module" and shared:
                kids.append(X("dependency", {"identifierref": shared_id}))
            res.append(X("resource", {"identifier": sco.resource_id, "type": "webcontent",
                                      self.scormtype_attr: "sco", "href": quote(sco.launch)},
                         kids))
        if plan.layout == "module" and shared:
            res.append(X("resource", {"identifier": shared_id, "type": "webcontent",
                                      self.scormtype_attr: "asset"},
                         [X("file", {"href": quote(f)}) for f in shared]))
        attrs = {"identifier": plan.manifest_id}
        attrs.update({("xmlns" if p == "" else f"xmlns:{p}"): uri
                      for p, uri in self.namespaces.items()})
        root = X("manifest", attrs, [
            X("metadata", children=[
                X("schema", text="ADL SCORM"), X("schemaversion", text=self.schema_version),
                self.lom(plan.title, plan.description, plan.lang)]),
            X("organizations", {"default": plan.org_id}, [organization]),
            X("resources", children=res),
        ])
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + root.render() + "\n"
