"""What the exports of one build share, and that sharing it changes no byte.

`mooc build` makes every format for every track and the whole course from one site: the
pages are rewritten once per part whatever the format (`common.rewrite.PageCache`), an
entry's deflate stream is made once for every zip that holds the same bytes
(`export.archive`), and pages are read by a faster reader of the common shapes of HTML
than HTMLParser (`common.html._fast_tokens`). Each is checked against the plain way here.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from builder.cli import main
from builder.common import html as tree
from builder.common.rewrite import Collected, MenuMemo, PageCache, PageRewriter, finish_assets
from builder.export import archive, get_exporter
from builder.export.downloads import export_packages
from builder.model import Project
from builder.pipeline import Settings, load_checked

from .conftest import declared_exporters, lay_learner_course


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The learner course (two tracks, progress and certificate pages) built by mooc build."""
    src = tmp_path_factory.mktemp("src") / "course"
    config = lay_learner_course(src)
    site = src / "site"
    with declared_exporters():
        assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    project, _ = load_checked(Settings.at(src))
    return project, site


def test_packages_made_together_are_those_made_one_by_one(
        built: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, site = built
    with declared_exporters():
        together = export_packages(project, "en", site, tmp_path / "together", fallback=True)
        assert len({i.format for i in together}) >= 6
        for info in together:  # each with its own exporter, nothing shared, no stream kept
            monkeypatch.setattr(archive, "_DEFLATED", archive._Deflated())
            alone = get_exporter(info.format, pages=PageCache(trees_budget=0)).package(
                project, "en", site, tmp_path / "alone", None if info.scope == "all"
                else info.scope, fallback=True).path
            assert alone.name == info.path.name
            assert alone.read_bytes() == info.path.read_bytes(), info.path.name


def test_shared_pages_are_the_pages_rewritten_anew(built: tuple[Project, Path]) -> None:
    _, site = built
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if "downloads" not in p.parts)
    assert len(pages) > 5
    half = len(pages) // 2
    shared = PageCache()
    for parts in ([pages], [[p] for p in pages], [pages[:half], pages[half:]]):
        for runtime in (None, "assets/mooc/package-page.js", "assets/other.js"):
            collected = Collected()
            for part in parts:
                rewriter = PageRewriter(site, part, set(pages), collected, runtime)
                for path in part:
                    text = (site / path).read_text(encoding="utf-8")
                    collected.files[path] = rewriter.rewrite(path, text).encode("utf-8")
            finish_assets(site, collected, set(pages))
            got = shared.content(site, parts, runtime)
            assert list(got) == list(collected.files)  # the same files in the same order
            assert got == collected.files
    assert shared.menus.hits > 0  # the theme's menu items were rewritten once and reused
    assert shared.parsed == len(pages)  # each page read once, its tree copied for each part
    small = PageCache(budget=1)  # keeps one page: the same again
    assert small.content(site, [pages], None) == shared.content(site, [pages], None)


