"""The print edition's books as one HTML document each, for `pdf.py` to lay out in pages.

A **learner workbook** (one per track and language): a cover (course, track, audience,
licence, funding statement, partners), a table of contents, every module of the track as
the site shows it (its header with duration and objectives, its text, images and
diagrams), each quiz as a worksheet where the quiz stands, then the pages the course
names in `print.workbook` (a glossary, a help page) and its abbreviations.

A **facilitator's kit** (one per language): a cover, a table of contents, the pages the
course names in `print.kit` (a facilitator's guide, workshop run sheets, handouts), then
the answer key of every quiz, with its feedback.

Module and page text comes from the built site (the article of each page: the same
rendering, abbreviations and escaping as the web), with its widgets and quiz forms left
out; questions come from the model, each laid out on paper by its own type (`worksheet`,
`answer_sheet`: builder/questions/), their text through `SafeMarkdown`. Every id is made
unique per chapter, links between the book's chapters stay links, a link to a page the
book does not hold becomes its text, and an external link prints its address. Only the
site's own files are ever read (see `pdf.py`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..common.html import Element, parse, serialise
from ..common.safe_markdown import SafeMarkdown
from ..common.strings import load_strings, t
from ..common.urls import is_external, resolve
from ..errors import ExportError
from ..model import Page, Project, Question, Quiz, Track, pick
from ..questions.base import says
from .plan import quizzes_on_page, scope_modules

ABBREVIATION = re.compile(r"^\*\[([^\]]+)\]:[ \t]*(.*?)\s*$")
# What the web page has that paper does not: permalinks, the module's done state, forms
DROP_CLASSES = {"headerlink", "mooc-module-header__status", "mooc-quiz__actions",
                "mooc-quiz__result", "md-source-file", "md-content__button"}
DROP_TAGS = {"script", "noscript", "button", "form", "template", "style", "iframe",
             "video", "audio", "object", "embed"}


class PrintMarkup:
    """What a question type writes its paper form with (model.QuizMarkup): quiz text as
    safe Markdown, and the interface strings of the book's language."""

    def __init__(self, strings: Mapping[str, str]) -> None:
        self.s = strings
        self.md = SafeMarkdown()

    def t(self, key: str, **values: object) -> str:
        return t(self.s, key, **values)

    def inline(self, text: str) -> str:
        return _paper_links(self.md.inline(text))

    def block(self, text: str) -> str:
        return _paper_links(self.md.block(text))


def _paper_links(fragment: str) -> str:
    """Links in quiz text on paper: a web or mail address is printed after its text; any
    other link (relative, or made harmless as "#") is its text alone."""
    if "<a " not in fragment:
        return fragment
    tree = parse(fragment)
    for el in list(tree.iter("a")):
        href = (el.get("href") or "").strip()
        if is_external(href) and urlsplit(href).scheme.lower() in ("http", "https", "mailto"):
            _print_address(el, href)
        else:
            _unlink(el)
    return serialise(tree)


def _print_address(el: Element, href: str) -> None:
    """An external link keeps its target and, unless its text is the address, prints it."""
    el.put("target", None)
    el.put("rel", None)
    shown = href.removeprefix("mailto:")
    text = html.unescape(re.sub(r"<[^>]*>", "", "".join(serialise(c) for c in el.children)))
    parent = el.parent
    if text.strip().rstrip("/") != shown.rstrip("/") and parent is not None:
        parent.insert(parent.children.index(el) + 1,
                      f' <span class="url">({html.escape(shown)})</span>')


@dataclass(frozen=True)
class Written:
    """A book's HTML, ready to be laid out."""

    title: str  # the document's title (the PDF's metadata)
    html: str
    missing_alt: tuple[str, ...]  # "page file: image" of each image without a text alternative


@dataclass(frozen=True)
class Chapter:
    """A page of the site in the book."""

    page: Page
    path: str  # in the site, e.g. "psw/intervision.html"
    anchor: str  # its id in the book


