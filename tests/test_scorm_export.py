"""SCORM export: packages made from the built mini site.

Checked here: what `mooc build` writes into downloads/, manifests against the official
XSDs and `mooc validate`, stable identifiers, reproducible zips, what a package holds and
what its pages may link to, the runtime settings, and the SCORM 1.2 size limit.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import ExportError
from builder.export import budget, get_exporter
from builder.export.plan import plan_package, suspend_bound
from builder.export.validate import SCHEMAS, validate_package
from builder.model import Project
from builder.pipeline import Settings, load_checked

from .conftest import FIXTURES

FORMATS = ["scorm12", "scorm2004"]
CP = {"scorm12": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
      "scorm2004": "http://www.imsglobal.org/xsd/imscp_v1p1"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The mini course built by `mooc build` (which also writes downloads/)."""
    src = tmp_path_factory.mktemp("src") / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    site = src / "site"
    assert main(["build", "-f", str(src / "mkdocs.yml"), "-d", str(site)]) == 0
    project, _ = load_checked(Settings.at(src))
    return project, site


def export(built: tuple[Project, Path], out: Path, fmt: str, layout: str = "single",
           track: str | None = None) -> Path:
    project, site = built
    return get_exporter(fmt, layout=layout).export(project, "en", site, out, track)


def manifest(zip_path: Path) -> ET.Element:
    with zipfile.ZipFile(zip_path) as zf:
        return ET.fromstring(zf.read("imsmanifest.xml"))


def names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.namelist()


# ---------------------------------------------------------------- mooc build

def test_build_writes_every_package_and_a_page_listing_them(built: tuple[Project, Path]) -> None:
    _, site = built
    downloads = site / "downloads"
    zips = sorted(p.name for p in downloads.glob("*scorm*.zip"))  # other formats: theirs
    assert zips == ["mini-en-all-scorm12.zip", "mini-en-all-scorm2004.zip",
                    "mini-en-basics-scorm12.zip", "mini-en-basics-scorm2004.zip"]
    page = (downloads / "index.html").read_text(encoding="utf-8")
    for name in zips:
        digest = hashlib.sha256((downloads / name).read_bytes()).hexdigest()
        assert f'href="{name}"' in page
        assert digest in page
    assert "SCORM 1.2" in page and "SCORM 2004" in page
    assert "Moodle" in page and "Force new attempt" in page  # the import guide


# ---------------------------------------------------------------- manifests

