"""Data for the browser as JavaScript text, safe inside a `<script>` element or a file."""

from __future__ import annotations

import json
from typing import Any

# `<`, `>` and `&` could end a script element or start markup; U+2028 and U+2029 are line
# ends in older JavaScript. Escaped, they are the same characters to the script.
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}
_TABLE = str.maketrans(_ESCAPES)


def script_json(value: Any, *, sort_keys: bool = False) -> str:
    """Compact JSON with every character escaped that a script element cannot hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=sort_keys).translate(_TABLE)