@dataclass
class Book:
    """One book being written: its chapters (for links between them) and what it found."""

    project: Project
    lang: str
    site_dir: Path
    kind: str  # "workbook" | "kit"
    chapters: dict[str, Chapter] = field(default_factory=dict)  # by site path
    missing_alt: list[str] = field(default_factory=list)  # "page: image" of each one

    def __post_init__(self) -> None:
        self.strings = load_strings(self.lang, self.project.editions[self.lang].strings)
        self.m = PrintMarkup(self.strings)

    def t(self, key: str, **values: object) -> str:
        return self.m.t(key, **values)

    @property
    def edition_pages(self) -> Mapping[str, Page]:
        return self.project.editions[self.lang].pages

    def written(self, title: str, parts: list[str]) -> Written:
        return Written(title, _document(self, title, parts), tuple(self.missing_alt))

    def add(self, page: Page) -> Chapter:
        chapter = Chapter(page, f"{page.id}.html", "c-" + _slug(page.id))
        self.chapters[chapter.path] = chapter
        return chapter


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


# ---------------------------------------------------------------- the two books

def workbook(project: Project, lang: str, site_dir: Path, track: Track) -> Written:
    """The learner workbook of `track` in `lang`."""
    book = Book(project, lang, site_dir, "workbook")
    course = project.course
    modules = [book.add(p) for p in scope_modules(project, lang, track)]
    if not modules:
        raise ExportError(f"track '{track.id}' has no module in '{lang}': nothing to print")
    extras = [book.add(p) for p in _listed(book, course.print_edition.workbook)]
    track_title = pick(track.title, lang, track.id)
    title = f"{pick(course.title, lang, course.id)}: {track_title}"
    toc: list[tuple[str, str, list[tuple[str, str]]]] = []
    body: list[str] = []
    for chapter in modules:
        html_text, worksheets = _chapter(book, chapter, worksheets=True)
        body.append(html_text)
        toc.append((chapter.anchor, html.escape(chapter.page.display_title), worksheets))
    for chapter in extras:
        body.append(_chapter(book, chapter)[0])
        toc.append((chapter.anchor, html.escape(chapter.page.display_title), []))
    abbreviations = _abbreviations(book)
    if abbreviations:
        body.append(abbreviations)
        toc.append(("c-abbreviations", book.t("pdf_abbreviations"), []))
    audience = pick(track.audience, lang)
    cover = _cover(book, book.t("pdf_workbook"), html.escape(track_title),
                   book.t("pdf_audience", audience=audience) if audience else "")
    doc_title = f"{title} ({book.strings.get('pdf_workbook', 'pdf_workbook')})"
    return book.written(doc_title, [cover, _toc(book, toc), *body])


def kit(project: Project, lang: str, site_dir: Path) -> Written:
    """The facilitator's kit in `lang`: the course's kit pages, then the answer key of
    every quiz of every track."""
    book = Book(project, lang, site_dir, "kit")
    course = project.course
    pages = [book.add(p) for p in _listed(book, course.print_edition.kit)]
    toc: list[tuple[str, str, list[tuple[str, str]]]] = []
    body: list[str] = []
    for chapter in pages:
        body.append(_chapter(book, chapter)[0])
        toc.append((chapter.anchor, html.escape(chapter.page.display_title), []))
    keys, entries = _answer_keys(book)
    if entries:
        body.append(keys)
        toc.append(("c-answer-keys", book.t("pdf_answer_keys"), entries))
    course_title = pick(course.title, lang, course.id)
    cover = _cover(book, book.t("pdf_kit"), "", "")
    doc_title = f"{course_title} ({book.strings.get('pdf_kit', 'pdf_kit')})"
    return book.written(doc_title, [cover, _toc(book, toc), *body])


