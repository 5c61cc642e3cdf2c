"""Course widgets placed by `::: mooc NAME` markers: track cards, competency matrix,
module header and footer, the learner's progress and certificate. Pure functions of the
model; links are relative to the current page.

The HTML here works without JavaScript (links, headings, lists); progress.js fills in
the learner's own state (modules done, quiz scores, the certificate) with textContent.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlsplit

from ..common.urls import relative_url
from ..model import HELP_PAGE, Course, Edition, HelpLine, Page, Track, TranslationRow, pick
from .progress import widget_page
from .quiz import dom_id
from .strings import t

Strings = dict[str, str]


def page_url(target_id: str, current_page: str) -> str:
    """Relative URL from one page to another (site built with use_directory_urls off)."""
    return relative_url(current_page, f"{target_id}.html")


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
        key = "track_facts_one" if len(modules) == 1 else "track_facts"
        facts = t(strings, key, n=len(modules), h=_hours(minutes, strings))
        cards.append(
            f'<li class="mooc-track" data-track="{html.escape(track.id)}" data-modules="{ids}">'
            f'<h2 class="mooc-track__title">{title}</h2>'
            f'<p class="mooc-track__audience">{audience}</p>'
            f'<p class="mooc-track__facts">{facts}</p>'
            f'<p class="mooc-track__progress" data-progress hidden></p>'
            f'<p><a class="md-button md-button--primary mooc-track__start" href="{first}" '
            f'data-start><span data-label>{t(strings, "start_track")}</span>'
            f'<span class="mooc-sr-only">: {title}</span></a></p></li>')
    return f'<ul class="mooc-tracks">{"".join(cards)}</ul>'


def _hours(minutes: int, strings: Strings) -> str:
    """`45 minutes`, `1.5 hours` (`1,5 heures`): the same rule as progress.js."""
    if minutes < 60:
        return t(strings, "minutes", n=minutes)
    tenths = (minutes * 10 + 30) // 60  # hours to one decimal, half up
    if tenths == 10:
        return t(strings, "one_hour")
    decimal = f"{strings.get('decimal', '.')}{tenths % 10}" if tenths % 10 else ""
    hours = f"{tenths // 10}{decimal}"
    return t(strings, "hours", n=hours)


def competency_matrix(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    rows = []
    for comp in course.competencies:
        covered = [m for t in course.tracks for mid in t.modules
                   if (m := ed.pages.get(mid)) is not None and comp.id in m.competencies]
        links = "".join(f'<li><a href="{page_url(m.id, current)}">{html.escape(m.title)}</a>'
                        "</li>" for m in covered)
        cell = f"<ul>{links}</ul>" if covered else t(strings, "none")
        rows.append(f'<tr><th scope="row">{html.escape(comp.id)} — '
                    f'{html.escape(pick(comp.title, ed.lang, comp.id))}</th><td>{cell}</td></tr>')
    return (f'<table class="mooc-matrix"><thead><tr><th scope="col">'
            f'{t(strings, "competency")}</th><th scope="col">{t(strings, "modules")}</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')




def module_header(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    page: Page | None = ed.pages.get(current.removesuffix(".md"))
    if page is None or not page.is_module:
        return ""
    track = course.track_of(page.id)
    track_title = html.escape(pick(track.title, ed.lang, track.id)) if track else ""
    objectives = "".join(f"<li>{html.escape(o)}</li>" for o in page.objectives)
    comps = []
    for cid in page.competencies:
        comp = course.competency(cid)
        title = pick(comp.title, ed.lang, cid) if comp else cid
        comps.append(f'<li><a href="{page_url("competencies", current)}">'
                     f"{html.escape(cid)}</a> {html.escape(title)}</li>")
    # the course's help page (id `help`), one click away on every module page
    help_link = (f'<p class="mooc-module-header__help" data-mooc-link-only>'
                 f'<a href="{page_url(HELP_PAGE, current)}">{t(strings, "help_now")}</a></p>'
                 if HELP_PAGE in ed.pages else "")
    return (
        f'<div class="mooc-module-header" data-module="{html.escape(page.id)}">'
        f'<p class="mooc-module-header__meta">{track_title} · '
        f'{t(strings, "duration", n=page.duration)}</p>{help_link}'
        f'<p class="mooc-module-header__status" data-module-status hidden></p>'
        f'<details class="mooc-module-header__goals" open><summary>'
        f'{t(strings, "objectives")}</summary><ul>{objectives}</ul>'
        f'<p class="mooc-module-header__comp-title">{t(strings, "competencies")}</p>'
        f'<ul class="mooc-module-header__comps">{"".join(comps)}</ul></details></div>')


def translation_status(course: Course, ed: Edition, strings: Strings, current: str,
                       rows: list[TranslationRow]) -> str:
    if not rows or not rows[0][2]:
        return f"<p>{t(strings, 'one_language')}</p>"
    langs = list(rows[0][2])
    head = "".join(f'<th scope="col">{html.escape(lang)}</th>' for lang in langs)
    body = []
    for kind, item_id, states in rows:
        cells = "".join(f'<td class="mooc-tr--{s}">{t(strings, "tr_" + s)}</td>'
                        for s in states.values())
        body.append(f'<tr><th scope="row">{t(strings, kind)} <code>{html.escape(item_id)}'
                    f"</code></th>{cells}</tr>")
    return (f'<table class="mooc-translations"><thead><tr><th scope="col">'
            f'{t(strings, "source")}</th>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            "</table>")


def _link(strings: Strings, key: str, target: str, current: str, cls: str = "") -> str:
    css = f' class="{cls}"' if cls else ""
    return f'<a{css} href="{page_url(target, current)}">{t(strings, key)}</a>'


def module_footer(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    """At the end of a track's last module: say so, and where to go next."""
    page = ed.pages.get(current.removesuffix(".md"))
    track = course.track_of(page.id) if page is not None and page.is_module else None
    modules = [m for m in track.modules if m in ed.pages] if track else []
    if track is None or not modules or modules[-1] != current.removesuffix(".md"):
        return ""
    title = html.escape(pick(track.title, ed.lang, track.id))
    links = [_link(strings, key, target, current, "md-button")
             for key, target in (("see_progress", widget_page(ed, "progress")),
                                 ("get_certificate", widget_page(ed, "certificate")))
             if target]
    return (f'<aside class="mooc-module-footer" aria-label="{title}">'
            f'<p>{t(strings, "track_end", track=pick(track.title, ed.lang, track.id))}</p>'
            f'<p class="mooc-module-footer__status" data-track-status="{html.escape(track.id)}"'
            f' hidden></p>'
            + (f'<p class="mooc-module-footer__links">{" ".join(links)}</p>' if links else "")
            + "</aside>")


