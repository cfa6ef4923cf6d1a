"""What briefgen keeps between builds in the user's cache folder, to start faster.

Each entry is a function of the bytes it was made from and of the libraries that made
it: its file is named by a hash of both (``entry_key``), so an entry never goes stale,
and a new version of a library simply makes new entries. The folder of a kind of entry
is ``$BRIEFGEN_CACHE_DIR/<kind>``, else ``$XDG_CACHE_HOME/briefgen/<kind>``, else
``~/.cache/briefgen/<kind>``; ``BRIEFGEN_CACHE_DIR=off`` keeps nothing on disk.

Entries are written whole (a temporary file renamed), the least recently used beyond
a kind's limit are removed, and a folder that cannot be read or written is passed by:
what a build writes is the same bytes with or without the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

CACHE_VARIABLE = "BRIEFGEN_CACHE_DIR"
_STALE_TEMPORARY = 3600  # seconds after which a temporary file was left by a killed build

T = TypeVar("T")


def cache_folder(kind: str) -> Path | None:
    """Where entries of ``kind`` are kept between builds, or None when the user turned it off."""
    chosen = os.environ.get(CACHE_VARIABLE, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen) / kind
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder known: nothing kept
            return None
    return Path(base) / "briefgen" / kind


def entry_key(parts: Iterable[bytes], libraries: Iterable[str]) -> str:
    """The name of the entry made from ``parts`` by ``libraries``: a SHA-256 of both."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    for library in libraries:
        digest.update(library_stamp(library))
    return digest.hexdigest()


@cache
def library_stamp(name: str) -> bytes:
    """Which installed ``name`` this is: its module file, that file's size and time (a new
    version is new files; asking the packaging metadata costs tenths of a second)."""
    from importlib.util import find_spec

    spec = find_spec(name)
    origin = spec.origin if spec is not None else None
    if origin is None:
        return f"{name}=?;".encode()
    status = os.stat(origin)
    return f"{name}={origin}:{status.st_size}:{status.st_mtime_ns};".encode(
        "utf-8", "surrogateescape"
    )


def read_entry(path: Path) -> bytes | None:
    """The entry's bytes (and it counts as recently used), or None if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept longest
    return data


def write_entry(path: Path, data: bytes, keep: int) -> None:
    """Write the entry whole, then remove the least recently used of its folder beyond
    ``keep`` (those with its suffix); nothing if the folder cannot be written."""
    folder, temporary = path.parent, None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, path)
        temporary = None
        _prune(folder, path.suffix, keep)
    except OSError:
        return
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path, suffix: str, keep: int) -> None:
    """Remove the least recently used entries beyond ``keep``, and temporary files that
    a killed build left an hour ago or more. An entry another build removes meanwhile
    (builds of a folder prune at once) is passed by."""
    entries, now = [], time.time()
    with os.scandir(folder) as listing:
        for entry in listing:
            try:
                modified = entry.stat().st_mtime
            except FileNotFoundError:
                continue
            if entry.name.endswith(suffix):
                entries.append((modified, entry.path))
            elif entry.name.endswith(".tmp") and now - modified > _STALE_TEMPORARY:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    for _, stale in sorted(entries)[: max(len(entries) - keep, 0)]:
        with contextlib.suppress(OSError):
            os.unlink(stale)


def kept_parse(
    kind: str,
    form: bytes,
    source: bytes,
    libraries: tuple[str, ...],
    parse: Callable[[], T],
    expected: type[T],
    keep: int = 64,
) -> T:
    """What ``parse`` makes of the file whose bytes are ``source``, read from the cache
    folder ``kind`` if a build kept it there, else parsed now and kept. ``form`` names
    what an entry holds, and changes when that changes.

    For files that take long to parse and little to load (a font's metrics, a language's
    hyphenation patterns). The entry is a pickle, read only from the user's own cache
    folder (as Python reads its own bytecode from ``__pycache__``); one that cannot be
    loaded, or is not an ``expected``, is parsed again.
    """
    folder = cache_folder(kind)
    if folder is None:
        return parse()
    path = folder / f"{entry_key((form, source), libraries)}.pickle"
    data = read_entry(path)
    if data is not None:
        with contextlib.suppress(Exception):
            found = pickle.loads(data)
            if isinstance(found, expected):
                return found
    parsed = parse()
    write_entry(path, pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL), keep)
    return parsed
