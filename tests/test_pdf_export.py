"""The PDF print edition (builder/export/pdf.py), read back with Debian's poppler-utils:
every module title and quiz question of a track in its workbook, in order; title,
language, page count, embedded fonts and the PDF/UA identification; identical bytes from
two builds; hostile quiz text printed as text; links, images, the facilitator's kit.

The books are made by `mooc build` of the learner fixture (two tracks) with an image, an
external link, a hostile quiz, abbreviations and a `print:` section added. Building PDFs
takes seconds, so the other tests' builds leave them out (conftest.py, `with_pdf`).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.cli import main
from builder.common.safe_markdown import SafeMarkdown
from builder.common.strings import load_strings
from builder.errors import ExportError
from builder.export.pdf import PdfExporter
from builder.export.plan import scope_modules
from builder.export.printbook import PrintMarkup, kit, workbook
from builder.model import Project
from builder.pipeline import Settings, load_checked
from builder.questions.base import QuestionType

from .conftest import lay_learner_course
from .test_render import HOSTILE

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils missing: make test installs it")

EPOCH = "1700000000"
DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" viewBox="0 0 300 60">
<title>Three steps: read, answer, check</title>
<rect x="5" y="10" width="80" height="40" fill="none" stroke="black"/>
<rect x="110" y="10" width="80" height="40" fill="none" stroke="black"/>
<rect x="215" y="10" width="80" height="40" fill="none" stroke="black"/>
</svg>
"""
PRINT = """print:
  funding: {en: "Funded by the Test Foundation."}
  kit: [facilitator/guide]
"""


def lay_print_course(root: Path) -> Path:
    config = lay_learner_course(root)
    en = root / "course" / "en"
    (en / "img").mkdir()
    (en / "img" / "steps.svg").write_text(DIAGRAM, encoding="utf-8")
    first = en / "basics" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + (
        "\n![Three steps: read, answer, check](../img/steps.svg)\n\n"
        "Read more at [the WHO](https://www.who.int/mental-health).\n"), encoding="utf-8")
    third = en / "more" / "third.md"
    third.write_text(third.read_text(encoding="utf-8") + "\n![](../img/steps.svg)\n",
                     encoding="utf-8")
    (en / "facilitator").mkdir()
    (en / "facilitator" / "guide.md").write_text(
        "---\ntitle: Guide\n---\n\n# Guide for facilitators\n\nRun [the first module]"
        "(../basics/first.md) in two hours; see [the timings](#timings).\n\n## Timings\n\n"
        "| Time | Part |\n|---|---|\n| 0:00 | Welcome |\n", encoding="utf-8")
    (root / "quizzes" / "en" / "basics" / "inline.yml").write_text(HOSTILE, encoding="utf-8")
    (root / "course" / "abbreviations").mkdir()
    (root / "course" / "abbreviations" / "en.md").write_text(
        "*[WHO]: World Health Organization\n", encoding="utf-8")
    course = root / "course" / "course.yml"
    course.write_text(course.read_text(encoding="utf-8") + PRINT, encoding="utf-8")
    return config


def build(config: Path, site: Path) -> None:
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, with_pdf: None
          ) -> Iterator[tuple[Project, Path, Path]]:
    """(the project, its built site, its mkdocs.yml), built once with SOURCE_DATE_EPOCH."""
    root = tmp_path_factory.mktemp("print") / "course"
    config = lay_print_course(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(config, root / "site")
        project, _ = load_checked(Settings.at(root))
        assert project is not None
        yield project, root / "site", config


def run(*args: str) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, check=True)
    return done.stdout


def text_of(pdf: Path) -> str:
    return " ".join(run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())


def streams(pdf: Path) -> bytes:
    """The PDF's bytes with every compressed stream (object streams too) inflated."""
    data = pdf.read_bytes()
    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            continue
    return b"\n".join(out)


