"""Warnings for characters that no shipped font can draw, with where they were typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from briefgen.input.diagnostics import Diagnostic, FieldPath, format_field_path
from briefgen.input.source import Position, SourceDocument
from briefgen.text.fonts import uncovered_characters

if TYPE_CHECKING:
    from briefgen.input.load import LoadedSession

MAX_SCAN_LINES = 500
MAX_NAMED = 5
"""The characters a warning names; it counts the others."""


def font_coverage_warnings(loaded: LoadedSession) -> list[Diagnostic]:
    """The check of the formats that embed the shipped fonts (``briefgen.writers.FORMATS``)."""
    return coverage_warnings(loaded.source)


def coverage_warnings(source: SourceDocument) -> list[Diagnostic]:
    """Return one warning per field that holds characters no font covers, at the first
    of them, naming a few (a pack in an unsupported script is a warning per field, not
    one per character)."""
    warnings = []
    lines = source.text.splitlines()
    for path, text in _strings(source.data, ()):
        missing = uncovered_characters(text)
        if not missing:
            continue
        first = min(missing, key=text.index)
        where = _char_position(lines, source.position_of(path), first)
        warnings.append(
            Diagnostic(
                source.file,
                where.line,
                where.column,
                format_field_path(path),
                _message(sorted(missing, key=text.index)),
                severity="warning",
            )
        )
    return warnings


def _message(missing: list[str]) -> str:
    named = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in missing[:MAX_NAMED])
    more = len(missing) - MAX_NAMED
    if len(missing) == 1:
        return f"no font covers the character {named}: it prints as an empty box"
    others = f" and {more} more" if more > 0 else ""
    return f"no font covers the characters {named}{others}: they print as empty boxes"


def _strings(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _char_position(lines: list[str], start: Position, char: str) -> Position:
    """Return where ``char`` is first typed at or after ``start``, else ``start`` itself."""
    for number in range(start.line, min(len(lines), start.line + MAX_SCAN_LINES) + 1):
        offset = start.column - 1 if number == start.line else 0
        found = lines[number - 1].find(char, offset)
        if found >= 0:
            return Position(number, found + 1)
    return start
