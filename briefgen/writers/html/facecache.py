"""Subset faces kept between builds, so that a pack rebuilt with the same text (watch, a
re-run, a folder of packs in one language) does not cut and compress its faces again.

A subset is a function of the face file, the characters and the libraries that make it:
its file in the cache is named by a hash of all three, so an entry never goes stale.
The cache is ``$BRIEFGEN_CACHE_DIR/html-faces``, else ``$XDG_CACHE_HOME/briefgen/...``,
else ``~/.cache/briefgen/...``; ``BRIEFGEN_CACHE_DIR=off`` keeps nothing on disk. Entries
are written whole (a temporary file renamed), the least recently used beyond
``MAX_ENTRIES`` are removed, and a cache that cannot be read or written is passed by:
the page's bytes are the same either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path

CACHE_VARIABLE = "BRIEFGEN_CACHE_DIR"
FOLDER = "html-faces"
MAX_ENTRIES = 256
_IN_MEMORY = 32
_FORMAT = b"briefgen-html-face-1"  # changes when what a subset holds changes
_LIBRARIES = ("uharfbuzz", "fontTools", "brotli")  # as imported

Maker = Callable[[bytes, frozenset[int]], bytes]
"""Makes a subset: the face file's bytes and the code points to keep -> WOFF2 bytes."""

_memory: OrderedDict[str, bytes] = OrderedDict()


def cached_subset(path: Path, characters: frozenset[int], make: Maker) -> bytes:
    """The subset of the face at ``path`` for ``characters``: kept in this process, else
    read from the cache folder, else made with ``make`` and kept."""
    data = path.read_bytes()
    key = _key(data, characters)
    found = _memory.get(key)
    if found is None:
        folder = cache_folder()
        found = _read(folder / f"{key}.woff2") if folder is not None else None
        if found is None:
            found = make(data, characters)
            if folder is not None:
                _write(folder, key, found)
    _memory[key] = found
    _memory.move_to_end(key)
    while len(_memory) > _IN_MEMORY:
        _memory.popitem(last=False)
    return found


def cache_folder() -> Path | None:
    """Where subsets are kept between builds, or None when the user turned it off."""
    chosen = os.environ.get(CACHE_VARIABLE, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen) / FOLDER
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "briefgen" / FOLDER


def _key(data: bytes, characters: frozenset[int]) -> str:
    digest = hashlib.sha256(_FORMAT)
    digest.update(_versions())
    digest.update(hashlib.sha256(data).digest())
    digest.update(",".join(map(str, sorted(characters))).encode("ascii"))
    return digest.hexdigest()


@cache
def _versions() -> bytes:
    """Which libraries make the subsets: each one's installed file, its size and time
    (a new version is new files; asking the packaging metadata costs tenths of a second)."""
    from importlib.util import find_spec

    found = []
    for name in _LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            found.append(f"{name}=?")
            continue
        status = os.stat(origin)
        found.append(f"{name}={origin}:{status.st_size}:{status.st_mtime_ns}")
    return ";".join(found).encode("utf-8", "surrogateescape")


def _read(path: Path) -> bytes | None:
    """A whole WOFF2 file (its header's length is its size), or None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < 12 or data[:4] != b"wOF2" or struct.unpack(">I", data[8:12])[0] != len(data):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept longest
    return data


def _write(folder: Path, key: str, data: bytes) -> None:
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, folder / f"{key}.woff2")
        temporary = None
        _prune(folder)
    except OSError:
        return
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    """Remove the least recently used entries beyond ``MAX_ENTRIES``, and temporary files
    that a killed build left an hour ago or more."""
    entries, now = [], time.time()
    for entry in os.scandir(folder):
        modified = entry.stat().st_mtime
        if entry.name.endswith(".woff2"):
            entries.append((modified, entry.path))
        elif entry.name.endswith(".tmp") and now - modified > 3600:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    for _, stale in sorted(entries)[: max(len(entries) - MAX_ENTRIES, 0)]:
        with contextlib.suppress(OSError):
            os.unlink(stale)