def _listed(book: Book, ids: tuple[str, ...]) -> list[Page]:
    """The pages of a print list that this language has (a missing translation is left
    out, as on the site; `mooc check` warns about it)."""
    pages = book.edition_pages
    return [pages[i] for i in ids if i in pages]


# ---------------------------------------------------------------- document, cover, contents

def _document(book: Book, title: str, parts: list[str]) -> str:
    course = book.project.course
    description = pick(course.description, book.lang)
    meta = ['<meta name="generator" content="mooc-builder">']
    if description:
        meta.append(f'<meta name="description" content="{html.escape(description)}">')
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(book.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n{''.join(meta)}\n</head>\n"
        f'<body class="book book--{book.kind}">\n' + "\n".join(parts) + "\n</body>\n</html>\n")


def _cover(book: Book, kind: str, subtitle: str, audience: str) -> str:
    course = book.project.course
    lang = book.lang
    course_title = html.escape(pick(course.title, lang, course.id))
    parts = ['<section class="cover" id="c-cover">',
             f'<p class="cover__kind">{kind}</p>',
             f'<h1 class="cover__title">{course_title}</h1>']
    if subtitle:
        parts.append(f'<p class="cover__subtitle">{subtitle}</p>')
    if audience:
        parts.append(f'<p class="cover__audience">{html.escape(audience)}</p>')
    description = pick(course.description, lang)
    if description:
        parts.append(f'<p class="cover__description">{html.escape(description)}</p>')
    facts = []
    if course.partners:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in course.partners)
        facts.append(f'<p class="cover__label">{book.t("pdf_partners")}</p>'
                     f'<ul class="cover__partners">{items}</ul>')
    funding = pick(course.print_edition.funding, lang)
    if funding:
        facts.append(f'<div class="cover__funding">{book.m.block(funding)}</div>')
    if course.licence:
        facts.append(f'<p class="cover__licence">'
                     f'{book.t("pdf_licence", licence=course.licence)}</p>')
    facts.append(f'<p class="cover__made">{book.t("pdf_made")}</p>')
    parts.append(f'<div class="cover__facts">{"".join(facts)}</div></section>')
    return "".join(parts)


def _toc(book: Book, entries: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    """Contents: each chapter (and its worksheets or answer keys) with its page number."""
    items = []
    for anchor, title, subs in entries:
        inner = "".join(f'<li><a href="#{a}">{s}</a></li>' for a, s in subs)
        nested = f"<ol>{inner}</ol>" if inner else ""
        items.append(f'<li><a href="#{anchor}">{title}</a>{nested}</li>')
    return (f'<section class="toc" id="c-contents"><h1 class="toc__title">'
            f'{book.t("pdf_contents")}</h1><ol>{"".join(items)}</ol></section>')


# ---------------------------------------------------------------- chapters

def _chapter(book: Book, chapter: Chapter, *, worksheets: bool = False
             ) -> tuple[str, list[tuple[str, str]]]:
    """A page's article as a chapter, its quizzes as worksheets (or left out); the
    worksheets' (anchor, title) for the contents."""
    file = book.site_dir / chapter.path
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{file}: cannot read the built page ({exc.strerror}): build the "
                          "site with 'use_directory_urls: false'") from None
    tree = parse(text)
    article = next((el for el in tree.iter("article")), None)
    if article is None:
        raise ExportError(f"{file}: the built page has no <article>: is it a page of the "
                          "course's mkdocs-material site?")
    edition = book.project.editions[book.lang]
    placed: list[tuple[str, str]] = []
    for el in list(article.iter()):
        if el.removed or any(a.removed for a in el.ancestors()):
            continue
        cls = el.classes()
        if el.tag == "section" and "mooc-quiz" in cls:
            quiz_id = html.unescape(el.get("data-quiz") or "")
            quiz = edition.quizzes.get(quiz_id)
            if worksheets and quiz is not None:
                anchor = f"{chapter.anchor}--quiz-{_slug(quiz.id)}"
                _replace(el, _worksheet(book, quiz, anchor))
                placed.append((anchor, book.t("pdf_worksheet", title=quiz.title)))
            else:
                el.remove()
        elif el.tag in DROP_TAGS or cls & DROP_CLASSES or el.get("hidden") is not None \
                or (el.tag == "input" and el.get("type") != "hidden"):
            el.remove()
        elif el.tag == "details":
            el.rename("div")
            el.put("class", " ".join(["details", *sorted(cls)]))
            el.put("open", None)
        elif el.tag == "summary":
            el.rename("p")
            el.put("class", " ".join(["summary", *sorted(cls)]))
        else:
            _rewrite(book, chapter, el)
    inner = "".join(serialise(c) for c in article.children)
    return (f'<section class="chapter chapter--{"module" if chapter.page.is_module else "page"}"'
            f' id="{chapter.anchor}">{inner}</section>', placed)


