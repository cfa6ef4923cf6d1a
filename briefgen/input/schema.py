"""The JSON Schema of the input format, for editors' autocompletion and validation.

It is generated from the models that validate input files (``briefgen.input.model``),
so that the two cannot disagree; ``briefgen schema --write`` keeps a copy at a fixed
place in the project, ``PROJECT_SCHEMA``, where the files' editor comments point.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.files import FileTooLarge, NotRegularFile, read_regular
from briefgen.input.model import FORMAT_VERSION, Session
from briefgen.input.modeline import SCHEMA_FILE

SCHEMA_ID = f"urn:briefgen:input:v{FORMAT_VERSION}"
"""The schema's ``$id``: a name for input format 1, the same in every release that reads it
(not an address to download it from)."""

PROJECT_SCHEMA = Path("schema") / SCHEMA_FILE
"""Where ``briefgen schema --write`` and ``briefgen init`` keep the schema, from the
project's folder (the one briefgen runs in)."""
MODELINE_PREFIX = "# yaml-language-server: $schema="


def input_schema() -> dict[str, object]:
    """Return the JSON Schema (draft 2020-12) of input format v1."""
    schema = Session.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": f"briefgen input file (format {FORMAT_VERSION})",
    }


def input_schema_json() -> str:
    """Return the JSON Schema of input format v1 as indented JSON text ending in a newline."""
    return json.dumps(input_schema(), indent=2, ensure_ascii=False) + "\n"


_MAX_SCHEMA_BYTES = 16 * 1024 * 1024
"""A file larger than this where the schema goes is not briefgen's (it is about 60 KiB)."""
_ID_PREFIX = "urn:briefgen:input:v"


def write_project_schema(project: Path = Path()) -> tuple[Path, bool]:
    """Write the schema to ``project/PROJECT_SCHEMA`` unless it is there already, current.

    Return its path and whether it was written. A file there is replaced only when it is
    briefgen's schema of this format or an older one (its ``$id``): a user's own file, or
    the schema of a newer format, is never overwritten. Raises ``UserError`` then, where
    it cannot be written, or where a folder, FIFO or device stands (refused before it is
    opened: reading a FIFO would wait for ever). The file is written whole or not at all.
    """
    target = project / PROJECT_SCHEMA
    data = input_schema_json().encode("utf-8")
    try:
        present: bytes | None = read_regular(target, _MAX_SCHEMA_BYTES)
    except NotRegularFile as error:
        raise _cannot_write(target, f"it is {error.kind}, not a file") from None
    except (FileNotFoundError, NotADirectoryError):
        present = None
    except FileTooLarge:
        raise _cannot_write(target, _NOT_OURS) from None
    except OSError as error:
        raise _cannot_write(target, f"cannot read it: {error.strerror or error}") from None
    if present == data:
        return target, False
    if present is not None:
        problem = _not_replaceable(present)
        if problem is not None:
            raise _cannot_write(target, problem)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_whole(Path(os.path.realpath(target)), data)
    except OSError as error:
        raise _cannot_write(Path(error.filename or target), error.strerror or str(error)) from None
    return target, True


_NOT_OURS = "it is not briefgen's input schema; not overwritten (move it away to write it)"


def _not_replaceable(present: bytes) -> str | None:
    """Why the file ``present`` must not be replaced by this schema, or None: it is
    briefgen's schema of this format (an older release's) or of an older format."""
    try:
        found = json.loads(present)
    except ValueError:
        return _NOT_OURS
    schema_id = found.get("$id") if isinstance(found, dict) else None
    if not isinstance(schema_id, str) or not schema_id.startswith(_ID_PREFIX):
        return _NOT_OURS
    version = schema_id.removeprefix(_ID_PREFIX)
    if version.isdigit() and int(version) > FORMAT_VERSION:
        return (
            f"it is the schema of input format {version}, from a newer briefgen;"
            " not overwritten (upgrade briefgen)"
        )
    return None


def _write_whole(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over it."""
    try:
        mode = os.stat(target).st_mode & 0o777  # kept where the file was there
    except OSError:
        mode = 0o644
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _cannot_write(path: Path, reason: str) -> UserError:
    return UserError([Diagnostic(str(path), 0, 0, "", f"cannot write the schema: {reason}")])


def modeline(input_folder: Path, project: Path = Path()) -> str:
    """Return the editor comment for a file in ``input_folder``: the project's schema,
    relative to that folder (yaml-language-server reads it relative to the file)."""
    schema = (project / PROJECT_SCHEMA).resolve()
    relative = Path(os.path.relpath(schema, input_folder.resolve())).as_posix()
    return MODELINE_PREFIX + relative
