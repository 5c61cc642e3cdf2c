"""Built site pages -> package pages: keep what is in the package, cut what leaves it.

For each page of a part (a SCO in SCORM): links to pages of the same part stay; links to
other pages (home, glossary, other tracks or other parts) become plain text or disappear
from menus, except links to a side page the package holds beside its parts (the course's
help page: `Side`), which open in a new window; search, the language selector and the
repository widget go; external links open in a new window; resources from other hosts
become links; a Content-Security-Policy forbids any other request; the format's runtime
script, if it has one, is added. Every local file a kept page uses (CSS, scripts, images,
downloads, and what CSS files use) is collected, so the package holds exactly what it
needs. Nothing here depends on a format.
"""

from __future__ import annotations

import html
import json
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ExportError
from . import html as tree_html
from .html import Element, parse, serialise
from .urls import is_external, relative_url, resolve

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
       "media-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
MAX_FILE = 200 * 1024 * 1024
URL_ATTRS = {"img": ("src", "srcset"), "source": ("src", "srcset"), "video": ("src", "poster"),
             "audio": ("src",), "track": ("src",), "iframe": ("src",), "embed": ("src",),
             "object": ("data",), "script": ("src",), "input": ("src",)}
SOURCE_MAP = re.compile(rb"\n?(//[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)"
                        rb"\s*$")
