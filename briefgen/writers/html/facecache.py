"""Subset faces kept between builds, so that a pack rebuilt with the same text (watch, a
re-run, a folder of packs in one language) does not cut and compress its faces again.

A subset is a function of the face file, the characters and the libraries that make it:
its file in the cache folder ``html-faces`` (``briefgen.cachefolder``) is named by a
hash of all three, so an entry never goes stale. At most ``MAX_ENTRIES`` are kept, and
a cache that cannot be read or written is passed by: the page's bytes are the same
either way.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from briefgen.cachefolder import cache_folder, entry_key, read_entry, write_entry

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
    key = entry_key((_FORMAT, data, _code_points(characters)), _LIBRARIES)
    found = _memory.get(key)
    if found is None:
        folder = cache_folder(FOLDER)
        entry = None if folder is None else folder / f"{key}.woff2"
        found = None if entry is None else _whole_woff2(read_entry(entry))
        if found is None:
            found = make(data, characters)
            if entry is not None:
                write_entry(entry, found, MAX_ENTRIES)
    _memory[key] = found
    _memory.move_to_end(key)
    while len(_memory) > _IN_MEMORY:
        _memory.popitem(last=False)
    return found


def _code_points(characters: frozenset[int]) -> bytes:
    return ",".join(map(str, sorted(characters))).encode("ascii")


def _whole_woff2(data: bytes | None) -> bytes | None:
    """``data`` if it is a whole WOFF2 file (its header's length is its size), else None."""
    if data is None or len(data) < 12 or data[:4] != b"wOF2":
        return None
    return data if struct.unpack(">I", data[8:12])[0] == len(data) else None