def _replace(el: Element, raw: str) -> None:
    parent = el.parent
    if parent is not None:
        parent.insert(parent.children.index(el), raw)
    el.remove()


def _rewrite(book: Book, chapter: Chapter, el: Element) -> None:
    """Ids made unique in the book; links kept within it, or printed; images from the
    site only, each with its text alternative."""
    prefix = chapter.anchor
    for name in ("id", "for", "aria-labelledby", "aria-describedby", "aria-controls"):
        value = el.get(name)
        if value:
            el.put(name, " ".join(f"{prefix}--{v}" for v in value.split()))
    if el.tag == "a":
        _link(book, chapter, el)
    elif el.tag == "img":
        _image(book, chapter, el)
    elif el.tag == "abbr":
        el.put("title", None)  # the abbreviations' list holds them


def _link(book: Book, chapter: Chapter, el: Element) -> None:
    href = (el.get("href") or "").strip()
    if not href or href == "#":
        _unlink(el)  # nowhere to go (an unsafe link made harmless)
        return
    if href.startswith("#"):
        el.put("href", f"#{chapter.anchor}--{href[1:]}" if len(href) > 1 else
               f"#{chapter.anchor}")
        return
    if is_external(href):
        scheme = urlsplit(href).scheme.lower()
        if scheme in ("http", "https", "mailto"):
            _print_address(el, href)
        else:
            _unlink(el)
        return
    target = resolve(href, chapter.path)
    other = book.chapters.get(target or "")
    if other is None:
        _unlink(el)
        return
    fragment = urlsplit(href).fragment
    el.put("href", f"#{other.anchor}--{fragment}" if fragment else f"#{other.anchor}")


def _unlink(el: Element) -> None:
    """A link to what the book does not hold: its text stays."""
    el.rename("span")
    for name in ("href", "target", "rel", "title"):
        el.put(name, None)


def _image(book: Book, chapter: Chapter, el: Element) -> None:
    src = (el.get("src") or "").strip()
    alt = (el.get("alt") or "").strip()
    if not alt:
        book.missing_alt.append(f"{chapter.page.loc.path}: {src or '(no source)'}")
    if src.startswith("data:"):
        return
    path = None if is_external(src) else resolve(src, chapter.path)
    if path is None or not (book.site_dir / path).is_file():
        # an image from elsewhere is never fetched: its text alternative is printed
        shown = alt or src
        _replace(el, f'<span class="img-missing">'
                     f'{book.t("pdf_image", alt=shown)}</span>')
        return
    el.put("src", (book.site_dir / path).resolve().as_uri())
    el.put("srcset", None)
    el.put("loading", None)


# ---------------------------------------------------------------- quizzes on paper

def _prompt(book: Book, q: Question, n: int, level: str) -> str:
    return (f'<{level} class="q__number">{book.t("question", n=n)}</{level}>'
            f'<div class="q__prompt">{book.m.block(q.prompt)}</div>')


