"""SCORM 1.2 (what Moodle and its mobile app play best): the version's spellings."""

from __future__ import annotations

from typing import ClassVar

from .scorm import ScormExporter
from .scorm_check import Xsd

NS_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


class Scorm12Exporter(ScormExporter):
    name = "scorm12"
    label: ClassVar[dict[str, str]] = {"en": "SCORM 1.2"}
    description: ClassVar[dict[str, str]] = {
        "en": "SCORM 1.2 for Moodle (and its mobile app)",
        "fr": "SCORM 1.2 pour Moodle (et son application mobile)"}
    file_pattern = "{course}-{lang}-{scope}-scorm12{layout}.zip"
    recognised_as = "SCORM 1.2"
    version = "1.2"
    suspend_limit = 4096
    schema_version = "1.2"
    scormtype_attr = "adlcp:scormtype"
    xsd = Xsd("scorm12", "imscp_rootv1p1p2.xsd", (("adlcp", "adlcp_rootv1p2.xsd"),
                                                  ("imsmd", "imsmd_rootv1p2p1.xsd")),
              "scorm2004-4th/xml.xsd", xsd11=True)
    namespaces: ClassVar[dict[str, str]] = {"": NS_CP, "adlcp": NS_ADLCP, "imsmd": NS_MD}
    list_sep = ","
    pair_sep = "."
    truth = ("t", "f")
    reflection_type = "fill-in"
    lom_prefix = "imsmd"
    lom_string = ("langstring", "xml:lang")

    def fill_in_pattern(self, answer: str, lang: str) -> str:
        return answer[:255]
