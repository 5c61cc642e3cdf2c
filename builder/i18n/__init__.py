"""Translations in PO files: `mooc i18n extract` and `mooc i18n apply`.

extract: every page and quiz of the default language (and the glossary's abbreviations)
is cut into messages (markdown.py, yamltext.py); each file gets a template,
translations/templates/<kind>/<id>.pot, and per language a PO file,
translations/<lang>/<kind>/<id>.po, merged with the one there by msgmerge's rules
(catalog.py). One PO file per page and per quiz, not per track: a translator (or a
Weblate component) takes one module at a time, and the status of each page and quiz
stays exact. A PO file that does not exist yet is seeded from the translated file that
may exist (course/<lang>/..., quizzes/<lang>/...), matched block by block.

apply: each PO file rewrites its source with the translations into course/<lang>/ and
quizzes/<lang>/: a message not translated keeps its source text and a fuzzy one its
old translation; the file then says so (`untranslated: N`, `outdated: N`), and the page
shows "not yet fully translated". `source_fingerprint` records the source it follows.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import Problem
from ..loaders.files import fingerprint
from ..loaders.pages import slugify
from . import catalog
from .markdown import page_source
from .segments import Slot, Source, fill, number_links, slot_problems
from .yamltext import quiz_slots

Kind = Literal["pages", "quizzes", "abbreviations"]
TRANSLATIONS = "translations"
TEMPLATES = "templates"


@dataclass(frozen=True)
class Unit:
    """One file to translate: its source, its PO file's name, its translation's path."""

    kind: Kind
    name: str  # "pages/psw/intervision", "quizzes/psw/intervision", "abbreviations"
    source: Path
    target: Path
    shown: str  # the source as the trainer knows it (course/en/...)

    def cut(self, text: str) -> Source:
        if self.kind == "quizzes":
            return Source(text, quiz_slots(text))
        return page_source(text)


@dataclass
class Report:
    """What extract or apply did."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    messages: int = 0
    translated: int = 0
    fuzzy: int = 0
    seeded: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """Where a course's files are (see pipeline.Settings)."""

    root: Path  # the project folder
    docs_root: Path  # course/ (holds <lang>/)
    quizzes_root: Path  # quizzes/
    default: str  # the source language
    project_id: str

    @property
    def translations(self) -> Path:
        return self.root / TRANSLATIONS

    def po(self, lang: str, name: str) -> Path:
        return self.translations / lang / f"{name}.po"

    def pot(self, name: str) -> Path:
        return self.translations / TEMPLATES / f"{name}.pot"

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def units(self, lang: str) -> list[Unit]:
        out: list[Unit] = []
        pages = self.docs_root / self.default
        for path in sorted(pages.rglob("*.md")):
            rel = path.relative_to(pages).with_suffix("").as_posix()
            out.append(Unit("pages", f"pages/{rel}", path,
                            self.docs_root / lang / f"{rel}.md", self.shown(path)))
        quizzes = self.quizzes_root / self.default
        for path in sorted(quizzes.rglob("*.yml")):
            rel = path.relative_to(quizzes).with_suffix("").as_posix()
            out.append(Unit("quizzes", f"quizzes/{rel}", path,
                            self.quizzes_root / lang / f"{rel}.yml", self.shown(path)))
        abbreviations = self.docs_root / "abbreviations" / f"{self.default}.md"
        if abbreviations.is_file():
            out.append(Unit("abbreviations", "abbreviations", abbreviations,
                            self.docs_root / "abbreviations" / f"{lang}.md",
                            self.shown(abbreviations)))
        return out


def _messages(unit: Unit, src: Source) -> list[catalog.Message]:
    return catalog.collect((s.text, s.context, unit.shown, s.line, s.note)
                           for s in src.slots)


# ---------------------------------------------------------------- extract

