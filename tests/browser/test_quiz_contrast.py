"""After checking, a quiz is locked (its inputs disabled): the learner must still see what
they picked. The chosen radio buttons and checkboxes keep 3:1 against the page (WCAG 1.4.11,
non-text contrast), and differ from the ones not chosen, in the light and dark schemes.

The inputs are drawn by the stylesheet (appearance: none), so their computed colours are
the colours on the screen; the test checks that too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import checked_page
from .learner import ALL, FIRST, fill_right_answers

# each control's fill, border and inner mark, and the first opaque background behind it
MEASURE = """el => {
  const cs = getComputedStyle(el);
  let bg = null;
  for (let n = el.parentElement; n && !bg; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (!/rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent') bg = c;
  }
  const mark = getComputedStyle(el, '::before');
  return {appearance: cs.appearance, fill: cs.backgroundColor, border: cs.borderTopColor,
          borderWidth: cs.borderTopWidth, shadow: cs.boxShadow,
          mark: mark.content === 'none' ? null : mark.borderBottomColor,
          page: bg || 'rgb(255, 255, 255)', disabled: el.disabled, checked: el.checked};
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    m = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css)
    assert m, css
    return (float(m[1]), float(m[2]), float(m[3]), float(m[4]) if m[4] else 1.0)


def over(top: str, under: str) -> tuple[float, float, float]:
    r, g, b, a = rgba(top)
    ur, ug, ub, _ = rgba(under)
    return (r * a + ur * (1 - a), g * a + ug * (1 - a), b * a + ub * (1 - a))


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def scheme_page(browser: Any) -> Iterator[Page]:
    with checked_page(browser, viewport={"width": 1000, "height": 900}) as pg:
        yield pg


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chosen_answers_stay_visible_after_checking(scheme_page: Page, learner_url: str,
                                                    scheme: str) -> None:
    page = scheme_page
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(f"{learner_url}/{FIRST}")
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default")
    fill_right_answers(page)
    page.locator(f'{ALL} [data-action="check"]').click()
    expect(page.locator(f"{ALL}-capital-c0")).to_be_disabled()

    for chosen, other in [(f"{ALL}-capital-c0", f"{ALL}-capital-c1"),   # radio buttons
                          (f"{ALL}-colours-c0", f"{ALL}-colours-c2")]:  # checkboxes
        on = page.locator(chosen).evaluate(MEASURE)
        off = page.locator(other).evaluate(MEASURE)
        assert on["disabled"] and on["checked"] and off["disabled"] and not off["checked"]
        assert on["appearance"] == "none", "the stylesheet draws the control"
        ground = over(on["page"], "rgb(255, 255, 255)")
        fill, border = over(on["fill"], on["page"]), over(on["border"], on["page"])
        where = f"{chosen} ({scheme}): {on}"
        assert contrast(fill, ground) >= 3, where
        assert contrast(border, ground) >= 3, where
        assert float(on["borderWidth"].removesuffix("px")) >= 1, where
        # not chosen: the same visible border, and no fill, so the choice shows
        assert contrast(over(off["border"], off["page"]), ground) >= 3, f"{other}: {off}"
        assert contrast(over(off["fill"], off["page"]), ground) < 1.5, f"{other}: {off}"
        # the inner mark (the checkbox's tick, the radio's ring) against the fill
        inner = on["mark"] if on["mark"] else re.sub(r"^.*?(rgba?\([^)]*\)).*$", r"\1",
                                                     on["shadow"])
        assert contrast(over(inner, on["page"]), fill) >= 3, where


def test_forced_colours_get_the_browsers_own_controls(scheme_page: Page,
                                                       learner_url: str) -> None:
    """Windows high contrast repaints backgrounds, which would hide the drawn fill."""
    page = scheme_page
    page.emulate_media(forced_colors="active")
    page.goto(f"{learner_url}/{FIRST}")
    for control in (f"{ALL}-capital-c0", f"{ALL}-colours-c0"):
        assert page.locator(control).evaluate("el => getComputedStyle(el).appearance") == \
            "auto"
