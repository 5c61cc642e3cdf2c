"""SCORM 2004 4th edition (for LMSs other than Moodle): the version's spellings."""

from __future__ import annotations

from typing import ClassVar

from .base import register
from .plan import PackagePlan, QuestionPlan
from .scorm import ScormExporter, X, letters

NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
NS_LOM = "http://ltsc.ieee.org/xsd/LOM"
TYPES = {"single": "choice", "multiple": "choice", "true-false": "true-false",
         "fill-in": "fill-in", "ordering": "sequencing", "matching": "matching",
         "reflection": "long-fill-in"}
MAX_PATTERNS = 5


def _lang_string(text: str, lang: str) -> str:
    """A localized string: a leading '{' must be preceded by a language tag."""
    text = text[:250].replace("[,]", "[ ,]")
    return f"{{lang={lang}}}{text}" if text.startswith("{") else text


@register("scorm2004")
class Scorm2004Exporter(ScormExporter):
    name = "scorm2004"
    version = "2004"
    suspend_limit = 64000
    schema_version = "2004 4th Edition"
    scormtype_attr = "adlcp:scormType"
    namespaces: ClassVar[dict[str, str]] = {
        "": NS_CP, "adlcp": NS_ADLCP, "adlseq": NS_ADLSEQ, "adlnav": NS_ADLNAV,
        "imsss": NS_IMSSS, "lom": NS_LOM}

    def interaction(self, q: QuestionPlan, lang: str) -> tuple[str, list[str]]:
        itype = TYPES[q.type]
        if q.type in ("single", "multiple"):
            return itype, ["[,]".join(letters(q.correct))]
        if q.type == "true-false":
            return itype, ["true" if q.truth else "false"]
        if q.type == "fill-in":
            return itype, [_lang_string(a, lang) for a in q.answers[:MAX_PATTERNS]]
        if q.type == "ordering":
            return itype, ["[,]".join(letters(range(q.n)))]
        if q.type == "matching":
            return itype, ["[,]".join(f"{c}[.]{c}" for c in letters(range(q.n)))]
        return itype, []

    def lom(self, title: str, description: str, lang: str) -> X:
        general = [X("lom:title", children=[X("lom:string", {"language": lang}, text=title)]),
                   X("lom:language", text=lang)]
        if description:
            general.append(X("lom:description", children=[
                X("lom:string", {"language": lang}, text=description)]))
        return X("lom:lom", children=[X("lom:general", children=general)])

    def item_extra(self, plan: PackagePlan) -> list[X]:
        """The SCO sets completion and success itself; the LMS must not guess them."""
        return [X("imsss:sequencing", children=[
            X("imsss:deliveryControls", {"completionSetByContent": "true",
                                         "objectiveSetByContent": "true"})])]

    def organization_extra(self, plan: PackagePlan) -> list[X]:
        """One SCO per module: let the LMS offer previous/next between them."""
        if plan.layout != "module":
            return []
        return [X("imsss:sequencing", children=[
            X("imsss:controlMode", {"choice": "true", "flow": "true"})])]
