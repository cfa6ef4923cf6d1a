"""``briefgen init``: a commented starter input file for a new session."""

from __future__ import annotations

import os
import re
from datetime import date
from importlib.resources import files
from pathlib import Path

from briefgen import bundled_folder
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.model import SLUG_MAX_LENGTH, SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)
SCHEMA_FILE = "briefgen-input.schema.json"


def is_session_id(text: str) -> bool:
    """Return whether ``text`` is a valid session id (a slug)."""
    return len(text) <= SLUG_MAX_LENGTH and _SLUG.fullmatch(text) is not None


def starter_text(session_id: str, today: date, schema: str) -> str:
    """Return the starter YAML for ``session_id``, dated ``today``, pointing at ``schema``."""
    text = files("briefgen").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    replacements = {
        "__SESSION_ID__": session_id,
        "__TODAY__": today.isoformat(),
        "__SCHEMA__": schema,
    }
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text


def schema_reference(inputs_dir: Path) -> str:
    """Return the JSON Schema's path relative to ``inputs_dir`` (for the editor comment)."""
    schema = bundled_folder("schema") / SCHEMA_FILE
    return Path(os.path.relpath(schema, inputs_dir.resolve())).as_posix()


def write_starter(session_id: str, inputs_dir: Path) -> Path:
    """Write ``inputs_dir/session_id.yaml`` and return its path; never overwrite a file."""
    target = inputs_dir / f"{session_id}.yaml"
    if target.exists():
        raise UserError([Diagnostic(str(target), 0, 0, "", "already exists; not overwritten")])
    inputs_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as output:
        output.write(starter_text(session_id, date.today(), schema_reference(inputs_dir)))
    return target
