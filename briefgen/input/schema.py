"""The JSON Schema of the input format, for editors' autocompletion and validation.

It is generated from the models that validate input files (``briefgen.input.model``),
so that the two cannot disagree; ``briefgen schema --write`` keeps a copy at a fixed
place in the project, ``PROJECT_SCHEMA``, where the files' editor comments point.
"""

from __future__ import annotations

import json
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


def write_project_schema(project: Path = Path()) -> tuple[Path, bool]:
    """Write the schema to ``project/PROJECT_SCHEMA`` unless it is there already, current.

    Return its path and whether it was written. Raises ``UserError`` where it cannot be
    written, or where a folder, FIFO or device stands (refused before it is opened:
    reading a FIFO would wait for ever).
    """
    target = project / PROJECT_SCHEMA
    data = input_schema_json().encode("utf-8")
    try:
        if read_regular(target, len(data)) == data:
            return target, False
    except NotRegularFile as error:
        raise _cannot_write(target, f"it is {error.kind}, not a file") from None
    except (OSError, FileTooLarge):
        pass  # missing, unreadable or another text: written anew
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as error:
        raise _cannot_write(Path(error.filename or target), error.strerror or str(error)) from None
    return target, True


def _cannot_write(path: Path, reason: str) -> UserError:
    return UserError([Diagnostic(str(path), 0, 0, "", f"cannot write the schema: {reason}")])


def modeline(input_folder: Path, project: Path = Path()) -> str:
    """Return the editor comment for a file in ``input_folder``: the project's schema,
    relative to that folder (yaml-language-server reads it relative to the file)."""
    import os

    schema = (project / PROJECT_SCHEMA).resolve()
    relative = Path(os.path.relpath(schema, input_folder.resolve())).as_posix()
    return MODELINE_PREFIX + relative
