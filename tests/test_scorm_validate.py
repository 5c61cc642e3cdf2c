"""`mooc validate`: hostile zips are refused without extracting anything, and the checks
the XSDs miss (references, files, scormtype) find what breaks an import."""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import Problem
from builder.export.archive import SafeZip, UnsafeZip
from builder.export.validate import SCHEMAS, validate_package

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>T</title>
      <item identifier="i1" identifierref="r1"><title>One</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="launch.html">
      <file href="launch.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>T</title>
      <item identifier="top"><title>All</title>
        <item identifier="i1" identifierref="r1"><title>One</title></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="launch.html">
      <file href="launch.html"/>
    </resource>
  </resources>
</manifest>
"""


def make_zip(path: Path, entries: dict[str, bytes | str],
             modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (modes or {}).get(name, stat.S_IFREG | 0o644) << 16
            zf.writestr(info, data)
    return path


def package(tmp_path: Path, manifest: str = MANIFEST_12, **extra: bytes | str) -> Path:
    files: dict[str, bytes | str] = {"imsmanifest.xml": manifest,
                                     "launch.html": "<!doctype html><p>hi</p>"}
    files.update(extra)
    return make_zip(tmp_path / "p.zip", files)


def messages(path: Path, schemas: Path | None = None) -> tuple[list[str], list[str]]:
    _version, problems = validate_package(path, schemas)
    return ([p.message for p in problems if p.severity == "error"],
            [p.message for p in problems if p.severity == "warning"])


@pytest.mark.parametrize("manifest", [MANIFEST_12, MANIFEST_2004])
def test_minimal_packages_are_valid(tmp_path: Path, manifest: str) -> None:
    assert messages(package(tmp_path, manifest), SCHEMAS) == ([], [])


# ---------------------------------------------------------------- hostile zips

@pytest.mark.parametrize(("name", "why"), [
    ("../evil.html", "'..' in a path"),
    ("a/../../evil.html", "'..' in a path"),
    ("/etc/evil.html", "absolute path"),
    ("C:/evil.html", "absolute path"),
    ("assets\\evil.html", "backslash"),
    ("bad\x01name.html", "control character"),
])
def test_dangerous_names_are_refused(tmp_path: Path, name: str, why: str) -> None:
    zip_path = package(tmp_path, **{name: "x"})
    errors, _ = messages(zip_path)
    assert len(errors) == 1 and "unsafe" in errors[0] and why in errors[0]
    assert not (tmp_path.parent / "evil.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zip"]  # nothing extracted


def test_symlinks_duplicates_and_encrypted_entries_are_refused(tmp_path: Path) -> None:
    link = make_zip(tmp_path / "link.zip", {"imsmanifest.xml": MANIFEST_12,
                                            "launch.html": "/etc/passwd"},
                    {"launch.html": stat.S_IFLNK | 0o777})
    assert "symbolic link" in messages(link)[0][0]
    dup = make_zip(tmp_path / "dup.zip", {"imsmanifest.xml": MANIFEST_12, "A.html": "1",
                                          "a.html": "2"})
    assert "differs only by case" in messages(dup)[0][0]
    enc = package(tmp_path)
    data = bytearray(enc.read_bytes())
    with zipfile.ZipFile(enc) as zf:
        offset = zf.getinfo("launch.html").header_offset
    central = data.rfind(b"PK\x01\x02")  # the last central directory entry (launch.html)
    data[central + 8] |= 0x1
    data[offset + 6] |= 0x1
    enc.write_bytes(bytes(data))
    assert "encrypted" in messages(enc)[0][0]


def test_zip_bombs_and_oversized_archives_are_refused(tmp_path: Path) -> None:
    bomb = package(tmp_path, **{"big.bin": b"\0" * (8 * 1024 * 1024)})
    assert "zip bomb" in messages(bomb)[0][0]
    many = make_zip(tmp_path / "many.zip", {f"f{i}.txt": "x" for i in range(30)})
    with pytest.raises(UnsafeZip, match="30 entries"):
        SafeZip(many, max_entries=20)
    with pytest.raises(UnsafeZip, match="bytes"):
        SafeZip(package(tmp_path, **{"x.txt": "x" * 100}), max_entry_size=50)
    with pytest.raises(UnsafeZip, match="once uncompressed"):
        SafeZip(many, max_total_size=10)
    with SafeZip(package(tmp_path, **{"x.txt": "x" * 100})) as zf, \
            pytest.raises(UnsafeZip, match="larger than"):
        zf.read("x.txt", limit=10)


def test_not_a_zip_and_missing_or_nested_manifest(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    assert "not a readable zip" in messages(junk)[0][0]
    assert "no such file" in messages(tmp_path / "missing.zip")[0][0]
    nested = make_zip(tmp_path / "n.zip", {"course/imsmanifest.xml": MANIFEST_12,
                                           "course/launch.html": "x"})
    assert "zip the folder's content" in messages(nested)[0][0]


def test_manifest_with_entities_is_refused(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>')
    assert "DOCTYPE" in messages(package(tmp_path, laughs))[0][0]
    assert "not well-formed" in messages(package(tmp_path, "<manifest>"))[0][0]


# ---------------------------------------------------------------- what the XSDs miss

@pytest.mark.parametrize(("manifest", "change", "expected"), [
    (MANIFEST_12, ('identifierref="r1"', 'identifierref="r2"'), "names no resource"),
    (MANIFEST_12, ('<file href="launch.html"/>', '<file href="gone.html"/>'),
     "'gone.html' is not in the zip"),
    (MANIFEST_12, ('href="launch.html">', 'href="nowhere.html">'), "is not in the zip"),
    (MANIFEST_12, (' adlcp:scormtype="sco"', ""), "has no adlcp:scormtype"),
    (MANIFEST_12, ('adlcp:scormtype="sco"', 'adlcp:scormType="sco"'),
     "other SCORM version's spelling"),
    (MANIFEST_12, ('<file href="launch.html"/>', '<file href="../launch.html"/>'),
     "'..' in a path"),
    (MANIFEST_12, ('<file href="launch.html"/>', '<file href="/launch.html"/>'),
     "absolute path"),
    (MANIFEST_12, ('default="org"', 'default="nope"'), "names no organization"),
    (MANIFEST_12, ('identifier="i1"', 'identifier="r1"'), "used twice"),
    (MANIFEST_2004, ('<item identifier="top">', '<item identifier="top" identifierref="r1">'),
     "cannot have an identifierref in SCORM 2004"),
    (MANIFEST_2004, ('adlcp:scormType="sco"', 'adlcp:scormtype="sco"'),
     "has no adlcp:scormType"),
])
def test_structural_errors(tmp_path: Path, manifest: str, change: tuple[str, str],
                           expected: str) -> None:
    assert change[0] in manifest
    errors, _ = messages(package(tmp_path, manifest.replace(*change)))
    assert any(expected in e for e in errors), errors


def test_hrefs_are_urls(tmp_path: Path) -> None:
    manifest = MANIFEST_12.replace('<file href="launch.html"/>',
                                   '<file href="launch.html"/><file href="my%20page.html"/>')
    assert messages(package(tmp_path, manifest, **{"my page.html": "x"})) == ([], [])
    sneaky = MANIFEST_12.replace('<file href="launch.html"/>', '<file href="%2e%2e/x"/>')
    assert any("'..' in a path" in e for e in messages(package(tmp_path, sneaky))[0])


def test_warnings_for_unlisted_files_and_remote_resources(tmp_path: Path) -> None:
    page = '<script src="https://cdn.example.com/x.js"></script>'
    zip_path = package(tmp_path, **{"extra.html": page})
    errors, warnings = messages(zip_path)
    assert errors == []
    assert any("in no resource: extra.html" in w for w in warnings)
    assert any("another host" in w for w in warnings)


def test_xsd_errors_are_reported(tmp_path: Path) -> None:
    bad = MANIFEST_12.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="lesson"')
    errors, _ = messages(package(tmp_path, bad), SCHEMAS)
    assert any(e.startswith("XSD:") and "scormtype" in e for e in errors)


@pytest.mark.parametrize("manifest", [MANIFEST_12, MANIFEST_2004], ids=["1.2", "2004"])
def test_the_shipped_xsds_are_checked_by_default(tmp_path: Path, manifest: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """No --schemas: the copies inside the package are used (an LMS admin has no other)."""
    bad = manifest.replace("<title>T</title>", "<title>T</title><colour>red</colour>")
    errors, _ = messages(package(tmp_path, bad))
    assert any(e.startswith("XSD:") and "colour" in e for e in errors), errors
    assert main(["validate", str(package(tmp_path, manifest))]) == 0
    assert "(structure and XSD;" in capsys.readouterr().out


def test_the_shipped_xsds_are_the_official_files() -> None:
    """Byte for byte what SHA256SUMS lists, nothing unlisted, notices beside them."""
    listed = {}
    for line in (SCHEMAS / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split("  ./")
        listed[name] = digest
    found = {p.relative_to(SCHEMAS).as_posix() for p in SCHEMAS.rglob("*.xsd")}
    assert found == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest, name
    for notice in ("README.md", "scorm-schemas-README.md", "cc-schemas-README.md"):
        assert (SCHEMAS / notice).stat().st_size > 1000


def test_the_shipped_cc_schemas_load_offline() -> None:
    """The Common Cartridge 1.1 manifest and QTI schemas need no file left out, nor the
    network (allow='local')."""
    import xmlschema

    for entry, namespace in [
            ("cc11libxml2validator.xsd", "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"),
            ("ccv1p1_qtiasiv1p2p1_v1p0.xsd",
             "http://www.imsglobal.org/xsd/ims_qtiasiv1p2")]:
        schema = xmlschema.XMLSchema10(str(SCHEMAS / "cc11" / entry), allow="local")
        assert namespace in schema.maps.namespaces, entry


def test_validate_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = package(tmp_path)
    bad = make_zip(tmp_path / "bad.zip", {"../x": "x"})
    assert main(["validate", str(good), "--schemas", str(SCHEMAS)]) == 0
    assert "valid SCORM 1.2 package" in capsys.readouterr().out
    assert main(["validate", str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.zip: NOT valid" in err and "'..' in a path" in err
    assert main(["validate", str(good), "--schemas", str(tmp_path / "none")]) == 1


# ---------------------------------------------------------------- damaged packages

def data_span(zip_bytes: bytes, info: zipfile.ZipInfo) -> range:
    """Where an entry's compressed bytes lie in the zip."""
    at = info.header_offset
    start = at + 30 + int.from_bytes(zip_bytes[at + 26:at + 28], "little") \
        + int.from_bytes(zip_bytes[at + 28:at + 30], "little")
    return range(start, start + info.compress_size)


