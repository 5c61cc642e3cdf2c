"""Several languages: translation warnings, --strict, per-language sites and the switch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.loaders import fingerprint_file

from .conftest import measurable_inline
from .test_checks import edit


def add_french(root: Path, *, stamp: bool = True) -> None:
    """A French edition of the mini course, each file stamped with its source's fingerprint."""
    edit(root, "course/course.yml", "languages: [en]", "languages: [en, fr]")
    for rel in ["course/en/index.md", "course/en/basics/first.md", "course/en/basics/second.md",
                "quizzes/en/basics/all-types.yml", "quizzes/en/basics/inline.yml"]:
        src = root / rel
        dst = root / rel.replace("/en/", "/fr/")
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        fp = f"source_fingerprint: {fingerprint_file(src)}\n" if stamp else ""
        if rel.endswith(".yml"):
            text = fp + text.replace("title: ", "title: FR ", 1)
        elif text.startswith("---\n"):
            text = "---\n" + fp + text[4:].replace("title: ", "title: FR ", 1)
        else:
            text = f"---\n{fp}---\n" + text if fp else text
        dst.write_text(text, encoding="utf-8")


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "-f", str(root / "mkdocs.yml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def bilingual(mini_course: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = mini_course.parent
    monkeypatch.chdir(root)
    measurable_inline(root)
    add_french(root)
    return root


def test_complete_translation_is_clean(bilingual: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(bilingual, capsys, "--strict")
    assert (code, err) == (0, "")
    assert "fr: 5 ok" in out


def test_missing_french_page_fails_strict_naming_it(bilingual: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (bilingual / "course/fr/basics/second.md").unlink()
    (bilingual / "course/fr/basics/first.md").write_text(
        (bilingual / "course/fr/basics/first.md").read_text().replace(
            "[the second module](second.md#details)", "the second module"))
    code, _out, err = check(bilingual, capsys)
    assert code == 0
    expected = ("course/en/basics/second.md:1: warning: no 'fr' translation of this page "
                "(course/fr/basics/second.md)")
    assert expected in err
    code, out, err = check(bilingual, capsys, "--strict")
    assert code == 1
    assert expected in err
    assert "missing   page basics/second" in out


def test_outdated_and_unstamped_translations(bilingual: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    edit(bilingual, "course/en/basics/first.md", "Some text.", "Some changed text.")
    quiz = bilingual / "quizzes/fr/basics/inline.yml"
    quiz.write_text("\n".join(quiz.read_text().split("\n")[1:]))  # drop the stamp
    code, _out, err = check(bilingual, capsys, "--strict")
    new_fp = fingerprint_file(bilingual / "course/en/basics/first.md")
    assert code == 1
    assert ("course/fr/basics/first.md:1: warning: this translation is older than its source "
            f"course/en/basics/first.md: update it, then set 'source_fingerprint: {new_fp}'"
            ) in err
    assert "quizzes/fr/basics/inline.yml:1: warning: this translation does not say which" in err


def test_build_every_language_with_a_switch_to_the_same_page(
        bilingual: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = bilingual / "out"
    assert main(["build", "-f", str(bilingual / "mkdocs.yml"), "-d", str(site)]) == 0
    en = (site / "basics/first.html").read_text(encoding="utf-8")
    fr = (site / "fr/basics/first.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in en and '<html lang="fr"' in fr
    assert "FR First module" in fr
    assert 'href="../fr/basics/first.html" hreflang="fr"' in en
    assert 'href="../../basics/first.html" hreflang="en"' in fr
    assert "Vérifier mes réponses" in fr  # quiz strings in French
    assert (site / "fr/search/search_index.json").is_file()  # search per language


def test_no_language_is_special(mini_course: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """A course in Dutch and German builds the same way (no English, no French); the
    builder has no interface strings in either: an error naming the missing keys, a
    warning with --allow-english-interface (issue 21), never a silent English one."""
    root = mini_course.parent
    monkeypatch.chdir(root)
    shutil.move(root / "course/en", root / "course/nl")
    shutil.move(root / "quizzes/en", root / "quizzes/nl")
    edit(root, "course/course.yml", "languages: [en]", "languages: [nl, de]")
    edit(root, "mkdocs.yml", "docs_dir: course/en", "docs_dir: course/nl")
    code, out, err = check(root, capsys)
    assert code == 1
    assert "course/course.yml:3: language 'nl' has no interface strings for" in err
    assert "quiz, question, questions_count" in err
    assert "translations/nl/interface.po" in err
    code, out, err = check(root, capsys, "--allow-english-interface")
    assert code == 0, err
    assert "de: 5 missing" in out
    assert "warning: language 'de' has no interface strings" in err


def test_a_quiz_not_yet_translated_is_shown_in_the_default_language(
        bilingual: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """course/fr/basics/first.md exists but quizzes/fr/basics/all-types.yml not yet: a
    warning (an error with --strict), and the French page and packages show the English quiz
    with a notice in French (issue 17, item 3)."""
    (bilingual / "quizzes/fr/basics/all-types.yml").unlink()
    code, out, err = check(bilingual, capsys)
    assert code == 0, err
    assert "does not exist" not in err
    assert ("quizzes/en/basics/all-types.yml:1: warning: no 'fr' translation of this quiz "
            "(quizzes/fr/basics/all-types.yml): course/fr/basics/first.md shows it in 'en' "
            "with a 'not yet translated' notice") in err
    assert "missing   quiz basics/all-types" in out
    code, _out, err = check(bilingual, capsys, "--strict")
    assert code == 1
    assert "does not exist" not in err

    site = bilingual / "out"
    assert main(["build", "-f", str(bilingual / "mkdocs.yml"), "-d", str(site)]) == 0
    fr = (site / "fr/basics/first.html").read_text(encoding="utf-8")
    section = fr[fr.index('<section class="mooc-quiz"'):]
    section = section[:section.index("</section>")]
    # the quiz in English, marked as English, its interface in English too ...
    assert 'lang="en"' in section.split(">", 1)[0]
    assert "Which city is the capital of <em>Belgium</em>?" in section
    assert "Check my answers" in section and "Vérifier mes réponses" not in section
    # ... stored with the French site's progress, under a notice in French
    assert 'data-lang="fr"' in section
    assert ('<p class="mooc-quiz__untranslated" lang="fr">Ce quiz n’est pas encore traduit : '
            "il est présenté dans la langue d’origine du cours (English).</p>") in section
    en = (site / "basics/first.html").read_text(encoding="utf-8")
    assert "mooc-quiz__untranslated" not in en
    # the French packages carry it too
    import zipfile
    fr_packages = sorted((site / "fr/downloads").glob("*.zip"))
    assert fr_packages
    for package in fr_packages:
        with zipfile.ZipFile(package) as z:
            page = z.read("basics/first.html").decode("utf-8")
            assert "mooc-quiz__untranslated" in page, package.name
            assert 'data-quiz="basics/all-types"' in page, package.name


def test_a_track_only_in_english_is_left_out_of_the_french_site_and_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The learner fixture's track 'more' (more/third.md) has no French page: the French
    menu must not show it (today: an entry pointing at the French home page), and the build
    output and the French downloads page say that its French packages were not made and
    why (issue 17, item 8)."""
    import re

    from builder.export import formats

    from .conftest import lay_learner_course

    root = lay_learner_course(tmp_path / "mini").parent
    monkeypatch.chdir(root)
    add_french(root)
    site = root / "out"
    assert main(["build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]) == 0
    err = capsys.readouterr().err
    entry = re.compile(r">\s*More\s*<")  # the track's title, as a menu entry or a card
    assert entry.search((site / "index.html").read_text(encoding="utf-8"))
    for page in ("index.html", "basics/first.html", "basics/second.html"):
        html = (site / "fr" / page).read_text(encoding="utf-8")
        assert not entry.search(html), f"fr/{page} shows the untranslated track"
    assert not (site / "fr/more").exists()
    n = len(formats())
    assert f"Wrote {3 * n} packages (en) into {site / 'downloads'}" in err
    assert f"Wrote {2 * n} packages (fr) into {site / 'fr/downloads'}" in err
    assert ("fr: no package of track 'more' (More): none of its modules is translated into "
            "fr yet, and the fr site leaves the track out") in err
    downloads = (site / "fr/downloads/index.html").read_text(encoding="utf-8")
    assert ("Pas encore de paquet pour le parcours « More » : aucun de ses modules n’est "
            "encore traduit dans cette langue.") in downloads
    assert "encore traduit" not in (site / "downloads/index.html").read_text(encoding="utf-8")


def test_build_prints_each_problem_once_and_names_each_language(
        bilingual: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`mooc build` prints each translation warning once (not once per language and once
    for the check), without a logger's 'WARNING: builder:' before its own 'warning:', and
    names the language of each 'Wrote N packages' line; a plain `mkdocs build` (the live
    preview's path) logs each problem once, its severity said once (issue 17, item 9)."""
    import subprocess
    import sys

    edit(bilingual, "course/en/basics/first.md", "Some text.", "Some changed text.")
    (bilingual / "quizzes/fr/basics/inline.yml").unlink()
    site = bilingual / "out"
    assert main(["build", "-f", str(bilingual / "mkdocs.yml"), "-d", str(site)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    problems = [line for line in lines if ": warning: " in line]
    assert len(problems) == 2, captured.err
    assert all(lines.count(line) == 1 for line in problems), captured.err
    assert "WARNING" not in captured.err and "builder:" not in captured.err
    assert any(line.startswith("Wrote ") and " packages (en) into " in line for line in lines)
    assert any(line.startswith("Wrote ") and " packages (fr) into " in line for line in lines)

    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f",
                           str(bilingual / "mkdocs.yml"), "-d", str(bilingual / "plain")],
                          cwd=bilingual, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)
    assert done.returncode == 0, done.stderr
    logged = [line for line in done.stderr.splitlines() if "translation" in line]
    assert len(logged) == 2, done.stderr
    for line in logged:
        assert line.startswith("WARNING -  builder: "), line
        assert line.lower().count("warning") == 1, line
