"""SCORM 1.2 (what Moodle and its mobile app play best): the version's spellings."""

from __future__ import annotations

from typing import ClassVar

from .base import register
from .plan import QuestionPlan
from .scorm import ScormExporter, X, letters

NS_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
TYPES = {"single": "choice", "multiple": "choice", "true-false": "true-false",
         "fill-in": "fill-in", "ordering": "sequencing", "matching": "matching",
         "reflection": "fill-in"}
MAX_PATTERNS = 5


@register("scorm12")
class Scorm12Exporter(ScormExporter):
    name = "scorm12"
    version = "1.2"
    suspend_limit = 4096
    schema_version = "1.2"
    scormtype_attr = "adlcp:scormtype"
    namespaces: ClassVar[dict[str, str]] = {"": NS_CP, "adlcp": NS_ADLCP, "imsmd": NS_MD}

    def interaction(self, q: QuestionPlan, lang: str) -> tuple[str, list[str]]:
        itype = TYPES[q.type]
        if q.type in ("single", "multiple"):
            return itype, [",".join(letters(q.correct))]
        if q.type == "true-false":
            return itype, ["t" if q.truth else "f"]
        if q.type == "fill-in":
            return itype, [a[:255] for a in q.answers[:MAX_PATTERNS]]
        if q.type == "ordering":
            return itype, [",".join(letters(range(q.n)))]
        if q.type == "matching":
            return itype, [",".join(f"{c}.{c}" for c in letters(range(q.n)))]
        return itype, []

    def lom(self, title: str, description: str, lang: str) -> X:
        general = [X("imsmd:title", children=[
            X("imsmd:langstring", {"xml:lang": lang}, text=title)]),
            X("imsmd:language", text=lang)]
        if description:
            general.append(X("imsmd:description", children=[
                X("imsmd:langstring", {"xml:lang": lang}, text=description)]))
        return X("imsmd:lom", children=[X("imsmd:general", children=general)])
