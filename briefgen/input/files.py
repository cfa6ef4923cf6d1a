"""Reading files that could be anything: only regular files are opened, and reads are bounded.

A path named ``x.yaml`` can be a FIFO (opening it waits for a writer for ever), a device
(``/dev/zero`` never ends), a folder, or a file that grows while it is read. Every file
briefgen reads from its user's folders (inputs, template folders, packs and manifests
it wrote earlier) goes through here: its kind is checked with ``stat`` before it is
opened, again on the open file (in case it was swapped in between), and no more than a
stated number of bytes is ever read or hashed.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

CHUNK = 1024 * 1024
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check must not block open()
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegularFile(Exception):
    """The path is a folder, FIFO, socket or device: refused before it is opened."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path}: is {kind}, not a regular file")
        self.path = path
        self.kind = kind


class FileTooLarge(Exception):
    """The file holds more bytes than the limit; ``size`` is None when found while reading."""

    def __init__(self, path: Path, size: int | None, limit: int) -> None:
        shown = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        super().__init__(f"{path}: too large ({shown}; the limit is {limit:,})")
        self.path = path
        self.size = size
        self.limit = limit


def kind_of(mode: int) -> str | None:
    """Return what a non-regular file is ("a folder", "a FIFO"...), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular(path: Path) -> io.FileIO:
    """Open ``path`` for reading (unbuffered) if it is a regular file, following links.

    Raises ``NotRegularFile`` before opening anything else, and ``OSError`` as ``open``.
    """
    kind = kind_of(os.stat(path).st_mode)
    if kind is not None:
        raise NotRegularFile(path, kind)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        kind = kind_of(os.fstat(descriptor).st_mode)
        if kind is not None:
            raise NotRegularFile(path, kind)
        return io.FileIO(descriptor, "rb", closefd=True)
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``; ``FileTooLarge`` past ``limit`` bytes.

    The size is checked on ``stat`` first and then on the bytes actually read, so a file
    that grows (or lies about its size, as ``/proc`` files do) cannot exceed the limit.
    """
    with open_regular(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        chunks = []
        total = 0
        wanted = size + 1  # one byte more than announced shows a file that grew
        while total <= limit:
            chunk = file.read(min(max(wanted, 1), limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            wanted = CHUNK
        if total > limit:
            raise FileTooLarge(path, None, limit)
        return b"".join(chunks)


def sha256_regular(path: Path, limit: int, prefix: bytes = b"") -> tuple[str, int]:
    """Return the sha256 of ``prefix`` and the regular file ``path``, and the file's size.

    The file is read in chunks, never whole; ``FileTooLarge`` past ``limit`` bytes.
    """
    digest = hashlib.sha256(prefix)
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    total = 0
    with open_regular(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        while True:
            count = file.readinto(view)
            if not count:
                break
            total += count
            if total > limit:
                raise FileTooLarge(path, None, limit)
            digest.update(view[:count])
    return digest.hexdigest(), total
