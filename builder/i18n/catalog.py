"""PO files: messages to entries, msgmerge's rules, reading and writing with polib.

polib (pinned in pyproject.toml) reads and writes PO files; the merge is ours, with
msgmerge's rules and one more fact it does not have, a quiz message's place
(`msgctxt`): an unchanged message keeps its translation; a message whose text changed
gets its old translation marked fuzzy, with the old text as `#| msgid` (same place, or
else the closest old text, as msgmerge's fuzzy matching); a message with no match is
untranslated; an old message that matches nothing is kept at the end as obsolete
(`#~`), so no translation is ever lost.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from .segments import PLACEHOLDER_RE

FUZZY_CUTOFF = 0.6  # msgmerge's fuzzy matches are about this close
LETTER_RE = re.compile(r"[^\W\d_]")  # a message without any letter is not text to translate


@dataclass
class Message:
    """One message of a template: its text, place and where it comes from."""

    msgid: str
    context: str = ""
    references: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    brace_format: bool = False  # {name} placeholders the builder fills (interface strings)

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


def is_text(text: str) -> bool:
    return bool(LETTER_RE.search(text))


def collect(items: Iterable[tuple[str, str, str, int, str]], *,
            brace_format: bool = False) -> list[Message]:
    """Messages from (text, context, path, line, note), the same text in the same
    place once, with every reference."""
    out: dict[tuple[str, str], Message] = {}
    for text, context, path, line, note in items:
        if not is_text(text):
            continue
        msg = out.get((context, text))
        if msg is None:
            msg = out[(context, text)] = Message(
                text, context, brace_format=brace_format and bool(PLACEHOLDER_RE.search(text)))
        msg.references.append((path, line))
        if note and note not in msg.notes:
            msg.notes.append(note)
    return list(out.values())


def header(project: str, lang: str | None) -> dict[str, str]:
    """The PO header (no dates: files change only when their messages do)."""
    meta = {"Project-Id-Version": project, "Report-Msgid-Bugs-To": "",
            "Last-Translator": "", "Language-Team": "",
            "Language": lang or "", "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    return meta


def entry(msg: Message, msgstr: str = "", *, fuzzy: bool = False,
          previous: str | None = None, comment: str = "") -> Any:
    flags = (["fuzzy"] if fuzzy else []) + (["python-brace-format"] if msg.brace_format
                                            else [])
    e = polib.POEntry(msgid=msg.msgid, msgstr=msgstr, msgctxt=msg.context or None,
                      occurrences=[(p, str(n)) for p, n in msg.references],
                      comment="\n".join(msg.notes), tcomment=comment, flags=flags)
    if previous is not None and previous != msg.msgid:
        e.previous_msgid = previous
    return e


def new_file(project: str, lang: str | None, entries: Sequence[Any]) -> Any:
    po = polib.POFile(wrapwidth=78, check_for_duplicates=False)
    po.metadata = header(project, lang)
    for e in entries:
        po.append(e)
    return po


def template(project: str, messages: Sequence[Message]) -> Any:
    return new_file(project, None, [entry(m) for m in messages])


def read(path: Path) -> Any | None:
    if not path.is_file():
        return None
    return polib.pofile(str(path), wrapwidth=78)


def save(po: Any, path: Path) -> bool:
    """Write a PO file when its text changed; whether it did."""
    text = str(po)
    if not text.endswith("\n"):
        text += "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


@dataclass(frozen=True)
class Seed:
    """A translation found outside the PO file (an existing translated page or quiz)."""

    text: str
    outdated: bool = False


def merge(project: str, lang: str, messages: Sequence[Message], old: Any | None,
          seeds: dict[tuple[str, str], Seed] | None = None) -> Any:
    """The PO file of `messages` for `lang`, keeping what `old` (the previous PO file)
    translated, by msgmerge's rules (see the module's docstring); `seeds` fill in what
    neither has."""
    seeds = seeds or {}
    old_entries = [e for e in old if not e.obsolete] if old is not None else []
    obsolete = [e for e in old if e.obsolete] if old is not None else []
    by_key = {(e.msgctxt or "", e.msgid): e for e in old_entries}
    by_id: dict[str, Any] = {}
    by_context: dict[str, Any] = {}
    for e in old_entries:
        if e.msgstr and "fuzzy" not in e.flags:
            by_id.setdefault(e.msgid, e)
        if e.msgctxt:
            by_context.setdefault(e.msgctxt, e)
    used: set[int] = set()
    out = []
    pending: list[tuple[int, Message]] = []
    for msg in messages:
        same = by_key.get(msg.key)
        if same is not None and same.msgstr:
            used.add(id(same))
            out.append(entry(msg, same.msgstr, fuzzy="fuzzy" in same.flags,
                             previous=same.previous_msgid, comment=same.tcomment))
            continue
        moved = by_id.get(msg.msgid)
        if moved is not None:  # the same text elsewhere: its translation holds
            used.add(id(moved))
            out.append(entry(msg, moved.msgstr, comment=moved.tcomment))
            continue
        placed = by_context.get(msg.context) if msg.context else None
        if placed is not None and placed.msgstr:
            used.add(id(placed))
            out.append(entry(msg, placed.msgstr, fuzzy=True, previous=placed.msgid,
                             comment=placed.tcomment))
            continue
        seed = seeds.get(msg.key)
        if seed is not None:
            out.append(entry(msg, seed.text, fuzzy=seed.outdated))
            continue
        pending.append((len(out), msg))
        out.append(entry(msg))
    # fuzzy matching: the closest translated old text no exact match took
    left = [e for e in old_entries if id(e) not in used and e.msgstr]
    for index, msg in pending:
        best, score = None, FUZZY_CUTOFF
        for e in left:
            if id(e) in used:
                continue
            sm = difflib.SequenceMatcher(None, msg.msgid, e.msgid, autojunk=False)
            if sm.real_quick_ratio() < score or sm.quick_ratio() < score:
                continue
            ratio = sm.ratio()
            if ratio >= score:
                best, score = e, ratio
        if best is not None:
            used.add(id(best))
            out[index] = entry(msg, best.msgstr, fuzzy=True, previous=best.msgid,
                               comment=best.tcomment)
    po = new_file(project, lang, out)
    if old is not None:
        for key in ("Last-Translator", "Language-Team", "PO-Revision-Date"):
            if old.metadata.get(key):
                po.metadata[key] = old.metadata[key]
    for e in old_entries:
        if id(e) not in used and e.msgstr:
            e.obsolete = True
            e.occurrences = []
            obsolete.append(e)
    for e in obsolete:
        po.append(e)
    return po


@dataclass(frozen=True)
class State:
    """How far a PO file is translated."""

    total: int
    untranslated: int
    fuzzy: int


def translations(po: Any | None) -> dict[tuple[str, str], tuple[str, bool]]:
    """(context, msgid) -> (translation, fuzzy) of every translated message."""
    if po is None:
        return {}
    return {(e.msgctxt or "", e.msgid): (e.msgstr, "fuzzy" in e.flags)
            for e in po if not e.obsolete and e.msgstr}


def entry_lines(po: Any | None) -> dict[tuple[str, str], int]:
    """(context, msgid) -> the line of its entry in the file (for problems)."""
    if po is None:
        return {}
    return {(e.msgctxt or "", e.msgid): e.linenum for e in po if not e.obsolete}
