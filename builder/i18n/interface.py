"""The interface strings as a PO file (translations/<lang>/interface.po): the builder's
strings (builder/render/strings/en.yaml), the formats' wordings and the course's own
English overrides, one message per key (the key is its context). Applied, the
translations that differ from the builder's own strings for that language go to the
course's strings file, course/strings/<lang>.yaml; a key left untranslated is reported
by `mooc check` as missing, never shown in English silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..common.strings import ANY, SOURCE, STRINGS_DIR, builtin, load_strings
from ..errors import Problem
from . import ExtraCatalog, Report
from .catalog import Message, Seed
from .segments import PLACEHOLDER_RE, yaml_scalar

QUOTE = '"'


class InterfaceCatalog(ExtraCatalog):
    name = "interface"

    def __init__(self, course_dir: Path, overrides: Mapping[str, Mapping[str, str]],
                 wordings: Mapping[str, Mapping[str, str]], shown: str) -> None:
        """`overrides`: the course's own strings per language; `shown`: how the course's
        strings folder is named to the trainer."""
        self.strings_dir = course_dir / "strings"
        self.overrides = overrides
        self.wordings = wordings
        self.shown = shown

    def _source(self) -> dict[str, str]:
        names = set(self.wordings.get(ANY, {}))  # the formats' names are not translated
        return {k: v for k, v in load_strings(SOURCE, self.overrides.get(SOURCE, {}),
                                              self.wordings).items() if k not in names}

    def messages(self, lang: str) -> tuple[list[Message], dict[tuple[str, str], Seed]]:
        lines = _lines(STRINGS_DIR / f"{SOURCE}.yaml")
        own = self.overrides.get(lang, {})
        current = {**builtin(lang), **self.wordings.get(lang, {}), **own}
        messages: list[Message] = []
        seeds: dict[tuple[str, str], Seed] = {}
        for key, text in self._source().items():
            where = (f"builder/render/strings/{SOURCE}.yaml", lines.get(key, 0)) \
                if key in lines else (f"{self.shown}/{SOURCE}.yaml", 0)
            note = "keep each {name} as it is: the builder fills it in" \
                if PLACEHOLDER_RE.search(text) else ""
            msg = Message(text, key, [where], [note] if note else [],
                          brace_format=bool(PLACEHOLDER_RE.search(text)))
            messages.append(msg)
            if key in current:
                seeds[msg.key] = Seed(current[key])
        return messages, seeds

    def apply(self, lang: str, done: dict[tuple[str, str], tuple[str, bool]],
              po_path: str, lines: dict[tuple[str, str], int], report: Report, *,
              write: bool = True) -> None:
        source = self._source()
        base = {**builtin(lang), **self.wordings.get(lang, {})}
        keep = dict(self.overrides.get(lang, {}))
        for key, text in source.items():
            hit = done.get((key, text))
            if hit is None:
                continue
            translation = hit[0]
            lost = [p for p in sorted(set(PLACEHOLDER_RE.findall(text)))
                    if p not in translation]
            if lost:
                report.problems.append(Problem(po_path, lines.get((key, text), 0),
                                               f"the translation of '{key}' leaves "
                                               f"out {', '.join(lost)}: keep every {{name}}"))
                continue
            report.translated += 1
            if base.get(key) == translation:
                keep.pop(key, None)
            else:
                keep[key] = translation
        report.messages += len(source)
        target = self.strings_dir / f"{lang}.yaml"
        if not write or (not keep and not target.is_file()):
            return
        text = (f"# The interface strings of '{lang}' the builder does not have (written by "
                f"mooc i18n apply from translations/{lang}/interface.po)\n"
                + "".join(f"{json.dumps(k, ensure_ascii=False)}: {yaml_scalar(v, QUOTE)}\n"
                          for k, v in keep.items()))
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            report.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        report.written.append(target)


def _lines(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line and not line.startswith(("#", " ")) and ":" in line:
            out[line.split(":", 1)[0].strip().strip("\"'")] = n
    return out
