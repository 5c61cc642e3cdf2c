"""The course's help page in the real course's LMS packages, both languages: every SCORM
and cmi5 package `mooc build` writes carries help.html with its crisis lines, and every
module page links to it; played in Chromium, "Need help now?" opens it in a new window
(by keyboard, its name saying so), from a SCO in the scorm-again stand-in LMS (SCORM 1.2,
SCORM 2004 one SCO per module), from a cmi5 launch page and from disk, while the module
stays where it was and nothing is asked of another host. The mini course's packages of
every kind: tests/test_package_help.py.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from builder.common.html import parse
from builder.common.urls import resolve
from builder.export import get_exporter
from builder.pipeline import Settings, load_checked

from ..conftest import ROOT
from .conftest import served
from .test_scorm_lms import Lms, stand_in_lms

HELP = "help.html"
WORDS = {"en": ("Need help now?", "(opens in a new window)"),
         "fr": ("Besoin d’aide maintenant\u00a0?", "(s’ouvre dans une nouvelle fenêtre)")}
LMS_KINDS = re.compile(r"-(scorm12|scorm2004|cmi5)(-modules)?\.zip$")


def downloads(real_site: Path, lang: str) -> list[Path]:
    folder = (real_site if lang == "en" else real_site / lang) / "downloads"
    return sorted(p for p in folder.iterdir() if p.suffix in (".zip", ".imscc"))


def test_every_package_of_the_real_course_carries_help(real_site: Path) -> None:
    for lang, (help_now, hint) in WORDS.items():
        every = downloads(real_site, lang)
        packages = [p for p in every if LMS_KINDS.search(p.name)]
        assert len(packages) >= 9, [p.name for p in every]  # 3 kinds, whole course + tracks
        for package in packages:
            with zipfile.ZipFile(package) as zf:
                names = set(zf.namelist())
                assert HELP in names, package.name
                page = zf.read(HELP).decode("utf-8")
                assert f'<html lang="{lang}"' in page
                assert page.count('class="mooc-help-lines__region"') >= 8
                assert 'href="tel:' in page
                modules = 0
                for name in sorted(n for n in names if n.endswith(".html")):
                    text = zf.read(name).decode("utf-8")
                    if 'class="mooc-module-header"' not in text:
                        continue
                    modules += 1
                    links = [a for el in parse(text).iter()
                             if "mooc-module-header__help" in el.classes() for a in el.iter("a")]
                    assert len(links) == 1, (package.name, name)
                    a = links[0]
                    assert resolve(a.get("href") or "", name) == HELP
                    assert (a.get("target"), a.get("rel")) == ("_blank", "noopener")
                    assert help_now in text and hint in text
                assert modules >= 3, package.name
        # the Common Cartridge holds it as a page of the course already
        cartridge = next(p for p in every if p.name == f"pat-mooc-{lang}-all-cc11.imscc")
        with zipfile.ZipFile(cartridge) as zf:
            assert HELP in zf.namelist(), cartridge.name


@pytest.fixture(scope="module")
def lms_root(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stand-in LMS and the packages played here, unzipped under pkg/<zip name>/: the
    French whole course in SCORM 1.2 and cmi5, the English one SCO per module in SCORM
    2004."""
    root = tmp_path_factory.mktemp("help-lms")
    fr = downloads(real_site, "fr")
    packages = [next(p for p in fr if p.name == "pat-mooc-fr-all-scorm12.zip"),
                next(p for p in fr if p.name == "pat-mooc-fr-all-cmi5.zip")]
    project, _ = load_checked(Settings.at(ROOT))
    assert project is not None
    packages.append(get_exporter("scorm2004", layout="module").export(
        project, "en", real_site, root / "zips"))
    return stand_in_lms(root, packages)


def module_frame(page: Any, base: str) -> Any:
    """The frame showing a module page of the package served at `base`."""
    for _ in range(150):
        for frame in page.frames:
            if frame.url.startswith(base) and "/launch" not in frame.url and \
                    frame.locator(".mooc-module-header__help a").count():
                return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no module page showed up: {[f.url for f in page.frames]}")


def open_help(page: Any, frame: Any, lang: str, keyboard: bool = True) -> Any:
    """Follow the module's "Need help now?" (by keyboard: focus, Enter); the help page's
    window, once its crisis lines show. The module's frame stays on its page."""
    help_now, hint = WORDS[lang]
    where = frame.url
    link = frame.locator(".mooc-module-header__help").get_by_role(
        "link", name=f"{help_now} {hint}", exact=True)
    assert link.is_visible()
    with page.context.expect_page() as opened:
        if keyboard:
            link.focus()
            page.keyboard.press("Enter")
        else:
            link.click()
    help_page = opened.value
    help_page.wait_for_selector(".mooc-help-lines__region")
    assert help_page.url.split("#")[0].endswith("/" + HELP)
    assert help_page.locator('.mooc-help-line__number a[href^="tel:"]').count() >= 8
    assert help_page.evaluate("() => window.opener") is None  # rel=noopener
    assert help_page.evaluate("() => document.documentElement.lang") == lang
    assert frame.url == where  # the learner's place is kept
    return help_page


@pytest.mark.parametrize(("version", "package", "layout", "lang"), [
    ("1.2", "pat-mooc-fr-all", "", "fr"), ("2004", "pat-mooc-en-all", "-modules", "en")])
def test_need_help_opens_the_help_page_from_a_sco(page: Any, lms_root: Path, version: str,
                                                   package: str, layout: str,
                                                   lang: str) -> None:
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    with served(lms_root) as url:
        lms = Lms(page, url, version, package=package, layout=layout)
        launch = sorted(p.name for p in (lms_root / "pkg" / lms.package).glob("launch*.html"))
        lms.start(launch=launch[0])
        open_help(page, module_frame(page, f"{url}/pkg/{lms.package}/"), lang)
        assert [u for u in requests if not u.startswith(url) and not u.startswith("data:")] \
            == []
        assert "init" in lms.calls()


def test_need_help_opens_the_help_page_from_a_cmi5_au(page: Any, lms_root: Path) -> None:
    folder = lms_root / "pkg" / "pat-mooc-fr-all-cmi5"
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    with served(folder) as url:
        launch = sorted(p.name for p in folder.glob("launch-*.html"))[0]
        page.goto(f"{url}/{launch}")
        open_help(page, module_frame(page, url), "fr", keyboard=False)
        assert [u for u in requests if not u.startswith(url)] == []


def test_need_help_works_from_disk(page: Any, lms_root: Path) -> None:
    folder = lms_root / "pkg" / "pat-mooc-fr-all-scorm12"
    module = next(p for p in sorted(folder.rglob("*.html"))
                  if 'class="mooc-module-header"' in p.read_text(encoding="utf-8"))
    page.goto(module.as_uri())
    help_page = open_help(page, page.main_frame, "fr")
    assert help_page.url == (folder / HELP).as_uri()
