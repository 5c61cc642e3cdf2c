"""YAML that remembers lines, and a small schema reader that collects problems.

Part of the loaders' layer: imports only `errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problem, closest, did_you_mean

# libyaml's parser when PyYAML has it (5x faster here), the pure-Python one otherwise.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LDict(dict[str, Any]):
    """A mapping read from YAML: `line` of the mapping, `key_lines[key]` of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list[Any]):
    """A sequence read from YAML: `line` of the sequence, `item_lines[i]` of each item."""

    line: int = 0
    item_lines: list[int]


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            LDict: "a mapping", dict: "a mapping", LList: "a list",
            list: "a list"}.get(type(value), type(value).__name__)


type_name = _type_name


def _bool_hint(value: Any) -> str:
    if isinstance(value, bool):
        return (" (YAML reads yes, no, on, off, true and false as true/false: put the text "
                "between quotes)")
    return ""


def suggest(word: str, valid: list[str], noun: str = "keys") -> str:
    """The closest valid word, or the list of them when none is close."""
    return did_you_mean(word, valid) or f" (valid {noun}: {', '.join(valid)})"


def decode(data: bytes, path: str, problems: list[Problem]) -> str | None:
    """Bytes to text: UTF-8 (a BOM is dropped), Windows line endings folded."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, "this file is not UTF-8 text: save it as UTF-8 "
                                f"(bad byte 0x{data[exc.start]:02x})"))
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, path: str, problems: list[Problem], first_line: int = 1) -> Any:
    """Parse YAML text; on error add a problem and return None.

    `first_line` is the file line of the text's first line (front matter starts at 2).
    libyaml parses when PyYAML has it; a file it refuses is parsed again by the
    pure-Python parser, whose messages are friendlier (errors are rare, speed is not).
    """
    if _Loader is not yaml.SafeLoader:
        found = len(problems)
        try:
            return _parse_with(_Loader, text, path, problems, first_line)
        except yaml.YAMLError:
            del problems[found:]  # the second pass finds them again
    try:
        return _parse_with(yaml.SafeLoader, text, path, problems, first_line)
    except yaml.reader.ReaderError as exc:  # control characters
        line = text[: exc.position].count("\n") + first_line
        problems.append(Problem(path, line, f"this file contains a control character "
                                f"(#x{exc.character:04x}) that YAML does not allow: remove it"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        what = exc.problem or "cannot read this YAML"
        hint = ""
        if "quoted scalar" in (exc.context or "") and exc.context_mark is not None \
                and ("end of stream" in what or "document separator" in what):
            # an unclosed quote is found where the file ends: point at the quote instead
            line = exc.context_mark.line + first_line
            what = "a quote (\" or ') opens on this line and is never closed"
        elif "\t" in what or "'\\t'" in what or "tab" in what.lower():
            hint = " (use spaces, not tabs, to indent)"
        elif mark is not None and (misindented := _indentation(text, mark.line)):
            bad_line, message = misindented
            problems.append(Problem(path, bad_line + first_line, message))
            return None
        elif "mapping values are not allowed" in what:
            hint = " (put text that contains ': ' between quotes)"
        problems.append(Problem(path, line, f"YAML syntax error: {what}{hint}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(path, first_line, f"YAML error: {exc}"))
    return None


# Messages of a file YAML could not read at all: nothing else is said about that file.
UNREADABLE = ("YAML syntax error", "YAML error", "wrong indentation",
              "this file contains a control character")

_KEY = re.compile(r"""((?:-[ \t]+)*)((?:[^\s#'"{\[\]},&*!|>%@`-]|-(?=\S))[^#]*?"""
                  r"""|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|$)""")
_BLOCK_SCALAR = re.compile(r"""(?:^|:[ \t]|-[ \t])[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$""")


def _indentation(text: str, error_line: int) -> tuple[int, str] | None:
    """(line index, message) when the line YAML stumbled on, or one just above it, is
    indented wrongly: to a column no open block uses, a key to the column of a '-' or a
    '-' to the column of a key, or further in than a line that opens nothing. None when
    indentation is not the problem.

    Reads lines as a trainer sees them: the column of each key (after any `- `), the
    columns still open above a line; block scalars (`|`, `>`) and the continuation lines
    of a text are skipped."""
    lines = text.split("\n")
    open_: list[_Open] = []
    opens_block = True  # the line above ends with 'key:' or '-': what follows may go in
    scalar: _Open | None = None  # inside a block scalar: its first line of text
    scalar_col: int | None = None  # ... started by a key or '-' at this column
    found: tuple[int, str] | None = None
    for i, raw in enumerate(lines[: error_line + 1]):
        stripped = raw.strip()
        if not stripped or (stripped.startswith("#") and scalar_col is None):
            continue
        col = len(raw) - len(raw.lstrip(" "))
        if scalar_col is not None:
            if col > scalar_col:
                if scalar is None:
                    scalar = _Open(col, i, "", dash=False)
                elif col < scalar.col:
                    found = (i, _text_misindented(scalar, col))
                continue
            scalar_col = None
        m = _KEY.match(raw, col)
        dash = stripped == "-" or stripped.startswith("- ")
        if m is None and not dash:
            if scalar is not None and col < scalar.col and open_ and col <= open_[-1].col:
                found = (i, _text_misindented(scalar, col))  # left of its '|' or '>' text
            continue  # a continuation of the text above
        scalar = None
        label = m.group(0).strip() if m else "-"
        deeper = [o for o in open_ if o.col > col]
        open_ = [o for o in open_ if o.col <= col]
        here = [o for o in open_ if o.col == col]
        lower_dashes = [o for o in open_ if o.dash and o.col < col]
        ref: _Open | None = None
        less, part = True, "line"
        if deeper and (not here or (not dash and all(o.dash for o in here))):
            nearest = min(o.col for o in deeper)  # short of the lines above, or a key
            ref = [o for o in deeper if o.col == nearest][-1]  # under a '-'
        elif dash and here and not any(o.dash for o in here) \
                and any(o.dash for o in deeper):  # a '-' under a key, the list deeper
            ref = max((o for o in deeper if o.dash), key=lambda o: (-o.col, o.line))
        elif dash and here and not here[-1].dash and not opens_block and lower_dashes:
            ref, less, part = lower_dashes[-1], False, "item"  # '-' in line with keys
        elif not dash and here and all(o.dash for o in here):
            owners = [o for o in open_ if not o.dash and o.col < col]
            if owners:  # a key in line with the '-' of a list of texts
                ref, less, part = owners[-1], False, "list"
        elif open_ and col > open_[-1].col and not opens_block:
            ref, less = open_[-1], False  # further in than a line that opens nothing
        if ref is not None:
            found = (i, _misindented(lines, i, col, ref, label, less=less, part=part))
        if dash:
            open_.append(_Open(col, i, label, dash=True))
        if m is not None:
            open_.append(_Open(col + len(m.group(1)), i, m.group(2).strip() + ":",
                               dash=False))
            value = raw[m.end():].split(" #", 1)[0].strip()
            opens_block = value == "" or (value.startswith(("&", "!")) and " " not in value)
        else:
            opens_block = stripped == "-"
        if _BLOCK_SCALAR.search(raw):
            scalar_col = col
    if found is None or found[0] < error_line - 3:
        return None  # too far above to be what YAML stumbled on
    return found


@dataclass(frozen=True)
class _Open:
    """A line whose block is still open: where its key (or '-') starts."""

    col: int
    line: int  # index in the text
    label: str  # 'key:' or '- key:' or '-'
    dash: bool


def _misindented(lines: list[str], i: int, col: int, ref: _Open, label: str, *,
                 less: bool, part: str) -> str:
    n = abs(ref.col - col)
    spaces = f"{n} space{'s' if n > 1 else ''}"
    after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()
                  and not lines[j].lstrip().startswith("#")), None)
    same_below = after is not None and \
        len(lines[after]) - len(lines[after].lstrip(" ")) == ref.col
    around = (f"the lines around it (lines {ref.line + 1} and {after + 1})"
              if same_below and after is not None and ref.line == _above(lines, i)
              else f"the line above (line {ref.line + 1})" if ref.line == _above(lines, i)
              else f"line {ref.line + 1}")
    if less:
        return (f"wrong indentation: '{label}' is indented {spaces} less than {around}, "
                f"so YAML does not read it as part of the same block. Indent it {spaces} "
                f"more, in line with '{ref.label}' on line {ref.line + 1}")
    return (f"wrong indentation: '{label}' is indented {spaces} more than {around}, "
            f"so YAML reads it as part of the {part} above. Indent it {spaces} less, in "
            f"line with '{ref.label}' on line {ref.line + 1}")