def test_zips_are_zipfiles_own(tmp_path: Path) -> None:
    rng = random.Random(7)
    files = {"imsmanifest.xml": b"<manifest/>", "empty.txt": b"", "d/\u00e9t\u00e9.html":
             "<p>\u00e9t\u00e9</p>".encode() * 500, "noise.bin": rng.randbytes(3000),
             "a.css": b"body{margin:0}" * 2000}
    when = archive.zip_timestamp()
    names = sorted(files, key=lambda n: (n != archive.MANIFEST, n))
    archive._write_zipfile(tmp_path / "zipfile.zip", names, files, when)
    for _ in range(2):  # the second time from the kept streams
        archive.write_zip(tmp_path / "ours.zip", files)
        assert (tmp_path / "ours.zip").read_bytes() == (tmp_path / "zipfile.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "ours.zip") as zf:
        assert zf.testzip() is None
        assert {n: zf.read(n) for n in zf.namelist()} == files


def shape(node: tree.Element | str) -> object:
    """Everything of a tree: tags, attributes, the source text of tags, text."""
    if isinstance(node, str):
        return node
    return (node.tag, node.attrs, node.start, node.end, [shape(c) for c in node.children])


def slow(text: str) -> object:
    return shape(tree._tree(text, tree._slow_tokens(text)))


def test_fast_reader_reads_built_pages_as_htmlparser(built: tuple[Project, Path]) -> None:
    _, site = built
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        fast = tree._fast_tree(text)
        assert fast is not None, page  # the built pages take the fast way
        assert shape(fast) == slow(text), page
        assert tree.serialise(fast) == text
        assert fast.descendants() == list(fast.iter()), page
        copy = fast.copy()  # a copy to rewrite, the tree left as it is
        for el in copy.descendants():
            el.put("data-x", "1")
        assert shape(fast) == slow(text)
        assert tree.serialise(copy) != text


PIECES = ["<p>", "</p>", "<div class=\"a b\">", "</div>", "<br/>", "<br />", "<img src=x.png>",
          "<a href='y.html#z'>", "</a>", "text", " ", "\n", "&amp;", "&#39;", "&x", "<",
          ">", "=", "\"", "'", "/", "<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<!x>",
          "<?pi?>", "<script>", "</script>", "<SCRIPT type=a>", "</script >", "<style>",
          "</STYLE>", "<a b=c=d>", "<a b=\"c\"d=e>", "<x:y>", "</ p>", "</>", "<a\u00a0b>",
          "<input disabled>", "<span data-x=\"&lt;&quot;\">", "<a b=\"\">", "<a b= c>",
          "<a b c/>", "<a b=c/>", "<A HREF=\"Q\">", "</A>", "<td\tclass=k>", "\u00e9", "`",
          "<a b=`c`>", "<a\x0bb>", "</p\n>"]


def test_fast_reader_reads_markup_as_htmlparser_or_leaves_it() -> None:
    rng = random.Random(20)
    fast_ones = 0
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
        fast = tree._fast_tree(text)
        if fast is not None:
            fast_ones += 1
            assert shape(fast) == slow(text), text
            assert tree.serialise(fast) == text
    assert fast_ones > 300  # the comparison did happen


def test_iter_walks_as_the_recursive_walk_did() -> None:
    root = tree.parse("<div><p><a>1</a><b>2</b></p><p><a>3</a></p></div><a>4</a>")
    seen = []
    for el in root.iter():
        seen.append(el.tag + "".join(c for c in el.children if isinstance(c, str)))
        if el.tag == "p":
            el.remove()  # an element removed while walked: its children are still walked
    assert seen == ["div", "p", "a1", "b2", "p", "a3", "a4"]
    assert [el.tag for el in root.iter()] == ["div", "a"]
    assert [el.tag for el in root.iter("a")] == ["a"]


def test_a_page_holding_the_runtime_mark_keeps_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    text = ("<html><head><meta charset=\"utf-8\"></head><body><p>\x00mooc-runtime\x00</p>"
            "</body></html>")
    (site / "a.html").write_text(text, encoding="utf-8")
    page = PageCache().content(site, [["a.html"]], "r.js")["a.html"].decode("utf-8")
    assert "<p>\x00mooc-runtime\x00</p>" in page
    assert page.endswith('<script src="r.js" data-page="a.html" data-scope="a.html"></script>'
                         "\n</body></html>")


def test_budgets_bound_what_is_kept() -> None:
    kept = archive._Deflated(budget=100)
    for n in range(50):
        kept.get(bytes([n]) * 1000 + b"x" * n)
    assert kept.held <= 100 and 0 < len(kept._streams) < 50


def menu_page(items: list[str], body: str = "<p>text</p>") -> str:
    """A page with the theme's menu (its top-level items `items`), as mkdocs-material
    lays it out."""
    return ('<html><head><meta charset="utf-8"></head><body><div class="md-sidebar">'
            '<nav class="md-nav md-nav--primary" data-md-level="0"><ul class="md-nav__list">'
            + "\n".join(items) + f"</ul></nav></div><article>{body}</article></body></html>")


def item(href: str, label: str, cls: str = "md-nav__item", extra: str = "") -> str:
    return (f'<li class="{cls}">\n  <a href="{href}" class="md-nav__link">{label}</a>'
            f"{extra}\n</li>")


def test_menu_memo_gives_each_page_its_own_menu(tmp_path: Path) -> None:
    """The memo of menu items against the plain rewrite, on pages whose items read the
    same but mean something else: another folder depth, another part, another active
    item, a link to the page itself, an image, a logo; and items it must not cut."""
    site = tmp_path / "site"
    same = item("../x/p.html", "P")  # x/p.html from a/, b/x/p.html from b/deep/
    logo = ('<li class="md-nav__item"><a href="../a/one.html" class="md-logo">L</a>'
            '<img src="../img/i.png"></li>')
    pages = {
        "a/one.html": [item("../index.html", "Home"), same, item("two.html", "Two"),
                       item("one.html", "One", "md-nav__item md-nav__item--active"), logo,
                       item("", "Here"), item("three.html", "Three")],
        "a/two.html": [item("../index.html", "Home"), same, item("two.html", "Two",
                       "md-nav__item md-nav__item--active"), item("one.html", "One"), logo,
                       item("", "Here"), item("three.html", "Three")],
        "b/deep/three.html": [item("../index.html", "Home"), same, item("two.html", "Two"),
                              logo, item("", "Here"),
                              item("x.html", "Stray", extra="</div>"),  # not read alone
                              item("y.html", "Comment", extra="<!-- c -->")],
        "x/p.html": [same], "b/x/p.html": [same], "index.html": [], "img/i.png": None,
    }
    for path, items in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(menu_page(items) if items is not None else "png",
                                 encoding="utf-8")
    html_pages = [p for p in pages if p.endswith(".html")]
    memo = MenuMemo()
    cut, items = memo.cut((site / "b/deep/three.html").read_text(encoding="utf-8"))
    assert len(items) == 5 and "Stray" in cut and "Comment" in cut
    assert "Stray" not in "".join(items) and "Comment" not in "".join(items)
    for parts in ([["a/one.html", "a/two.html", "x/p.html"], ["b/deep/three.html"]],
                  [["a/one.html"], ["a/two.html"], ["b/deep/three.html", "b/x/p.html"]],
                  [["a/one.html", "a/two.html", "b/deep/three.html"]],
                  [["b/deep/three.html", "a/two.html"], ["a/one.html"]]):
        plain = Collected()
        for part in parts:
            rewriter = PageRewriter(site, part, set(html_pages), plain)
            for path in part:
                text = (site / path).read_text(encoding="utf-8")
                plain.files[path] = rewriter.rewrite(path, text).encode("utf-8")
        finish_assets(site, plain, set(html_pages))
        memoised = Collected()
        for part in parts:
            rewriter = PageRewriter(site, part, set(html_pages), memoised, menus=memo)
            for path in part:
                text = (site / path).read_text(encoding="utf-8")
                memoised.files[path] = rewriter.rewrite(path, text).encode("utf-8")
        finish_assets(site, memoised, set(html_pages))
        assert list(memoised.files) == list(plain.files)
        assert memoised.files == plain.files, parts
    assert memo.hits > 0
    a_one = PageCache().content(site, [["a/one.html", "x/p.html"]])["a/one.html"].decode()
    assert 'href="../x/p.html"' in a_one and 'href="two.html"' not in a_one
    deep = PageCache().content(site, [["b/deep/three.html", "a/two.html"]])
    assert 'href="../x/p.html"' not in deep["b/deep/three.html"].decode()
    assert 'href="two.html"' not in deep["b/deep/three.html"].decode()
    assert "img/i.png" in deep


def test_a_page_holding_the_memo_placeholder_is_rewritten_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    text = menu_page([item("b.html", "B"), '<li class="md-nav__item"><mooc-memo data-n="0">'
                      "</mooc-memo></li>"])
    (site / "a.html").write_text(text, encoding="utf-8")
    assert MenuMemo().cut(text) == (text, [])
    plain = PageRewriter(site, ["a.html"], {"a.html"}, Collected()).rewrite("a.html", text)
    assert PageCache().content(site, [["a.html"]])["a.html"].decode() == plain


def test_a_menu_inside_a_list_item_is_rewritten_whole(tmp_path: Path) -> None:
    """An item's links also keep the list item around its menu (PageRewriter._prune_menus):
    such a menu is not cut."""
    site = tmp_path / "site"
    site.mkdir()
    text = menu_page([item("b.html", "B")]).replace(
        '<div class="md-sidebar">', '<ul><li class="md-nav__item md-nav__item--nested">'
    ).replace("</nav></div>", "</nav></li></ul>")
    (site / "a.html").write_text(text, encoding="utf-8")
    (site / "b.html").write_text(text, encoding="utf-8")
    plain = PageRewriter(site, ["a.html", "b.html"], {"a.html", "b.html"},
                         Collected()).rewrite("a.html", text)
    assert 'href="b.html"' in plain
    assert PageCache().content(site, [["a.html", "b.html"]])["a.html"].decode() == plain


def test_menu_sections_without_a_link_go() -> None:
    """A section of the theme's menu whose every link went (another track's) goes, and so
    does a section holding only such sections; a section with a link left stays."""
    page = ('<ul><li class="md-nav__item md-nav__item--nested"><ul>'
            '<li class="md-nav__item md-nav__item--nested"><span>gone</span></li>'
            '<li class="md-nav__item"><span>plain</span></li></ul></li>'
            '<li class="md-nav__item md-nav__item--nested"><ul>'
            '<li class="md-nav__item md-nav__item--nested"><a href="k.html">kept</a></li>'
            '</ul></li><li class="md-tabs__item"><a>no href</a></li>'
            '<li class="other"><span>not a menu</span></li></ul>')
    root = tree.parse(page)
    assert PageRewriter(Path("."), [], set(), Collected())._prune_menus(root)
    assert tree.serialise(root) == (
        '<ul><li class="md-nav__item md-nav__item--nested"><ul>'
        '<li class="md-nav__item md-nav__item--nested"><a href="k.html">kept</a></li>'
        '</ul></li><li class="other"><span>not a menu</span></li></ul>')
