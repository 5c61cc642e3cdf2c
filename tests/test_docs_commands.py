"""Every command README.md and the two guides show works as written on a fresh clone.

A command is a line of a shell code block, a line of a plain code block that starts with a
program, or an inline code span that starts with one (`make check`, `.venv/bin/mooc
check --strict`). Each is checked without running it: a make target exists (`make -n`), a
`mooc` or `mkdocs` subcommand exists and takes every option shown (`--help`), a wheel has
the name `make dist` gives it. A bare `mooc` or `mkdocs` is on nobody's PATH after a clone:
it is allowed only once the document has shown how to put it there (activating the venv,
or `pipx install`).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from .conftest import ROOT

DOCS = ["README.md", "builder/docs/authoring.md", "builder/docs/lms-import.md"]
PROGRAMS = {"make", "mooc", "mkdocs", "pipx", "pip", "pip3", "python", "python3", "."}
SHELL = {"sh", "bash", "shell", "console"}
FENCE = re.compile(r"^\s*```\s*(\S*)")
SPAN = re.compile(r"`([^`\n]+)`")


@dataclass
class Reader:
    """What a reader following the document word for word has done so far."""

    on_path: bool = False  # mooc and mkdocs can be typed bare
    venvs: set[str] = field(default_factory=set)  # folders made with python3 -m venv


def commands(text: str) -> list[tuple[int, str, bool]]:
    """(line, command, from a shell block) in reading order."""
    out: list[tuple[int, str, bool]] = []
    block: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        fence = FENCE.match(line)
        if fence:
            block = None if block is not None else fence.group(1).lower()
            continue
        if block is not None:
            if block in SHELL and line.strip() and not line.strip().startswith("#"):
                out.append((number, line.strip(), True))
            elif block == "" and _program(line.split()[0] if line.split() else ""):
                out.append((number, line.strip(), False))
            continue
        if line.startswith("#"):
            continue  # a heading names a command, it does not ask to type it
        for span in SPAN.findall(line):
            words = span.replace("\\|", "|").split()
            if len(words) > 1 and _program(words[0]):
                out.append((number, span.replace("\\|", "|"), False))
    return out


def _program(word: str) -> str | None:
    name = word.rsplit("/", 1)[-1]
    if word == "." or (name in PROGRAMS and (word == name or "/bin/" in word)):
        return name
    return None


@cache
def _help(program: str, sub: str) -> str | None:
    """`program sub --help` from the repository's venv, or None when it fails."""
    done = subprocess.run([str(ROOT / ".venv" / "bin" / program), sub, "--help"],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    return done.stdout if done.returncode == 0 else None


@cache
def _make_target(target: str) -> bool:
    return subprocess.run(["make", "-n", "-C", str(ROOT), target], capture_output=True,
                          check=False).returncode == 0


def wheel_name() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


def why_not(command: str, reader: Reader) -> str | None:
    """Why a reader cannot run `command` as written (None: they can)."""
    try:
        words = shlex.split(command, comments=True)
    except ValueError as exc:
        return f"cannot be read as a shell command ({exc})"
    if not words:
        return None
    word, args = words[0], words[1:]
    name = _program(word)
    if name is None:
        return "no check for this program: add one to this test"
    if "/" in word and not word.startswith(".venv/bin/") \
            and word.rsplit("/bin/", 1)[0] not in reader.venvs:
        return f"'{word}': no step of the document makes this program"
    if name == ".":
        if args != [".venv/bin/activate"]:
            return "only '. .venv/bin/activate' is known"
        reader.on_path = True
        return None
    if name == "make":
        targets = [a for a in args if "=" not in a and not a.startswith("-")]
        missing = [t for t in targets if not _make_target(t)]
        return f"no make target {missing}" if missing or not targets else None
    if name in ("mooc", "mkdocs"):
        if word == name and not reader.on_path:
            return (f"'{name}' is not on the PATH after a clone: write '.venv/bin/{name}' "
                    "or a make target, or show first how to activate the venv")
        if not args:
            return "no subcommand"
        shown = _help(name, args[0])
        if shown is None:
            return f"'{name} {args[0]} --help' fails"
        options = {o.split("=", 1)[0] for a in args[1:] for o in re.split(r"[\[\]|]", a)
                   if o.startswith("-")}
        unknown = sorted(o for o in options if not re.search(rf"(?<![\w-]){o}\b", shown))
        return f"'{name} {args[0]}' takes no {unknown}" if unknown else None
    if name in ("pipx", "pip", "pip3"):
        wheels = [a for a in args if a.endswith(".whl")]
        if args[:1] != ["install"] or len(wheels) != 1:
            return "only installing the wheel of 'make dist' is known"
        if Path(wheels[0]).name != wheel_name():
            return f"'make dist' makes {wheel_name()}, not {Path(wheels[0]).name}"
        if name == "pipx":
            reader.on_path = True
        return None
    if args[:2] == ["-m", "venv"] and len(args) == 3:
        reader.venvs.add(args[2])
        return None
    return "only 'python3 -m venv DIR' is known"


@pytest.mark.parametrize("doc", DOCS)
def test_every_command_in_the_docs_runs_as_written(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    found = commands(text)
    assert found, "no command found: the extraction is broken"
    reader = Reader()
    wrong = [f"{doc}:{line}: `{command}`: {why}" for line, command, _shell in found
             if (why := why_not(command, reader)) is not None]
    assert not wrong, "\n".join(wrong)


def test_the_checker_catches_what_a_newcomer_trips_over() -> None:
    """The rules above, on commands that do not work after a clone."""
    fresh = Reader()
    assert "not on the PATH" in (why_not("mooc check", fresh) or "")
    assert "not on the PATH" in (why_not("mkdocs serve", fresh) or "")
    assert "no make target" in (why_not("make preview", fresh) or "")
    assert "takes no ['--colour']" in (why_not(".venv/bin/mooc check --colour", fresh) or "")
    assert "fails" in (why_not(".venv/bin/mooc publish", fresh) or "")
    assert "makes mooc_builder" in (why_not("pipx install mooc-0.1.whl", fresh) or "")
    assert why_not("~/m/bin/mooc validate X.zip", fresh) is not None
    assert why_not("python3 -m venv ~/m", fresh) is None
    assert why_not("~/m/bin/mooc validate X.zip", fresh) is None
    assert why_not(". .venv/bin/activate", fresh) is None
    assert why_not("mooc check --strict", fresh) is None
    assert why_not("make check", fresh) is None
    found = commands("Run `mooc check` or `make`.\n\n```sh\nmake test  # all\n```\n"
                     "```\nContent-Security-Policy: x\nmkdocs build\n```\n")
    assert [(line, command) for line, command, _ in found] == [
        (1, "mooc check"), (4, "make test  # all"), (8, "mkdocs build")]
