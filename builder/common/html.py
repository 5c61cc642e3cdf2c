"""A small HTML tree that round-trips byte for byte, for rewriting built pages.

`parse(text)` keeps the exact source text of every token; `serialise(tree)` gives the
same text back, except for the elements that were changed, removed or inserted. Good
enough for the well-formed pages mkdocs writes; never used to sanitise anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


@dataclass(eq=False, slots=True)
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
        """Descendants in document order (not the element itself), skipping removed ones.
        An element's children are listed when the walk reaches them (after the element
        itself is handed out), as a recursive walk would."""
        stack = [iter(list(self.children))]
        while stack:
            for child in stack[-1]:
                if type(child) is Element and not child.removed:
                    if tag is None or child.tag == tag:
                        yield child
                    stack.append(iter(list(child.children)))
                    break
            else:
                stack.pop()

    def copy(self, parent: Element | None = None) -> Element:
        """A deep copy to rewrite while this one stays as it is (attribute lists are
        shared: `put` and the rewriters replace an element's list, never change it)."""
        new = Element(self.tag, self.attrs, self.start, self.end, [], parent, self.changed,
                      self.removed)
        new.children = [c if type(c) is str else c.copy(new)  # type: ignore[union-attr]
                        for c in self.children]
        return new

    def release(self) -> None:
        """Let the tree go: its elements point to their parents, a cycle that only
        Python's cycle collector would free, in passes that go through everything
        alive; without the links to parents each element is freed as soon as it is no
        longer used. The tree must not be used afterwards."""
        stack = [self]
        while stack:
            el = stack.pop()
            el.parent = None
            stack.extend(c for c in el.children if type(c) is Element)

    def descendants(self) -> list[Element]:
        """`list(self.iter())`, made faster."""
        out: list[Element] = []
        stack = [self]
        pop, push, add = stack.pop, stack.extend, out.append
        while stack:
            el = pop()
            kids = [c for c in el.children if type(c) is Element and not c.removed]
            if kids:
                kids.reverse()
                push(kids)
            add(el)
        del out[0]
        return out

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


# The markup of the common case, which HTMLParser reads the same way (see _fast_tree).
_WS = "[ \t\n\r\f]"
_START = re.compile(
    rf"<([a-zA-Z][-a-zA-Z0-9]*)((?:{_WS}+[^\s/>\"'=<]+"
    rf"(?:{_WS}*={_WS}*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*){_WS}*(/?)>")
_ATTR = re.compile(rf"{_WS}+([^\s/>\"'=<]+)(?:{_WS}*={_WS}*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_END = re.compile(rf"</([a-zA-Z][-a-zA-Z0-9]*){_WS}*>")
_COMMENT = re.compile(r"<!--.*?--\s*>", re.DOTALL)
_DOCTYPE = re.compile(r"<![dD][oO][cC][tT][yY][pP][eE][^>]*>")
_RAW_END = {tag: re.compile(rf"</\s*{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")}
Token = tuple[int, str, str, list[tuple[str, str | None]]]


END_TAG = _END


def parse_fast(source: str) -> Element | None:
    """The tree of `parse`, or None when the page needs HTMLParser (see _fast_tree)."""
    return _fast_tree(source)


def parse(source: str) -> Element:
    """The document as a tree under a root element with tag '#document'."""
    root = _fast_tree(source)
    return root if root is not None else _tree(source, _slow_tokens(source))


def _fast_tree(source: str) -> Element | None:
    """The tree _tree makes of HTMLParser's tokens, read with a few regular expressions,
    several times faster; None as soon as the page holds anything outside the shapes whose
    reading is the same (then HTMLParser reads it). A test compares both on every page of
    a built course and on random markup."""
    root = Element("#document", [], "")
    stack = [root]
    open_tags: dict[str, int] = {}  # how many elements of each tag the stack holds
    top = root
    find = source.find
    start, end, raw_ends, unescape = _START.match, _END.match, _RAW_END, html.unescape
    pos = 0  # where the text before the next tag starts
    i = 0
    read_attrs = _READ_ATTRS
    while (j := find("<", i)) >= 0:
        i = j
        m = start(source, j)
        if m is not None:
            i = m.end()
            tag, raw_attrs = m.group(1, 2)
            tag = tag.lower()
            if not raw_attrs:
                attrs: list[tuple[str, str | None]] = []
            elif (attrs := read_attrs.get(raw_attrs)) is None:  # type: ignore[assignment]
                attrs = _attrs(raw_attrs, unescape)
                if len(read_attrs) > 16384:
                    read_attrs.clear()
                read_attrs[raw_attrs] = attrs
            el = Element(tag, attrs, source[j:i], "", [], top)
        elif (nxt := source[j + 1:j + 2]) == "/":
            m = end(source, j)
            if m is None:
                return None
            i = m.end()
            tag = m.group(1).lower()
            el = None
        elif nxt == "!":
            m = _COMMENT.match(source, j) or _DOCTYPE.match(source, j)
            if m is None:
                return None
            i = m.end()
            continue  # text, like what follows it
        else:
            return None
        children = top.children
        if j > pos:  # the text before the tag
            if children and type(children[-1]) is str:
                children[-1] += source[pos:j]
            else:
                children.append(source[pos:j])
        pos = i
        if el is not None:
            children.append(el)
            if tag in VOID or m.group(3):
                continue
            stack.append(el)
            open_tags[tag] = open_tags.get(tag, 0) + 1
            top = el
            raw_end = raw_ends.get(tag)
            if raw_end is None:
                continue
            m = raw_end.search(source, i)  # script, style: text up to their end tag
            if m is None:
                return None
            if m.start() > i:
                el.children.append(source[i:m.start()])
            i = pos = m.end()
            tag, j = el.tag, m.start()
        if open_tags.get(tag):
            while True:
                closed = stack.pop()
                open_tags[closed.tag] -= 1
                if closed.tag == tag:
                    break
            closed.end = source[j:i]
            top = stack[-1]
        else:  # a stray end tag: keep its text
            top.children.append(source[j:i])
    if pos < len(source):
        children = top.children
        if children and type(children[-1]) is str:
            children[-1] += source[pos:]
        else:
            children.append(source[pos:])
    return root


# attributes as read, by their text: the same lists are shared by every element that has
# them (an element's list is replaced when it changes, never changed: see Element.copy)
_READ_ATTRS: dict[str, list[tuple[str, str | None]]] = {}


def _attrs(raw_attrs: str, unescape: Callable[[str], str]) -> list[tuple[str, str | None]]:
    attrs: list[tuple[str, str | None]] = []
    for name, raw in _ATTR.findall(raw_attrs):
        if not raw:
            attrs.append((name.lower(), None))
            continue
        value = raw[1:-1] if raw[0] in "\"'" else raw
        attrs.append((name.lower(), unescape(value) if "&" in value else value))
    return attrs


def _slow_tokens(source: str) -> list[Token]:
    builder = _Builder(source)
    builder.feed(source)
    builder.close()
    return builder.tokens


def _tree(source: str, tokens: list[Token]) -> Element:
    """The tree of a document's tokens (each token's text runs to the next one's start)."""
    root = Element("#document", [], "")
    stack = [root]
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
    out: list[str] = []
    _serialise(node, out)
    return "".join(out)


def _serialise(node: Element, out: list[str]) -> None:
    if node.removed:
        return
    document = node.tag == "#document"
    if not document:
        out.append(node.start_tag())
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        else:
            _serialise(child, out)
    if not document:
        out.append(node.end)