def _worksheet(book: Book, quiz: Quiz, anchor: str) -> str:
    m = book.m
    out = [f'<section class="worksheet" id="{anchor}">',
           f'<h2 class="worksheet__title">{book.t("pdf_worksheet", title=quiz.title)}</h2>',
           f'<p class="worksheet__intro">{book.t("pdf_worksheet_intro")}</p>']
    for n, q in enumerate(quiz.questions, start=1):
        hint_key = getattr(q.unit, "paper_hint", "")
        hint = ""
        if hint_key and not says(q.prompt, book.strings.get(hint_key, "")):
            hint = f'<p class="q__hint">{m.t(hint_key)}</p>'
        work = q.unit.worksheet(m, (quiz.id, q.id))
        out.append(f'<div class="q q--{html.escape(q.type)}">{_prompt(book, q, n, "h3")}'
                   f"{hint}{work}</div>")
    out.append("</section>")
    return "".join(out)


def _answer_keys(book: Book) -> tuple[str, list[tuple[str, str]]]:
    """Every quiz of every track in order (a module's quizzes in page order), once."""
    project, lang = book.project, book.lang
    edition = project.editions[lang]
    seen: set[str] = set()
    parts: list[str] = []
    entries: list[tuple[str, str]] = []
    for page in scope_modules(project, lang, None):
        built = book.site_dir / f"{page.id}.html"
        try:
            ids = quizzes_on_page(built.read_text(encoding="utf-8"))
        except OSError:
            ids = [page.quiz] if page.quiz else []
        for quiz_id in ids:
            quiz = edition.quizzes.get(quiz_id)
            if quiz is None or quiz_id in seen:
                continue
            seen.add(quiz_id)
            anchor = f"c-key-{_slug(quiz_id)}"
            entries.append((anchor, html.escape(quiz.title)))
            parts.append(_answer_key(book, quiz, page, anchor))
    head = (f'<section class="chapter chapter--keys" id="c-answer-keys">'
            f'<h1>{book.t("pdf_answer_keys")}</h1>'
            f'<p>{book.t("pdf_answer_keys_intro")}</p>')
    return head + "".join(parts) + "</section>", entries


def _answer_key(book: Book, quiz: Quiz, page: Page, anchor: str) -> str:
    m = book.m
    course = book.project.course
    track = course.track_of(page.id)
    where = html.escape(page.display_title)
    if track is not None:
        where = f"{html.escape(pick(track.title, book.lang, track.id))} · {where}"
    out = [f'<section class="answer-key" id="{anchor}">',
           f'<h2>{book.t("pdf_answer_key", title=quiz.title)}</h2>',
           f'<p class="answer-key__module">{where}</p>']
    for n, q in enumerate(quiz.questions, start=1):
        key = q.unit.answer_sheet(m, (quiz.id, q.id))
        explanation = (f'<div class="key-explanation">{m.block(q.explanation)}</div>'
                       if q.explanation else "")
        out.append(f'<div class="q q--{html.escape(q.type)}">{_prompt(book, q, n, "h3")}'
                   f"{key}{explanation}</div>")
    out.append("</section>")
    return "".join(out)


# ---------------------------------------------------------------- abbreviations

def _abbreviations(book: Book) -> str:
    """The course's abbreviations (course/abbreviations/<lang>.md), as a list."""
    text = book.project.editions[book.lang].abbreviations
    found: dict[str, str] = {}
    for line in text.split("\n"):
        m = ABBREVIATION.match(line)
        if m and m.group(2):
            found.setdefault(m.group(1), m.group(2))
    if not found:
        return ""
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>"
                   for k, v in sorted(found.items(), key=lambda kv: kv[0].casefold()))
    return (f'<section class="chapter chapter--page" id="c-abbreviations">'
            f'<h1>{book.t("pdf_abbreviations")}</h1><dl class="abbreviations">{rows}</dl>'
            "</section>")
