"""Writing files so that a reader never sees half a file and a failure loses nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from briefgen.input.diagnostics import Diagnostic, UserError


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file through a temporary file in its folder, then rename them all.

    Nothing is renamed until every temporary file is written, so a full disk or a
    refused folder leaves all earlier files as they were. Raises ``UserError``.
    """
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(path, data)
        for path, temporary in staged.items():
            os.replace(temporary, path)
    except OSError as error:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        where = error.filename or next(iter(files), "")
        raise UserError(
            [Diagnostic(str(where), 0, 0, "", f"cannot write: {error.strerror}")]
        ) from None


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        temporary.chmod(0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
