"""Reading a course's files: the size limit, decoding, fingerprints, the build cache, and
paths as the trainer knows them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from ..cache import BuildCache, content_key
from ..errors import Problem
from ..yamlsrc import decode

T = TypeVar("T")
MAX_FILE_BYTES = 2_000_000  # a page or quiz larger than this is surely a mistake


def fingerprint(data: bytes) -> str:
    """A short fingerprint of a source file, recorded in its translations
    (`source_fingerprint`) so a translation older than its source is reported.
    Line endings and a BOM do not change it."""
    text = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    return hashlib.sha256(text).hexdigest()[:12]


def fingerprint_file(path: str | Path) -> str:
    return fingerprint(Path(path).read_bytes())


def rel(path: Path, base: Path) -> str:
    """A path as the trainer knows it: relative to the project (forward slashes)."""
    full, root = str(path), str(base)
    if os.sep == "/" and full.startswith(f"{root}/") and root.startswith("/") \
            and "/." not in full and "//" not in full:
        return full[len(root) + 1:]  # what relpath gives, without its cost (pages are many)
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def walk(folder: Path, suffixes: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """The files under `folder` (those whose name ends with one of `suffixes`, if given),
    as (path under the folder with forward slashes, path), in the order of
    `sorted(folder.rglob(...))`, at a fraction of its cost (a course has thousands)."""
    found = []
    for top, _dirs, names in os.walk(folder):
        under = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if under == "." else f"{under}/"
        found += [(f"{prefix}{name}", Path(top, name)) for name in names
                  if not suffixes or name.endswith(suffixes)]
    return sorted(found, key=lambda item: item[0].split("/"))


def read_bytes(path: Path, shown: str, problems: list[Problem]) -> bytes | None:
    """The file's bytes; None (and a problem) when it cannot be read or is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(shown, 0, f"this file is {size // 1_000_000} MB; files "
                                    f"over {MAX_FILE_BYTES // 1_000_000} MB are refused "
                                    "(split the page, or put large media aside)"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, f"cannot read this file: {exc.strerror}"))
        return None


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """The file's text; None (and a problem) when it cannot be read or decoded."""
    data = read_bytes(path, shown, problems)
    return None if data is None else decode(data, shown, problems)


def cached_read(cache: BuildCache | None, key: tuple[Hashable, ...], path: Path, shown: str,
                problems: list[Problem],
                make: Callable[[str, str, list[Problem]], T]) -> T | None:
    """`make(text, fingerprint, problems)` on a file's text, or what it gave an earlier
    build for the same bytes and `key` (see cache.py); its problems are given again."""
    data = read_bytes(path, shown, problems)
    if data is None:
        return None

    def run() -> tuple[T | None, list[Problem]]:
        found: list[Problem] = []
        text = decode(data, shown, found)
        return (None if text is None else make(text, fingerprint(data), found)), found

    if cache is None:
        result, found = run()
    else:
        result, found = cache.get((*key, str(path), shown, content_key(data)), run)
    problems += found
    return result
