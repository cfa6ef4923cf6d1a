"""The editor comment ``# yaml-language-server: $schema=PATH``: a warning when PATH is gone.

Editors read PATH relative to the YAML file, so moving the file to another folder
depth, or a schema that was never written, silently turns completion and checks off.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from briefgen.input.diagnostics import Diagnostic

_MODELINE = re.compile(r"^[ \t]*#[ \t]*yaml-language-server:.*?\$schema=(?P<ref>\S+)", re.MULTILINE)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
SCHEMA_FILE = "briefgen-input.schema.json"


def modeline_warnings(text: str, path: Path, file: str) -> list[Diagnostic]:
    """Return a warning for each editor comment of ``text`` whose schema file does not exist."""
    warnings = []
    for match in _MODELINE.finditer(text):
        reference = match["ref"].split("#", 1)[0]
        if _URL.match(reference) or (path.parent / reference).is_file():
            continue
        line = text.count("\n", 0, match.start("ref")) + 1
        column = match.start("ref") - (text.rfind("\n", 0, match.start("ref")) + 1) + 1
        message = f"the editor's schema comment points at '{reference}', which does not exist"
        found = _project_schema(path.parent)
        if found is not None:
            relative = Path(os.path.relpath(found, path.parent.resolve())).as_posix()
            message += f"; from this folder the project's schema is '{relative}'"
        else:
            message += "; run 'briefgen schema --write' in the project's folder"
        warnings.append(Diagnostic(file, line, column, "", message, severity="warning"))
    return warnings


def _project_schema(folder: Path) -> Path | None:
    """Return the nearest ``schema/briefgen-input.schema.json`` in ``folder`` or above."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        schema = candidate / "schema" / SCHEMA_FILE
        if schema.is_file():
            return schema
    return None