def damage(path: Path, name: str, target: Path | None = None) -> Path:
    """A copy of the zip at `path` with four bytes of `name`'s compressed data flipped."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        span = data_span(bytes(data), zf.getinfo(name))
    middle = span.start + len(span) // 2
    for i in range(middle, middle + 4):
        data[i] ^= 0xFF
    out = target or path
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("name", ["imsmanifest.xml", "launch.html", "assets/mooc.css"])
def test_every_entry_crc_is_checked(tmp_path: Path, name: str) -> None:
    text = "body { color: #222; background: #fff; margin: 0 auto; } " * 40
    zip_path = package(tmp_path, **{"assets/mooc.css": text,
                                    "launch.html": "<!doctype html><p>hi</p>" + "x" * 300})
    damage(zip_path, name)
    version, problems = validate_package(zip_path)
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.path == f"{zip_path}:{name}" and "damaged" in p.message for p in errors), \
        problems
    assert all(str(p).startswith(f"{zip_path}") for p in problems)
    if name == "imsmanifest.xml":
        assert version is None


def test_a_damaged_package_does_not_stop_the_next(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    good = package(tmp_path)
    broken = damage(good, "imsmanifest.xml", tmp_path / "broken.zip")
    other = make_zip(tmp_path / "other.zip", {"imsmanifest.xml": MANIFEST_2004,
                                              "launch.html": "<p>x</p>"})
    assert main(["validate", str(broken), str(other), str(good)]) == 1
    out, err = capsys.readouterr()
    assert f"{broken}:imsmanifest.xml: damaged" in err
    assert "Traceback" not in err and "zlib" not in err
    assert f"{broken}: NOT valid" in err
    assert f"{other}: valid SCORM 2004 package" in out
    assert f"{good}: valid SCORM 1.2 package" in out


def test_any_flipped_byte_gives_messages_not_exceptions(tmp_path: Path) -> None:
    """Every single byte of a small package inverted in turn: never an exception, and
    a package whose content changed is never called valid."""
    good = package(tmp_path, **{"assets/mooc.css": "p { color: #333 } " * 20})
    data = good.read_bytes()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as zf:
        spans = [data_span(data, info) for info in zf.infolist()]
    for offset in range(len(data)):
        flipped = bytearray(data)
        flipped[offset] ^= 0xFF
        bad.write_bytes(bytes(flipped))
        _version, problems = validate_package(bad)
        assert all(isinstance(p, Problem) for p in problems)
        span = next((span for span in spans if offset in span), None)
        if span is not None and not same_content(data[span.start:span.stop],
                                                 flipped[span.start:span.stop]):
            assert any(p.severity == "error" for p in problems), (offset, problems)


def same_content(deflated: bytes, changed: bytes) -> bool:
    """Whether two deflate streams give the same bytes (a flip in the bits after the last
    byte the entry needs, such as the end-of-stream marker, changes nothing)."""
    try:
        return zlib.decompressobj(-15).decompress(changed) == zlib.decompress(deflated, -15)
    except zlib.error:
        return False
