"""Course widgets placed by `::: mooc NAME` markers: track cards, competency matrix,
module header. Pure functions of the model; links are relative to the current page.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable

from ..model import Course, Edition, Page, pick

Strings = dict[str, str]


def page_url(target_id: str, current_page: str) -> str:
    """Relative URL from one page to another (site built with use_directory_urls off)."""
    here = posixpath.dirname(current_page)
    return posixpath.relpath(f"{target_id}.html", here or ".")


def _t(strings: Strings, key: str, **values: object) -> str:
    text = strings.get(key, key)
    for k, v in values.items():
        text = text.replace("{" + k + "}", str(v))
    return html.escape(text)


def tracks(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    cards = []
    for track in course.tracks:
        modules = [ed.pages[m] for m in track.modules if m in ed.pages]
        if not modules:
            continue
        minutes = sum(m.duration for m in modules)
        first = page_url(modules[0].id, current)
        title = html.escape(pick(track.title, ed.lang, track.id))
        audience = html.escape(pick(track.audience, ed.lang))
        ids = " ".join(html.escape(m.id) for m in modules)
        facts = _t(strings, "track_facts", n=len(modules), h=_hours(minutes, strings))
        cards.append(
            f'<li class="mooc-track" data-track="{html.escape(track.id)}" data-modules="{ids}">'
            f'<h2 class="mooc-track__title">{title}</h2>'
            f'<p class="mooc-track__audience">{audience}</p>'
            f'<p class="mooc-track__facts">{facts}</p>'
            f'<p class="mooc-track__progress" data-progress hidden></p>'
            f'<p><a class="md-button md-button--primary mooc-track__start" href="{first}" '
            f'data-start>{_t(strings, "start_track")}'
            f'<span class="mooc-sr-only">: {title}</span></a></p></li>')
    return f'<ul class="mooc-tracks">{"".join(cards)}</ul>'


def _hours(minutes: int, strings: Strings) -> str:
    if minutes < 60:
        return _t(strings, "minutes", n=minutes)
    hours = minutes / 60
    return _t(strings, "hours", n=f"{hours:.1f}".rstrip("0").rstrip("."))


def competency_matrix(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    rows = []
    for comp in course.competencies:
        covered = [m for t in course.tracks for mid in t.modules
                   if (m := ed.pages.get(mid)) is not None and comp.id in m.competencies]
        links = "".join(f'<li><a href="{page_url(m.id, current)}">{html.escape(m.title)}</a>'
                        "</li>" for m in covered)
        cell = f"<ul>{links}</ul>" if covered else _t(strings, "none")
        rows.append(f'<tr><th scope="row">{html.escape(comp.id)} — '
                    f'{html.escape(pick(comp.title, ed.lang, comp.id))}</th><td>{cell}</td></tr>')
    return (f'<table class="mooc-matrix"><thead><tr><th scope="col">'
            f'{_t(strings, "competency")}</th><th scope="col">{_t(strings, "modules")}</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def module_header(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    page: Page | None = ed.pages.get(current.removesuffix(".md"))
    if page is None or not page.is_module:
        return ""
    track = next((t for t in course.tracks if page.id in t.modules), None)
    track_title = html.escape(pick(track.title, ed.lang, track.id)) if track else ""
    objectives = "".join(f"<li>{html.escape(o)}</li>" for o in page.objectives)
    comps = []
    for cid in page.competencies:
        comp = course.competency(cid)
        title = pick(comp.title, ed.lang, cid) if comp else cid
        comps.append(f'<li><a href="{page_url("competencies", current)}">'
                     f"{html.escape(cid)}</a> {html.escape(title)}</li>")
    return (
        f'<div class="mooc-module-header" data-module="{html.escape(page.id)}">'
        f'<p class="mooc-module-header__meta">{track_title} · '
        f'{_t(strings, "duration", n=page.duration)}</p>'
        f'<details class="mooc-module-header__goals" open><summary>'
        f'{_t(strings, "objectives")}</summary><ul>{objectives}</ul>'
        f'<p class="mooc-module-header__comp-title">{_t(strings, "competencies")}</p>'
        f'<ul class="mooc-module-header__comps">{"".join(comps)}</ul></details></div>')


def translation_status(course: Course, ed: Edition, strings: Strings, current: str,
                       rows: list[tuple[str, str, dict[str, str]]]) -> str:
    if not rows or not rows[0][2]:
        return f"<p>{_t(strings, 'one_language')}</p>"
    langs = list(rows[0][2])
    head = "".join(f'<th scope="col">{html.escape(lang)}</th>' for lang in langs)
    body = []
    for kind, item_id, states in rows:
        cells = "".join(f'<td class="mooc-tr--{s}">{_t(strings, "tr_" + s)}</td>'
                        for s in states.values())
        body.append(f'<tr><th scope="row">{_t(strings, kind)} <code>{html.escape(item_id)}'
                    f"</code></th>{cells}</tr>")
    return (f'<table class="mooc-translations"><thead><tr><th scope="col">'
            f'{_t(strings, "source")}</th>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            "</table>")


WidgetMaker = Callable[[Course, Edition, Strings, str], str]
WIDGETS: dict[str, WidgetMaker] = {
    "tracks": tracks,
    "competency-matrix": competency_matrix,
    "module-header": module_header,
}
