"""Crisis and listening lines (course/help-lines.yml) -> `HelpRegion`s.

One file for every language: an organisation adapts the list to the countries its
learners come from, and `::: mooc help-lines` shows it on a page. A number is given only
with the official page it was read on (`source`) and the date it was read there
(`checked`); where no official page confirms a number, the line says where to look
(`look`) instead.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import HelpLine, HelpRegion, L10n, Loc
from ..yamlsrc import LDict, LList, Reader, parse
from .files import read_text, rel

HELP_LINES_FILE = "help-lines.yml"  # beside course.yml
TOP_KEYS = ["regions"]
REGION_KEYS = ["name", "lines"]
LINE_KEYS = ["name", "number", "note", "look", "source", "checked"]
# digits, spaces and + - . ( ) as people write them: 0800 32 123, +47 22 40 00 40
NUMBER_RE = re.compile(r"^\+?[0-9][0-9 .()/-]*$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def load_help_lines(path: Path, base: Path, languages: tuple[str, ...],
                    problems: list[Problem]) -> tuple[HelpRegion, ...]:
    """The file's regions and lines; () when there is no file. Every mistake is added to
    `problems` with its line."""
    if not path.is_file():
        return ()
    shown = rel(path, base)
    text = read_text(path, shown, problems)
    if text is None:
        return ()
    r = Reader(shown, problems)
    data = parse(text, shown, problems)
    if data is None and text.strip() == "":
        r.error(1, "the help lines file is empty: list 'regions:' (see the authoring "
                "guide) or delete the file")
        return ()
    top = r.mapping(data, 1, "the help lines file")
    if top is None:
        return ()
    r.keys(top, TOP_KEYS, TOP_KEYS, "the help lines file")
    regions = []
    for item, line in r.items(top, "regions"):
        r.keys(item, REGION_KEYS, REGION_KEYS, "a region")
        name = _texts(r, item, "name", languages)  # missing: said by keys()
        lines = tuple(_line(r, entry, languages) for entry, _ in r.items(item, "lines"))
        if "lines" in item and not lines and isinstance(item["lines"], LList | type(None)):
            r.error(r.line_of(item, "lines"), "this region lists no line")
        regions.append(HelpRegion(name, lines, Loc(shown, line)))
    if "regions" in top and not regions and isinstance(top["regions"], LList | type(None)):
        r.error(r.line_of(top, "regions"), "list at least one region")
    return tuple(regions)


def _line(r: Reader, item: LDict, languages: tuple[str, ...]) -> HelpLine:
    r.keys(item, LINE_KEYS, ["name"], "a line")
    name = _texts(r, item, "name", languages)  # missing: said by keys()
    number = _number(r, item)
    source = r.text(item, "source").strip()
    checked = _date(r, item)
    note = _texts(r, item, "note", languages)
    look = _texts(r, item, "look", languages)
    if not number and "number" not in item and "look" not in item:
        r.error(item.line, "this line has no number: give 'number:' with the official "
                "page it comes from ('source:') and the date you read it there "
                "('checked:'), or, when no official page confirms one, 'look:' (where "
                "learners can find it)")
    if number and "source" not in item:
        r.error(r.line_of(item, "number"), "the number has no 'source:': give the address "
                "of the official page you read it on (the service's own site, or a "
                "government or health authority's page)")
    if number and "checked" not in item:
        r.error(r.line_of(item, "number"), "the number has no 'checked:': give the date "
                "you read it at its source (YYYY-MM-DD)")
    if source and not _is_web_address(source):
        r.error(r.line_of(item, "source"), f"'source' must be the web address of the "
                f"official page (https://...), got '{source}'")
    return HelpLine(name, Loc(r.path, item.line), number, note, look, source, checked)


def _number(r: Reader, item: LDict) -> str:
    value = item.get("number")
    line = r.line_of(item, "number")
    if isinstance(value, int | float) and not isinstance(value, bool):
        r.error(line, "put the number between quotes (number: \"0800 32 123\"): YAML reads a "
                "bare number as a value and may change it (024 would become 20)")
        return ""
    number = r.text(item, "number", required="number" in item).strip()
    if number and not NUMBER_RE.match(number):
        r.error(line, f"'{number}' is not a phone number: write it with digits, spaces and "
                "+ - . ( ) only (words such as '1 866 APPELLE' go in the line's name)")
        return ""
    return number


def _date(r: Reader, item: LDict) -> str:
    value = item.get("checked")
    if isinstance(value, datetime.date):  # YAML reads 2026-12-05 as a date
        return value.isoformat()
    text = r.text(item, "checked").strip()
    if not text:
        return ""
    try:
        ok = bool(DATE_RE.match(text)) and datetime.date.fromisoformat(text) is not None
    except ValueError:
        ok = False
    if not ok:
        r.error(r.line_of(item, "checked"), f"'checked' must be a date written "
                f"YYYY-MM-DD, got '{text}'")
        return ""
    return text


def _is_web_address(text: str) -> bool:
    parts = urlsplit(text)
    return (parts.scheme in ("https", "http") and "." in parts.netloc
            and not any(c.isspace() for c in text))


def _texts(r: Reader, data: LDict, key: str, languages: tuple[str, ...]) -> L10n:
    """A text in every language of the course: `{en: ..., fr: ...}` (when given)."""
    value: Any = data.get(key)
    texts = r.l10n(data, key, languages)
    if key not in data or value is None:
        return {}
    line = r.line_of(data, key)
    if isinstance(value, LDict):
        for lang in value:
            if lang not in languages:
                r.error(value.key_lines[lang], f"'{key}.{lang}': '{lang}' is not one of the "
                        f"course's languages ({', '.join(languages)})")
    if not isinstance(value, LDict | str | int | float) or isinstance(value, bool):
        return texts  # reported by l10n
    missing = [lang for lang in languages if not texts.get(lang, "").strip()]
    if missing:
        message = (f"'{key}' has no text in {', '.join(missing)}: give one text per "
                   f"language ({', '.join(f'{lang}: ...' for lang in languages)})")
        if languages[0] in missing:
            r.error(line, message)
        else:  # a translation under way: the default language's text meanwhile
            r.warn(line, f"{message}; until then the page shows the {languages[0]} text")
    return {lang: text for lang, text in texts.items() if lang in languages and text.strip()}