@pytest.mark.parametrize("layout", ["single", "module"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_is_valid_against_the_official_xsds(built: tuple[Project, Path],
                                                     tmp_path: Path, fmt: str,
                                                     layout: str) -> None:
    package = export(built, tmp_path, fmt, layout)
    version, problems = validate_package(package, SCHEMAS)
    assert version == fmt  # the format that recognised it
    assert [str(p) for p in problems] == []
    assert main(["validate", str(package), "--schemas", str(SCHEMAS)]) == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_shape(built: tuple[Project, Path], tmp_path: Path, fmt: str) -> None:
    ns = {"cp": CP[fmt]}
    root = manifest(export(built, tmp_path, fmt))
    assert root.get("identifier") == "mooc.mini.en.all"
    orgs = root.findall("cp:organizations/cp:organization", ns)
    assert len(orgs) == 1 and orgs[0].get("identifier") == "org.mini.en.all"
    items = orgs[0].findall("cp:item", ns)
    assert len(items) == 1  # one root item
    assert items[0].get("identifierref") == "res.mini.en.all"
    resource = root.find("cp:resources/cp:resource", ns)
    assert resource is not None
    attr = "scormtype" if fmt == "scorm12" else "scormType"
    assert [v for k, v in resource.attrib.items() if k.endswith("}" + attr)] == ["sco"]
    assert resource.get("href") == "launch.html"
    listed = [f.get("href") for f in resource.findall("cp:file", ns)]
    package_files = set(names(tmp_path / f"mini-en-all-{fmt}.zip")) - {"imsmanifest.xml"}
    assert set(listed) == package_files  # every file listed, once
    assert all("\\" not in n and not n.startswith("/") for n in listed)
    text = ET.tostring(root, encoding="unicode")
    assert "A mini course" in text and ">en<" in text  # title and language metadata


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_sco_per_module_wraps_modules_in_one_item(built: tuple[Project, Path],
                                                      tmp_path: Path, fmt: str) -> None:
    ns = {"cp": CP[fmt]}
    root = manifest(export(built, tmp_path, fmt, "module"))
    org = root.find("cp:organizations/cp:organization", ns)
    assert org is not None
    (top,) = org.findall("cp:item", ns)
    assert top.get("identifierref") is None
    leaves = top.findall("cp:item", ns)
    assert [i.get("identifier") for i in leaves] == ["item.mini.en.all.basics.first",
                                                     "item.mini.en.all.basics.second"]
    assert [i.findtext("cp:title", namespaces=ns) for i in leaves] == ["First module",
                                                                      "Second module"]
    resources = {r.get("identifier"): r for r in root.iter(f"{{{CP[fmt]}}}resource")}
    for leaf in leaves:
        res = resources[leaf.get("identifierref")]
        assert res.get("href", "").startswith("launch-basics-")
        assert res.find("cp:dependency", ns) is not None  # the shared assets
    assert "Every question type once." in ET.tostring(root, encoding="unicode")


def test_identifiers_survive_a_content_change(tmp_path: Path) -> None:
    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)

    def ids() -> list[str]:
        assert main(["export", "-f", str(src / "mkdocs.yml"), "--format", "scorm2004",
                     "--layout", "module", "-o", str(tmp_path / "out")]) == 0
        root = manifest(tmp_path / "out" / "mini-en-all-scorm2004-modules.zip")
        return [e.get("identifier") or "" for e in root.iter() if e.get("identifier")]

    before = ids()
    page = src / "course/en/basics/first.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new paragraph.\n",
                    encoding="utf-8")
    assert ids() == before
    assert "item.mini.en.all.basics.first" in before


# ---------------------------------------------------------------- zips

def test_reexport_is_byte_identical(built: tuple[Project, Path], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = export(built, tmp_path / "a", "scorm12")
    b = export(built, tmp_path / "b", "scorm12")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "imsmanifest.xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    c = export(built, tmp_path / "c", "scorm12")
    d = export(built, tmp_path / "d", "scorm12")
    assert c.read_bytes() == d.read_bytes() != a.read_bytes()
    with zipfile.ZipFile(c) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH"):
        export(built, tmp_path / "e", "scorm12")


# ---------------------------------------------------------------- content

def test_package_holds_the_modules_and_what_they_use(built: tuple[Project, Path],
                                                     tmp_path: Path) -> None:
    package = export(built, tmp_path, "scorm12")
    files = names(package)
    assert {"imsmanifest.xml", "launch.html", "basics/first.html", "basics/second.html",
            "assets/mooc/mooc.js", "assets/mooc/mooc.css",
            "assets/mooc/scorm-runtime.js", "assets/mooc/package-page.js",
            "assets/mooc/package-launch.js"} <= set(files)
    assert not [f for f in files if f in ("index.html", "404.html", "sitemap.xml")
                or "search_index" in f or "workers/" in f or "lunr" in f or f.endswith(".map")
                or f.startswith("downloads/")]
    with zipfile.ZipFile(package) as zf:
        first = zf.read("basics/first.html").decode()
        js = zf.read(next(f for f in files if "bundle" in f)).decode()
    assert "sourceMappingURL" not in js
    assert 'http-equiv="Content-Security-Policy"' in first
    assert first.index("Content-Security-Policy") < first.index("<link")
    assert '<script src="../assets/mooc/package-page.js" data-page="basics/first.html" ' \
        'data-scope="basics/first.html basics/second.html"></script>' in first
    assert 'href="second.html#details"' in first  # a page of the same SCO
    assert 'href="../index.html"' not in first  # home: not in the package
    assert 'href="../competencies.html"' not in first and ">K1</span>" in first
    assert "md-search" not in first and 'name="search"' not in first
    assert re.search(r'class="md-header__button md-logo"[^>]*href="first.html"', first) or \
        re.search(r'href="first.html"[^>]*class="md-header__button md-logo"', first)
    config = json.loads(re.search(r'"__config" type="application/json">(.*?)</script>',
                                  first).group(1))  # type: ignore[union-attr]
    assert config["search"] is None


def test_track_package_holds_only_its_modules(tmp_path: Path) -> None:
    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    course = src / "course/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "modules: [basics/first, basics/second]", "modules: [basics/first]") + (
        "  - id: more\n    title: More\n    audience: Some\n    modules: [basics/second]\n"),
        encoding="utf-8")
    assert main(["export", "-f", str(src / "mkdocs.yml"), "--format", "scorm12", "--all",
                 "-o", str(tmp_path / "out")]) == 0
    package = tmp_path / "out" / "mini-en-basics-scorm12.zip"
    files = names(package)
    assert "basics/first.html" in files and "basics/second.html" not in files
    with zipfile.ZipFile(package) as zf:
        first = zf.read("basics/first.html").decode()
    assert "second.html" not in first  # another track's module: not linked
    assert "the second module</span>" in first  # the link's text stays
    assert "basics/second.html" in names(tmp_path / "out" / "mini-en-all-scorm12.zip")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.zip")) == [
        "mini-en-all-scorm12.zip", "mini-en-basics-scorm12.zip", "mini-en-more-scorm12.zip"]


