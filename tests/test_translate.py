"""Translations in PO files (issue 21): mooc i18n extract and apply, msgmerge's rules, a
pseudo-locale built end to end, and the French course's round trip."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import polib
import pytest
import yaml

from builder.cli import main

ROOT = Path(__file__).resolve().parent.parent
ACCENTS = dict(zip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   "áƀçđéƒĝĥíĵķĺɱñóƥʠŕšŧúʋŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓƤɊŔŠŦÚṼŴẊÝŽ", strict=True))
# what a pseudo-translation keeps: code, {placeholders}, link numbers, HTML entities
KEEP = re.compile(r"`[^`]*`|\{[A-Za-z_]+\}|\]\[\d+\]|&\w+;|<https?://[^>]*>")


def pseudo(text: str) -> str:
    """Every letter accented, the whole wrapped in ⟦ ⟧ (markup and placeholders kept)."""
    out, at = [], 0
    for m in KEEP.finditer(text):
        out.append("".join(ACCENTS.get(c, c) for c in text[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append("".join(ACCENTS.get(c, c) for c in text[at:]))
    return "⟦" + "".join(out) + "⟧"


def i18n(root: Path, action: str, lang: str) -> int:
    return main(["i18n", action, "--lang", lang, "-f", str(root / "mkdocs.yml")])


def po_files(root: Path, lang: str) -> list[Path]:
    return sorted((root / "translations" / lang).rglob("*.po"))


def msgfmt_check(files: list[Path]) -> None:
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: make test installs Debian's gettext")
    for path in files:
        run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0, f"{path}: {run.stderr}"


def fill_pseudo(root: Path, lang: str) -> int:
    n = 0
    for path in po_files(root, lang):
        po = polib.pofile(str(path))
        for e in po:
            if not e.obsolete:
                e.msgstr = "\n".join(pseudo(line) for line in e.msgid.split("\n")) \
                    if e.msgctxt and e.msgctxt.endswith("answers") else pseudo(e.msgid)
                n += 1
        po.save()
    return n


def test_pseudo_locale_extracted_applied_and_built(mini_course: Path, tmp_path: Path) -> None:
    """qps: every message transformed, applied, built: no page, quiz, widget, SCORM
    runtime message or downloads page of that language has English text left (but
    names, code and the theme's own labels, which fall back to English)."""
    root = mini_course.parent
    assert i18n(root, "extract", "qps") == 0
    assert (root / "translations/templates/pages/basics/first.pot").is_file()
    first = (root / "translations/qps/pages/basics/first.po").read_text(encoding="utf-8")
    assert "#: course/en/basics/first.md:" in first
    assert "::: quiz" not in first and "::: mooc" not in first
    assert fill_pseudo(root, "qps") > 20
    assert i18n(root, "apply", "qps") == 0
    msgfmt_check(po_files(root, "qps"))
    course = root / "course/course.yml"
    course.write_text(course.read_text().replace("languages: [en]", "languages: [en, qps]"))
    site = tmp_path / "site"
    assert main(["build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]) == 0
    pages = [p for p in sorted((site / "qps").rglob("*.html")) if p.name != "404.html"]
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="qps"' in html
        words = english_words(html)
        assert not words, f"{page}: {sorted(words)[:20]}"
    zips = sorted((site / "qps/downloads").glob("*scorm*.zip"))
    assert zips
    for package in zips:
        with zipfile.ZipFile(package) as z:
            htmls = [n for n in z.namelist() if n.endswith(".html")]
            assert htmls
            for name in htmls:
                html = z.read(name).decode("utf-8")
                config = re.search(r'<script type="application/json" id="mooc-scorm-config">'
                                   r"(.*?)</script>", html, re.S)
                if config is not None:  # the launch page: the runtime's messages and titles
                    data = json.loads(config.group(1))
                    shown = [*data["notices"].values(), *(p["title"] for p in data["pages"]),
                             *(q["desc"] for quiz in data["quizzes"]
                               for q in quiz["questions"])]
                    words = english_words(" ".join(shown), markup=False)
                else:
                    words = english_words(html)
                assert not words, f"{package.name}/{name}: {sorted(words)[:20]}"


ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b")
ALLOWED = {"SCORM", "GIFT", "Moodle", "XML", "IMS", "Common", "Cartridge", "English", "cmi5",
           "PDF", "SHA"}


def english_words(html: str, *, markup: bool = True) -> set[str]:
    """The English words of a page's text (its article, or its body), but names and code."""
    if not markup:
        return {w for w in ENGLISH.findall(html) if w not in ALLOWED}
    body = html.split("<article", 1)[-1].split(">", 1)[-1].split("</article>", 1)[0] \
        if "<article" in html else html.split("<body", 1)[-1]
    body = re.sub(r"<(script|style|code|pre)\b.*?</\1>", "", body, flags=re.S)
    # the downloads page's import guide is the builder's English documentation for LMS
    # admins, marked as English (<div lang="en">): not the course's text
    body = re.sub(r'<div lang="en">.*</div>', "", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return {w for w in ENGLISH.findall(text) if w not in ALLOWED}


# The French course's pages that the round trip does not give back byte for byte, and why:
# about.md has a French-only sentence (the licence) and glossary.md is ordered and divided
# by the French terms (a PO file follows the English); preconceived-ideas.md: a trailing
# space the English line has; abbreviations: English terms the French file leaves out come
# back untranslated. Quizzes come back with the same data (yaml.safe_load) but YAML's
# quoting and the place of source_fingerprint are the builder's.
ROUND_TRIP_DIFFERENCES = {"course/fr/about.md", "course/fr/glossary.md",
                          "course/fr/teams/preconceived-ideas.md", "course/abbreviations/fr.md"}


@pytest.mark.slow
def test_french_round_trip(tmp_path: Path) -> None:
    """extract with today's French files as translations, then apply: the same pages and
    quizzes, but the listed differences; msgfmt --check passes on every PO file."""
    root = tmp_path / "course-copy"
    root.mkdir()
    for name in ("course", "quizzes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    assert i18n(root, "extract", "fr") == 0
    msgfmt_check(po_files(root, "fr"))
    assert i18n(root, "apply", "fr") == 0
    pages = [*sorted((ROOT / "course/fr").rglob("*.md")), ROOT / "course/abbreviations/fr.md"]
    for path in pages:
        rel = path.relative_to(ROOT).as_posix()
        same = (root / rel).read_bytes() == path.read_bytes()
        assert same == (rel not in ROUND_TRIP_DIFFERENCES), rel
    assert (root / "course/course.yml").read_bytes() == (ROOT / "course/course.yml").read_bytes()
    for path in sorted((ROOT / "quizzes/fr").rglob("*.yml")):
        rel = path.relative_to(ROOT).as_posix()
        assert yaml.safe_load((root / rel).read_text()) == yaml.safe_load(path.read_text()), rel


COURSE_YML = """\
# the course
id: c
title:
  en: "A course"   # its name
  fr: "Un cours"
description: A plain text
languages: [en, fr]
competencies:
  - id: C1
    title: {en: "Knows things", fr: "Sait des choses"}
tracks:
  - id: t
    title: {en: Basics}
    audience:
      en: Anyone
    modules: [a]
"""


def test_course_texts_applied_in_place(tmp_path: Path) -> None:
    """course.yml's texts as messages (seeded from its own translations); applied, only
    the texts' spans change: comments, quotes and layout stay."""
    from builder.i18n import Report
    from builder.i18n.coursefile import CourseCatalog

    path = tmp_path / "course.yml"
    path.write_text(COURSE_YML, encoding="utf-8")
    cat = CourseCatalog(path, "course/course.yml", "en")
    messages, seeds = cat.messages("fr")
    assert [(m.context, m.msgid, m.references) for m in messages] == [
        ("title", "A course", [("course/course.yml", 4)]),
        ("description", "A plain text", [("course/course.yml", 6)]),
        ("competencies.C1.title", "Knows things", [("course/course.yml", 10)]),
        ("tracks.t.title", "Basics", [("course/course.yml", 13)]),
        ("tracks.t.audience", "Anyone", [("course/course.yml", 15)])]
    assert {k: s.text for k, s in seeds.items()} == {
        ("title", "A course"): "Un cours", ("competencies.C1.title", "Knows things"):
        "Sait des choses"}
    done = {(m.context, m.msgid): (f"{m.msgid} : FR", m.context == "tracks.t.title")
            for m in messages}
    report = Report()
    cat.apply("fr", done, "translations/fr/course.po", {}, report)
    assert not report.problems
    assert (report.messages, report.translated, report.fuzzy) == (5, 5, 1)
    assert path.read_text(encoding="utf-8") == COURSE_YML.replace(
        '"Un cours"', '"A course : FR"').replace(
        "description: A plain text", 'description: {en: A plain text, fr: "A plain text : FR"}'
    ).replace('fr: "Sait des choses"', 'fr: "Knows things : FR"').replace(
        "{en: Basics}", '{en: Basics, fr: "Basics : FR"}').replace(
        "      en: Anyone\n", '      en: Anyone\n      fr: "Anyone : FR"\n')
    with path.open(encoding="utf-8") as f:
        assert yaml.safe_load(f)["tracks"][0]["audience"] == {"en": "Anyone",
                                                               "fr": "Anyone : FR"}


def test_re_extract_marks_changed_messages_fuzzy(mini_course: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """After the English changes, extract keeps every translation: the changed message's
    old translation is fuzzy with its old text as `#| msgid`, the others stay as they
    were; apply counts it as outdated and `mooc check` names its PO file."""
    root = mini_course.parent
    assert i18n(root, "extract", "qps") == 0
    fill_pseudo(root, "qps")
    po_path = root / "translations/qps/pages/basics/first.po"
    before = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po_path))}
    page = root / "course/en/basics/first.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Some text. See", "Some new text. See"), encoding="utf-8")
    assert i18n(root, "extract", "qps") == 0
    after = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    fuzzy = [e for e in after if "fuzzy" in e.flags]
    assert [(e.msgid, e.previous_msgid, e.msgstr) for e in fuzzy] == [
        ("Some new text. See [the second module][1].", "Some text. See [the second module][1].",
         before[(None, "Some text. See [the second module][1].")])]
    kept = [e for e in after if e not in fuzzy]
    assert kept and all(e.msgstr == before[(e.msgctxt, e.msgid)] for e in kept)
    quiz_po = root / "translations/qps/quizzes/basics/inline.po"
    po = polib.pofile(str(quiz_po))
    po[0].msgstr = ""  # one quiz text left untranslated
    po.save()
    assert i18n(root, "apply", "qps") == 0
    assert "outdated: 1" in (root / "course/qps/basics/first.md").read_text(encoding="utf-8")
    course = root / "course/course.yml"
    course.write_text(course.read_text().replace("languages: [en]", "languages: [en, qps]"))
    capsys.readouterr()
    assert main(["check", "-f", str(mini_course)]) == 0
    assert "course/qps/basics/first.md:1: warning: 1 text(s) of this translation follow an " \
           "older source (fuzzy in translations/qps/pages/basics/first.po)" \
           in (err := capsys.readouterr().err)
    assert "quizzes/qps/basics/inline.yml:1: warning: 1 text(s) of this translation are not " \
           "translated yet (shown in 'en'): translate them in " \
           "translations/qps/quizzes/basics/inline.po" in err


def test_bad_translation_reported_at_its_po_line(mini_course: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A translation that drops a link, or an interface string's {placeholder}: apply
    refuses it as `path:line: message`, the line its entry's in the PO file."""
    root = mini_course.parent
    assert i18n(root, "extract", "qps") == 0
    fill_pseudo(root, "qps")
    page_po = root / "translations/qps/pages/basics/first.po"
    po = polib.pofile(str(page_po))
    linked = next(e for e in po if e.msgid.startswith("Some text. See"))
    linked.msgstr = "Ŝóɱé ŧéẋŧ, ŵíŧĥóúŧ ŧĥé ĺíñķ."
    po.save()
    strings_po = root / "translations/qps/interface.po"
    po = polib.pofile(str(strings_po))
    counted = next(e for e in po if e.msgctxt == "questions_count")
    counted.msgstr = "ɱáñý ʠúéšŧíóñš"
    po.save()
    capsys.readouterr()
    assert i18n(root, "apply", "qps") == 1
    err = capsys.readouterr().err
    page_line = polib.pofile(str(page_po)).find(linked.msgid).linenum
    strings_line = next(e for e in polib.pofile(str(strings_po))
                        if e.msgctxt == "questions_count").linenum
    assert f"translations/qps/pages/basics/first.po:{page_line}: the translation " \
           "leaves out the link [...][1]" in err
    assert f"translations/qps/interface.po:{strings_line}: the translation of " \
           "'questions_count' leaves out {n}" in err
    assert "Traceback" not in err