def _track_modules(course: Course, ed: Edition) -> list[tuple[Track, list[Page]]]:
    out = []
    for track in course.tracks:
        modules = [p for m in track.modules if (p := ed.pages.get(m)) is not None and p.is_module]
        if modules:
            out.append((track, modules))
    return out


def progress(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    """The learner's progress per track; progress.js fills in the states."""
    sections = []
    for track, modules in _track_modules(course, ed):
        tid = dom_id("progress", track.id)
        title = pick(track.title, ed.lang, track.id)
        items = "".join(
            f'<li class="mooc-progress__module" data-module="{html.escape(m.id)}">'
            f'<a href="{page_url(m.id, current)}">{html.escape(m.title)}</a> '
            f'<span class="mooc-progress__done" data-done></span>'
            f'<ul class="mooc-progress__facts" data-facts></ul></li>' for m in modules)
        sections.append(
            f'<section class="mooc-progress__track" data-track="{html.escape(track.id)}" '
            f'aria-labelledby="{tid}">'
            f'<h2 id="{tid}">{html.escape(title)}</h2>'
            f'<p class="mooc-progress__summary" data-summary></p>'
            f'<ol class="mooc-progress__modules" '
            f'aria-label="{t(strings, "pr_modules_of", track=title)}">{items}</ol>'
            f'<p class="mooc-progress__next" data-next hidden></p></section>')
    aid = "mooc-progress-actions"
    return (
        f'<div class="mooc-progress" data-mooc-progress>'
        f'<p class="mooc-progress__note">{t(strings, "pr_storage_note")}</p>'
        f'<p class="mooc-progress__alert" data-alert hidden></p>'
        f'<noscript><p>{t(strings, "pr_noscript")}</p></noscript>'
        f'{"".join(sections)}'
        f'<section class="mooc-progress__actions" aria-labelledby="{aid}" data-actions hidden>'
        f'<h2 id="{aid}">{t(strings, "pr_actions")}</h2>'
        f'<div class="mooc-progress__action">'
        f'<button type="button" class="md-button" data-action="export" '
        f'aria-describedby="{aid}-export-hint">{t(strings, "pr_export")}</button>'
        f'<p id="{aid}-export-hint">{t(strings, "pr_export_hint")}</p></div>'
        f'<div class="mooc-progress__action">'
        f'<label for="{aid}-import">{t(strings, "pr_import")}</label>'
        f'<input type="file" id="{aid}-import" accept=".json,application/json" '
        f'data-action="import" aria-describedby="{aid}-import-hint">'
        f'<p id="{aid}-import-hint">{t(strings, "pr_import_hint")}</p></div>'
        f'<div class="mooc-progress__action">'
        f'<button type="button" class="md-button" data-action="reset" '
        f'aria-describedby="{aid}-reset-hint">{t(strings, "pr_reset")}</button>'
        f'<p id="{aid}-reset-hint">{t(strings, "pr_reset_hint")}</p></div>'
        f'</section>'
        f'<p class="mooc-progress__status" role="status" data-status></p></div>')


def certificate(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    """One section per track: what is left, or a form that makes the certificate."""
    sections = []
    for track, _modules in _track_modules(course, ed):
        tid = dom_id("cert", track.id)
        title = html.escape(pick(track.title, ed.lang, track.id))
        sections.append(
            f'<section class="mooc-cert-track" data-track="{html.escape(track.id)}" '
            f'aria-labelledby="{tid}">'
            f'<h2 id="{tid}">{title}</h2>'
            f'<p data-cert-status></p>'
            f'<ul class="mooc-cert-track__left" data-cert-left hidden></ul>'
            f'<form class="mooc-cert-form" data-cert-form hidden novalidate>'
            f'<label for="{tid}-name">{t(strings, "cert_name")}</label>'
            f'<input type="text" id="{tid}-name" name="name" autocomplete="name" '
            f'maxlength="120" spellcheck="false" aria-describedby="{tid}-message">'
            f'<button type="submit" class="md-button md-button--primary">'
            f'{t(strings, "cert_make")}</button></form>'
            f'<p class="mooc-cert-track__message" id="{tid}-message" role="status" '
            f'data-cert-message></p>'
            f'<div class="mooc-certificate" data-certificate hidden tabindex="-1" '
            f'role="group" aria-labelledby="{tid}-title">'
            f'<p class="mooc-certificate__course" data-cert-course></p>'
            f'<h3 class="mooc-certificate__title" id="{tid}-title">'
            f'{t(strings, "cert_title")}</h3>'
            f'<p class="mooc-certificate__certifies">{t(strings, "cert_certifies")}</p>'
            f'<p class="mooc-certificate__name" data-cert-name></p>'
            f'<p data-cert-completed></p>'
            f'<p class="mooc-certificate__date" data-cert-date></p>'
            f'<p class="mooc-certificate__modules-title" data-cert-modules-title></p>'
            f'<ol class="mooc-certificate__modules" data-cert-modules></ol>'
            f'<p class="mooc-certificate__score" data-cert-score></p>'
            f'<p class="mooc-certificate__self">{t(strings, "cert_self_issued")}</p></div>'
            f'<p class="mooc-cert-track__print" data-cert-print hidden>'
            f'<button type="button" class="md-button" data-action="print">'
            f'{t(strings, "cert_print")}</button></p></section>')
    return (f'<div class="mooc-certs" data-mooc-certificate>'
            f'<noscript><p>{t(strings, "cert_intro_noscript")}</p></noscript>'
            f'{"".join(sections)}</div>')


def help_lines(course: Course, ed: Edition, strings: Strings, current: str) -> str:
    """The course's crisis and listening lines (course/help-lines.yml), one section per
    region: each number a `tel:` link, with its official source and the date it was
    read there; a line without a number says where to look instead."""
    regions = []
    for i, region in enumerate(course.help_lines, start=1):
        rid = dom_id("help", str(i))
        items = "".join(_help_line(line, ed.lang, strings) for line in region.lines)
        regions.append(
            f'<section class="mooc-help-lines__region" aria-labelledby="{rid}">'
            f'<h3 id="{rid}">{html.escape(pick(region.name, ed.lang))}</h3>'
            f'<ul class="mooc-help-lines__list">{items}</ul></section>')
    return f'<div class="mooc-help-lines">{"".join(regions)}</div>'


def _help_line(line: HelpLine, lang: str, strings: Strings) -> str:
    parts = [f'<p class="mooc-help-line__name"><strong>'
             f'{html.escape(pick(line.name, lang))}</strong></p>']
    if line.number:
        dial = "".join(c for c in line.number if c.isdigit() or c == "+")
        parts.append(f'<p class="mooc-help-line__number"><a href="tel:{html.escape(dial)}">'
                     f'{html.escape(line.number)}</a></p>')
    if line.note:
        parts.append(f'<p class="mooc-help-line__note">{html.escape(pick(line.note, lang))}'
                     "</p>")
    if line.look:
        parts.append(f'<p class="mooc-help-line__look">{t(strings, "help_look")} '
                     f'{html.escape(pick(line.look, lang))}</p>')
    if line.source:  # where the number was read; without a number, where to look
        host = html.escape(urlsplit(line.source).netloc)
        label = t(strings, "help_source" if line.number else "help_site")
        checked = (f', {t(strings, "help_checked")} <time datetime="{html.escape(line.checked)}">'
                   f'{html.escape(line.checked)}</time>') if line.checked else ""
        parts.append(f'<p class="mooc-help-line__source">{label} '
                     f'<a href="{html.escape(line.source)}">{host}</a>{checked}</p>')
    return f'<li class="mooc-help-line">{"".join(parts)}</li>'


WidgetMaker = Callable[[Course, Edition, Strings, str], str]
WIDGETS: dict[str, WidgetMaker] = {
    "tracks": tracks,
    "competency-matrix": competency_matrix,
    "module-header": module_header,
    "module-footer": module_footer,
    "progress": progress,
    "certificate": certificate,
    "help-lines": help_lines,
}