@pytest.mark.parametrize(("fmt", "patterns"), [
    ("scorm12", {"capital": ["a"], "colours": ["a,b"], "sky": ["f"], "balint": ["Balint"],
                 "steps": ["a,b,c,d"], "pairs": ["a.a,b.b,c.c"], "think": []}),
    ("scorm2004", {"capital": ["a"], "colours": ["a[,]b"], "sky": ["false"],
                   "balint": ["Balint"], "steps": ["a[,]b[,]c[,]d"],
                   "pairs": ["a[.]a[,]b[.]b[,]c[.]c"], "think": []}),
])
def test_runtime_settings_in_the_launch_page(built: tuple[Project, Path], tmp_path: Path,
                                             fmt: str, patterns: dict[str, list[str]]) -> None:
    with zipfile.ZipFile(export(built, tmp_path, fmt)) as zf:
        launch = zf.read("launch.html").decode()
    # the question types, the pages and their quizzes (shared with cmi5), then the runtime
    assert re.findall(r'<script src="([^"]*)">', launch) == [
        "assets/mooc/questions.js", "assets/mooc/package-launch.js",
        "assets/mooc/scorm-runtime.js"]
    raw = re.search(r'id="mooc-scorm-config">(.*?)</script>', launch)
    assert raw is not None
    config = json.loads(raw.group(1))
    assert config["scorm"] == ("1.2" if fmt == "scorm12" else "2004")
    assert config["limit"] == (4096 if fmt == "scorm12" else 64000)
    assert [p["path"] for p in config["pages"]] == ["basics/first.html", "basics/second.html"]
    quiz = config["quizzes"][0]
    assert (quiz["id"], quiz["max"], quiz["passMark"]) == ("basics/all-types", 6, 70)
    assert {q["id"]: q["cr"] for q in quiz["questions"]} == patterns
    balint = next(q for q in quiz["questions"] if q["id"] == "balint")
    assert balint["cap"] == 32
    assert (config["passMark"], config["pageSeen"], config["quizRule"]) == (70, True, "passed")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_package_over_the_save_budget_reports_less_and_says_so(
        built: tuple[Project, Path], tmp_path: Path, fmt: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The launch page's `detail` follows the commit budget; the package's note (on the
    downloads page, in its language) and facts say what the LMS gets."""
    project, site = built
    made = get_exporter(fmt).package(project, "en", site, tmp_path / "full")
    assert made.note == ""
    assert 0 < made.facts["save_max"] <= budget.COMMIT_BUDGET
    monkeypatch.setattr(budget, "COMMIT_BUDGET", made.facts["save_max"] - 1)
    small = get_exporter(fmt).package(project, "en", site, tmp_path / "small")
    assert small.note == "answers reported without times or prompts"
    assert small.facts["save_max"] < made.facts["save_max"]
    with zipfile.ZipFile(small.path) as zf:
        launch = zf.read("launch.html").decode()
    assert '"detail":"compact"' in launch.replace(" ", "")


# ---------------------------------------------------------------- limits and errors

BIG_QUIZ_HEAD = "title: A long quiz\nquestions:\n"
BIG_QUESTION = """  - id: q{n}
    type: fill-in
    prompt: Write the long answer number {n}.
    answers: ["{answer}"]
"""


def test_a_course_too_large_for_scorm12_suspend_data_fails_its_export(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", src)
    answer = "a long answer that a learner could type " * 4
    (src / "quizzes/en/basics/long.yml").write_text(
        BIG_QUIZ_HEAD + "".join(BIG_QUESTION.format(n=n, answer=answer.strip())
                                for n in range(12)), encoding="utf-8")
    page = src / "course/en/basics/second.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n::: quiz basics/long\n",
                    encoding="utf-8")
    cfg = str(src / "mkdocs.yml")
    capsys.readouterr()
    assert main(["export", "-f", cfg, "--format", "scorm12", "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "suspend_data" in err and "4096" in err and "basics/long" in err
    assert "--layout module" in err
    assert not list((tmp_path / "o").glob("*.zip"))
    # SCORM 2004 allows 64,000 characters; one SCO per module splits the 1.2 state
    assert main(["export", "-f", cfg, "--format", "scorm2004", "-o", str(tmp_path / "o")]) == 0
    assert main(["export", "-f", cfg, "--format", "scorm12", "--layout", "module",
                 "-o", str(tmp_path / "o")]) == 1  # the long quiz alone is too large
    # and a build fails too, leaving no half-made site
    assert main(["build", "-f", cfg, "-d", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_suspend_data_bound_of_the_mini_course(built: tuple[Project, Path]) -> None:
    project, site = built
    (sco,) = plan_package(project, "en", site).scos
    # "M2|" + learner + "|" + 2 pages + "|" + all-types + "~" + inline: a few hundred
    # characters at most
    assert 100 < suspend_bound(sco) < 400


def test_export_errors_say_what_to_do(built: tuple[Project, Path], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="did you mean 'basics'"):
        export(built, tmp_path, "scorm12", track="basic")
    with pytest.raises(ExportError, match="did you mean 'scorm12'"):
        get_exporter("scorm1.2")
    with pytest.raises(ExportError, match="unknown layout"):
        export(built, tmp_path, "scorm12", layout="pages")
    project, _ = built
    with pytest.raises(ExportError, match="use_directory_urls: false"):
        site = tmp_path / "dirsite"
        (site / "basics/first").mkdir(parents=True)
        (site / "basics/first/index.html").write_text("<html></html>", encoding="utf-8")
        get_exporter("scorm12").export(project, "en", site, tmp_path)
    with pytest.raises(ExportError, match="no 'fr' edition"):
        get_exporter("scorm12").export(project, "fr", tmp_path, tmp_path)


def test_export_cli(built: tuple[Project, Path], tmp_path: Path,
                   capsys: pytest.CaptureFixture[str]) -> None:
    cfg = FIXTURES / "mini" / "mkdocs.yml"
    capsys.readouterr()
    assert main(["export", "-f", str(cfg), "--format", "scorm2004", "--track", "basics",
                 "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    package = tmp_path / "mini-en-basics-scorm2004.zip"
    assert package.is_file()
    assert hashlib.sha256(package.read_bytes()).hexdigest() in out
    assert "suspend_data <=" in out


# ---------------------------------------------------------------- page rewriting

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="prev" href="../index.html"><link rel="next" href="b.html">
<link rel="canonical" href="https://example.org/sec/a.html">
<link rel="stylesheet" href="../assets/x.css"><script src="https://cdn.example.org/x.js"></script>
</head><body><header>
<a href="../index.html" class="md-header__button md-logo">Logo</a>
<div class="md-header__option"><div class="md-select"><ul><li class="md-select__item">
<a href="a.html" hreflang="en">English</a></li><li class="md-select__item">
<a href="../fr/sec/a.html" hreflang="fr">Français</a></li></ul></div></div>
<div class="md-search" data-md-component="search"><form name="search"></form></div>
</header><nav><ul>
<li class="md-nav__item"><a class="md-nav__link" href="../index.html">Home</a></li>
<li class="md-nav__item md-nav__item--nested"><label>Other</label><nav><ul>
<li class="md-nav__item"><a class="md-nav__link" href="../other/c.html">C</a></li></ul></nav></li>
<li class="md-nav__item md-nav__item--nested"><label>Mine</label><nav><ul>
<li class="md-nav__item"><a class="md-nav__link" href="b.html">B</a></li></ul></nav></li>
</ul></nav>
<p class="mooc-module-header__help" data-mooc-link-only>
<a href="../help.html">Need help now?</a></p>
<p><a href="../glossary.html#x">term</a> <a href="https://example.org/">ext</a>
<a href="mailto:a@example.org">mail</a> <a href="javascript:alert(1)">js</a>
<a href="files/doc.pdf">pdf</a> <a href="#top">top</a> <a href="b.html#s">b</a></p>
<img src="https://example.org/i.png" alt="a picture"><img src="img/local.png" alt="l">
<footer><a class="md-footer__link md-footer__link--prev" href="../index.html">prev</a>
<a class="md-footer__link md-footer__link--next" href="b.html">next</a></footer>
</body></html>"""


def test_rewriter_keeps_the_package_and_cuts_what_leaves_it(tmp_path: Path) -> None:
    from builder.common.rewrite import Collected, PageRewriter, finish_assets

    site = tmp_path / "site"
    for name, data in {"assets/x.css": "a{background:url(../fonts/f.woff2)} "
                                       "b{background:url('data:image/png;base64,xx')}",
                       "fonts/f.woff2": "font", "sec/files/doc.pdf": "pdf",
                       "sec/img/local.png": "png", "sec/b.html": "<html></html>"}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(data, encoding="utf-8")
    collected = Collected()
    scope = ["sec/a.html", "sec/b.html"]
    out = PageRewriter(site, scope, set(scope), collected,
                       runtime="assets/mooc/scorm-runtime.js").rewrite("sec/a.html", PAGE)
    finish_assets(site, collected, set(scope))
    assert sorted(collected.files) == ["assets/x.css", "fonts/f.woff2", "sec/files/doc.pdf",
                                       "sec/img/local.png"]
    kept = ['<link rel="next" href="b.html">', 'href="b.html">B</a>', 'href="b.html#s"',
            'href="files/doc.pdf"', 'href="#top"', 'href="mailto:a@example.org"',
            'src="img/local.png"', 'class="md-footer__link md-footer__link--next"',
            'href="a.html" class="md-header__button md-logo"']
    gone = ["../index.html", "canonical", "cdn.example.org", "md-select", "Français",
            "md-search", 'name="search"', "../other/c.html", ">Other<", "../glossary.html",
            "javascript:", "md-footer__link--prev", 'src="https://example.org/i.png"',
            "Need help now?", "mooc-module-header__help"]  # a link-only line goes whole
    assert [k for k in kept if k not in out] == []
    assert [g for g in gone if g in out] == []
    assert "<span>term</span>" in out and "<span>js</span>" in out
    assert '<a href="https://example.org/" target="_blank" rel="noopener noreferrer">ext</a>' \
        in out
    assert '<a href="https://example.org/i.png" target="_blank" rel="noopener noreferrer">' \
        'a picture</a>' in out
    assert out.index("Content-Security-Policy") < out.index("<link")
    assert out.rstrip().endswith('<script src="../assets/mooc/scorm-runtime.js" '
                                 'data-page="sec/a.html" data-scope="sec/a.html sec/b.html">'
                                 '</script>\n</body></html>')


def test_html_tree_round_trips_the_built_pages(built: tuple[Project, Path]) -> None:
    from builder.common.html import parse, serialise

    _, site = built
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert serialise(parse(text)) == text, page
    tricky = "<p>a &amp b &lt;<br/><x-y a=1 b>t</x-y></p></div><!-- c -->&#39;<script>a<b</script>"
    assert serialise(parse(tricky)) == tricky


def test_a_package_whose_identifiers_clash_is_refused(built: tuple[Project, Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.export.plan as plan_module

    project, site = built
    assert plan_package(project, "en", site, None, "module").scos  # distinct as they are
    monkeypatch.setattr(plan_module, "xml_id", lambda *parts: "same.id")
    with pytest.raises(ExportError, match=r"share an identifier or file name: same\.id "):
        plan_package(project, "en", site, None, "module")
