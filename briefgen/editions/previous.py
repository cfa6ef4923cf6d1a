"""Finding the earlier edition a pack is compared with: ``--since OLD``.

OLD is an input file, a pack folder (every build keeps the data it was built from
beside the pack, ``SNAPSHOT_SUFFIX``, and a compared build that of the edition it was
compared with, ``EARLIER_SUFFIX``), or a git revision (``HEAD~1``, ``v1.2``) at which
the input file is read with ``git show``. The earlier edition is validated as any
input is, its problems reported at its own name (``HEAD~1:inputs/asp23.yaml``), and it
must be the same session.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from briefgen.build.manifest import read_manifest
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.load import LoadedSession, load_session

SNAPSHOT_SUFFIX = "-data.yaml"
"""A pack folder keeps the input it was built from as ``<session id>-data.yaml``."""
EARLIER_SUFFIX = "-earlier-data.yaml"
"""A pack compared with an earlier edition keeps that edition's input beside it too."""
GIT_SECONDS = 30.0


def snapshot_name(session_id: str) -> str:
    return f"{session_id}{SNAPSHOT_SUFFIX}"


def earlier_name(session_id: str) -> str:
    return f"{session_id}{EARLIER_SUFFIX}"


def load_previous(since: str, current: LoadedSession) -> LoadedSession | None:
    """The earlier edition of ``current`` that ``since`` names; ``UserError`` if it is not
    a valid session, or not the same session. None when ``since`` is a git revision at
    which the input did not exist yet: a new session has no earlier edition."""
    given = Path(since)
    if given.is_dir():
        previous = _from_pack_folder(given, current)
    elif given.is_file():
        previous = load_session(given, folder=current.path.parent, earlier=True)
    else:
        found = _from_git(since, current.path)
        if found is None:
            return None
        previous = found
    old_id, new_id = previous.session.session.id, current.session.session.id
    if old_id != new_id:
        message = (
            f"is the session '{old_id}', not '{new_id}': an edition is compared with an"
            " earlier edition of the same session"
        )
        raise UserError([previous.source.diagnostic(("session", "id"), message)])
    return previous


def language_warning(previous: LoadedSession, current: LoadedSession) -> Diagnostic | None:
    """Why ``previous`` is not compared with ``current``, if it is in another language: every
    heading, label and date of the pack would be a change, and the changes to the data
    lost among them (and the changes section would not say so). None when comparable."""
    was, now = previous.session.pack.language, current.session.pack.language
    if was == now:
        return None
    message = (
        f"the earlier edition ({previous.source.file}) is in '{was}', this one in '{now}':"
        " the pack is built without a comparison"
    )
    return current.source.diagnostic(("pack", "language"), message).as_severity("warning")


def _from_pack_folder(folder: Path, current: LoadedSession) -> LoadedSession:
    """The data a pack folder was built from; or, in an output folder, its pack's."""
    session_id = current.session.session.id
    snapshot = folder / snapshot_name(session_id)
    if not snapshot.is_file():
        snapshot = folder / session_id / snapshot_name(session_id)
    if not snapshot.is_file():
        message = (
            f"holds no earlier edition of '{current.session.session.id}' ({snapshot.name}"
            " is written beside every pack it builds)"
        )
        raise UserError([Diagnostic(str(folder), 0, 0, "", message)])
    previous = load_session(snapshot, folder=current.path.parent, earlier=True)
    earlier = snapshot.with_name(earlier_name(session_id))
    if previous.source.text == current.source.text and _compared(earlier):
        return load_session(earlier, folder=current.path.parent, earlier=True)
    return previous


def _compared(earlier: Path) -> bool:
    """Whether the pack beside ``earlier`` was compared with the edition it holds. A pack
    built from this very input shows what changed since that edition: building it again
    compares with the same one, not with itself (which would drop every mark)."""
    manifest = read_manifest(earlier.parent)
    return manifest is not None and manifest.edition is not None and earlier.is_file()


def _from_git(revision: str, path: Path) -> LoadedSession | None:
    """The input file as it was at ``revision`` of the git checkout it belongs to; None if
    the revision exists but did not hold it."""
    if revision.startswith("-"):
        raise _not_found(revision, "it is no file, folder or git revision")
    if shutil.which("git") is None:
        raise _not_found(revision, "it is no file or folder, and git is not installed")
    folder = path.resolve().parent
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top is None:
        why = "it is no file or folder, and the input is not in a git checkout"
        raise _not_found(revision, why)
    relative = path.resolve().relative_to(Path(top.decode().strip())).as_posix()
    data = _git(["show", f"{revision}:{relative}"], folder)
    if data is None:
        if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], folder):
            return None  # the input is new since that revision
        raise _not_found(revision, "it is no file, folder or git revision")
    with tempfile.TemporaryDirectory(prefix="briefgen-since-") as work:
        copy = Path(work) / path.name
        copy.write_bytes(data)  # read and checked as any input file
        return load_session(
            copy, display_name=f"{revision}:{relative}", folder=folder, earlier=True
        )


def _git(arguments: list[str], folder: Path) -> bytes | None:
    """What git prints for ``arguments`` in ``folder``; None when it fails."""
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=folder, capture_output=True, timeout=GIT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _not_found(name: str, why: str) -> UserError:
    return UserError([Diagnostic(name, 0, 0, "", f"cannot read the earlier edition: {why}")])
