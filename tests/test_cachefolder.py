"""What builds keep in the cache folder: parsed faces and hyphenation patterns, read
back by later builds, never changing what a build writes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyphen
import pytest

from briefgen import cachefolder
from briefgen.cachefolder import CACHE_VARIABLE, cache_folder, kept_parse, write_entry
from briefgen.text import hyphenation
from tests.test_hyphenation import SESSION as HYPHENATED_SESSION


class _Parses:
    """A parse that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"parsed": self.calls}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    return tmp_path


def _kept(parse: _Parses, source: bytes = b"file") -> dict[str, int]:
    return kept_parse("things", b"form-1", source, ("pyphen",), parse, dict)


def test_a_parse_is_kept_and_read_back(cache: Path) -> None:
    parse = _Parses()
    assert _kept(parse) == {"parsed": 1}
    assert _kept(parse) == {"parsed": 1} and parse.calls == 1
    assert _kept(parse, b"another file") == {"parsed": 2}  # named by what it was made from
    assert len(list((cache / "things").glob("*.pickle"))) == 2


def test_a_damaged_or_foreign_entry_is_parsed_again(cache: Path) -> None:
    parse = _Parses()
    _kept(parse)
    (entry,) = (cache / "things").glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:-5])
    assert _kept(parse) == {"parsed": 2}
    entry.write_bytes(b"\x80\x05N.")  # a pickle of None: not what the caller expects
    assert _kept(parse) == {"parsed": 3}
    assert _kept(parse) == {"parsed": 3}  # and the entry was written again


def test_a_cache_that_cannot_be_written_or_is_off_is_passed_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    parse = _Parses()
    assert _kept(parse) == {"parsed": 1} and _kept(parse) == {"parsed": 2}
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert cache_folder("things") is None
    assert _kept(parse) == {"parsed": 3}
    monkeypatch.delenv(CACHE_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder("things") == tmp_path / "xdg" / "briefgen" / "things"


def test_the_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    folder = tmp_path / "faces"
    for number in range(5):
        write_entry(folder / f"k{number}.woff2", b"wOF2" + bytes(8), keep=3)
        os.utime(folder / f"k{number}.woff2", (number, number))
    (folder / ".left-by-a-killed-build.tmp").write_bytes(b"")
    os.utime(folder / ".left-by-a-killed-build.tmp", (0, 0))
    (folder / "other.pickle").write_bytes(b"")  # another suffix: not counted
    write_entry(folder / "k5.woff2", b"wOF2" + bytes(8), keep=3)
    assert sorted(p.name for p in folder.iterdir()) == [
        "k3.woff2",
        "k4.woff2",
        "k5.woff2",
        "other.pickle",
    ]


def test_an_entry_another_build_removes_while_pruning_is_passed_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds of a folder prune one cache folder at once: an entry gone between the
    listing and its reading is passed by, the rest pruned, the listing closed (an
    unclosed one is a ResourceWarning, an error in the tests)."""
    folder = tmp_path / "faces"
    for number in range(4):
        write_entry(folder / f"k{number}.woff2", b"wOF2" + bytes(8), keep=10)
        os.utime(folder / f"k{number}.woff2", (number, number))
    listed = os.scandir
    closed: list[bool] = []

    class Racing:
        """The folder's listing, in which another build removes k1 once it is listed."""

        def __init__(self, path: Path) -> None:
            self.entries = listed(path)

        def __enter__(self) -> Racing:
            return self

        def __exit__(self, *_: object) -> None:
            self.entries.close()
            closed.append(True)

        def __iter__(self) -> Iterator[os.DirEntry[str]]:
            for entry in self.entries:
                if entry.name == "k1.woff2":
                    os.unlink(entry.path)
                yield entry

    monkeypatch.setattr(cachefolder.os, "scandir", Racing)
    write_entry(folder / "k4.woff2", b"wOF2" + bytes(8), keep=2)
    assert sorted(p.name for p in folder.iterdir()) == ["k3.woff2", "k4.woff2"]
    assert closed == [True]


def test_a_new_library_version_makes_new_entries(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = _Parses()
    _kept(parse)
    monkeypatch.setattr(cachefolder, "library_stamp", lambda name: f"{name}=new".encode())
    assert _kept(parse) == {"parsed": 2}


def _not_parsed_again(*_: object) -> None:
    raise AssertionError("the dictionary was parsed again")


@pytest.mark.parametrize("dictionary", ["en_US", "hu_HU"])  # hu_HU has nonstandard hyphens
def test_kept_hyphenation_patterns_are_the_parsed_ones(
    dictionary: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pyphen.LANGUAGES[dictionary]
    parsed = pyphen.HyphDict(path)
    for attempt in ("parsed and kept", "read back"):
        monkeypatch.setattr(pyphen, "hdcache", {})
        hyphenation._rules.cache_clear()
        if attempt == "read back":
            monkeypatch.setattr(pyphen.HyphDict, "__init__", _not_parsed_again)
        rules = hyphenation._rules(dictionary)
        assert rules.hd.patterns == parsed.patterns and rules.hd.maxlen == parsed.maxlen
        alternatives = {
            key: [(value, getattr(value, "data", None)) for value in values]
            for key, (_, values) in parsed.patterns.items()
        }
        assert alternatives == {
            key: [(value, getattr(value, "data", None)) for value in values]
            for key, (_, values) in rules.hd.patterns.items()
        }
        assert len(list((cache / "hyphenation").glob("*.pickle"))) == 1
    hyphenation._rules.cache_clear()


def test_a_pack_is_the_same_bytes_with_the_cache_cold_warm_or_off(tmp_path: Path) -> None:
    """Whole builds, each in its own process (faces and rules are read once per process),
    of a pack whose words are hyphenated."""
    source = tmp_path / "hyphens.yaml"
    source.write_text(HYPHENATED_SESSION, encoding="utf-8")
    cache = tmp_path / "cache"

    def build(cache_setting: str, output: str) -> bytes:
        environment = {**os.environ, CACHE_VARIABLE: cache_setting}
        command = [sys.executable, "-m", "briefgen", "build", str(source), "--format", "pdf"]
        command += ["--output-dir", str(tmp_path / output), "-q"]
        subprocess.run(command, env=environment, capture_output=True, check=True)
        return next((tmp_path / output).glob("*/*.pdf")).read_bytes()

    cold = build(str(cache), "cold")
    assert len(list((cache / "pdf-faces").glob("*.pickle"))) >= 4
    assert len(list((cache / "hyphenation").glob("*.pickle"))) == 1
    assert build(str(cache), "warm") == cold
    assert build("off", "off") == cold
