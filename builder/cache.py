"""What the builder made from each file, kept between builds (`.cache/mooc/`).

Reading and checking every page and quiz, and rendering every quiz, is most of what the
builder adds to a site build. A build keeps what it made in a cache file; the next one
takes an entry back only when its key is the same, and a key holds everything the entry
was made from: the file's path and the hash of its bytes, the arguments it was read
with, and the builder's own code (a changed builder finds nothing). A stale entry
cannot be used, so a build with the cache gives what a build without it gives.

Each scope (files, quiz HTML of one language) is one file, rewritten after a build with
only the entries that build used: it never grows with old versions. The live preview keeps
its scopes open between rebuilds (`CacheStore`): each file is read once, and written after
a full build and when the preview stops, with the entries that preview session used. A
cache that cannot be read (damaged, from another version, written by hand) is ignored, and
its loader only rebuilds builder objects: it refuses any other class a crafted file could
name.

Imports nothing from the rest of the builder.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent
# The only globals a cache file may name: the model's classes, paths, plain containers.
# Never a dotted name: `Path.unlink` is a "global" too, and calling it would delete a file.
_ALLOWED: dict[str, set[str] | None] = {
            "builder.model": None, "builder.errors": None,  # None: any class of the module
            "pathlib": {"Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath",
                        "PureWindowsPath"},
            "builtins": {"frozenset", "set", "tuple", "list", "dict", "str", "int", "float",
                         "bool", "bytes"}}
# And the question types' data (a question holds its type's unit): in these packages, only
# the classes a module defines itself, not what it imports.
_PACKAGES = ("builder.questions.",)


def _code_version() -> str:
    """The builder's code and the libraries whose output it keeps: another version of any
    of them makes another cache. A source file counts by its path, size and time of last
    change, as Python's own compiled files do (reading the builder's hundred files would
    cost a small build more than its cache saves)."""
    import markdown  # noqa: PLC0415
    import yaml  # noqa: PLC0415

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {sys.version} {markdown.__version__} {yaml.__version__}".encode())
    for name, stat in _sources(str(_PACKAGE), ""):
        h.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _sources(folder: str, prefix: str) -> list[tuple[str, os.stat_result]]:
    """The builder's .py and .yaml files under `folder` (outside __pycache__), sorted, as
    (path under the package, stat)."""
    found: list[tuple[str, os.stat_result]] = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found += _sources(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith((".py", ".yaml", ".yml")):
                found.append((f"{prefix}{entry.name}", entry.stat()))
    return found


@contextlib.contextmanager
def paused_gc(*, keep: bool = False) -> Iterator[None]:
    """Python's cycle collector paused while what is made will live on (a course being
    loaded, a cache read or written): its passes would go through all of it, again and
    again, and find nothing to free (a sixth of loading a 200-module course). With
    `keep`, what lives then is kept out of its passes afterwards too (`gc.freeze`: the
    loaded course lives through the build; the plugin unfreezes it after the build)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if was:
            gc.enable()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if "." not in name:
            if module in _ALLOWED:
                names = _ALLOWED[module]
                if names is None or name in names:
                    found = super().find_class(module, name)
                    if isinstance(found, type):
                        return found
            elif module.startswith(_PACKAGES):
                found = super().find_class(module, name)
                if isinstance(found, type) and found.__module__ == module:
                    return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def content_key(data: bytes) -> str:
    """The key of a file's bytes."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


_MISSING = object()


class _Hashed:
    """A key with its hash worked out once (never pickled: a text's hash changes from one
    process to the next); it equals the key itself and other _Hashed of an equal key."""

    __slots__ = ("hash", "key")

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self.hash = hash(key)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return bool(self.key == (other.key if isinstance(other, _Hashed) else other))


def _unhashed(key: Hashable) -> Hashable:
    return key.key if isinstance(key, _Hashed) else key


class BuildCache:
    """Entries of one scope; `get` makes what is missing and keeps it for the next build."""

    _version: str | None = None

    def __init__(self, path: Path, *, deferred: bool = False) -> None:
        self.path = path
        self.deferred = deferred  # kept open by a CacheStore, which writes it (`write`)
        self.hits = self.misses = 0  # since the cache was opened
        self._made = False  # entries made since the last save
        self._old: dict[Hashable, Any] = self._read()
        self._used: dict[Hashable, Any] = {}

    @classmethod
    def code_version(cls) -> str:
        if cls._version is None:
            cls._version = _code_version()
        return cls._version

    def _read(self) -> dict[Hashable, Any]:
        try:  # from the file, a frame at a time: never all its bytes at once as well
            with self.path.open("rb") as data, paused_gc():
                version, entries = _Unpickler(data).load()
        except Exception:
            return {}
        if version != self.code_version() or not isinstance(entries, dict):
            return {}
        return entries

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The entry of `key`: kept from an earlier build, or made now."""
        hashed = _Hashed(key)  # a quiz's key hashes the whole quiz: once, not at each look
        value = self._used.get(hashed, _MISSING)
        if value is not _MISSING:
            self.hits += 1
            return value  # type: ignore[no-any-return]
        value = self._old.get(hashed, _MISSING)
        if value is _MISSING:
            self.misses += 1
            self._made = True
            value = make()
        else:
            self.hits += 1
        self._used[hashed] = value
        return value  # type: ignore[no-any-return]

    def save(self) -> None:
        """Write the entries this build used (atomically; a cache that cannot be written
        is no error: the next build makes its entries again). A cache kept open by a
        CacheStore is written by the store instead."""
        if not self.deferred:
            self.write()

    def write(self) -> None:
        # nothing made: every entry used is one of the old ones, so the same number of
        # entries is the same entries (without hashing every key again to compare them)
        if not self._made and len(self._used) == len(self._old):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            with os.fdopen(fd, "wb") as out, paused_gc():
                entries = {_unhashed(k): v for k, v in self._used.items()}
                pickle.dump((self.code_version(), entries), out,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            return
        self._old = dict(self._used)
        self._made = False


class CacheStore:
    """Scopes kept open between the builds of one process (the live preview): a scope's
    file is read once, its entries stay in memory, and it is written by `flush` (after a
    full build, and when the preview stops) rather than after every rebuild, whose
    pickling would cost more than the rebuild of a page. What a session used is kept: an
    edited file's earlier versions too, until the next build that is not a preview's."""

    def __init__(self) -> None:
        self._open: dict[Path, BuildCache] = {}

    def open(self, path: Path) -> BuildCache:
        if path not in self._open:
            self._open[path] = BuildCache(path, deferred=True)
        return self._open[path]

    def flush(self) -> None:
        for cache in self._open.values():
            cache.write()
