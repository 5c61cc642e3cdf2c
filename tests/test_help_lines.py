"""The help page's crisis and listening lines (course/help-lines.yml, `::: mooc help-lines`):
each mistake a trainer can make in the file is `path:line: message`, all at once; the
lines are escaped and dialable; and the real course's help page lists every region of its
file, in every language, each with a source."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from builder.build import prepare
from builder.cli import main
from builder.common.html import Element, parse
from builder.errors import Problem
from builder.loaders.helplines import load_help_lines
from builder.pipeline import LanguageBuild, Settings, check
from builder.plugin import MkdocsSite

from .conftest import ROOT

HL = "course/help-lines.yml"
GOOD = """\
regions:
  - name: {en: "Testland"}
    lines:
      - name: {en: "Listening <line> & co"}
        number: "0800 11 22"
        note: {en: "Day & <night>"}
        source: "https://health.example.org/lines?a=1&b=2"
        checked: 2026-12-05
      - name: {en: "Other line"}
        look: {en: "on the <b>body</b>'s site"}
"""


def with_lines(config: Path, text: str | None, marker: bool = True) -> Path:
    """The mini course with `text` as its help-lines.yml and the lines on its home page."""
    root = config.parent
    if text is not None:
        (root / HL).write_text(text, encoding="utf-8")
    if marker:
        index = root / "course/en/index.md"
        index.write_text(index.read_text(encoding="utf-8")
                         + "\n## Crisis lines\n\n::: mooc help-lines\n", encoding="utf-8")
    return root


def run_check(config: Path, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(config.parent)
    code = main(["check", "-f", str(config)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if line.startswith(HL) or ".md:" in line]


BAD = """\
regions:
  - name: {en: "Testland", de: "Testland"}
    lines:
      - name: {en: "No number"}
      - name: {en: "No source"}
        number: "3114"
        checked: 2026-12-05
      - name: {en: "Bad address"}
        number: "112"
        source: "www.example.org/help"
        checked: 2026-12-05
      - name: {en: "Bare number"}
        number: 024
        source: "https://example.org/"
        checked: 2026-12-05
      - name: {en: "Words"}
        number: "1 866 APPELLE"
        source: "https://example.org/"
        checked: 5/12/2026
      - nmae: {en: "Typo"}
        look: {en: "somewhere"}