def _text_misindented(first: _Open, col: int) -> str:
    n = first.col - col
    spaces = f"{n} space{'s' if n > 1 else ''}"
    return (f"wrong indentation: this line is indented {spaces} less than the text it "
            f"continues (line {first.line + 1}), so YAML does not read it as part of that "
            f"text. Indent it {spaces} more, in line with line {first.line + 1}")


def _above(lines: list[str], i: int) -> int:
    return next((j for j in range(i - 1, -1, -1) if lines[j].strip()
                 and not lines[j].lstrip().startswith("#")), -1)


def _parse_with(loader_class: Any, text: str, path: str, problems: list[Problem],
                first_line: int) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, loader, path, problems, first_line - 1,
                        lines=text.split("\n"))
    finally:
        loader.dispose()


def _convert(node: yaml.Node, loader: Any, path: str, problems: list[Problem], offset: int,
             seen: set[int] | None = None, *, lines: list[str]) -> Any:
    """The node as LDict, LList and plain values; `seen`: the mappings and sequences it is
    in (an alias to one of them would never end)."""
    line = node.start_mark.line + 1 + offset
    if seen is None:
        seen = set()
    elif id(node) in seen:
        problems.append(Problem(path, line, "an alias (*name) refers to itself"))
        return None
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        result = LDict()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = key_node.value if _plain_text(key_node) else \
                _convert(key_node, loader, path, problems, offset, seen, lines=lines)
            key_line = key_node.start_mark.line + 1 + offset
            # `true:`/`false:` keys (true-false feedback) read as the words, not booleans
            key = ("true" if key else "false") if isinstance(key, bool) else str(key)
            if key in result:
                problems.append(Problem(path, key_line, f"duplicate key '{key}' "
                                        f"(first at line {result.key_lines[key]})"))
                continue
            _glued(value_node, lines, path, problems, offset, in_list=False)
            result[key] = value_node.value if _plain_text(value_node) else \
                _convert(value_node, loader, path, problems, offset, seen, lines=lines)
            result.key_lines[key] = key_line
        seen.discard(id(node))
        return result
    if isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        items = LList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            _glued(item, lines, path, problems, offset, in_list=True)
            items.append(item.value if _plain_text(item) else
                         _convert(item, loader, path, problems, offset, seen, lines=lines))
            items.item_lines.append(item.start_mark.line + 1 + offset)
        seen.discard(id(node))
        return items
    if node.tag == STR_TAG:  # most values: what the constructor would return, sooner
        return node.value
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError):
        # looks like a date or number and is not one (`2024-13-45`, `!!int xyz`): it is
        # the text as written, and the readers say where text is not what they want
        return node.value if isinstance(node, yaml.ScalarNode) else None


