"""Translations in PO files (issue 21): mooc i18n extract and apply, msgmerge's rules, a
pseudo-locale built end to end, and the French course's round trip."""

from __future__ import annotations

import re
import shutil
import subprocess
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


@pytest.mark.xfail(strict=True, reason="course.yml's texts (track and competency titles) "
                   "have no PO file yet: the checker finds them in English")
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
    english = re.compile(r"\b[A-Za-z]{3,}\b")
    allowed = {"SCORM", "GIFT", "Moodle", "XML", "IMS", "Common", "Cartridge", "English",
               "cmi5", "PDF", "SHA"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="qps"' in html or page.parent.name == "downloads"
        body = html.split('<article', 1)[-1].split(">", 1)[-1].split("</article>", 1)[0] \
            if "<article" in html else html.split("<body", 1)[-1]
        body = re.sub(r"<(script|style|code|pre)\b.*?</\1>", "", body, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        words = {w for w in english.findall(text) if w not in allowed}
        assert not words, f"{page}: {sorted(words)[:20]}"


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
    for path in sorted((ROOT / "quizzes/fr").rglob("*.yml")):
        rel = path.relative_to(ROOT).as_posix()
        assert yaml.safe_load((root / rel).read_text()) == yaml.safe_load(path.read_text()), rel
