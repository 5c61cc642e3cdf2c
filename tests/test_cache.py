"""The cache of parsed files and rendered quizzes (builder/cache.py): it is used, it never
serves a stale entry, it changes nothing in the output, and a damaged or crafted cache
file is ignored."""

from __future__ import annotations

import io
import os
import pickle
import shutil
from pathlib import Path

import pytest

from builder.cache import BuildCache
from builder.cli import main
from builder.loaders import load_project
from builder.pipeline import Settings

from .test_build import tree_digest
from .test_checks import edit, run_check


def _load(root: Path) -> tuple[BuildCache, list[str]]:
    """Load the course with a cache in root/.cache/mooc; the cache and the problems."""
    settings = Settings.at(root)
    cache = settings.cache("files")
    assert cache is not None
    _, problems = load_project(settings.course_file, settings.quizzes_dir, root, cache=cache)
    cache.save()
    return cache, [str(p) for p in problems]


def test_second_load_reads_every_file_from_the_cache(mini_course: Path) -> None:
    root = mini_course.parent
    first, _ = _load(root)
    assert (first.hits, first.misses) == (0, 5)  # 3 pages and 2 quizzes
    second, _ = _load(root)
    assert (second.hits, second.misses) == (5, 0)


def test_an_edited_file_is_read_again_and_its_problems_come_back(mini_course: Path) -> None:
    root = mini_course.parent
    _load(root)
    edit(root, "quizzes/en/basics/inline.yml", "answer: true", "anwser: true")
    cache, problems = _load(root)
    assert (cache.hits, cache.misses) == (4, 1)
    expected = [p for p in problems if "anwser" in p]
    assert expected and expected[0].startswith("quizzes/en/basics/inline.yml:5: ")
    again, problems_again = _load(root)  # the problem is kept with the entry
    assert (again.hits, again.misses) == (5, 0)
    assert problems_again == problems


def test_another_builder_version_finds_nothing(mini_course: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = mini_course.parent
    _load(root)
    monkeypatch.setattr(BuildCache, "_version", "another builder")
    cache, _ = _load(root)
    assert (cache.hits, cache.misses) == (0, 5)


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_is_ignored_and_replaced(mini_course: Path, content: bytes) -> None:
    root = mini_course.parent
    _load(root)
    path = root / ".cache/mooc/files.pickle"
    path.write_bytes(content)
    cache, problems = _load(root)
    assert (cache.hits, cache.misses, problems) == (0, 5, [])
    assert _load(root)[0].hits == 5  # written again, whole


class _Payload:
    """Unpickled, calls `call(*args)`."""

    def __init__(self, call: object, *args: object) -> None:
        self.call, self.args = call, args

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (self.call, self.args)


@pytest.mark.parametrize("attack", ["os.system", "Path.unlink", "Path.write_text"])
def test_a_crafted_cache_cannot_run_code(mini_course: Path, attack: str) -> None:
    root = mini_course.parent
    _load(root)
    victim = root / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    payload = {"os.system": _Payload(os.system, f"rm {victim}"),
               "Path.unlink": _Payload(Path.unlink, victim),  # pickled as pathlib/Path.unlink
               "Path.write_text": _Payload(Path.write_text, victim, "overwritten")}[attack]
    path = root / ".cache/mooc/files.pickle"
    path.write_bytes(pickle.dumps((BuildCache.code_version(), {"k": payload})))
    cache, _ = _load(root)
    assert victim.read_text(encoding="utf-8") == "kept"
    assert cache.misses == 5


def test_question_types_are_allowed_but_not_what_their_modules_import() -> None:
    from builder.cache import _Unpickler
    from builder.questions.matching import Pair

    def load(module: str, name: str) -> object:
        """A pickle that names one global (protocol 0's GLOBAL opcode)."""
        return _Unpickler(io.BytesIO(f"c{module}\n{name}\n.".encode())).load()

    assert load("builder.questions.matching", "Pair") is Pair
    for module, name in [("builder.questions.base", "Reader"),  # imported from yamlsrc
                         ("builder.questions.base", "random"), ("builder.questions", "TYPES"),
                         ("builder.questionsx", "Pair")]:
        with pytest.raises(pickle.UnpicklingError, match="not allowed"):
            load(module, name)


def test_builds_with_and_without_the_cache_are_identical(
        mini_course: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = mini_course.parent
    sites = []
    for n in range(3):  # a cold cache, a warm one, then none at all
        if n == 1:
            assert sorted(p.name for p in (root / ".cache/mooc").iterdir()) == [
                "files.pickle", "quizzes-en.pickle"]
        if n == 2:
            shutil.rmtree(root / ".cache")
            edit(root, "mkdocs.yml", "  - mooc\n", "  - mooc:\n      cache: false\n")
        site = root / f"out{n}"
        assert main(["build", "-f", str(mini_course), "-d", str(site)]) == 0
        # what varies between any two builds (README): the sitemap's date, export times
        sites.append({k: v for k, v in tree_digest(site).items()
                      if not k.startswith("sitemap") and k != "downloads/packages.json"})
    assert sites[0] == sites[1] == sites[2]
    assert not (root / ".cache").exists()  # `cache: false` wrote none


def test_warnings_come_back_from_the_cache(mini_course: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = mini_course.parent
    (root / "quizzes/en/basics/unused.yml").write_text(
        "title: Unused\nquestions:\n  - {type: true-false, prompt: Yes?, answer: true}\n",
        encoding="utf-8")
    first = run_check(mini_course, capsys)
    second = run_check(mini_course, capsys)
    assert first == second
    assert first[0] == 0 and "unused" in first[1]


class _Counted:
    """A text that counts how often it is hashed (a quiz's key hashes the whole quiz);
    equal to the text itself, which the cache file holds."""

    hashed = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        _Counted.hashed += 1
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return (other.name if isinstance(other, _Counted) else other) == self.name


def test_an_entry_is_looked_up_with_one_hash_of_its_key(tmp_path: Path) -> None:
    path = tmp_path / "scope.pickle"
    first = BuildCache(path)
    assert first.get((1, "a"), lambda: "made") == "made"
    first.save()
    second = BuildCache(path)  # reading the file hashes each key once, as any dict
    key = (1, _Counted("a"))
    _Counted.hashed = 0
    assert second.get(key, lambda: "again") == "made"
    assert second.get(key, lambda: "again") == "made"  # used twice in one build
    assert (second.hits, second.misses, _Counted.hashed) == (2, 0, 2)
    mtime = path.stat().st_mtime_ns
    second.save()  # the same entries: not written again, nor their keys hashed
    assert (path.stat().st_mtime_ns, _Counted.hashed) == (mtime, 2)
    assert BuildCache(path).get((1, _Counted("a")), lambda: "again") == "made"
    third = BuildCache(path)
    assert third.get((2, "b"), lambda: "new") == "new"
    third.save()  # an entry made: written, with only the entries this build used
    assert BuildCache(path).get((1, "a"), lambda: "gone") == "gone"
    assert BuildCache(path).get((2, "b"), lambda: "lost") == "new"
