"""The texts of YAML files as messages: a quiz's, a page's front matter's.

Which values of a question are texts is the question type's to say
(`QuestionType.text_paths`, builder/questions/): a new type plugs in by declaring its
own. Ids, types, answer keys (`correct`, `answer`, orders), points and every other value
are never messages. A slot is the scalar's span in the file, so the file is rewritten
with only its texts changed (comments, order and layout kept).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import yaml

from ..questions import TYPES
from ..questions.base import COMMON_TEXTS
from .segments import Slot, SlotKind

STR_TAG = "tag:yaml.org,2002:str"
FRONT_MATTER_TEXTS = {"title": "the page's title", "description": "the page's description",
                      "summary": "the module's summary", "objectives": "an objective"}


def _compose(text: str) -> yaml.Node | None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None
    return node


def _value(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
            return v
    return None


def _scalar_slot(text: str, node: yaml.Node, offset: int, first_line: int, *,
                 context: str = "", note: str = "") -> Slot | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG or not node.value.strip():
        return None
    start, end = node.start_mark.index, node.end_mark.index
    end = start + len(text[start:end].rstrip())
    style = node.style or ""
    column = 0
    if style in ("|", ">"):
        content = text[start:end].split("\n", 1)
        if len(content) > 1:
            body = content[1]
            column = len(body) - len(body.lstrip(" "))
    return Slot(offset + start, offset + end, node.start_mark.line + first_line, node.value,
                "yaml", context=context, note=note, style=style, column=column)


def front_matter_slots(text: str, offset: int, first_line: int) -> list[Slot]:
    """The texts of a page's front matter (`text` starts at `offset` of the file, on its
    line `first_line`)."""
    top = _compose(text)
    slots: list[Slot] = []
    if not isinstance(top, yaml.MappingNode):
        return slots
    for key, what in FRONT_MATTER_TEXTS.items():
        node = _value(top, key)
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for n, item in enumerate(items, start=1):
            if item is None:
                continue
            note = f"{what} ({n})" if isinstance(node, yaml.SequenceNode) else what
            slot = _scalar_slot(text, item, offset, first_line, note=note)
            if slot is not None:
                slots.append(slot)
    return slots


def quiz_slots(text: str) -> list[Slot]:
    """The texts of a quiz file: its title, then each question's, in the order of the
    type's `text_paths`; each with its place as context (`frame.choices.2.feedback`)."""
    top = _compose(text)
    slots: list[Slot] = []
    if not isinstance(top, yaml.MappingNode):
        return slots
    title = _value(top, "title")
    if title is not None and (slot := _scalar_slot(text, title, 0, 1, context="title",
                                                   note="the quiz's title")):
        slots.append(slot)
    questions = _value(top, "questions")
    if not isinstance(questions, yaml.SequenceNode):
        return slots
    for n, q in enumerate(questions.value, start=1):
        if not isinstance(q, yaml.MappingNode):
            continue
        qtype = _value(q, "type")
        qid = _value(q, "id")
        name = qid.value if isinstance(qid, yaml.ScalarNode) and qid.value else f"q{n}"
        kind = TYPES.get(qtype.value) if isinstance(qtype, yaml.ScalarNode) else None
        paths = (*COMMON_TEXTS, *(kind.text_paths() if kind is not None else ()))
        found: list[Slot] = []
        for path in paths:
            for where, node in walk(q, path.removesuffix("[]").split("."), []):
                context = ".".join([name, *where])
                note = f"question {name} ({qtype.value if qtype is not None else '?'}): " \
                       f"{' '.join(where)}"
                if path.endswith("[]") and isinstance(node, yaml.SequenceNode):
                    slot = _lines_slot(text, node, context, note)
                else:
                    slot = _scalar_slot(text, node, 0, 1, context=context, note=note)
                if slot is not None:
                    found.append(slot)
        slots += sorted(found, key=lambda s: s.start)
    return slots


def _numbered(item: yaml.Node, k: int) -> str:
    del item
    return str(k)


def walk(node: yaml.Node, path: list[str], where: list[str],
         name: Callable[[yaml.Node, int], str] = _numbered
         ) -> Iterator[tuple[list[str], yaml.Node]]:
    """The nodes at `path` under `node` (`*`: each item of a list, each value of a
    mapping), with where they are (list items named by `name`: numbered from 1)."""
    if not path:
        yield where, node
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(node, yaml.SequenceNode):
            for k, item in enumerate(node.value, start=1):
                yield from walk(item, rest, [*where, name(item, k)], name)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield from walk(value, rest, [*where, str(key.value)], name)
        return
    if isinstance(node, yaml.MappingNode):
        value = _value(node, head)
        if value is not None:
            yield from walk(value, rest, [*where, head], name)


def _lines_slot(text: str, node: yaml.SequenceNode, context: str, note: str) -> Slot | None:
    """A list of short texts as one message, one per line (fill-in's accepted answers:
    a language may accept more or fewer)."""
    values = [item.value for item in node.value
              if isinstance(item, yaml.ScalarNode) and str(item.value).strip()]
    if not values:
        return None
    start, end = node.start_mark.index, node.end_mark.index
    end = start + len(text[start:end].rstrip())
    kind: SlotKind = "yaml-lines"
    return Slot(start, end, node.start_mark.line + 1, "\n".join(values), kind,
                context=context, note=f"{note}: one per line, add or remove lines as your "
                "language needs")
