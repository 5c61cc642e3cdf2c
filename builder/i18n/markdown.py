"""A Markdown page cut into messages, keeping our syntax.

Our own walker rather than mdpo: mdpo rebuilds a page from its parse (md4c), which
rewraps paragraphs, changes list markers and escapes, and knows nothing of our `::: quiz`
and `::: mooc` markers, admonitions or attr_list; a translated page must keep every
byte of markup the source has so that what it builds is the source's page in another
language. This walker reads the block structure line by line (what our pages use:
front matter, headings, paragraphs, lists, tables, admonitions and details, block
quotes, footnotes, definition lists, abbreviations, attr_list) and leaves everything
else as it is.

Messages: each paragraph, heading, list item's paragraphs, table cell, admonition title,
footnote, definition term and definition, abbreviation's meaning, and the front
matter's title, description, summary and objectives. Never: code (fenced, indented or
inline at the start of a block), `::: quiz` / `::: mooc` lines, HTML blocks, link
targets (see segments.number_links), ids and attributes (`{: #id .class }`).

A message's lines are joined with spaces (hard-wrapped source lines are not the
translator's business); a translation may keep line breaks of its own, written back
with the block's indentation.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..model import FENCE_RE, MARKER_RE
from .segments import Slot, Source, number_links
from .yamltext import front_matter_slots

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
HEADING_TAIL = re.compile(r"(?:[ \t]+\{[^}]*\}|[ \t]+#+)[ \t]*$")  # {: #id } or closing #s
ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*"
                        r"(?:[ \t]+\"(.*)\")?[ \t]*$")
LIST_ITEM = re.compile(r"^([-*+]|\d{1,9}\.)([ \t]+)(?=\S)")  # as Python-Markdown reads them
FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:[ \t]*")
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:[ \t]*")
LINK_DEFINITION = re.compile(r"^\[[^\]^]+\]:[ \t]*\S")
DEFINITION = re.compile(r"^:[ \t]+")
ATTR_LINE = re.compile(r"^\{:?[^}]*\}[ \t]*$")
TABLE_DELIMITER = re.compile(r"^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
HTML_BLOCK = re.compile(r"^<(?:[A-Za-z][A-Za-z0-9-]*|!--|/[A-Za-z])")
HR = re.compile(r"^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


@dataclass(frozen=True)
class Line:
    """A line of a container's content: its file line, the offset of its content in the
    file's text, and the content (the container's prefix taken off)."""

    number: int
    offset: int
    text: str
    prefix: str = ""  # what containers took off the file's line (indentation, "> ")

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))

    def cut(self, n: int) -> Line:
        """The line without its first n characters (a container's prefix)."""
        n = min(n, len(self.text))
        return Line(self.number, self.offset + n, self.text[n:], self.prefix + self.text[:n])


def page_source(text: str) -> Source:
    """A page's messages: its front matter's, then its body's."""
    src = Source(text)
    lines = text.split("\n")
    body_start = 0
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                fm_offset = len(lines[0]) + 1
                fm_text = "\n".join(lines[1:i])
                src.slots += front_matter_slots(fm_text, fm_offset, 2)
                body_start = i + 1
                break
    offset = sum(len(line) + 1 for line in lines[:body_start])
    body: list[Line] = []
    for n, line in enumerate(lines[body_start:], start=body_start + 1):
        body.append(Line(n, offset, line.expandtabs(4) if "\t" in line else line))
        offset += len(line) + 1
    src.slots += _blocks(body)
    return src


def _starts_block(line: Line, *, lists: bool = True) -> bool:
    """Whether a line ends the paragraph above it (it starts a block of its own). As in
    Python-Markdown, a list needs a blank line before it, except in a list item (a
    nested list)."""
    t = line.text.lstrip(" ")
    if line.indent > 3:
        return False
    return bool(HEADING.match(t) or FENCE_RE.match(t) or MARKER_RE.match(t)
                or ADMONITION.match(t) or t.startswith(">") or HR.match(t)
                or ABBREVIATION.match(t) or DEFINITION.match(t)
                or (lists and (LIST_ITEM.match(t) or FOOTNOTE.match(t))))


def _blocks(lines: list[Line], *, in_item: bool = False) -> list[Slot]:
    slots: list[Slot] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        stripped = text.lstrip(" ")
        lead = len(text) - len(stripped)
        if line.blank:
            i += 1
            continue
        if lead >= 4:  # indented code
            while i < len(lines) and (lines[i].blank or lines[i].indent >= 4):
                i += 1
            continue
        fence = FENCE_RE.match(text)
        if fence:
            i += 1
            while i < len(lines) and not (FENCE_RE.match(lines[i].text)
                                          and lines[i].text.strip().startswith(fence.group(1))
                                          and lines[i].text.strip().strip(fence.group(1)[0])
                                          == ""):
                i += 1
            i += 1
            continue
        if MARKER_RE.match(text) or ATTR_LINE.match(stripped) or HR.match(stripped) \
                or LINK_DEFINITION.match(stripped):
            i += 1
            continue
        if HTML_BLOCK.match(stripped):
            while i < len(lines) and not lines[i].blank:
                i += 1
            continue
        heading = HEADING.match(stripped)
        if heading:
            content = heading.group(2)
            tail = HEADING_TAIL.search(content)
            words = content[:tail.start()] if tail else content
            start = line.offset + lead + text[lead:].index(content, len(heading.group(1)))
            if words.strip():
                slots.append(_slot(line.number, start, words, "", note="a heading"))
            i += 1
            continue
        admonition = ADMONITION.match(stripped)
        if admonition:
            if admonition.group(1):
                start = line.offset + text.index('"') + 1
                title = admonition.group(1)
                slots.append(_slot(line.number, start, title, "",
                                   note="the title of a box (admonition)"))
            i += 1
            inner: list[Line] = []
            while i < len(lines) and (lines[i].blank or lines[i].indent >= lead + 4):
                inner.append(lines[i].cut(lead + 4))
                i += 1
            while inner and inner[-1].blank:
                inner.pop()
            slots += _blocks(inner)
            continue
        if stripped.startswith(">"):
            quoted: list[Line] = []
            while i < len(lines) and lines[i].text.lstrip(" ").startswith(">"):
                q = lines[i]
                cut = q.indent + 1
                if q.text[cut:cut + 1] == " ":
                    cut += 1
                quoted.append(q.cut(cut))
                i += 1
            slots += _blocks(quoted)
            continue
        if stripped.startswith("|") or (i + 1 < len(lines) and "|" in text
                                        and TABLE_DELIMITER.match(lines[i + 1].text.strip())
                                        and "-" in lines[i + 1].text):
            while i < len(lines) and not lines[i].blank and "|" in lines[i].text:
                row = lines[i]
                if not TABLE_DELIMITER.match(row.text.strip()):
                    slots += _cells(row)
                i += 1
            continue
        prefix = (FOOTNOTE.match(stripped) or ABBREVIATION.match(stripped)
                  or DEFINITION.match(stripped))
        item = LIST_ITEM.match(stripped)
        if item or prefix:
            m = item or prefix
            assert m is not None
            width = lead + m.end()
            # an empty item ("-" alone), or "-     code": the item's text is 1 space in
            if item and (not item.group(2) or len(item.group(2)) > 4):
                width = lead + len(item.group(1)) + 1
            column = width if item else lead + 4
            first = line.cut(width)
            inner = [first]
            i += 1
            # the item's lines: indented to its content, or lazy continuation lines of
            # its first paragraph, or blank lines followed by indented ones
            while i < len(lines):
                nxt = lines[i]
                if nxt.blank:
                    k = i
                    while k < len(lines) and lines[k].blank:
                        k += 1
                    if k < len(lines) and lines[k].indent >= column:
                        inner += [lines[j].cut(column) for j in range(i, k)]
                        i = k
                        continue
                    break
                if nxt.indent >= column:
                    inner.append(nxt.cut(column))
                elif not inner[-1].blank and not _starts_block(nxt):
                    inner.append(nxt.cut(nxt.indent))  # lazy continuation
                else:
                    break
                i += 1
            if ABBREVIATION.match(stripped):
                note = "the meaning of the abbreviation " + stripped[1:stripped.index("]") + 1]
                slots += [_slot(s.line, s.start, s.text, s.indent, note=note, links=s.links,
                                numbered=True) for s in _blocks(inner)]
            else:
                slots += _blocks(inner, in_item=bool(item))
            continue
        # a paragraph (or a definition list's term, followed by its ': ' lines)
        para = [line]
        i += 1
        while i < len(lines) and not lines[i].blank \
                and not _starts_block(lines[i], lists=in_item):
            para.append(lines[i])
            i += 1
        if ATTR_LINE.match(para[-1].text.strip()) and len(para) > 1:
            para.pop()  # attr_list's own line: `{: .class }`
        slots.append(_paragraph(para))
    return slots


def _paragraph(para: list[Line]) -> Slot:
    first, last = para[0], para[-1]
    lead = first.indent
    start = first.offset + lead
    body = last.text.rstrip()
    end = last.offset + len(body)
    # a trailing `{: ...}` on the last line belongs to attr_list
    tail = re.search(r"[ \t]+\{:[^}]*\}$", body)
    if tail:
        end = last.offset + tail.start()
    words = " ".join(p.text.strip() for p in para)
    if tail:
        words = words[: len(words) - len(tail.group(0).strip())].rstrip()
    if len(para) > 1:
        indent = para[1].prefix + " " * para[1].indent
    else:  # as a second line would be: "- " and "1. " become spaces, "> " stays
        indent = "".join(c if c in " >" else " " for c in first.prefix)
    return _slot(first.number, start, words, indent, end=end)


def _cells(row: Line) -> list[Slot]:
    """Each non-empty cell of a table row (`|` inside code or escaped does not split)."""
    out: list[Slot] = []
    text = row.text
    bounds: list[int] = []
    code = False
    k = 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c == "`":
            code = not code
        elif c == "|" and not code:
            bounds.append(k)
        k += 1
    edges = [-1, *bounds, len(text)]
    for a, b in itertools.pairwise(edges):
        cell = text[a + 1:b]
        words = cell.strip()
        if not words or (a == -1 and text.lstrip().startswith("|") and not cell.strip()):
            continue
        start = row.offset + a + 1 + (len(cell) - len(cell.lstrip()))
        out.append(_slot(row.number, start, words, "", note="a table cell"))
    return out


def _slot(line: int, start: int, words: str, indent: str, *, end: int | None = None,
          note: str = "", links: tuple[str, ...] = (), numbered: bool = False) -> Slot:
    """A Markdown message; its span ends at `end` (default: after `words` on one line)."""
    stop = end if end is not None else start + len(words)
    if numbered:
        text = words
    else:
        text, links = number_links(words)
    if links:
        listing = "; ".join(f"[{n}] {target}" for n, target in enumerate(links, start=1))
        note = f"{note}; links: {listing}" if note else f"links: {listing}"
    return Slot(start, stop, line, text, "markdown", indent, links, note=note)
