"""Reproducible zip files, and a careful reader for zips that may be hostile.

Writing: `imsmanifest.xml` first, then every file in sorted order, forward slashes only,
one fixed timestamp (SOURCE_DATE_EPOCH, else 1980-01-01), fixed permissions, so two
exports of the same source are byte-identical. The zip is written beside its final name,
then renamed.

Reading: nothing is ever extracted. Names are checked (no absolute paths, no `..`, no
backslashes, no drive letters, no duplicates), symlinks and encrypted entries are refused,
and the number of entries, their sizes and the total are bounded before any byte is read.
"""

from __future__ import annotations

import os
import stat
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError

MANIFEST = "imsmanifest.xml"
DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can hold
MAX_ENTRIES = 20_000
MAX_ENTRY_SIZE = 512 * 1024 * 1024
MAX_TOTAL_SIZE = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, beyond which an entry is a zip bomb


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            epoch = int(raw)
        except ValueError:
            raise ExportError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                              f"got '{raw}'") from None
    else:
        epoch = DEFAULT_EPOCH
    epoch = min(max(epoch, DEFAULT_EPOCH), 4354819199)  # the range a zip can hold
    t = time.gmtime(epoch)
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def write_zip(target: Path, files: dict[str, bytes]) -> Path:
    """Write `files` (package path -> bytes) as a reproducible zip at `target`."""
    when = zip_timestamp()
    names = sorted(files, key=lambda n: (n != MANIFEST, n))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w") as zf:
            for name in names:
                why = check_name(name)
                if why is not None:
                    raise ExportError(f"bad path in package: {why}")
                info = zipfile.ZipInfo(name, date_time=when)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # unix, so the permissions below are read
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                zf.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=9)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class Entry:
    name: str
    size: int


class UnsafeZip(Exception):
    """The zip cannot be read safely; the message says why."""


def check_name(name: str) -> str | None:
    """Why an entry name is unsafe, or None."""
    if not name:
        return "an entry has an empty name"
    if "\\" in name:
        return f"'{name}': backslash in a path (use forward slashes)"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"'{name}': absolute path"
    if ".." in name.split("/"):
        return f"'{name}': '..' in a path"
    if any(ord(c) < 32 for c in name):
        return f"'{name}': control character in a path"
    return None


class SafeZip:
    """Read-only access to a zip after the checks above; use as a context manager."""

    def __init__(self, path: Path, max_entries: int = MAX_ENTRIES,
                 max_entry_size: int = MAX_ENTRY_SIZE,
                 max_total_size: int = MAX_TOTAL_SIZE) -> None:
        self.path = path
        self.max_entry_size = max_entry_size
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnsafeZip(f"not a readable zip file ({exc})") from None
        try:
            self.entries = self._check(max_entries, max_entry_size, max_total_size)
        except BaseException:
            self.zf.close()
            raise

    def _check(self, max_entries: int, max_entry_size: int,
               max_total_size: int) -> dict[str, Entry]:
        infos = self.zf.infolist()
        if len(infos) > max_entries:
            raise UnsafeZip(f"{len(infos)} entries (at most {max_entries})")
        entries: dict[str, Entry] = {}
        folded: set[str] = set()
        total = 0
        for info in infos:
            why = check_name(info.filename)
            if why:
                raise UnsafeZip(why)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeZip(f"'{info.filename}': symbolic link")
            if info.flag_bits & 0x1:
                raise UnsafeZip(f"'{info.filename}': encrypted entry")
            if info.is_dir():
                continue
            if info.filename in entries or info.filename.lower() in folded:
                raise UnsafeZip(f"'{info.filename}': listed twice (or differs only by case)")
            if info.file_size > max_entry_size:
                raise UnsafeZip(f"'{info.filename}': {info.file_size} bytes (at most "
                                f"{max_entry_size})")
            if info.file_size > 1024 * 1024 and info.compress_size and \
                    info.file_size / info.compress_size > MAX_RATIO:
                raise UnsafeZip(f"'{info.filename}': compression ratio over {MAX_RATIO} "
                                "(zip bomb?)")
            total += info.file_size
            if total > max_total_size:
                raise UnsafeZip(f"more than {max_total_size} bytes once uncompressed")
            entries[info.filename] = Entry(info.filename, info.file_size)
            folded.add(info.filename.lower())
        return entries

    def read(self, name: str, limit: int | None = None) -> bytes:
        """An entry's bytes, reading at most `limit` (or the entry limit) + 1 bytes."""
        cap = min(limit or self.max_entry_size, self.max_entry_size)
        with self.zf.open(name) as f:
            data = f.read(cap + 1)
        if len(data) > cap:
            raise UnsafeZip(f"'{name}': larger than {cap} bytes")
        return data

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