"""


def test_every_mistake_of_the_file_is_reported_at_its_line(
        mini_course: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    with_lines(mini_course, BAD)
    code, lines = run_check(mini_course, capsys, monkeypatch)
    assert code == 1
    expected = [
        rf"{HL}:2: 'name.de': 'de' is not one of the course's languages \(en\)",
        rf"{HL}:4: this line has no number: give 'number:' with the official page it comes "
        rf"from \('source:'\)",
        rf"{HL}:6: the number has no 'source:': give the address of the official page",
        rf"{HL}:10: 'source' must be the web address of the official page \(https://\.\.\.\), "
        rf"got 'www.example.org/help'",
        rf"{HL}:13: put the number between quotes",
        rf"{HL}:17: '1 866 APPELLE' is not a phone number: write it with digits, spaces and",
        rf"{HL}:19: 'checked' must be a date written YYYY-MM-DD, got '5/12/2026'",
        rf"{HL}:20: unknown key 'nmae' in a line \(did you mean 'name'\?\)",
    ]
    for pattern in expected:
        assert any(re.match(pattern, line) for line in lines), (pattern, lines)
    assert len(lines) == len(expected), lines


@pytest.mark.parametrize(("text", "pattern"), [
    ("regions:\n  - name: [unclosed\n", rf"{HL}:\d+: "),
    ("", rf"{HL}:1: the help lines file is empty"),
    ("regions: Belgium\n", rf"{HL}:1: 'regions' must be a list, got text"),
    ("region:\n  - name: x\n", rf"{HL}:1: unknown key 'region' in the help lines file "
     r"\(did you mean 'regions'\?\)"),
    ("regions:\n  - name: {en: Testland}\n    lines:\n      - name: {en: ''}\n"
     "        look: {en: here}\n", rf"{HL}:4: 'name' has no text in en"),
    ("regions:\n  - name: {en: Testland}\n    lines:\n      - name: {en: Line}\n"
     "        number: '112'\n        source: https://example.org/\n",
     rf"{HL}:5: the number has no 'checked:'"),
    ("regions:\n  - name: {en: Testland}\n    lines: []\n", rf"{HL}:3: this region lists no line"),
])
def test_a_bad_file_is_one_plain_message(mini_course: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, text: str,
                                         pattern: str) -> None:
    with_lines(mini_course, text)
    code, lines = run_check(mini_course, capsys, monkeypatch)
    assert code == 1
    assert any(re.match(pattern, line) for line in lines), lines


def test_the_marker_without_a_file_says_so(mini_course: Path,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with_lines(mini_course, None)
    code, lines = run_check(mini_course, capsys, monkeypatch)
    assert code == 1
    assert lines == ["course/en/index.md:9: '::: mooc help-lines' shows the course's crisis and "
                     "listening lines, but there is no help-lines.yml beside course.yml: "
                     "create it (see the authoring guide) or remove this line"]


def test_lines_are_escaped_and_dialable(mini_course: Path, tmp_path: Path) -> None:
    root = with_lines(mini_course, GOOD)
    assert main(["build", "-f", str(mini_course), "-d", str(tmp_path / "site")]) == 0
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    tree = parse(page)
    section = next(el for el in tree.iter() if "mooc-help-lines__region" in el.classes())
    heading = next(el for el in section.iter() if el.tag == "h3")
    assert section.get("aria-labelledby") == heading.get("id")
    assert '<a href="tel:08001122">0800 11 22</a>' in page
    assert "Listening &lt;line&gt; &amp; co" in page and "Day &amp; &lt;night&gt;" in page
    assert "on the &lt;b&gt;body&lt;/b&gt;" in page and "<b>body</b>" not in page
    assert ('Source: <a href="https://health.example.org/lines?a=1&amp;b=2">health.example.org'
            '</a>, checked on <time datetime="2026-12-05">2026-12-05</time>') in page
    assert "Where to find the number:" in page
    assert (root / HL).is_file()


def test_an_edit_of_the_file_rebuilds_the_whole_preview(mini_course: Path) -> None:
    root = with_lines(mini_course, GOOD)
    settings = Settings.at(root)
    before, _ = check(settings, base=root)
    (root / HL).write_text(GOOD.replace("0800 11 22", "0800 11 23"), encoding="utf-8")
    after, _ = check(settings, base=root)
    assert before is not None and after is not None
    assert LanguageBuild(after, "en").changed_pages(LanguageBuild(before, "en")) is None


def text_of(el: Element) -> str:
    return html.unescape("".join(c if isinstance(c, str) else text_of(c) for c in el.children))


@pytest.fixture(scope="module")
def real_help(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The real course's help page as built, in every language."""
    settings = Settings.at(ROOT)
    checked = prepare(settings)
    out = tmp_path_factory.mktemp("real-help")
    pages = {}
    for lang in checked.project.course.languages:
        folder = out / lang
        MkdocsSite(ROOT / "mkdocs.yml").build(
            checked.language(lang), folder,
            None if lang == checked.project.course.default_language
            else settings.pages_dir(lang))
        pages[lang] = (folder / "help.html").read_text(encoding="utf-8")
    return pages


def test_the_real_help_page_lists_every_region_with_a_source(real_help: dict[str, str]) -> None:
    regions = load_help_lines(ROOT / HL, ROOT, ("en", "fr"), problems := [])
    assert not problems and len(regions) >= 8
    assert set(real_help) == {"en", "fr"}
    for lang, page in real_help.items():
        sections = [el for el in parse(page).iter() if "mooc-help-lines__region" in el.classes()]
        assert len(sections) == len(regions), lang
        for region, section in zip(regions, sections, strict=True):
            text = text_of(section)
            assert region.name[lang] in text, (lang, region.name)
            links = [a.get("href") or "" for a in section.iter() if a.tag == "a"]
            sources = {line.source for line in region.lines if line.source}
            assert sources and sources <= set(links), (lang, region.name)
            for line in region.lines:
                assert line.name[lang] in text
                if line.number:
                    dial = re.sub(r"[^0-9+]", "", line.number)
                    assert f"tel:{dial}" in links, (lang, line.number)
                else:
                    assert line.look[lang] in text
    for name in ("Belgium", "France", "Canada", "Norway", "Germany", "Spain", "Romania",
                 "European Union"):
        assert any(name in r.name["en"] for r in regions), name


def test_a_text_missing_in_a_translation_is_a_warning(tmp_path: Path) -> None:
    """The default language's text is required; another language's missing text is a
    translation under way: a warning, and the page shows the default text meanwhile."""
    path = tmp_path / "help-lines.yml"
    path.write_text("regions:\n  - name: {en: Testland}\n    lines:\n"
                    "      - name: {fr: Ligne}\n        look: {en: here, fr: ici}\n",
                    encoding="utf-8")
    problems: list[Problem] = []
    regions = load_help_lines(path, tmp_path, ("en", "fr"), problems)
    assert [(p.line, p.severity, p.message.split(":")[0]) for p in problems] == [
        (2, "warning", "'name' has no text in fr"), (4, "error", "'name' has no text in en")]
    assert regions[0].name == {"en": "Testland"}
    assert "until then the page shows the en text" in problems[0].message
