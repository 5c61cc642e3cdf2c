"""SCORM 1.2 (what Moodle and its mobile app play best): the version's spellings."""

from __future__ import annotations

from typing import ClassVar

from .base import register
from .scorm import ScormExporter

NS_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


@register("scorm12")
class Scorm12Exporter(ScormExporter):
    name = "scorm12"
    version = "1.2"
    suspend_limit = 4096
    schema_version = "1.2"
    scormtype_attr = "adlcp:scormtype"
    namespaces: ClassVar[dict[str, str]] = {"": NS_CP, "adlcp": NS_ADLCP, "imsmd": NS_MD}
    list_sep = ","
    pair_sep = "."
    truth = ("t", "f")
    reflection_type = "fill-in"
    lom_prefix = "imsmd"
    lom_string = ("langstring", "xml:lang")

    def fill_in_pattern(self, answer: str, lang: str) -> str:
        return answer[:255]
