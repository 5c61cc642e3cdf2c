"""course.yml's texts as a PO file (translations/<lang>/course.po): the course's title
and description, the print edition's funding statement, each competency's title, each
track's title and audience. A text is written either once (the source language's) or
as one text per language, `{en: ..., fr: ...}`; the message is the source language's
text, its context where it is (`tracks.psw.audience`).

Applied, each translation goes into its text's map in course.yml, in place: an existing
`lang:` value is replaced, a missing one added (in a `{...}` map before its `}`, in a
block map as a line after its last one), and a single text becomes
`{en: <the text as written>, lang: <translation>}`. Only those spans change: comments,
order and layout stay. An untranslated text is left as it is (the site shows it in the
source language); a fuzzy one is applied and counted as outdated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem
from . import ExtraCatalog, Report
from .catalog import Message, Seed, is_text
from .segments import yaml_scalar
from .yamltext import STR_TAG, _compose, _value, walk

# (path, note): `*` is each item of a list, named by its id
TEXTS = (("title", "the course's title"), ("description", "the course's description"),
         ("print.funding", "the funding statement on the print edition's covers"),
         ("competencies.*.title", "a competency's title"),
         ("tracks.*.title", "a track's title"),
         ("tracks.*.audience", "who a track is for"))


@dataclass(frozen=True)
class CourseText:
    """One text of course.yml: the node that holds it (a scalar or a map of languages)."""

    context: str
    note: str
    node: yaml.Node


def course_texts(text: str) -> list[CourseText]:
    top = _compose(text)
    out: list[CourseText] = []
    if not isinstance(top, yaml.MappingNode):
        return out
    for path, note in TEXTS:
        for where, node in walk(top, path.split("."), [], _by_id):
            out.append(CourseText(".".join(where), note, node))
    return out


def _by_id(item: yaml.Node, k: int) -> str:
    found = _value(item, "id") if isinstance(item, yaml.MappingNode) else None
    return found.value if isinstance(found, yaml.ScalarNode) else str(k)


def _scalar(node: yaml.Node | None) -> yaml.ScalarNode | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and node.value.strip():
        return node
    return None


def _source(item: CourseText, source: str) -> yaml.ScalarNode | None:
    """The source language's text of an item."""
    if isinstance(item.node, yaml.MappingNode):
        return _scalar(_value(item.node, source))
    return _scalar(item.node)


class CourseCatalog(ExtraCatalog):
    name = "course"

    def __init__(self, path: Path, shown: str, source: str) -> None:
        """`path`: course.yml; `shown`: its name for the trainer; `source`: the course's
        source language."""
        self.path = path
        self.shown = shown
        self.source = source

    def messages(self, lang: str) -> tuple[list[Message], dict[tuple[str, str], Seed]]:
        messages: list[Message] = []
        seeds: dict[tuple[str, str], Seed] = {}
        for item in course_texts(self.path.read_text(encoding="utf-8")):
            src = _source(item, self.source)
            if src is None or not is_text(src.value):
                continue
            msg = Message(src.value, item.context, [(self.shown, src.start_mark.line + 1)],
                          [item.note])
            messages.append(msg)
            if isinstance(item.node, yaml.MappingNode):
                own = _scalar(_value(item.node, lang))
                if own is not None:
                    seeds[msg.key] = Seed(own.value)
        return messages, seeds

    def apply(self, lang: str, done: dict[tuple[str, str], tuple[str, bool]],
              po_path: str, lines: dict[tuple[str, str], int], report: Report, *,
              write: bool = True) -> None:
        text = self.path.read_text(encoding="utf-8")
        edits: list[tuple[int, int, str]] = []
        for item in course_texts(text):
            src = _source(item, self.source)
            if src is None or not is_text(src.value):
                continue
            report.messages += 1
            hit = done.get((item.context, src.value))
            if hit is None:
                continue
            translation, fuzzy = hit
            report.translated += 1
            report.fuzzy += fuzzy
            edit = _edit(text, item.node, src, self.source, lang, translation)
            if edit is None:
                report.problems.append(Problem(self.shown, src.start_mark.line + 1,
                                               f"'{item.context}' is not written as one "
                                               f"text per language: write it as {{"
                                               f"{self.source}: ..., {lang}: ...}}"))
            else:
                edits.append(edit)
        if not write:
            return
        new = text
        for start, end, value in sorted(edits, reverse=True):
            new = new[:start] + value + new[end:]
        if new == text:
            report.unchanged += 1
            return
        self.path.write_text(new, encoding="utf-8")
        report.written.append(self.path)


def _edit(text: str, node: yaml.Node, src: yaml.ScalarNode, source: str, lang: str,
          translation: str) -> tuple[int, int, str] | None:
    """The change of course.yml that puts `translation` in `node`'s `lang`."""
    if isinstance(node, yaml.ScalarNode):  # a single text: becomes a map
        start, end = node.start_mark.index, node.end_mark.index
        written = text[start:end].rstrip()
        if "\n" in written:
            written = yaml_scalar(src.value, '"', flow=True)
        return (start, start + len(written),
                f"{{{source}: {written}, {lang}: "
                f"{yaml_scalar(translation, '', flow=True)}}}")
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return None
    own = _value(node, lang)
    if own is not None:
        if not isinstance(own, yaml.ScalarNode):
            return None
        start, end = own.start_mark.index, own.end_mark.index
        end = start + len(text[start:end].rstrip())
        style = own.style if own.style in ("'", '"') else ""
        return (start, end, yaml_scalar(translation, style, flow=bool(node.flow_style)))
    if node.flow_style:
        close = node.end_mark.index - 1  # the '}'
        if text[close] != "}":
            return None
        return (close, close, f", {lang}: {yaml_scalar(translation, '', flow=True)}")
    last_key, last = node.value[-1]
    if not isinstance(last, yaml.ScalarNode):
        return None
    end = last.start_mark.index + len(text[last.start_mark.index:last.end_mark.index].rstrip())
    eol = text.find("\n", end)  # after a comment on its line
    eol = len(text) if eol == -1 else eol
    indent = " " * last_key.start_mark.column
    quote = '"' if last.style == '"' else ""
    return (eol, eol, f"\n{indent}{lang}: {yaml_scalar(translation, quote)}")