STR_TAG = "tag:yaml.org,2002:str"


def _plain_text(node: yaml.Node) -> bool:
    """A text scalar, which _convert gives as it is (checked here, without the call: a
    course's files hold tens of thousands)."""
    return type(node) is yaml.ScalarNode and node.tag == STR_TAG


def _glued(node: yaml.Node, lines: list[str], path: str, problems: list[Problem],
           offset: int, *, in_list: bool) -> None:
    """Warn when unquoted text runs on into a line that starts with '- ': a list item
    indented too far, which YAML silently joins to the text above."""
    first, last = node.start_mark.line, node.end_mark.line
    if not isinstance(node, yaml.ScalarNode) or node.style or last <= first:  # plain: None or ""
        return
    for j in range(first + 1, min(last, len(lines) - 1) + 1):
        cont = lines[j].strip()
        if not cont.startswith("- "):
            continue
        value = node.value if len(node.value) <= 80 else node.value[:77] + "..."
        at = first + 1 + offset
        fix = (f"To make it an item of its own, start its '-' in the same column as the "
               f"'-' on line {at}" if in_list else
               "To make a list, write each item on a line of its own, starting with '- ', "
               "all in the same column")
        where = f"the item on line {at}" if in_list else f"line {at}"
        problems.append(Problem(path, j + 1 + offset, f"'{cont}' is indented further than "
                                f"{where}, so YAML glues it to that "
                                f"{'item' if in_list else 'text'} ('{value}'). {fix}",
                                "warning"))
        return