def extract(layout: Layout, lang: str, extra: Iterable[ExtraCatalog] = ()) -> Report:
    """Templates and `lang`'s PO files of every file of the course (see the docstring)."""
    report = Report()
    if lang == layout.default:
        report.problems.append(Problem(layout.shown(layout.docs_root / lang), 0,
                                       f"'{lang}' is the course's source language: extract "
                                       "the PO files of another language"))
        return report
    for unit in layout.units(lang):
        text = unit.source.read_text(encoding="utf-8")
        src = unit.cut(text)
        messages = _messages(unit, src)
        seeds: dict[tuple[str, str], catalog.Seed] = {}
        po_path = layout.po(lang, unit.name)
        old = catalog.read(po_path)
        if old is None and unit.target.is_file():
            seeds = _seeds(unit, src, unit.target.read_text(encoding="utf-8"),
                           fingerprint(unit.source.read_bytes()))
        _write(layout, lang, unit.name, messages, old, seeds, report)
    for cat in extra:
        messages, seeds = cat.messages(lang)
        _write(layout, lang, cat.name, messages, catalog.read(layout.po(lang, cat.name)),
               seeds, report)
    return report


def _write(layout: Layout, lang: str, name: str, messages: list[catalog.Message],
           old: Any, seeds: dict[tuple[str, str], catalog.Seed], report: Report) -> None:
    pot = catalog.template(layout.project_id, messages)
    if catalog.save(pot, layout.pot(name)):
        report.written.append(layout.pot(name))
    po = catalog.merge(layout.project_id, lang, messages, old, seeds)
    po_path = layout.po(lang, name)
    if catalog.save(po, po_path):
        report.written.append(po_path)
    else:
        report.unchanged += 1
    done = [e for e in po if not e.obsolete and e.msgstr]
    report.messages += len(messages)
    report.translated += len(done)
    report.fuzzy += sum("fuzzy" in e.flags for e in done)
    report.seeded += len(seeds)


class ExtraCatalog:
    """A PO file besides the course's pages and quizzes (interface strings, course.yml):
    its messages, what to seed them with, and how to apply it."""

    name: str

    def messages(self, lang: str) -> tuple[list[catalog.Message],
                                           dict[tuple[str, str], catalog.Seed]]:
        raise NotImplementedError

    def apply(self, lang: str, done: dict[tuple[str, str], tuple[str, bool]],
              po_path: str, lines: dict[tuple[str, str], int], report: Report, *,
              write: bool = True) -> None:
        """Write `done`'s translations (with `write` false, only report problems);
        `lines`: each message's line in the PO file at `po_path` (for problems)."""
        raise NotImplementedError


STATUS_RE = re.compile(r"^(source_fingerprint|untranslated|outdated):.*\n?", re.M)


def _seeds(unit: Unit, src: Source, translated: str,
           source_fp: str) -> dict[tuple[str, str], catalog.Seed]:
    """Translations found in an existing translated file, matched to the source's
    messages: by place (a quiz's context) or block by block (a page). A file that follows
    an older source gives fuzzy translations."""
    other = unit.cut(translated)
    stamp = re.search(r"^source_fingerprint:[ \t]*(\S+)", translated, re.M)
    outdated = stamp is None or stamp.group(1).strip("'\"") != source_fp
    pairs: list[tuple[Slot, Slot]] = []
    if unit.kind == "quizzes":
        by_context = {s.context: s for s in other.slots}
        pairs = [(s, by_context[s.context]) for s in src.slots if s.context in by_context]
    else:
        a = [_shape(src.text, s) for s in src.slots]
        b = [_shape(other.text, s) for s in other.slots]
        import difflib  # noqa: PLC0415

        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for block in sm.get_matching_blocks():
            pairs += [(src.slots[block.a + k], other.slots[block.b + k])
                      for k in range(block.size)]
    seeds: dict[tuple[str, str], catalog.Seed] = {}
    for mine, theirs in pairs:
        text = _seed_text(mine, theirs, other.text)
        if text is None or not catalog.is_text(mine.text):
            continue
        seeds.setdefault((mine.context, mine.text), catalog.Seed(text, outdated))
    return seeds


