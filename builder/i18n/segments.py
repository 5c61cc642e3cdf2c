"""A source file as text with holes: the messages a translator translates (`Slot`), and
the source rewritten with their translations (`fill`).

A slot is a span of the source text. Markdown slots (markdown.py) hold a paragraph,
heading, list item, table cell, admonition title, ... without its markup; YAML slots
(yamltext.py) hold one scalar of a quiz or of a page's front matter. What is not in a
slot (markup, code, markers, ids, answer keys) is copied as it is.

In a Markdown message, each inline link's target is replaced by a number, `[text][1]`,
`![alt][2]`: translators translate the text and never touch a target; `fill` puts the
targets back (a target to a heading gets the translated heading's anchor: see
`Anchors`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import yaml

SlotKind = Literal["markdown", "yaml", "yaml-lines"]

# [text](target "title") and ![alt](target): group 1 the bracket part, group 2 the target
INLINE_LINK_RE = re.compile(r"(!?\[(?:[^\]\[]|\[[^\]]*\])*\])"
                            r"\((\s*<?[^)\s>]+>?(?:\s+\"[^\"]*\"|\s+'[^']*')?\s*)\)")
# the same with its target as a number: [text][1]
NUMBERED_LINK_RE = re.compile(r"(!?\[(?:[^\]\[]|\[[^\]]*\])*\])\[(\d+)\]")
PLACEHOLDER_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class Slot:
    """One message of a source file: its span, line and text."""

    start: int  # offset of its first character in the source text
    end: int  # offset after its last character
    line: int  # the file's line of its first character (1-based)
    text: str  # the message (msgid), markup and link targets left out
    kind: SlotKind = "markdown"
    indent: str = ""  # Markdown: put before each further line of a translation
    links: tuple[str, ...] = ()  # Markdown: the targets of [text][1], [text][2], ...
    context: str = ""  # msgctxt: where it is in a quiz ("frame.choices.2.feedback")
    note: str = ""  # for translators (an extracted comment)
    style: str = ""  # YAML: the scalar's style in the source ("", '"', "'", "|", ">")
    column: int = 0  # YAML: the column of a block scalar's lines


@dataclass
class Source:
    """A file cut into messages."""

    text: str
    slots: list[Slot] = field(default_factory=list)


def number_links(text: str) -> tuple[str, tuple[str, ...]]:
    """`see [x](a.md)` -> (`see [x][1]`, ("a.md",))."""
    links: list[str] = []

    def repl(m: re.Match[str]) -> str:
        links.append(m.group(2).strip())
        return f"{m.group(1)}[{len(links)}]"

    return INLINE_LINK_RE.sub(repl, text), tuple(links)


def link_numbers(text: str) -> list[int]:
    return [int(m.group(2)) for m in NUMBERED_LINK_RE.finditer(text)]


def slot_problems(slot: Slot, translation: str) -> list[str]:
    """What a translation must keep of its message: each link once or more (and no
    other), each `{placeholder}`."""
    out: list[str] = []
    if slot.links:
        used = link_numbers(translation)
        missing = [n for n in range(1, len(slot.links) + 1) if n not in used]
        unknown = sorted({n for n in used if not 1 <= n <= len(slot.links)})
        if missing:
            out.append("the translation leaves out the link" + ("s " if len(missing) > 1
                       else " ") + ", ".join(f"[...][{n}]" for n in missing)
                       + ": keep each [text][N] of the source, with its text translated")
        if unknown:
            out.append("the translation has a link number the source does not have: "
                       + ", ".join(f"[{n}]" for n in unknown))
    wanted = sorted(set(PLACEHOLDER_RE.findall(slot.text)))
    if wanted and slot.kind != "markdown":
        got = set(PLACEHOLDER_RE.findall(translation))
        lost = [p for p in wanted if p not in got]
        if lost:
            out.append(f"the translation leaves out {', '.join(lost)}: keep every "
                       "{name} as it is, the builder fills it in")
    return out


Retarget = Callable[[str], str]


def fill(source: Source, translations: Mapping[int, str],
         retarget: Retarget | None = None) -> str:
    """The source with slot i replaced by translations[i] (slots without one keep their
    source text, written back the same way)."""
    out: list[str] = []
    at = 0
    for i, slot in enumerate(source.slots):
        out.append(source.text[at:slot.start])
        new = translations.get(i)
        if new is None:
            out.append(source.text[slot.start:slot.end])
        else:
            out.append(write(slot, new, retarget))
        at = slot.end
    out.append(source.text[at:])
    return "".join(out)


def write(slot: Slot, text: str, retarget: Retarget | None = None) -> str:
    """A translation as the source's syntax wants it at the slot's place."""
    if slot.kind == "markdown":
        if slot.links:
            def repl(m: re.Match[str]) -> str:
                n = int(m.group(2))
                if not 1 <= n <= len(slot.links):
                    return m.group(0)
                target = slot.links[n - 1]
                return f"{m.group(1)}({retarget(target) if retarget else target})"
            text = NUMBERED_LINK_RE.sub(repl, text)
        lines = text.split("\n")
        return "\n".join([lines[0], *(slot.indent + line.lstrip() if line.strip() else ""
                                      for line in lines[1:])])
    if slot.kind == "yaml-lines":
        items = [line.strip() for line in text.split("\n") if line.strip()]
        return "[" + ", ".join(yaml_scalar(item, "", flow=True) for item in items) + "]"
    return yaml_scalar(text, slot.style, column=slot.column)


def yaml_scalar(text: str, style: str, *, flow: bool = False, column: int = 0) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`: in the source's style
    when it can be, else plain when it can be, else double-quoted."""
    if style in ("|", ">") and text.strip() and "\n" not in text.strip():
        indent = " " * column
        return f"{style}-\n{indent}{text.strip()}"
    if style == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if style in ("", "|", ">") and _plain(text, flow=flow):
        return text
    dumped = yaml.dump(text, default_style='"', allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _plain(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    if text[0] in "!&*|>'\"%@`#,[]{}-?:" or ": " in text or " #" in text:
        return False
    try:
        doc = yaml.safe_load(f"[{text}]" if flow else f"k: {text}")
    except yaml.YAMLError:
        return False
    return bool(doc == ([text] if flow else {"k": text}))
