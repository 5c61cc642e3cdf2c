"""A site build reads the words of this distribution's formats (labels, descriptions,
notes: `export.base.wordings`) from their table, `export/words.py`, without importing the
formats; each format's class must say the same, and another distribution's format is still
read from its class (tests/test_exporter_plugin.py installs one)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from typing import ClassVar

import pytest

from builder.export import GROUP, base
from builder.export.words import BUILTIN

from .conftest import ROOT


def _declared() -> dict[str, str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(pyproject["project"]["entry-points"][GROUP])


def test_every_declared_format_has_its_words_in_the_table() -> None:
    declared = _declared()
    assert sorted(BUILTIN) == sorted(declared)
    for name, (value, *_) in BUILTIN.items():
        assert value == declared[name], name


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_each_class_says_what_the_table_says(name: str) -> None:
    value, label, description, notes = BUILTIN[name]
    cls = metadata.EntryPoint(name, value, GROUP).load()
    assert cls.name == name
    assert (dict(cls.label), dict(cls.description), dict(cls.notes)) == (
        label, description, notes)


def test_a_format_of_another_distribution_is_read_from_its_class(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The table is taken only for the class it names: a format installed under one of
    its names but from elsewhere speaks for itself."""
    found = {"gift": metadata.EntryPoint(
        "gift", "elsewhere.gift:GiftExporter", GROUP)}
    monkeypatch.setattr(base, "_entry_points", lambda: found)
    calls: list[str] = []

    class Other:
        label: ClassVar[dict[str, str]] = {"en": "Other GIFT"}
        description: ClassVar[dict[str, str]] = {"en": "elsewhere", "fr": "ailleurs"}
        notes: ClassVar[dict[str, dict[str, str]]] = {"odd": {"en": "odd"}}

    def exporter_class(name: str) -> type[Other]:
        calls.append(name)
        return Other

    monkeypatch.setattr(base, "exporter_class", exporter_class)
    words = base.wordings()
    assert calls == ["gift"]
    assert words[base.ANY]["format_gift_label"] == "Other GIFT"
    assert words["fr"]["format_gift_description"] == "ailleurs"
    assert words["en"]["format_gift_note_odd"] == "odd"


def test_a_site_build_imports_no_format() -> None:
    """What the site shows of the formats costs no import of theirs (nor of what they
    import: XML parsers, urllib, ssl)."""
    code = ("import sys, builder.plugin\n"
            "from builder.export.base import wordings\n"
            "assert wordings()\n"
            "print(' '.join(sorted(sys.modules)))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    loaded = set(run.stdout.split())
    formats = {value.split(":")[0] for value, *_ in BUILTIN.values()}
    assert not formats & loaded
    assert not {"builder.export.scorm", "builder.export.qbank", "ssl"} & loaded
