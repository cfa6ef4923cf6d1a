"""``briefgen init``: a commented starter input file for a new session."""

from __future__ import annotations

import os
import re
from datetime import date
from importlib.resources import files
from pathlib import Path

from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.model import DEVICE_NAME_PATTERN, SLUG_MAX_LENGTH, SLUG_PATTERN
from briefgen.input.schema import MODELINE_PREFIX, modeline, write_project_schema

_SLUG = re.compile(SLUG_PATTERN)


def session_id_problem(text: str) -> str | None:
    """Why ``text`` is no session id the format accepts, or None if it is one."""
    if len(text) > SLUG_MAX_LENGTH or _SLUG.fullmatch(text) is None:
        return f"use lowercase letters, digits and hyphens (at most {SLUG_MAX_LENGTH})"
    if not re.match(DEVICE_NAME_PATTERN, text):
        return f"'{text}' names a device on Windows, where no folder can bear it: choose another id"
    return None


def starter_text(session_id: str, today: date, schema: str) -> str:
    """Return the starter YAML for ``session_id``, dated ``today``, pointing at ``schema``
    (a path relative to the file)."""
    text = files("briefgen").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    replacements = {
        "__SESSION_ID__": session_id,
        "__TODAY__": today.isoformat(),
        "__SCHEMA__": schema,
    }
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text


def _cannot_write(error: OSError) -> UserError:
    message = f"cannot write: {error.strerror or error}"
    return UserError([Diagnostic(str(error.filename), 0, 0, "", message)])


def write_starter(session_id: str, inputs_dir: Path) -> list[Path]:
    """Write ``inputs_dir/session_id.yaml`` (never over a file), and the project's schema
    where its editor comment points if that is missing or older; return what was written.

    The comment points at the schema in the project, not in briefgen's install folder,
    so that it keeps working when briefgen is upgraded or installed elsewhere. Raises
    ``UserError`` when either cannot be written (the schema is written first: a starter
    is never left pointing at a schema that could not be).
    """
    target = inputs_dir / f"{session_id}.yaml"
    exists = UserError([Diagnostic(str(target), 0, 0, "", "already exists; not overwritten")])
    if os.path.lexists(target):  # a link to nothing too: writing would create its target
        raise exists
    schema, schema_written = write_project_schema()
    try:
        inputs_dir.mkdir(parents=True, exist_ok=True)
        reference = modeline(inputs_dir).removeprefix(MODELINE_PREFIX)
        with target.open("x", encoding="utf-8") as output:
            output.write(starter_text(session_id, date.today(), reference))
    except FileExistsError as error:
        if error.filename == str(target):
            raise exists from None
        raise _cannot_write(error) from None
    except OSError as error:
        raise _cannot_write(error) from None
    return [target, *([schema] if schema_written else [])]
