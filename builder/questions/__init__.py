"""Question types: one module per type (its keys, loading and checks, HTML, answer key,
scoring and SCORM interaction), and the registry of them by the name a quiz file gives.

A new type is a module here, its class in `TYPES` and its name in `base.TypeName`, its
handler in render/assets/questions.js and its interface strings (render/strings/).
Imports only `errors`, `model` and `yamlsrc` from the builder.
"""

from __future__ import annotations

from .base import COMMON_KEYS, LETTERS, Key, QuestionType, TypeName
from .fill_in import FillIn
from .matching import Matching
from .multiple import Multiple
from .ordering import Ordering
from .reflection import Reflection
from .scenario import Scenario
from .single import Single
from .true_false import TrueFalse

# In the order the authoring guide and the error messages list them.
TYPES: dict[str, type[QuestionType]] = {cls.name: cls for cls in (
    Single, Multiple, TrueFalse, FillIn, Ordering, Matching, Reflection, Scenario)}

__all__ = ["COMMON_KEYS", "LETTERS", "TYPES", "Key", "QuestionType", "TypeName"]