def printed(markdown: str) -> str:
    """Quiz text as the page shows it: its Markdown rendered, tags dropped."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", SafeMarkdown().block(markdown)))
                    .split())


def downloads(site: Path) -> dict[str, dict[str, object]]:
    rows = json.loads((site / "downloads" / "packages.json").read_text(encoding="utf-8"))
    return {str(r["file"]): r for r in rows if r["format"] == "pdf"}


# ---------------------------------------------------------------- what mooc build makes

def test_build_makes_a_workbook_per_track_and_a_kit(books: tuple[Project, Path, Path]) -> None:
    _, site, _ = books
    rows = downloads(site)
    assert sorted(rows) == ["mini-en-basics-workbook.pdf", "mini-en-facilitator-kit.pdf",
                            "mini-en-more-workbook.pdf"]
    page = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    for name, row in rows.items():
        assert f'href="{name}"' in page and str(row["sha256"]) in page
        assert int(str(row["pages"])) >= 3
    title = rows["mini-en-basics-workbook.pdf"]["title"]
    assert title == "A mini course: Basics (learner workbook)"
    # the image without a text alternative is said on the downloads page, not hidden
    assert "some images have no text alternative" in str(
        rows["mini-en-more-workbook.pdf"]["title"])
    assert "PDF (print)" in page


def test_each_workbook_has_its_modules_and_questions_in_order(
        books: tuple[Project, Path, Path]) -> None:
    project, site, _ = books
    edition = project.editions["en"]
    for track in project.course.tracks:
        text = text_of(site / "downloads" / f"mini-en-{track.id}-workbook.pdf")
        expected: list[str] = []
        for page in scope_modules(project, "en", track):
            expected.append(page.display_title)
            built = (site / f"{page.id}.html").read_text(encoding="utf-8")
            for quiz_id in re.findall(r'data-quiz="([^"]+)"', built):
                expected += [printed(q.prompt) for q in edition.quizzes[quiz_id].questions]
        at = text.index("Contents")  # after the contents, which list the titles too
        for wanted in expected:
            found = text.find(wanted, at)
            assert found >= 0, f"{track.id}: {wanted!r} missing or out of order"
            at = found + len(wanted)
    assert "Question 7" in text_of(site / "downloads" / "mini-en-basics-workbook.pdf")


def test_pdfinfo_title_language_pages_and_pdf_ua(books: tuple[Project, Path, Path]) -> None:
    _, site, _ = books
    rows = downloads(site)
    for name, title in (("mini-en-basics-workbook.pdf", "A mini course: Basics (Learner workbook)"),
                        ("mini-en-facilitator-kit.pdf", "A mini course (Facilitator's kit)")):
        pdf = site / "downloads" / name
        info = run("pdfinfo", str(pdf))
        assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M), info
        assert re.search(r"^Tagged:\s+yes$", info, re.M)
        pages = re.search(r"^Pages:\s+(\d+)$", info, re.M)
        assert pages is not None and int(pages.group(1)) == rows[name]["pages"]
        assert re.search(r"^CreationDate:.*2023", info, re.M)  # SOURCE_DATE_EPOCH
        meta = run("pdfinfo", "-meta", str(pdf))
        assert 'pdfuaid:part="1"' in meta  # the PDF/UA identification
        assert "<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>" in meta
        assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in html.unescape(meta)
        assert b"/Lang (en)" in streams(pdf)  # the catalogue's language


def test_every_font_is_embedded(books: tuple[Project, Path, Path]) -> None:
    _, site, _ = books
    for pdf in sorted((site / "downloads").glob("*.pdf")):
        rows = run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, pdf.name
        for row in rows:
            assert re.search(r"\byes\s+yes\s+yes\s+\d+\s+\d+\s*$", row), f"{pdf.name}: {row}"
        assert all("Open-Sans" in r or "DejaVu" in r for r in rows)


def test_two_builds_give_identical_bytes(books: tuple[Project, Path, Path],
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second copy of the course in another folder, with no cache: laid out afresh."""
    _, site, _ = books
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "elsewhere" / "course"
    build(lay_print_course(root), root / "site")
    for pdf in sorted((site / "downloads").glob("*.pdf")):
        assert (root / "site" / "downloads" / pdf.name).read_bytes() == pdf.read_bytes(), \
            pdf.name


def test_the_next_build_takes_unchanged_books_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_pdf: None) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "course"
    config = lay_print_course(root)
    cache = root / ".cache" / "mooc" / "pdf"
    build(config, root / "site")
    first = {p.name: p.read_bytes() for p in (root / "site" / "downloads").glob("*.pdf")}
    kept = sorted(p.name for p in cache.glob("*.pdf"))
    assert len(kept) == len(first) == 3
    build(config, root / "site")  # nothing changed: every book is the cached copy
    assert sorted(p.name for p in cache.glob("*.pdf")) == kept
    assert {p.name: p.read_bytes() for p in (root / "site" / "downloads").glob("*.pdf")} == first
    # a changed image is a changed input: the two workbooks that show it are laid out again
    svg = root / "course" / "en" / "img" / "steps.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace('width="80"', 'width="70"'),
                   encoding="utf-8")
    build(config, root / "site")
    again = {p.name: p.read_bytes() for p in (root / "site" / "downloads").glob("*.pdf")}
    assert again["mini-en-basics-workbook.pdf"] != first["mini-en-basics-workbook.pdf"]
    assert again["mini-en-facilitator-kit.pdf"] == first["mini-en-facilitator-kit.pdf"]
    assert len(list(cache.glob("*.pdf"))) == 5


def test_hostile_quiz_text_is_printed_as_text(books: tuple[Project, Path, Path]) -> None:
    _, site, _ = books
    workbook_text = text_of(site / "downloads" / "mini-en-basics-workbook.pdf")
    assert "Worksheet: <script>alert(1)</script>" in workbook_text
    assert "<img src=x onerror=alert(1)> and link" in workbook_text
    assert "<b onmouseover=alert(1)>bold</b>" in workbook_text
    kit_text = text_of(site / "downloads" / "mini-en-facilitator-kit.pdf")
    assert "<script>window.pwned = 1</script>" in kit_text  # the choice's feedback
    assert "Accepted answers: </script><script>alert(3)</script>" in kit_text
    assert "javascript:" not in workbook_text + kit_text