def _shape(text: str, slot: Slot) -> tuple[str, int, str]:
    """What a message's block looks like, whatever its language: the markup before it on
    its line, its number of links, its kind."""
    line_start = text.rfind("\n", 0, slot.start) + 1
    before = text[line_start:slot.start]
    markup = "|" * before.count("|") if "|" in before else before.strip()  # a table's column
    return (markup, len(slot.links), slot.kind)


def _seed_text(mine: Slot, theirs: Slot, text: str) -> str | None:
    """A translated file's message as a translation of `mine`: with its own line breaks
    (so that applying it gives back the same file) and its links numbered in order;
    None when it has not as many links as the source's."""
    if len(mine.links) != len(theirs.links) or mine.kind != theirs.kind:
        return None
    if theirs.kind != "markdown":
        return theirs.text
    lines = text[theirs.start:theirs.end].split("\n")
    rest = [line[len(theirs.indent):] if line.startswith(theirs.indent) else line.lstrip()
            for line in lines[1:]]
    numbered, _ = number_links("\n".join([lines[0], *rest]))
    return numbered


# ---------------------------------------------------------------- apply

@dataclass
class Applied:
    """A file rewritten from its PO file, before it is written."""

    unit: Unit
    src: Source
    texts: dict[int, str]
    untranslated: int
    outdated: int


def apply(layout: Layout, lang: str, extra: Iterable[ExtraCatalog] = ()) -> Report:
    """course/<lang>/ and quizzes/<lang>/ (and the abbreviations) from the PO files."""
    report = Report()
    done: list[Applied] = []
    anchors: dict[str, dict[str, str]] = {}
    for unit in layout.units(lang):
        po_path = layout.po(lang, unit.name)
        po = catalog.read(po_path)
        if po is None:
            continue
        shown_po = layout.shown(po_path)
        lines = catalog.entry_lines(po)
        found = catalog.translations(po)
        src = unit.cut(unit.source.read_text(encoding="utf-8"))
        texts: dict[int, str] = {}
        untranslated = outdated = 0
        for i, slot in enumerate(src.slots):
            if not catalog.is_text(slot.text):
                continue
            report.messages += 1
            hit = found.get((slot.context, slot.text))
            if hit is None:
                untranslated += 1
                continue
            text, fuzzy = hit
            wrong = slot_problems(slot, text)
            if wrong:
                line = lines.get((slot.context, slot.text), 0)
                report.problems += [Problem(shown_po, line, m) for m in wrong]
                untranslated += 1
                continue
            texts[i] = text
            report.translated += 1
            outdated += fuzzy
            report.fuzzy += fuzzy
        applied = Applied(unit, src, texts, untranslated, outdated)
        done.append(applied)
        if unit.kind == "pages":
            anchors[unit.name.removeprefix("pages/")] = _anchor_map(applied)
    extras = []
    for cat in extra:
        po_path = layout.po(lang, cat.name)
        po = catalog.read(po_path)
        if po is not None:
            extras.append((cat, catalog.translations(po), layout.shown(po_path),
                           catalog.entry_lines(po)))
    for cat, found_extra, shown_po, lines_extra in extras:  # every problem, before writing
        dry = Report()
        cat.apply(lang, found_extra, shown_po, lines_extra, dry, write=False)
        report.problems += dry.problems
    if any(p.severity == "error" for p in report.problems):
        return report
    for applied in done:
        unit = applied.unit
        page_id = unit.name.removeprefix("pages/")
        retarget = _retarget(page_id, anchors) if unit.kind == "pages" else None
        text = fill(applied.src, applied.texts, retarget)
        if unit.kind == "abbreviations":
            text = _own_terms(text, unit.target)
        else:
            text = _stamp(text, unit, fingerprint(unit.source.read_bytes()),
                          applied.untranslated, applied.outdated)
        _save(unit.target, text, report)
    if done:
        _copy_assets(layout, lang, report)
    for cat, found_extra, shown_po, lines_extra in extras:
        cat.apply(lang, found_extra, shown_po, lines_extra, report)
    return report


