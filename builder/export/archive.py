"""Reproducible zip files, and a careful reader for zips that may be hostile.

Writing: `imsmanifest.xml` first, then every file in sorted order, forward slashes only,
one fixed timestamp (SOURCE_DATE_EPOCH, else 1980-01-01), fixed permissions, so two
exports of the same source are byte-identical. The zip is written beside its final name,
then renamed.

Reading: nothing is ever extracted. Names are checked (no absolute paths, no `..`, no
backslashes, no drive letters, no duplicates), symlinks and encrypted entries are refused,
and the number of entries, their sizes and the total are bounded before any byte is read.
`damaged()` then reads every entry through once and names each one whose bytes do not
match its CRC-32 (or do not decompress); a damaged entry is never handed out by `read`.
Every failure of the zip layer is an `UnsafeZip` with a message, never zipfile's or
zlib's own exception.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import stat
import struct
import time
import zipfile
import zlib
from collections import OrderedDict
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


LEVEL = 6  # deflate level of every entry: zlib's default; 9 took twice as long for 1% less
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile's structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive
_MODE = (stat.S_IFREG | 0o644) << 16  # a plain file, rw-r--r--, read by unzip on unix
_SMALL = 1 << 30  # entries and archives below this need no zip64 fields


class _Deflated:
    """Each entry's deflate stream and CRC, kept by the digest of its bytes: the packages of
    one build share most files (the theme's CSS and scripts, pages that several formats
    hold as they are), which are compressed once. Holds `budget` compressed bytes at most,
    the least recently used going first."""

    def __init__(self, budget: int = 64 * 1024 * 1024) -> None:
        self.budget = budget
        self.held = 0
        self._streams: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()

    def get(self, data: bytes) -> tuple[int, bytes]:
        key = hashlib.blake2b(data, digest_size=20).digest()
        found = self._streams.get(key)
        if found is not None:
            self._streams.move_to_end(key)
            return found
        packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)  # as zipfile's, byte for byte
        made = (zlib.crc32(data), packer.compress(data) + packer.flush())
        self._streams[key] = made
        self.held += len(made[1])
        while self.held > self.budget and self._streams:
            self.held -= len(self._streams.popitem(last=False)[1][1])
        return made


_DEFLATED = _Deflated()


def write_zip(target: Path, files: dict[str, bytes]) -> Path:
    """Write `files` (package path -> bytes) as a reproducible zip at `target`: the bytes
    zipfile writes for the same entries (a test compares them), each entry's stream taken
    from the build's earlier packages when one held the same bytes (_Deflated)."""
    when = zip_timestamp()
    names = sorted(files, key=lambda n: (n != MANIFEST, n))
    for name in names:
        why = check_name(name)
        if why is not None:
            raise ExportError(f"bad path in package: {why}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if len(names) < 0xFFFF and sum(len(files[n]) for n in names) < _SMALL:
            _write_small(partial, names, files, when)
        else:  # zip64 fields: zipfile's own way
            _write_zipfile(partial, names, files, when)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _write_zipfile(path: Path, names: list[str], files: dict[str, bytes],
                   when: tuple[int, int, int, int, int, int]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permissions below are read
            info.external_attr = _MODE
            zf.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED,
                        compresslevel=LEVEL)


def _write_small(path: Path, names: list[str], files: dict[str, bytes],
                 when: tuple[int, int, int, int, int, int]) -> None:
    """The zip that _write_zipfile writes, without zip64 fields (under 1 GiB)."""
    dosdate = (when[0] - 1980) << 9 | when[1] << 5 | when[2]
    dostime = when[3] << 11 | when[4] << 5 | (when[5] // 2)
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in names:
        data = files[name]
        crc, stream = _DEFLATED.get(data)
        try:
            raw, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw, flags = name.encode("utf-8"), 0x800
        header = _LOCAL.pack(b"PK\x03\x04", 20, 0, flags, zipfile.ZIP_DEFLATED, dostime,
                             dosdate, crc, len(stream), len(data), len(raw), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 3, 20, 0, flags,
                                     zipfile.ZIP_DEFLATED, dostime, dosdate, crc,
                                     len(stream), len(data), len(raw), 0, 0, 0, 0, _MODE,
                                     offset) + raw)
        out += (header, raw, stream)
        offset += len(header) + len(raw) + len(stream)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(names), len(names),
                                 len(directory), offset, 0))
    path.write_bytes(b"".join(out))