def test_links_images_bookmarks_and_abbreviations(books: tuple[Project, Path, Path]) -> None:
    _, site, _ = books
    pdf = site / "downloads" / "mini-en-basics-workbook.pdf"
    text = text_of(pdf)
    raw = streams(pdf)
    # an external link prints its address; a link between modules stays a link
    assert "the WHO (https://www.who.int/mental-health)" in text
    assert b"c-basics-second--details" in raw  # the named destination of the link
    assert "See the second module." in text
    # the diagram is a tagged figure with its text alternative
    assert b"/S /Figure" in raw and b"/Alt (Three steps: read, answer, check)" in raw
    # headings are bookmarks (the outline)
    assert b"/Outlines" in raw and b"(First module)" in raw
    # the glossary of abbreviations closes the workbook
    assert "Abbreviations WHO World Health Organization" in text


def test_the_kit_holds_the_course_pages_and_every_answer_key(
        books: tuple[Project, Path, Path]) -> None:
    _, site, _ = books
    text = text_of(site / "downloads" / "mini-en-facilitator-kit.pdf")
    assert "FACILITATOR'S KIT" in text and "Funded by the Test Foundation." in text
    assert "Guide for facilitators" in text and "0:00 Welcome" in text
    # a link to a module the kit does not hold is its text; an anchor of the page stays a link
    assert "Run the first module in two hours" in text
    assert b"c-facilitator-guide--timings" in streams(
        site / "downloads" / "mini-en-facilitator-kit.pdf")
    # every quiz: the verdict in words, each choice's feedback, the explanation
    for wanted in ("Answer key: Every type", "Correct: Brussels", "Not correct: Namur",
                   "Namur is the capital of Wallonia.", "Accepted answers: Balint",
                   "Right order of the numbers:", "A possible answer",
                   "Anything you noticed is fine.", "Right: it is usually blue."):
        assert wanted in text, wanted


# ---------------------------------------------------------------- without laying out pages

def test_keys_match_the_worksheets_numbering(books: tuple[Project, Path, Path]) -> None:
    """The ordering and matching keys name the numbers and letters the worksheet shows."""
    project, site, _ = books
    track = project.course.track("basics")
    assert track is not None
    sheet = workbook(project, "en", site, track).html

    def items(kind: str) -> list[str]:
        found = re.search(rf'<ol class="{kind}"[^>]*>(.*?)</ol>', sheet, re.S)
        assert found is not None, kind
        return [re.sub(r"<[^>]+>", "", li).strip()
                for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]

    shown = items("ws-order")  # the items in the worksheet's mixed order, numbered from 1
    assert shown != ["One", "Two", "Three", "Four"]
    key = re.sub(r"<[^>]+>", " ", kit(project, "en", site).html)
    numbers = re.search(r"Right order of the numbers: ([\d, ]+)", key)
    assert numbers is not None
    order = [int(n) for n in numbers.group(1).replace(",", " ").split()]
    assert [shown[n - 1] for n in order] == ["One", "Two", "Three", "Four"]
    lettered = dict(zip("ABC", items("ws-match__right"), strict=True))
    pairs = re.findall(r"(Bonjour|Hallo|Hola) → +([A-C]) ", key)
    assert {left: lettered[letter] for left, letter in pairs} == {
        "Bonjour": "French", "Hallo": "German", "Hola": "Spanish"}


def test_a_type_without_a_paper_form_gets_the_generic_one() -> None:
    class Drawing(QuestionType):  # a type that writes no worksheet or key of its own
        pass

    m = PrintMarkup(load_strings("fr"))
    sheet = Drawing().worksheet(m, ("q", "d"))
    assert sheet.count('class="ws-line"') == 4 and "Votre réponse" in sheet
    assert "pas de corrigé imprimé" in Drawing().answer_sheet(m, ("q", "d"))


def test_an_image_without_a_text_alternative_fails_an_export(
        books: tuple[Project, Path, Path], tmp_path: Path) -> None:
    project, site, _ = books
    with pytest.raises(ExportError, match=r"third\.md: .*steps\.svg"):
        PdfExporter().package(project, "en", site, tmp_path, "more")
    assert not list(tmp_path.iterdir())
    with pytest.raises(ExportError, match="one layout"):
        PdfExporter(layout="module")


def test_mooc_validate_knows_a_pdf_and_one_cut_short(books: tuple[Project, Path, Path],
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _, site, _ = books
    whole = site / "downloads" / "mini-en-facilitator-kit.pdf"
    assert main(["validate", str(whole)]) == 0
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[:-2000])
    capsys.readouterr()
    assert main(["validate", str(cut)]) == 1
    assert f"{cut}: this PDF is cut short" in capsys.readouterr().err