CSS_URL = re.compile(rb"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass
class Collected:
    """The package's files: path inside the package -> bytes."""

    files: dict[str, bytes] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Side:
    """Pages a package holds beside its parts, not in any (the course's help page): every
    page keeps its links to them, which open in a new window so that the learner keeps
    their place in the part; `hint` (in the package's language) says so in the link,
    seen and read out."""

    pages: tuple[str, ...] = ()
    hint: str = ""


NO_SIDE = Side()


def need(site_dir: Path, collected: Collected, all_pages: set[str], path: str) -> bool:
    """Add a site file (not a page: pages are the SCOs') to the package's pending files;
    False if the site has no such file."""
    if path in collected.files or path in collected.pending:
        return True
    if not (site_dir / path).is_file():
        return False
    if path not in all_pages:
        collected.pending.append(path)
    return True


MEMO_TAG = "mooc-memo"  # where MenuMemo.cut took a menu item out of a page
# what rewrite looks at
_HANDLED = frozenset({"a", "link", "script", "form", MEMO_TAG, *URL_ATTRS})
_NO_CLASS: set[str] = set()


def _gone(el: Element) -> bool:
    """Whether an ancestor of `el` was removed."""
    node = el.parent
    while node is not None:
        if node.removed:
            return True
        node = node.parent
    return False


class PageRewriter:
    """Rewrites the pages of one part of a package. `scope`: the paths of the part's pages;
    `runtime`: the package path of the script the format adds to every page (or None);
    `side`: the package's side pages."""

    def __init__(self, site_dir: Path, scope: list[str], all_pages: set[str],
                 collected: Collected, runtime: str | None = None,
                 side: Side = NO_SIDE, menus: MenuMemo | None = None) -> None:
        self.site_dir = site_dir
        self.menus = menus
        self.scope = scope
        self.side = side
        self.all_pages = all_pages
        self.collected = collected
        self.runtime = runtime
        self.asked: list[str] = []  # the site files the pages use, in the order found

    def need(self, path: str) -> bool:
        found = need(self.site_dir, self.collected, self.all_pages, path)
        if found:
            self.asked.append(path)
        return found

    def rewrite(self, page_path: str, text: str) -> str:
        before, after = self.rewrite_parts(page_path, text)
        return before + runtime_tag(self.runtime, page_path, self.scope) + after

    def rewrite_parts(self, page_path: str, text: str) -> tuple[str, str]:
        """The rewritten page without the runtime's script: its text before and after
        the place of that script (the end of <body>)."""
        return self.rewrite_read(page_path, read_page(text, self.menus))

    def rewrite_read(self, page_path: str, page: ReadPage,
                     finish: Finish | None = None) -> tuple[str, str]:
        """`rewrite_parts` of a page already read (`read_page`, with this rewriter's menu
        memo); the tree is rewritten in place, with a format's own changes if `finish`
        says some."""
        if finish is not None and finish.before is not None:
            finish.before(page.tree)
        self._walk(page.tree, page_path, page.items)
        self._inject(page.tree, page_path, page.mark)
        if finish is not None:
            finish.make(page.tree)
        before, _mark, after = serialise(page.tree).partition(page.mark)
        page.tree.release()
        return before, after

    def rewrite_fragment(self, page_path: str, text: str) -> str:
        """A piece of a page cut out at an element's bounds (a menu item, see `MenuMemo`),
        rewritten as in its page."""
        tree = parse(text)
        self._walk(tree, page_path, [])
        text = serialise(tree)
        tree.release()
        return text

    def _walk(self, tree: Element, page_path: str, items: list[str]) -> None:
        elements = tree.descendants()
        self._strip_widgets(elements)
        for el in elements:
            if el.tag not in _HANDLED or el.removed or _gone(el):
                continue
            if el.tag == MEMO_TAG and items:
                self._menu_item(el, items[int(el.get("data-n") or 0)], page_path)
            elif el.tag == "a":
                self._link(el, page_path)
            elif el.tag == "link":
                self._head_link(el, page_path)
            elif el.tag == "script" and el.get("id") == "__config":
                self._material_config(el)
            elif el.tag in URL_ATTRS:
                self._resource(el, page_path)
            elif el.tag == "form" and el.get("name") == "search":
                el.remove()
        self._prune_menus(tree)

    def _menu_item(self, el: Element, text: str, page_path: str) -> None:
        """A top-level item of the theme's menu cut out of the page (`MenuMemo.cut`): its
        rewritten text, made once for every page and package where it reads the same."""
        assert self.menus is not None
        el.start, el.end, el.children = self.menus.rewrite(self, text, page_path), "", []

    # -- pieces of the theme that need the whole site
    def _strip_widgets(self, elements: list[Element]) -> None:
        """`elements`: a tree's, in document order."""
        for el in elements:
            if not el.attrs:
                continue
            raw = el.start  # the tag as read: what follows needs one of these words in it
            if "&" not in raw and "search" not in raw and "source" not in raw \
                    and "md-select" not in raw:
                continue
            if el.removed or _gone(el):
                continue
            cls = el.classes() if "md-" in (el.get("class") or "") else _NO_CLASS
            if (el.get("data-md-component") in ("search", "source")
                    or "md-search" in cls or "md-header__source" in cls
                    or "md-nav__source" in cls
                    or (el.tag == "label" and el.get("for") == "__search")):
                el.remove()
            elif "md-select" in cls:  # language or version selector: a package is one
                parent = el.parent
                (parent if parent is not None and "md-header__option" in parent.classes()
                 else el).remove()

    def _material_config(self, el: Element) -> None:
        """mkdocs-material's settings: no instant loading, no search worker."""
        raw = "".join(c for c in el.children if isinstance(c, str))
        try:
            config = json.loads(raw)
        except ValueError:
            return
        if not isinstance(config, dict):
            return
        features = [f for f in config.get("features") or []
                    if not str(f).startswith("navigation.instant")]
        config["features"] = features
        config["search"] = None
        el.children = [json.dumps(config, ensure_ascii=False)]

    # -- links
    def _link(self, el: Element, page_path: str) -> None:
        href = el.get("href")
        if href is None or href.startswith("#") or href == "":
            return
        if is_external(href):
            scheme = urlsplit(href).scheme.lower()
            if scheme in ("http", "https", "") :
                el.put("target", "_blank")
                el.put("rel", "noopener noreferrer")
            elif scheme not in ("mailto", "tel"):
                self._cut_link(el)
            return
        target = resolve(href, page_path)
        if target is None:
            self._cut_link(el)
            return
        if target in self.scope:
            return
        if target in self.side.pages:
            self._side_link(el)
            return
        if target.endswith(".html") or target in self.all_pages:
            if "md-logo" in el.classes() and self.scope:
                el.put("href", relative_url(page_path, self.scope[0]))
            else:
                self._cut_link(el)
        elif not self.need(target):
            self._cut_link(el)

    def _side_link(self, el: Element) -> None:
        """A link to a side page: a new window, and a hint that says so."""
        el.put("target", "_blank")
        el.put("rel", "noopener")
        if self.side.hint:
            el.insert(len(el.children), ' <span class="mooc-new-window">'
                      f"{html.escape(self.side.hint, quote=False)}</span>")

    def _cut_link(self, el: Element) -> None:
        """A link that would leave the package: out of menus, plain text elsewhere."""
        cls = el.classes()
        item = el.parent
        if item is not None and item.tag == "li" and not any(
                c.tag in ("nav", "ul", "ol") for c in item.iter()):
            item_cls = item.classes()
            if {"md-nav__item", "md-tabs__item"} & item_cls or "md-nav__link" in cls:
                item.remove()
                return
        if "md-footer__link" in cls or "md-content__button" in cls:
            el.remove()
            return
        if item is not None and item.get("data-mooc-link-only") is not None:
            item.remove()  # it only leads elsewhere (a module's link to the course's help)
            return
        for name in ("href", "target", "rel", "hreflang", "download"):
            if el.get(name) is not None:
                el.put(name, None)
        el.rename("span")

    def _head_link(self, el: Element, page_path: str) -> None:
        href = el.get("href")
        rel = (el.get("rel") or "").lower().split()
        if href is None:
            return
        if is_external(href) or "canonical" in rel or "alternate" in rel or "search" in rel:
            el.remove()
            return
        target = resolve(href, page_path)
        if target is None:
            el.remove()
        elif {"prev", "next"} & set(rel) or target.endswith(".html"):
            if target not in self.scope:
                el.remove()
        elif not self.need(target):
            el.remove()

    def _resource(self, el: Element, page_path: str) -> None:
        for name in URL_ATTRS[el.tag]:
            value = el.get(name)
            if not value:
                continue
            for url in _urls_of(value) if name == "srcset" else [value]:
                if url.startswith("data:"):
                    continue
                if is_external(url):
                    self._drop_external(el, value)
                    return
                target = resolve(url, page_path)
                if target is None or not self.need(target):
                    el.put(name, None)

    def _drop_external(self, el: Element, url: str) -> None:
        """A resource from another host: a link to it instead (no request from the page)."""
        if el.tag in ("script", "source", "track", "input"):
            el.remove()
            return
        label = el.get("alt") or el.get("title") or url
        el.attrs = [("href", url), ("target", "_blank"), ("rel", "noopener noreferrer")]
        el.changed = True
        el.tag = "a"
        el.children = [label.replace("&", "&amp;").replace("<", "&lt;")]
        el.end = "</a>"

    def _prune_menus(self, tree: Element) -> bool:
        """Menu sections left without a link (another track's) go too. Whether `tree`
        holds a link (one pass, children first: a section that goes has no link, so its
        going changes nothing for the sections around it)."""
        found = False
        for child in tree.children:
            if type(child) is Element and not child.removed and self._prune_menus(child):
                found = True
        if tree.tag == "a" and tree.get("href") is not None:
            return True
        if not found and tree.tag == "li" and "md-" in (tree.get("class") or "") \
                and {"md-nav__item--nested", "md-tabs__item"} & tree.classes():
            tree.remove()
        return found

    def _inject(self, tree: Element, page_path: str, mark: str) -> None:
        head = next(tree.iter("head"), None)
        body = next(tree.iter("body"), None)
        if head is None or body is None:
            raise ExportError(f"{page_path}: not a full HTML page (no <head> or <body>)")
        charset = next((m for m in head.iter("meta") if m.get("charset") is not None), None)
        at = head.children.index(charset) + 1 if charset and charset.parent is head else 0
        head.insert(at, CSP_META)
        body.insert(len(body.children), mark)  # where runtime_tag goes


_Urls = tuple[tuple[str, ...], tuple[tuple[str, str], ...], bool]


class MenuMemo:
    """The theme's menu, rewritten once: mkdocs-material writes the whole menu into every
    page, and a top-level item that is not the page's own (another track, pruned to a
    link) reads the same on every page of a folder. `cut` takes those items out of a
    page's text (a placeholder element in their place), `rewrite` gives each one's
    rewritten text, kept under a key of everything that text depends on: the item's
    text, the site, the package's side pages, and for each URL in it the file it leads
    to from the page and, for a link, whether that is a page of the part, a side page or
    a page of the package (and the logo's link to the part's first page if it holds
    the logo): pages of one folder, or of folders as deep, share it. The same key
    gives the same text by construction; an item is only cut when its text reads alone
    as it does in its page (one <li> closed by its own end tag, no stray end tag, no
    comment or script) and the rest of the page keeps every placeholder where it was
    (read by the same reader, outside any other list item)."""

    def __init__(self, limit: int = 8192) -> None:
        self.limit = limit
        self._read: dict[str, _Urls | None] = {}
        self._made: OrderedDict[tuple[object, ...], tuple[str, tuple[str, ...]]] = \
            OrderedDict()
        self.hits = 0

    def cut(self, text: str) -> tuple[str, list[str]]:
        """The page's text with its menu's other items replaced by placeholders, and
        their texts in order ([] when nothing is cut)."""
        if MEMO_TAG in text.lower():
            return text, []
        nav = _PRIMARY.search(text)
        start = text.find("<ul", nav.end()) if nav else -1
        if start < 0:
            return text, []
        depth, item, spans = 0, -1, []
        for m in _LIST.finditer(text, start):
            closing = m.group(1) == "/"
            if m.group(2) == "ul":
                depth += -1 if closing else 1
                if depth == 0:
                    break
            elif depth == 1:
                if not closing:
                    if item >= 0:
                        return text, []
                    item = m.start()
                else:
                    end = tree_html.END_TAG.match(text, m.start())
                    if item < 0 or end is None:
                        return text, []
                    if "md-nav__item--active" not in text[item:text.find(">", item)]:
                        spans.append((item, end.end()))
                    item = -1
        else:
            return text, []
        out: list[str] = []
        items: list[str] = []
        at = 0
        for a, b in spans:
            piece = text[a:b]
            if self._urls(piece) is None:
                continue
            out += [text[at:a], f'<{MEMO_TAG} data-n="{len(items)}"></{MEMO_TAG}>']
            items.append(piece)
            at = b
        out.append(text[at:])
        return "".join(out), items

    def tree(self, cut: str, count: int) -> Element | None:
        """The tree of a page cut by `cut`, or None unless every placeholder is in it as
        an element of the menu's list, in order (then the page is read whole)."""
        root = tree_html.parse_fast(cut)
        if root is None:
            return None
        found = list(root.iter(MEMO_TAG))
        if len(found) != count:
            return None
        for n, el in enumerate(found):
            parent = el.parent
            if (el.get("data-n") != str(n) or el.children or parent is None
                    or parent.tag != "ul" or "md-header__option" in parent.classes()
                    or any(a.tag == "li" for a in el.ancestors())):
                return None
        return root

    def _urls(self, piece: str) -> _Urls | None:
        """An item's links (href) and other URLs, and whether it holds the logo; None
        if it does not read alone as in its page."""
        if piece in self._read:
            return self._read[piece]
        found = None
        lower = piece.lower()
        root = None if ("<!--" in lower or "<script" in lower or "<style" in lower
                        or "<![" in lower) else tree_html.parse_fast(piece)
        if root is not None and len(root.children) == 1 \
                and isinstance(root.children[0], Element) \
                and root.children[0].tag == "li" and root.children[0].end:
            elements = [root.children[0], *root.children[0].iter()]
            stray = any(isinstance(c, str) and "</" in c for el in elements
                        for c in el.children)
            if not stray:
                links = tuple(v for el in elements for k, v in el.attrs
                              if k == "href" and v is not None)
                others = tuple((k, v) for el in elements for k, v in el.attrs
                               if v and k in URL_ATTRS.get(el.tag, ()))
                found = (links, others, any("md-logo" in el.classes() for el in elements))
        if root is not None:
            root.release()
        if len(self._read) >= self.limit:
            self._read.clear()
        self._read[piece] = found
        return found

    def rewrite(self, rewriter: PageRewriter, piece: str, page_path: str) -> str:
        """A cut item rewritten for `rewriter`'s part as on `page_path`; the site files it
        uses are asked of the rewriter, in order, as the page's own rewrite would."""
        urls = self._urls(piece)
        assert urls is not None
        links, others, logo = urls
        scope = rewriter.scope
        targets: list[object] = []
        for href in links:  # what PageRewriter._link reads of the page and the package
            if href.startswith("#") or href == "" or is_external(href):
                continue
            t = resolve(href, page_path)
            targets.append((t, t in scope, t in rewriter.side.pages,
                            t in rewriter.all_pages) if t is not None else None)
        for name, value in others:  # PageRewriter._resource
            targets.append(tuple(resolve(url, page_path) for url in (
                _urls_of(value) if name == "srcset" else [value])))
        key = (piece, rewriter.site_dir, rewriter.side, tuple(targets),
               relative_url(page_path, scope[0]) if logo and scope else None)
        made = self._made.get(key)
        if made is not None:
            self.hits += 1
            self._made.move_to_end(key)
            for path in made[1]:
                rewriter.need(path)
            return made[0]
        asked = len(rewriter.asked)
        text = rewriter.rewrite_fragment(page_path, piece)
        self._made[key] = (text, tuple(rewriter.asked[asked:]))
        if len(self._made) > self.limit:
            self._made.popitem(last=False)
        return text


def _urls_of(srcset: str) -> list[str]:
    return [u.strip().split()[0] for u in srcset.split(",") if u.strip()]


_PRIMARY = re.compile(r"<nav\b[^>]*\bmd-nav--primary\b[^>]*>")
_LIST = re.compile(r"<(/?)(ul|li)[\s/>]", re.IGNORECASE)


_MARK = "\x00mooc-runtime\x00"  # no page holds it (else more NULs are added)


@dataclass
class ReadPage:
    """A page's text read for `PageRewriter.rewrite_read`: its tree (the menu items that
    `MenuMemo.cut` took out as placeholders, their texts in `items`), a mark the text
    does not hold, and the text's length."""

    tree: Element
    items: list[str]
    mark: str
    size: int

    def copy(self) -> ReadPage:
        return ReadPage(self.tree.copy(), self.items, self.mark, self.size)


def read_page(text: str, menus: MenuMemo | None = None) -> ReadPage:
    mark = _MARK
    while mark in text:
        mark += "\x00"
    items: list[str] = []
    tree = None
    if menus is not None:
        cut, items = menus.cut(text)
        tree = menus.tree(cut, len(items)) if items else None
    if tree is None:
        items, tree = [], parse(text)
    return ReadPage(tree, items, mark, len(text))


def runtime_tag(runtime: str | None, page_path: str, scope: Sequence[str],
                side: Sequence[str] = ()) -> str:
    """The script a format adds at the end of each page's <body> (None: no script);
    `side`: the package's side pages (data-side, when there are any)."""
    if runtime is None:
        return ""
    src = relative_url(page_path, runtime)
    beside = f' data-side="{html.escape(" ".join(side))}"' if side else ""
    return (f'<script src="{src}" data-page="{page_path}" '
            f'data-scope="{html.escape(" ".join(scope))}"{beside}></script>\n')


def read_site_file(site_dir: Path, path: str) -> bytes:
    file = site_dir / path
    if file.stat().st_size > MAX_FILE:
        raise ExportError(f"{file}: too large for a package ({file.stat().st_size} bytes)")
    return file.read_bytes()


Asset = tuple[bytes, tuple[str, ...]]  # a site file's bytes in a package, the files it uses


def finish_assets(site_dir: Path, collected: Collected, all_pages: set[str],
                  read: dict[str, Asset] | None = None) -> None:
    """Read every pending file; follow url() in CSS; drop source-map comments. `read`:
    what earlier packages read from the same site (kept there too)."""
    while collected.pending:
        path = collected.pending.pop(0)
        asset = read.get(path) if read is not None else None
        if asset is None:
            asset = _asset(site_dir, path)
            if read is not None:
                read[path] = asset
        data, uses = asset
        for target in uses:
            need(site_dir, collected, all_pages, target)
        collected.files[path] = data


def _asset(site_dir: Path, path: str) -> Asset:
    data = read_site_file(site_dir, path)
    uses: list[str] = []
    if path.endswith((".js", ".css")):
        data = SOURCE_MAP.sub(b"\n", data).rstrip(b"\n") + b"\n"
    if path.endswith(".css"):
        for ref in _css_refs(data):
            if ref.startswith("data:") or is_external(ref):
                continue
            target = resolve(ref, path)
            if target:
                uses.append(target)
    return data, tuple(uses)


def _css_refs(data: bytes) -> Iterable[str]:
    for m in CSS_URL.finditer(data):
        raw = (m.group(2) or m.group(4) or b"").strip()
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            continue


@dataclass(frozen=True)
class Finish:
    """What a format does to a page's tree, in place: `make` once it is rewritten,
    `before` (if any) before, such as taking out what the format leaves out of every
    page, whose links then need no rewriting and whose files stay out of the package;
    and a key that names everything they depend on but the page (the rewritten pages
    are kept under it)."""

    key: Hashable
    make: Callable[[Element], None]
    before: Callable[[Element], None] | None = None


@dataclass(frozen=True)
class Rewritten:
    """A page rewritten for its part, without a runtime: its bytes (kept deflated: a
    fifth of the memory), where the runtime's script goes in them, and the site files it
    uses in the order found."""

    packed: bytes
    at: int
    uses: tuple[str, ...]

    @classmethod
    def of(cls, data: bytes, at: int, uses: tuple[str, ...] = ()) -> Rewritten:
        return cls(zlib.compress(data, 1), at, uses)

    def data(self) -> bytes:
        return zlib.decompress(self.packed)

    def with_runtime(self, tag: str) -> bytes:
        data = self.data()
        return data[:self.at] + tag.encode("utf-8") + data[self.at:] if tag else data


class PageCache:
    """The rewritten pages of a site and the site files they use, kept for every package
    that an export run makes of it: a page is rewritten once per part it is in (its own,
    or a track's pages as one part), whatever the format and its runtime (the runtime's
    script is added after); a site file is read once. Holds `budget` bytes of deflated
    pages at most, the least recently used going first. A page is read (parsed) once
    too: the trees of the pages read last (`trees_budget` characters of their text) are
    kept, and each rewrite works on a copy. The site must not change meanwhile."""

    def __init__(self, budget: int = 64 * 1024 * 1024, trees_budget: int | None = None) -> None:
        self.budget = budget
        # the pages read kept, in characters of their text (0: none)
        self.trees_budget = 2 * 1024 * 1024 if trees_budget is None else trees_budget
        self.held = 0
        self._pages: OrderedDict[tuple[object, ...], Rewritten] = OrderedDict()
        self._assets: dict[Path, dict[str, Asset]] = {}
        self.menus = MenuMemo()
        self._trees: OrderedDict[tuple[Path, str], ReadPage] = OrderedDict()
        self._trees_size = 0  # characters of the pages whose trees are kept
        self.parsed = 0  # pages read from their files

    def content(self, site_dir: Path, parts: Sequence[Sequence[str]],
                runtime: str | None = None, side: Side = NO_SIDE,
                finish: Mapping[str, Finish] | None = None) -> dict[str, bytes]:
        """Every file of a package whose `parts` (each a list of page paths, a SCO's in
        SCORM) are rewritten so that links stay within their part; `side`: the pages it
        holds beside them (each rewritten as a part of its own); `finish`: what a format
        does to some pages once rewritten (by path)."""
        site = site_dir.resolve()
        collected = Collected()
        in_parts = {path for part in parts for path in part}
        side = Side(tuple(p for p in side.pages if p not in in_parts), side.hint)
        parts = [*parts, *([p] for p in side.pages)]
        all_pages = in_parts | set(side.pages)
        # the pages' text depends on the other parts only through a page not named .html
        others = None if all(p.endswith(".html") for p in all_pages) else frozenset(all_pages)
        for part in parts:
            scope = tuple(part)
            for path in part:
                page = self._page(site, path, scope, others, all_pages, side,
                                  finish.get(path) if finish else None)
                for target in page.uses:
                    need(site, collected, all_pages, target)
                collected.files[path] = page.with_runtime(
                    runtime_tag(runtime, path, scope, side.pages))
        finish_assets(site, collected, all_pages, self._assets.setdefault(site, {}))
        return collected.files

    def _read(self, site: Path, path: str) -> ReadPage:
        """The page read, to be rewritten in place: a copy of the tree kept from the
        last time it was read (a page is often rewritten for several parts, one after
        the other: a track's packages rewrite each page for the track as one part, for
        the page alone, and for the page alone without side pages)."""
        key = (site, path)
        read = self._trees.get(key)
        if read is not None:
            self._trees.move_to_end(key)
            return read.copy()
        self.parsed += 1
        read = read_page((site / path).read_text(encoding="utf-8"), self.menus)
        if self.trees_budget <= 0:
            return read
        self._trees[key] = read
        self._trees_size += read.size
        while self._trees_size > self.trees_budget and len(self._trees) > 1:
            gone = self._trees.popitem(last=False)[1]
            self._trees_size -= gone.size
            gone.tree.release()
        return read.copy()

    def _keep(self, key: tuple[object, ...], page: Rewritten) -> None:
        self._pages[key] = page
        self.held += len(page.packed)
        while self.held > self.budget and len(self._pages) > 1:
            self.held -= len(self._pages.popitem(last=False)[1].packed)

    def _page(self, site: Path, path: str, scope: tuple[str, ...],
              others: frozenset[str] | None, all_pages: set[str], side: Side,
              finish: Finish | None = None) -> Rewritten:
        key = (site, path, scope, others, side, finish.key if finish else None)
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
            return page
        rewriter = PageRewriter(site, list(scope), all_pages, Collected(), side=side,
                                menus=self.menus)
        before, after = rewriter.rewrite_read(path, self._read(site, path), finish)
        head = before.encode("utf-8")
        page = Rewritten.of(head + after.encode("utf-8"), len(head), tuple(rewriter.asked))
        self._keep(key, page)
        return page


def rewrite_pages(site_dir: Path, parts: Sequence[Sequence[str]],
                  runtime: str | None = None, side: Side = NO_SIDE) -> dict[str, bytes]:
    """The rewritten pages of every part (and side pages) and every file they use."""
    return PageCache().content(site_dir, parts, runtime, side)