@dataclass(frozen=True)
class Entry:
    name: str
    size: int


class UnsafeZip(Exception):
    """The zip cannot be read safely; the message says why."""


# What zipfile and its decompressors raise on damaged bytes.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, struct.error, EOFError,
                OSError, ValueError, NotImplementedError, RuntimeError)
_CHUNK = 1024 * 1024


def _why(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile) and text.startswith("Bad CRC-32"):
        return "its bytes do not match its CRC-32 checksum"
    if isinstance(exc, zlib.error | lzma.LZMAError | EOFError):
        return f"its compressed bytes cannot be decompressed ({text or 'truncated'})"
    if isinstance(exc, NotImplementedError):
        return f"{text[:1].lower()}{text[1:]}" if text else "unsupported compression"
    return text or type(exc).__name__


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
        self._damaged: dict[str, str] | None = None
        try:
            self.zf = zipfile.ZipFile(path)
        except _READ_ERRORS as exc:
            raise UnsafeZip(f"not a readable zip file ({_why(exc)})") from None
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

    def damaged(self) -> dict[str, str]:
        """Entry name -> why its bytes cannot be trusted, for every entry whose data does
        not decompress or does not match its CRC-32 (read once, in chunks; kept)."""
        if self._damaged is None:
            self._damaged = {}
            for name, entry in self.entries.items():
                try:
                    with self.zf.open(name) as f:
                        read = 0
                        while chunk := f.read(_CHUNK):
                            read += len(chunk)
                            if read > entry.size:
                                raise UnsafeZip("more bytes than its size in the directory")
                    if read != entry.size:
                        raise UnsafeZip(f"{read} bytes where the directory says "
                                        f"{entry.size}")
                    self._check_stream_end(self.zf.getinfo(name))
                except UnsafeZip as exc:
                    self._damaged[name] = str(exc)
                except _READ_ERRORS as exc:
                    self._damaged[name] = _why(exc)
        return self._damaged

    def _check_stream_end(self, info: zipfile.ZipInfo) -> None:
        """A deflated entry's stream must end where its data ends: zipfile stops at the
        size the directory gives, other unzippers (the LMS's) read on to the end mark."""
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return
        with open(self.path, "rb") as f:
            f.seek(info.header_offset)
            header = f.read(30)
            name_len, extra_len = struct.unpack("<26xHH", header)
            f.seek(name_len + extra_len, os.SEEK_CUR)
            inflate = zlib.decompressobj(-15)
            left, out = info.compress_size, 0
            while left > 0 and not inflate.eof:
                chunk = f.read(min(left, _CHUNK))
                if not chunk:
                    break
                left -= len(chunk)
                data = inflate.decompress(chunk, info.file_size + 1 - out)
                out += len(data)
                while inflate.unconsumed_tail and out <= info.file_size:
                    data = inflate.decompress(inflate.unconsumed_tail,
                                              info.file_size + 1 - out)
                    out += len(data)
                if out > info.file_size:
                    break
        if out != info.file_size or not inflate.eof or left or inflate.unused_data:
            raise UnsafeZip("its compressed bytes do not end where the zip says they do")

    def read(self, name: str, limit: int | None = None) -> bytes:
        """An entry's bytes, reading at most `limit` (or the entry limit) + 1 bytes."""
        cap = min(limit or self.max_entry_size, self.max_entry_size)
        why = self.damaged().get(name)
        if why is not None:
            raise UnsafeZip(f"'{name}' is damaged: {why}")
        try:
            with self.zf.open(name) as f:
                data = f.read(cap + 1)
        except _READ_ERRORS as exc:
            raise UnsafeZip(f"'{name}' is damaged: {_why(exc)}") from None
        if len(data) > cap:
            raise UnsafeZip(f"'{name}': larger than {cap} bytes")
        return data

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
