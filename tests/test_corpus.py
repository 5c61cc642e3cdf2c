"""The bad-input corpus: tests/corpus/<case>/ holds the files a trainer got wrong, laid
over a copy of the mini course (files/), and expected.txt: the exit code, then the exact
lines `mooc check` must print. `pytest --update-golden` rewrites expected.txt; review it.

`args` adds options (e.g. --strict); `make` lists files to pad to a size in bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import FIXTURES

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def _lay(case: Path, root: Path) -> list[str]:
    shutil.copytree(FIXTURES / "mini", root)
    files = case / "files"
    if files.is_dir():
        for src in files.rglob("*"):
            if src.is_file():
                dst = root / src.relative_to(files)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    if (case / "make").is_file():
        for line in (case / "make").read_text().splitlines():
            rel, size = line.split()
            target = root / rel
            head = target.read_text(encoding="utf-8")
            filler = "Lorem ipsum dolor sit amet. " * (int(size) // 28 + 1)
            target.write_text(head + filler, encoding="utf-8")
    args = (case / "args").read_text().split() if (case / "args").is_file() else []
    return args


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    case = CORPUS / name
    root = tmp_path / "course"
    args = _lay(case, root)
    monkeypatch.chdir(root)
    code = main(["check", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    got = f"exit {code}\n{err}"
    expected = case / "expected.txt"
    if update_golden:
        expected.write_text(got, encoding="utf-8")
    assert expected.is_file(), f"{expected} is missing: run pytest --update-golden, review it"
    assert got == expected.read_text(encoding="utf-8")
