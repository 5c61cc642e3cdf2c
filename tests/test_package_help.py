"""The course's help page in the LMS packages (SCORM 1.2, SCORM 2004 in both layouts,
cmi5): a plain file of the package, rewritten like the other pages (local CSS and
assets, no link leaving the package, its tel: links kept), listed where the format asks
(SCORM: a file of the SCO's resource, or of the asset resource with one SCO per module;
never a SCO nor an item; cmi5: not an AU), and every module page's "Need help now?"
link opens it in a new window, saying so. A course without a help page exports as
before: the line stays out. The real course's packages (both languages) and the link
played in Chromium: tests/browser/test_package_help.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.cli import main
from builder.common.html import Element, parse
from builder.common.rewrite import Collected, PageRewriter, Side, finish_assets
from builder.common.urls import is_external, resolve
from builder.export import get_exporter
from builder.export.cmi5 import NS as CMI5_NS
from builder.export.validate import SCHEMAS, validate_package
from builder.pipeline import Settings, load_checked

from .conftest import declared_exporters, lay_learner_course
from .test_help_lines import GOOD

HELP = "help.html"
HINT = "(opens in a new window)"
MODULES = ("basics/first.html", "basics/second.html", "more/third.html")
KINDS = [("scorm12", "single"), ("scorm12", "module"), ("scorm2004", "single"),
         ("scorm2004", "module"), ("cmi5", "single")]


@pytest.fixture(scope="module", autouse=True)
def formats_installed() -> Iterator[None]:
    with declared_exporters():
        yield


def with_help(root: Path) -> Path:
    """The learner course (two tracks) with a help page listing crisis lines."""
    config = lay_learner_course(root)
    (root / "course/help-lines.yml").write_text(GOOD, encoding="utf-8")
    (root / "course/en/help.md").write_text(
        "# Help now\n\nIf you are in danger, call 112.\n\n::: mooc help-lines\n\n"
        "Back to [the course](index.md).\n", encoding="utf-8")
    course = root / "course/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "pages: [index, progress, certificate]", "pages: [index, progress, certificate, help]"),
        encoding="utf-8")
    return config


def build(config: Path) -> Path:
    site = config.parent.parent / "site"
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    return site


def packages(config: Path, site: Path, out: Path) -> list[Path]:
    """Every SCORM and cmi5 package of the course: each kind and layout, each scope."""
    project, _ = load_checked(Settings.at(config.parent))
    made = []
    for name, layout in KINDS:
        for track in (None, "basics", "more"):
            made.append(get_exporter(name, layout=layout).export(  # type: ignore[arg-type]
                project, "en", site, out / f"{name}-{layout}", track))
    return made


@pytest.fixture(scope="module")
def helped(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("helped")
    config = with_help(root / "mini")
    return packages(config, build(config), root / "out")


@pytest.fixture(scope="module")
def unhelped(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("unhelped")
    config = lay_learner_course(root / "mini")
    return packages(config, build(config), root / "out")


def help_links(page: str) -> list[Element]:
    return [a for el in parse(page).iter() if "mooc-module-header__help" in el.classes()
            for a in el.iter("a")]


def test_every_package_carries_the_help_page_and_links_to_it(helped: list[Path]) -> None:
    assert len(helped) == 15
    for package in helped:
        with zipfile.ZipFile(package) as zf:
            names = set(zf.namelist())
            assert HELP in names, package.name
            modules = [n for n in MODULES if n in names]
            assert modules, package.name
            for name in modules:
                links = help_links(zf.read(name).decode("utf-8"))
                assert len(links) == 1, (package.name, name)
                a = links[0]
                assert resolve(a.get("href") or "", name) == HELP, (package.name, name)
                assert a.get("target") == "_blank"
                assert "noopener" in (a.get("rel") or "").split()
                text = "".join(str(c) for c in a.children)
                assert "Need help now?" in text and HINT in text, text
            # the help page: rewritten like the others, nothing leaves the package
            page = zf.read(HELP).decode("utf-8")
            assert "Content-Security-Policy" in page
            assert "mooc-help-lines" in page and 'href="tel:0800112' in page
            tree = parse(page)
            for el in tree.iter():
                for attr in ("href", "src"):
                    url = el.get(attr)
                    if not url or url.startswith(("#", "data:")):
                        continue
                    if is_external(url):
                        assert url.startswith(("tel:", "https://")), url
                        continue
                    target = resolve(url, HELP)
                    assert target in names, (package.name, url)
            assert "index.html" not in {resolve(a.get("href") or "", HELP)
                                        for a in tree.iter("a")}
        found, problems = validate_package(package, SCHEMAS)
        assert found in ("scorm12", "scorm2004", "cmi5"), package.name
        assert [str(p) for p in problems] == [], package.name
        assert main(["validate", str(package)]) == 0


def manifest(package: Path) -> ET.Element:
    with zipfile.ZipFile(package) as zf:
        return ET.fromstring(zf.read("imsmanifest.xml"))


def local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def test_scorm_lists_the_help_page_as_a_file_not_a_sco(helped: list[Path]) -> None:
    scorm = [p for p in helped if "scorm" in p.name]
    assert len(scorm) == 12
    for package in scorm:
        root = manifest(package)
        resources = [r for r in root.iter() if local(r) == "resource"]
        holding = [r for r in resources
                   if HELP in {f.get("href") for f in r if local(f) == "file"}]
        kind = {r.get("identifier"): next(v for k, v in r.attrib.items()
                                          if k.lower().endswith("scormtype"))
                for r in resources}
        if package.stem.endswith("-modules"):  # the shared files' asset resource
            assert [kind[r.get("identifier")] for r in holding] == ["asset"], package.name
        else:  # the one SCO's files
            assert [kind[r.get("identifier")] for r in holding] == ["sco"], package.name
        assert all(r.get("href") != HELP for r in resources)
        items = [i for i in root.iter() if local(i) == "item"]
        refs = {i.get("identifierref") for i in items} - {None}
        assert all(kind[ref] == "sco" for ref in refs)
        assert len([r for r in resources if kind[r.get("identifier")] == "sco"]) == len(refs)


def test_cmi5_holds_the_help_page_but_not_as_an_au(helped: list[Path]) -> None:
    for package in [p for p in helped if p.name.endswith("-cmi5.zip")]:
        with zipfile.ZipFile(package) as zf:
            root = ET.fromstring(zf.read("cmi5.xml"))
        urls = [u.text for u in root.iter(f"{{{CMI5_NS}}}url")]
        assert urls and HELP not in urls and all(u.startswith("launch-") for u in urls)


def test_a_course_without_help_page_exports_as_before(unhelped: list[Path]) -> None:
    assert len(unhelped) == 15
    for package in unhelped:
        with zipfile.ZipFile(package) as zf:
            names = set(zf.namelist())
            assert HELP not in names
            for name in [n for n in MODULES if n in names]:
                page = zf.read(name).decode("utf-8")
                assert "mooc-module-header__help" not in page and HINT not in page
        assert validate_package(package, SCHEMAS)[1] == []


def test_rewriter_keeps_links_to_side_pages_and_opens_them_apart(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sec").mkdir(parents=True)
    for name in ("help.html", "index.html", "sec/b.html"):
        (site / name).write_text("<html></html>", encoding="utf-8")
    page = ('<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>'
            '<p class="mooc-module-header__help" data-mooc-link-only>'
            '<a href="../help.html">Besoin d’aide ?</a></p>'
            '<a href="../index.html">home</a></body></html>')
    side = Side(("help.html",), "(s’ouvre dans une <nouvelle> fenêtre)")
    out = PageRewriter(site, ["sec/a.html"], {"sec/a.html", "help.html"}, Collected(),
                       side=side).rewrite("sec/a.html", page)
    assert ('<a href="../help.html" target="_blank" rel="noopener">Besoin d’aide ? '
            '<span class="mooc-new-window">(s’ouvre dans une &lt;nouvelle&gt; fenêtre)'
            '</span></a>') in out
    assert "../index.html" not in out and "<span>home</span>" in out
    # without side pages, the line goes as before
    collected = Collected()
    out = PageRewriter(site, ["sec/a.html"], {"sec/a.html"}, collected).rewrite(
        "sec/a.html", page)
    finish_assets(site, collected, {"sec/a.html"})
    assert "mooc-module-header__help" not in out and "Besoin" not in out
    assert collected.files == {}
