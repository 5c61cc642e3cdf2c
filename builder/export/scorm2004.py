"""SCORM 2004 4th edition (for LMSs other than Moodle): the version's spellings."""

from __future__ import annotations

from typing import ClassVar

from .plan import PackagePlan
from .scorm import ScormExporter, X
from .scorm_check import Xsd

NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
NS_LOM = "http://ltsc.ieee.org/xsd/LOM"


def _lang_string(text: str, lang: str) -> str:
    """A localized string: a leading '{' must be preceded by a language tag."""
    text = text[:250].replace("[,]", "[ ,]")
    return f"{{lang={lang}}}{text}" if text.startswith("{") else text


class Scorm2004Exporter(ScormExporter):
    name = "scorm2004"
    label: ClassVar[dict[str, str]] = {"en": "SCORM 2004 4th edition",
                                       "fr": "SCORM 2004 4e édition"}
    description: ClassVar[dict[str, str]] = {
        "en": "SCORM 2004 for platforms that prefer it",
        "fr": "SCORM 2004 pour les plateformes qui le préfèrent"}
    file_pattern = "{course}-{lang}-{scope}-scorm2004{layout}.zip"
    recognised_as = "SCORM 2004"  # its 3rd edition too
    version = "2004"
    suspend_limit = 64000
    schema_version = "2004 4th Edition"
    scormtype_attr = "adlcp:scormType"
    xsd = Xsd("scorm2004-4th", "imscp_v1p1.xsd", (
        ("adlcp", "adlcp_v1p3.xsd"), ("adlseq", "adlseq_v1p3.xsd"), ("adlnav", "adlnav_v1p3.xsd"),
        ("imsss", "imsss_v1p0.xsd"), ("lom", "lom.xsd")), "scorm2004-4th/xml.xsd")
    namespaces: ClassVar[dict[str, str]] = {
        "": NS_CP, "adlcp": NS_ADLCP, "adlseq": NS_ADLSEQ, "adlnav": NS_ADLNAV,
        "imsss": NS_IMSSS, "lom": NS_LOM}
    list_sep = "[,]"
    pair_sep = "[.]"
    truth = ("true", "false")
    reflection_type = "long-fill-in"
    lom_prefix = "lom"
    lom_string = ("string", "language")

    def fill_in_pattern(self, answer: str, lang: str) -> str:
        return _lang_string(answer, lang)

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
