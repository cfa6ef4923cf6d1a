"""``briefgen init``: a commented starter input file for a new session."""

from __future__ import annotations

import re
from datetime import date
from importlib.resources import files
from pathlib import Path

from briefgen.diagnostics import Diagnostic, UserError
from briefgen.model import SLUG_MAX_LENGTH, SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)


def starter_text(session_id: str, today: date) -> str:
    """Return the starter YAML for ``session_id`` with every date set to ``today``."""
    text = files("briefgen").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    return text.replace("__SESSION_ID__", session_id).replace("__TODAY__", today.isoformat())


def write_starter(session_id: str, inputs_dir: Path) -> Path:
    """Write ``inputs_dir/session_id.yaml`` and return its path; never overwrite a file."""
    target = inputs_dir / f"{session_id}.yaml"
    if len(session_id) > SLUG_MAX_LENGTH or not _SLUG.fullmatch(session_id):
        raise UserError(
            [
                Diagnostic(
                    session_id,
                    0,
                    0,
                    "",
                    "not a valid session id: use lowercase letters, digits and hyphens",
                )
            ]
        )
    if target.exists():
        raise UserError([Diagnostic(str(target), 0, 0, "", "already exists; not overwritten")])
    inputs_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as output:
        output.write(starter_text(session_id, date.today()))
    return target
