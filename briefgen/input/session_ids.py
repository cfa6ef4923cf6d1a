"""Session ids across the inputs of one command: each input needs an id of its own.

A pack is written to the folder named after its session id (``OUTPUT_DIR/<id>/``): two
inputs with one id would write the same folder, one pack replacing the other. ``validate``
and ``build`` both find them here, before checking or building any input, so that they
report the same errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.source import Position, read_source

_ID_PATH = ("session", "id")

_Use = tuple[Path, Position]
"""An input and where it sets its session id."""


def shared_session_ids(
    inputs: Sequence[Path], problems: Callable[[Path], Sequence[Diagnostic]]
) -> dict[Path, tuple[Diagnostic, ...]]:
    """Return, in input order, every error of each input whose session id another input
    uses, with an error at that id: a later input names the first, the first the later.

    ``problems`` returns the errors a file has of its own (those its build would fail
    on); only the inputs that share an id are checked here. An input with such errors
    builds nothing, so it is no reason to stop the one other input that has none.
    """
    uses: dict[str, list[_Use]] = {}
    for path in inputs:
        try:
            source = read_source(path)
        except UserError:
            continue  # it fails on its own
        session_id = _session_id(source.data)
        if session_id is not None:
            uses.setdefault(session_id, []).append((path, source.position_of(_ID_PATH)))
    failed: dict[Path, tuple[Diagnostic, ...]] = {}
    for session_id, (first, *later) in uses.items():
        if not later:
            continue
        own = {path: tuple(problems(path)) for path, _ in (first, *later)}
        valid = [path for path, errors in own.items() if not errors]
        for use in (first, *later):
            if valid == [use[0]]:
                continue  # the only one that would be built: it is
            error = _shared(session_id, use, later if use is first else [first])
            failed[use[0]] = tuple(sorted([*own[use[0]], error], key=_place))
    return {path: failed[path] for path in inputs if path in failed}


def _session_id(data: Any) -> str | None:
    session = data.get("session") if isinstance(data, dict) else None
    session_id = session.get("id") if isinstance(session, dict) else None
    return session_id if isinstance(session_id, str) else None


def _shared(session_id: str, use: _Use, others: list[_Use]) -> Diagnostic:
    (path, place), names = use, ", ".join(str(other) for other, _ in others)
    message = f"session id '{session_id}' is also used by {names}"
    return Diagnostic(str(path), place.line, place.column, "session.id", message)


def _place(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column
