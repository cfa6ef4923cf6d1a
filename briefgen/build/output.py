"""Replacing a pack's files as a whole or not at all, whatever fails or is killed meanwhile.

``replace_files`` writes every new file to a temporary file in the pack's folder
(``.NAME.XXXXXXXX.tmp``) first. Only when all of them are written does it swap: it
writes a journal (``.replacing.json``) naming every file, its temporary file and where
the old file goes, then moves each old file aside (``.NAME.XXXXXXXX.old``), moves each
new one in, and deletes the journal: that is the moment the new pack is in place. The
old files are deleted after it. A rename that fails puts the old files back before the
error is raised, so the previous pack stays as it was, byte for byte. On Windows a file
that another program holds open (Word does) cannot be moved aside, so the swap fails
before any file of the pack has changed.

While the renames run, a reader can find some of the pack's files missing, never old
and new files side by side. A build killed during the swap (``kill -9``, a power cut)
leaves the journal; the next build of that pack reads it and puts the old files back
before it does anything else, and deletes the temporary files any killed build left.
Ctrl-C and SIGTERM wait until the swap is over.

Builds of the same pack by two processes at once take turns: each holds a lock on the
folder (``flock`` on POSIX, a ``.briefgen.lock`` file on Windows) while it tidies,
checks and replaces it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from briefgen.build.lifeline import signals_deferred
from briefgen.input.diagnostics import Diagnostic, UserError

JOURNAL = ".replacing.json"
MAX_JOURNAL_BYTES = 64 * 1024
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.(?P<kind>tmp|old)")
"""A temporary (``tmp``: new, ``old``: set aside) file of a pack file ``name``."""


@dataclass(frozen=True)
class _Move:
    """One file of a swap: its name, its new bytes' temporary file and its old one's."""

    name: str
    staged: str
    backup: str | None  # None: there was no such file before


@contextmanager
def pack_folder(folder: Path, owned: Collection[str], *, create: bool = True) -> Iterator[bool]:
    """Hold the lock of a pack's folder, after putting right what a killed build left there.

    ``owned`` names the files briefgen writes there (the pack's files and manifest):
    an interrupted swap of them is undone, and their stale temporary files deleted.
    Creates the folder if ``create``; yields whether it exists. Raises ``UserError``.
    """
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            where = Path(error.filename or folder)
            is_file = where.exists() and not where.is_dir()
            reason = "is a file, not a folder" if is_file else _reason(error)
            raise _error(where, f"cannot write: {reason}") from None
    if not folder.is_dir():
        yield False
        return
    with _locked(folder):
        _tidy(folder, frozenset(owned))
        yield True


def replace_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Replace these files of ``folder`` (names to bytes) as a whole or not at all.

    Call it inside ``pack_folder``. Raises ``UserError`` naming the file that could
    not be written; the folder is then as it was (see the module's documentation).
    """
    if not files:
        return
    kept = _unchanged(folder, files)
    staged: dict[str, str] = {}
    try:
        for name in files:
            staged[name] = _stage(folder / name, files[name], kept)
        plan = [_plan(folder, name, staged[name]) for name in files]
        _write_journal(folder, plan, kept)
    except BaseException:
        for temporary in staged.values():
            _remove(folder / temporary)
        raise
    with signals_deferred():
        failed = folder
        try:
            for move in plan:
                failed = folder / move.name
                if move.backup is not None:
                    os.replace(folder / move.name, folder / move.backup)
            for move in plan:
                failed = folder / move.name
                os.replace(folder / move.staged, folder / move.name)
            failed = folder
            (folder / JOURNAL).unlink()  # the moment the new pack is in place
        except BaseException as error:
            restored = _roll_back(folder, plan)
            if isinstance(error, OSError):
                outcome = kept if restored else _NEXT_BUILD_RESTORES
                raise _error(failed, f"cannot write: {_reason(error)}; {outcome}") from None
            raise
        for move in plan:  # the old files, now that nothing needs them
            if move.backup is not None:
                _remove(folder / move.backup)


_NEXT_BUILD_RESTORES = "the previous pack could not be put back yet; the next build restores it"


def _unchanged(folder: Path, names: Collection[str]) -> str:
    """What a failed replacement leaves, for its message."""
    if any(os.path.lexists(folder / name) for name in names):
        return "the previous pack is kept"
    return "nothing was written"


def _stage(path: Path, data: bytes, kept: str) -> str:
    """Write ``data`` to a new temporary file beside ``path``; return its name."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _error(path, f"cannot write: {_reason(error)}; {kept}") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        temporary.chmod(0o644)
    except OSError as error:
        _remove(temporary)
        raise _error(path, f"cannot write: {_reason(error)}; {kept}") from None
    except BaseException:
        _remove(temporary)
        raise
    return temporary.name


def _plan(folder: Path, name: str, staged: str) -> _Move:
    """The move of one file; a folder where the file goes is refused (it would be moved)."""
    target = folder / name
    if target.is_dir() and not target.is_symlink():
        raise _error(target, "cannot write: a folder is in the way")
    backup = f".{name}.{secrets.token_hex(4)}.old" if os.path.lexists(target) else None
    return _Move(name, staged, backup)


def _write_journal(folder: Path, plan: list[_Move], kept: str) -> None:
    """Write the journal, complete and synced, before anything is moved.

    A journal cut short (killed while writing it) therefore means nothing was moved.
    """
    data = json.dumps({"replacing": [asdict(move) for move in plan]}).encode()
    path = folder / JOURNAL
    try:
        _remove(path)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0))
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
    except OSError as error:
        _remove(path)
        raise _error(folder, f"cannot write: {_reason(error)}; {kept}") from None


def _read_journal(folder: Path, owned: frozenset[str]) -> list[_Move] | None:
    """The moves of an interrupted swap; None without a journal; [] for one not ours."""
    path = folder / JOURNAL
    if not os.path.lexists(path):
        return None
    try:
        with path.open("rb") as journal:
            raw = json.loads(journal.read(MAX_JOURNAL_BYTES + 1).decode("utf-8"))
        moves = [_Move(**item) for item in raw["replacing"]]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return []  # cut short, hence nothing was moved yet (or not briefgen's)
    for move in moves:
        if move.name not in owned or not _temporary_of(move.staged, move.name, "tmp"):
            return []
        if move.backup is not None and not _temporary_of(move.backup, move.name, "old"):
            return []
    return moves


def _temporary_of(candidate: object, name: str, kind: str) -> bool:
    if not isinstance(candidate, str):
        return False
    found = _TEMPORARY.fullmatch(candidate)
    return found is not None and found["name"] == name and found["kind"] == kind


def _roll_back(folder: Path, plan: list[_Move]) -> bool:
    """Put the old files back and take the new ones away; return whether it all worked.

    Can run again on what it left (the next build does, from the journal): each step
    checks what is there first. The journal is deleted only when everything is back.
    """
    try:
        for move in plan:  # a new file where there was none: moved in if its temporary is gone
            target = folder / move.name
            if move.backup is None and not os.path.lexists(folder / move.staged):
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
        for move in plan:
            backup = folder / move.backup if move.backup is not None else None
            if backup is not None and os.path.lexists(backup):
                os.replace(backup, folder / move.name)
        for move in plan:
            (folder / move.staged).unlink(missing_ok=True)
        _sync_folder(folder)
        (folder / JOURNAL).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _tidy(folder: Path, owned: frozenset[str]) -> None:
    """Undo a swap a killed build left half done; delete stale temporary files."""
    plan = _read_journal(folder, owned)
    if plan is not None:
        if not _roll_back(folder, plan):
            message = "cannot put back the previous pack that an interrupted build set aside"
            raise _error(folder, message)
        _remove(folder / JOURNAL)
    with os.scandir(folder) as entries:
        stale = [
            entry.name
            for entry in entries
            if (found := _TEMPORARY.fullmatch(entry.name)) is not None
            and found["name"] in owned
            and not entry.is_dir(follow_symlinks=False)
        ]
    for name in stale:
        _remove(folder / name)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder; where locks are not available, carry on."""
    if sys.platform == "win32":
        with _locked_file(folder / ".briefgen.lock"):
            yield
        return
    import fcntl

    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):  # a file system without locks
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


if sys.platform == "win32":

    @contextmanager
    def _locked_file(path: Path) -> Iterator[None]:
        import msvcrt
        import time

        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_BINARY)
        except OSError:
            yield
            return
        try:
            while True:
                try:
                    msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    time.sleep(0.05)
            yield
        finally:
            os.close(handle)  # releases the lock


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable, where folders can be synced (not Windows)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _error(path: Path, message: str) -> UserError:
    return UserError([Diagnostic(str(path), 0, 0, "", message)])
