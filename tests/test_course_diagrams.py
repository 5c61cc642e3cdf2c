"""The PAT MOOC's diagrams meet the course's rules for pictures (issue 18, section 6).

Every image a course page shows is a file of the course with a text alternative; every SVG
under course/<lang>/img/ is small, makes no request (no link, font or image from elsewhere),
stays readable on a phone (text >= 12 px once the picture is 328 px wide, the content width
of a 360 px screen), and exists in each language with its text in that language.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

COURSE = ROOT / "course"
LANGS: list[str] = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))["languages"]
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)", re.S)
PHONE_WIDTH, MIN_PX, MAX_BYTES, MIN_ALT = 328, 12.0, 20_000, 20
SVG_NS = "{http://www.w3.org/2000/svg}"
FONT_SIZE = re.compile(r"font-size\s*[:=]\s*[\"']?\s*([\d.]+)")


def page_images(lang: str) -> list[tuple[Path, str, str]]:
    out = []
    for page in sorted((COURSE / lang).rglob("*.md")):
        for m in IMAGE.finditer(page.read_text(encoding="utf-8")):
            out.append((page, " ".join(m["alt"].split()), m["src"]))
    return out


def svgs(lang: str) -> list[Path]:
    return sorted((COURSE / lang / "img").glob("*.svg")) if (COURSE / lang / "img").is_dir() else []


def problems(svg: Path) -> list[str]:
    """What makes an SVG file break the rules (empty when it meets them)."""
    out = []
    data = svg.read_bytes()
    if len(data) > MAX_BYTES:
        out.append(f"{len(data)} bytes (rule: <= {MAX_BYTES})")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return [f"not well-formed XML: {e}"]
    if root.tag != SVG_NS + "svg":
        return ["the root element is not <svg>"]
    for el in root.iter():
        tag = el.tag.removeprefix(SVG_NS)
        if tag in ("image", "script", "foreignObject", "a"):
            out.append(f"<{tag}> (a picture must not load or link anything)")
        for name, value in el.attrib.items():
            v = value.strip()
            if name.endswith("href") and not v.startswith("#"):
                out.append(f"{name}='{v}' points outside the picture")
            if re.search(r"url\(\s*['\"]?(?!#)", v) or re.match(r"(?i)(https?:|//|data:)", v):
                out.append(f"{name}='{v}' loads something")
        if tag == "style" and el.text and re.search(r"@import|url\(\s*['\"]?(?!#)", el.text):
            out.append("<style> loads something")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) != 4:
        out.append("no viewBox: the picture cannot scale down to a phone")
        return out
    width = float(box[2])
    sizes = [float(s) for s in FONT_SIZE.findall(data.decode("utf-8"))] or [16.0]
    smallest = min(sizes) * PHONE_WIDTH / width
    if smallest < MIN_PX:
        out.append(f"smallest text is {smallest:.1f} px on a 360 px phone (rule: >= {MIN_PX})")
    return out


def texts(svg: Path) -> list[str]:
    root = ET.fromstring(svg.read_bytes())
    return [t.strip() for el in root.iter() if el.tag == SVG_NS + "text"
            for t in [("".join(el.itertext()))] if t.strip()]


@pytest.mark.parametrize("lang", LANGS)
def test_every_image_is_a_course_file_with_a_text_alternative(lang: str) -> None:
    bad = []
    for page, alt, src in page_images(lang):
        target = (page.parent / src).resolve()
        if not target.is_file() or COURSE / lang not in target.parents:
            bad.append(f"{page.relative_to(ROOT)}: '{src}' is not a file of the {lang} course")
        if len(alt) < MIN_ALT:
            bad.append(f"{page.relative_to(ROOT)}: '{src}' has no real text alternative "
                       f"('{alt}')")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", LANGS)
def test_every_diagram_is_small_self_contained_and_readable_on_a_phone(lang: str) -> None:
    bad = [f"{p.relative_to(ROOT)}: {why}" for p in svgs(lang) for why in problems(p)]
    assert not bad, "\n".join(bad)


def test_every_diagram_exists_in_each_language_with_its_own_text() -> None:
    default, *others = LANGS  # the first language is the source
    names = {p.name for p in svgs(default)}
    assert names, "the course has no diagram"
    for lang in others:
        assert {p.name for p in svgs(lang)} == names, lang
        for name in names:
            src, tr = COURSE / default / "img" / name, COURSE / lang / "img" / name
            assert texts(tr) != texts(src), f"{tr.relative_to(ROOT)} is not translated"


def test_every_diagram_is_shown_on_a_page() -> None:
    for lang in LANGS:
        used = {(page.parent / src).resolve() for page, _alt, src in page_images(lang)}
        unused = [p.relative_to(ROOT) for p in svgs(lang) if p.resolve() not in used]
        assert not unused, f"diagrams no page shows: {unused}"


def test_the_rules_catch_a_bad_diagram(tmp_path: Path) -> None:
    """The checks can fail: tiny text, an external font and a linked image are reported."""
    bad = tmp_path / "bad.svg"
    bad.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 100">'
                   '<style>@import url(https://fonts.example/x.css);</style>'
                   '<image href="https://example.org/p.png"/>'
                   '<text x="0" y="20" font-size="14">small</text></svg>')
    found = problems(bad)
    assert any("smallest text is 6.4 px" in p for p in found), found
    assert any("<style> loads something" in p for p in found), found
    assert any("<image>" in p for p in found), found
    assert any("points outside" in p for p in found), found
