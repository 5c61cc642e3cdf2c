"""A small HTML tree that round-trips byte for byte, for rewriting built pages.

`parse(text)` keeps the exact source text of every token; `serialise(tree)` gives the
same text back, except for the elements that were changed, removed or inserted. Good
enough for the well-formed pages mkdocs writes; never used to sanitise anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


@dataclass(eq=False)
class Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    start: str  # the source text of the start tag
    end: str = ""  # the source text of the end tag ("" when there was none)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None
    changed: bool = False
    removed: bool = False

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value if value is not None else ""
        return default

    def put(self, name: str, value: str | None) -> None:
        """Set (or with None, remove) an attribute."""
        self.changed = True
        kept = [(k, v) for k, v in self.attrs if k != name]
        if value is not None:
            at = next((i for i, (k, _v) in enumerate(self.attrs) if k == name), len(kept))
            kept.insert(min(at, len(kept)), (name, value))
        self.attrs = kept

    def classes(self) -> set[str]:
        return set((self.get("class") or "").split())

    def rename(self, tag: str) -> None:
        self.tag = tag
        self.changed = True
        if self.end:
            self.end = f"</{tag}>"

    def remove(self) -> None:
        self.removed = True

    def insert(self, index: int, raw: str) -> None:
        self.children.insert(index, raw)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """Descendants in document order (not the element itself), skipping removed ones."""
        for child in list(self.children):
            if isinstance(child, Element) and not child.removed:
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def start_tag(self) -> str:
        if not self.changed:
            return self.start
        parts = [self.tag]
        for key, value in self.attrs:
            parts.append(key if value is None else f'{key}="{html.escape(value, quote=True)}"')
        return "<" + " ".join(parts) + ">"


class _Builder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.tokens: list[tuple[int, str, str, list[tuple[str, str | None]]]] = []

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append((self._at(), "start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append((self._at(), "void", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((self._at(), "end", tag, []))

    def _text(self) -> None:
        self.tokens.append((self._at(), "text", "", []))

    def handle_data(self, data: str) -> None:
        self._text()

    def handle_comment(self, data: str) -> None:
        self._text()

    def handle_decl(self, decl: str) -> None:
        self._text()

    def handle_pi(self, data: str) -> None:
        self._text()

    def unknown_decl(self, data: str) -> None:
        self._text()

    def handle_entityref(self, name: str) -> None:
        self._text()

    def handle_charref(self, name: str) -> None:
        self._text()


def parse(source: str) -> Element:
    """The document as a tree under a root element with tag '#document'."""
    builder = _Builder(source)
    builder.feed(source)
    builder.close()
    root = Element("#document", [], "")
    stack = [root]
    tokens = builder.tokens
    starts = [t[0] for t in tokens] + [len(source)]
    if tokens and tokens[0][0] > 0:
        root.children.append(source[:tokens[0][0]])
    for i, (at, kind, tag, attrs) in enumerate(tokens):
        raw = source[at:starts[i + 1]]
        if not raw:
            continue
        top = stack[-1]
        if kind == "text":
            if top.children and isinstance(top.children[-1], str):
                top.children[-1] += raw
            else:
                top.children.append(raw)
        elif kind in ("start", "void"):
            el = Element(tag, attrs, raw, parent=top)
            top.children.append(el)
            if kind == "start" and tag not in VOID:
                stack.append(el)
        elif tag in (e.tag for e in stack[1:]):
            while stack[-1].tag != tag:
                stack.pop()
            stack.pop().end = raw
        else:  # a stray end tag: keep its text
            top.children.append(raw)
    return root


def serialise(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    if node.removed:
        return ""
    inner = "".join(serialise(child) for child in node.children)
    if node.tag == "#document":
        return inner
    return node.start_tag() + inner + node.end