class Reader:
    """Reads typed values out of an `LDict`, adding a problem for each mistake."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, "warning"))

    def mapping(self, value: Any, line: int, what: str) -> LDict | None:
        if isinstance(value, LDict):
            return value
        if value is None and any(p.path == self.path and p.message.startswith(UNREADABLE)
                                 for p in self.problems):
            return None  # YAML could not read the file: that is said already
        self.error(line, f"{what} must be a mapping of 'key: value' lines, "
                   f"got {_type_name(value)}")
        return None

    def keys(self, data: LDict, allowed: list[str], required: list[str], what: str) -> None:
        misspelt: set[str] = set()
        for key in data:
            if key not in allowed:
                self.error(data.key_lines[key],
                           f"unknown key '{key}' in {what}{suggest(key, allowed)}")
                if (meant := closest(key, allowed)) in required:
                    misspelt.add(meant)
        for key in required:
            if key not in data and key not in misspelt:  # a typo is reported once
                self.error(data.line, f"missing key '{key}' in {what}")

    def line_of(self, data: LDict, key: str) -> int:
        return data.key_lines.get(key, data.line)

    def text(self, data: LDict, key: str, default: str = "", *, required: bool = False,
             what: str = "") -> str:
        if key not in data or data[key] is None:
            if required and key in data:
                self.error(self.line_of(data, key), f"'{key}' is empty{what}")
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(self.line_of(data, key),
                       f"'{key}' must be text, got {_type_name(value)}{what}{_bool_hint(value)}")
            return default
        text = str(value)
        if required and not text.strip():
            self.error(self.line_of(data, key), f"'{key}' is empty{what}")
        return text

    def integer(self, data: LDict, key: str, default: int, lo: int, hi: int) -> int:
        if key not in data:
            return default
        value = data[key]
        line = self.line_of(data, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(line, f"'{key}' must be a whole number, got {_type_name(value)} "
                       f"{value!r}")
            return default
        if not lo <= value <= hi:
            self.error(line, f"'{key}' must be between {lo} and {hi}, got {value}")
            return default
        return value

    def boolean(self, data: LDict, key: str, default: bool) -> bool:
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.error(self.line_of(data, key),
                       f"'{key}' must be true or false, got {_type_name(value)} {value!r}")
            return default
        return value

    def items(self, data: LDict, key: str) -> list[tuple[LDict, int]]:
        """A list of mappings (tracks, scenario steps, ...), each with its line; a value
        that is not a list, or an item that is not a mapping, is reported and skipped."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, LList):
            self.error(self.line_of(data, key), f"'{key}' must be a list, got "
                       f"{_type_name(value)}")
            return []
        out = []
        for item, line in zip(value, value.item_lines, strict=True):
            m = self.mapping(item, line, f"each item of '{key}'")
            if m is not None:
                out.append((m, line))
        return out

    def text_list(self, data: LDict, key: str) -> tuple[tuple[str, ...], list[int]]:
        """A list of texts (a single text is accepted as a list of one)."""
        if key not in data or data[key] is None:
            return (), []
        value = data[key]
        line = self.line_of(data, key)
        if isinstance(value, str):
            return (value,), [line]
        if not isinstance(value, LList):
            self.error(line, f"'{key}' must be a list, got {_type_name(value)}")
            return (), []
        out: list[str] = []
        lines: list[int] = []
        for item, item_line in zip(value, value.item_lines, strict=True):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.error(item_line, f"each item of '{key}' must be text, "
                           f"got {_type_name(item)}{_bool_hint(item)}")
                continue
            out.append(str(item))
            lines.append(item_line)
        return tuple(out), lines

    def l10n(self, data: LDict, key: str, languages: tuple[str, ...], *,
             required: bool = False) -> dict[str, str]:
        """A text, or one text per language: `{en: ..., fr: ...}`."""
        if key not in data or data[key] is None:
            if required:
                self.error(data.line, f"missing key '{key}'")
            return {}
        value = data[key]
        line = self.line_of(data, key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return {lang: str(value) for lang in languages[:1]} if languages else {
                "": str(value)}
        if isinstance(value, LDict):
            out: dict[str, str] = {}
            for lang, text in value.items():
                # texts in a language not (yet) in `languages` are kept for later
                if not isinstance(text, str):
                    self.error(value.key_lines[lang], f"'{key}.{lang}' must be text")
                    continue
                out[lang] = text
            return out
        self.error(line, f"'{key}' must be text or one text per language, "
                   f"got {_type_name(value)}")
        return {}