def _save(path: Path, text: str, report: Report) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        report.unchanged += 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report.written.append(path)


TERM_RE = re.compile(r"^\*\[([^\]]+)\]:")


def _own_terms(text: str, target: Path) -> str:
    """The translated glossary terms, with the terms the language has of its own (in its
    file, not in the source's: a PO file holds only the source's), in the source's order
    when it is alphabetical."""
    if not target.is_file():
        return text
    lines = text.rstrip("\n").split("\n")
    terms = {m.group(1) for line in lines if (m := TERM_RE.match(line))}
    own = [line for line in target.read_text(encoding="utf-8").split("\n")
           if (m := TERM_RE.match(line)) and m.group(1) not in terms]
    if not own:
        return text
    keys = [m.group(1).lower() for line in lines if (m := TERM_RE.match(line))]
    if keys == sorted(keys) and all(TERM_RE.match(line) for line in lines):
        lines = sorted(lines + own, key=lambda line: line[2:line.index("]")].lower())
    else:
        lines += own
    return "\n".join(lines) + "\n"


def _stamp(text: str, unit: Unit, source_fp: str, untranslated: int, outdated: int) -> str:
    """The translation's status in its own file: the source it follows, and how many of
    its messages are not translated yet or outdated (what `mooc check` reports)."""
    lines = [f"source_fingerprint: {source_fp}"]
    if untranslated:
        lines.append(f"untranslated: {untranslated}")
    if outdated:
        lines.append(f"outdated: {outdated}")
    status = "\n".join(lines) + "\n"
    if unit.kind == "quizzes":
        # after the title's line, as translators have written it by hand
        m = re.search(r"^title:.*\n", text, re.M)
        at = m.end() if m else 0
        return text[:at] + status + text[at:]
    if text.startswith("---\n"):
        end = text.find("\n---", 3)
        if end != -1:
            return text[:end + 1] + status + text[end + 1:]
    return f"---\n{status}---\n\n{text}"


def _anchor_map(applied: Applied) -> dict[str, str]:
    """A page's heading anchors in the source -> in the translation (a translated
    heading has another anchor; `{#id}` anchors stay)."""
    seen_src: set[str] = set()
    seen_new: set[str] = set()
    out: dict[str, str] = {}
    for i, slot in enumerate(applied.src.slots):
        if not slot.note.startswith("a heading"):
            continue
        new = applied.texts.get(i, slot.text)
        a, b = _unique(slugify(slot.text), seen_src), _unique(slugify(new), seen_new)
        out[a] = b
    return out


def _unique(slug: str, seen: set[str]) -> str:
    out, k = slug, 1
    while out in seen:
        out = f"{slug}_{k}"
        k += 1
    seen.add(out)
    return out


def _retarget(page_id: str, anchors: dict[str, dict[str, str]]) -> Callable[[str], str]:
    folder = posixpath.dirname(page_id)

    def retarget(target: str) -> str:
        path, sep, anchor = target.partition("#")
        if not sep or "://" in path or path.startswith("mailto:"):
            return target
        if path:
            if not path.endswith(".md"):
                return target
            other = posixpath.normpath(posixpath.join(folder, path)).removesuffix(".md")
        else:
            other = page_id
        return f"{path}#{anchors.get(other, {}).get(anchor, anchor)}"

    return retarget


def _copy_assets(layout: Layout, lang: str, report: Report) -> None:
    """The source pages' images and other files, into the translation's folder where it
    has none of its own (a translated diagram stays)."""
    pages = layout.docs_root / layout.default
    for path in sorted(pages.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            target = layout.docs_root / lang / path.relative_to(pages)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                report.written.append(target)
