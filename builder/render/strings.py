"""Interface strings: they live on the `common` floor (`common/strings.py`), where the
print edition (export) reads them too."""

from ..common.strings import STRINGS_DIR, load_strings, string_keys, t

__all__ = ["STRINGS_DIR", "load_strings", "string_keys", "t"]
