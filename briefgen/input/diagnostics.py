"""User-facing problems with an input file: positioned diagnostics and the errors carrying them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FieldPath = tuple[str | int, ...]


def format_field_path(path: FieldPath) -> str:
    """Return ``plenaries[0].statements[1].by`` for ``("plenaries", 0, "statements", 1, "by")``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    import difflib  # only when there is an error to explain

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem at a place in a file; ``line`` and ``column`` are 1-based (0 = unknown)."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {self.severity}: {what}"

    def github_annotation(self) -> str:
        """Return the GitHub Actions workflow command that shows this on the file's line."""
        command = "error" if self.severity == "error" else "warning"
        place = f"file={_escape_property(self.file)}"
        if self.line:
            place += f",line={self.line},col={self.column}"
        text = f"{self.field}: {self.message}" if self.field else self.message
        return f"::{command} {place}::{_escape_annotation(text)}"


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


class UserError(Exception):
    """A problem the user can fix (bad input, bad template): shown without a traceback."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=lambda d: (d.line, d.column)))
        super().__init__("\n".join(str(d) for d in self.diagnostics))
