"""User-facing problems with an input file: positioned diagnostics and the errors carrying them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

FieldPath = tuple[str | int, ...]

BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""Bidirectional embeddings, overrides and isolates, as the inside of a ``[...]``."""
_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with every control, line break and bidirectional control escaped (``\\x1b``,
    ``\\n``, ``\\u202e``), so that printing it cannot move the cursor, clear a terminal,
    start a line of its own (a CI annotation) or reorder what follows."""
    return _UNPRINTABLE.sub(_escaped, text) if _UNPRINTABLE.search(text) else text


def _escaped(found: re.Match[str]) -> str:
    return found.group().encode("unicode_escape").decode("ascii")


MAX_MESSAGE_LENGTH = 1000


def shortened(text: str) -> str:
    """``text``, or, past ``MAX_MESSAGE_LENGTH`` characters, its start and its end around
    " … ": a message quoting a value of megabytes (a URL, a date, a key) stays readable,
    its place and its explanation kept."""
    if len(text) <= MAX_MESSAGE_LENGTH:
        return text
    half = (MAX_MESSAGE_LENGTH - 3) // 2
    return f"{text[:half]} \u2026 {text[-half:]}"


def format_field_path(path: FieldPath) -> str:
    """Return ``plenaries[0].statements[1].by`` for ``("plenaries", 0, "statements", 1, "by")``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def described(value: object) -> str:
    """A value read from YAML as a message names it: 'text', a list, a mapping, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def did_you_mean(word: str, choices: Iterable[str] | CloseMatches) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string.

    For many words against the same many choices, pass one ``CloseMatches``.
    """
    matches = choices if isinstance(choices, CloseMatches) else CloseMatches(choices)
    best = matches.closest(word)
    return f" (did you mean '{best}'?)" if best is not None else ""


class CloseMatches:
    """The choices a mistyped word may have meant, found in time near-linear in their number.

    Few choices are compared with each word as ``difflib`` does (similarity of at least
    0.6). Past ``COMPARISONS`` comparisons in all, only the choices one typing slip away
    (a character missed, added, changed or two swapped, found through an index of each
    choice with one character deleted) are compared, the ``COMPARED`` that share the most
    of these variants with the word: so 10,000 unknown references among 10,000
    organisations take a second or two, not minutes.
    """

    COMPARISONS = 2_000
    CANDIDATES = 100  # looked at per variant of the word
    COMPARED = 3

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = list(dict.fromkeys(choices))
        self._budget = self.COMPARISONS
        self._index: dict[str, list[int]] | None = None

    def closest(self, word: str) -> str | None:
        import difflib  # only when there is an error to explain

        if len(self.choices) <= self._budget:
            self._budget -= len(self.choices)
            candidates = self.choices
        else:
            candidates = self._slips(word)
        folded = word.casefold()
        same = next((choice for choice in candidates if choice.casefold() == folded), None)
        if same is not None:  # a4 for A4: too short for difflib to see as close
            return same
        matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
        return matches[0] if matches else None

    def _slips(self, word: str) -> list[str]:
        if self._index is None:
            self._index = {}
            for number, choice in enumerate(self.choices):
                for variant in _deletions(choice.casefold()):
                    self._index.setdefault(variant, []).append(number)
        shared: dict[int, int] = {}  # how many of their variants the word shares
        for variant in _deletions(word.casefold()):
            for number in self._index.get(variant, ())[: self.CANDIDATES]:
                shared[number] = shared.get(number, 0) + 1
        best = sorted(shared, key=lambda number: (-shared[number], number))[: self.COMPARED]
        return [self.choices[number] for number in best]


def _deletions(word: str) -> set[str]:
    """``word`` and every way of deleting one of its characters."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


@dataclass(frozen=True, slots=True)
class Unit:
    """The unit a number field is in, as ``Annotated`` metadata (``Annotated[float,
    Field(le=144), Unit("pt")]``): the messages about its type and bounds name it
    ("at most 144 pt"). ``per`` names the other units a value may be typed in (``3in``)
    and how many of this one each is: a value out of bounds is then restated in this
    unit, and the bound in the unit typed."""

    name: str
    per: tuple[tuple[str, float], ...] = ()

    def typed_in(self, value: object) -> tuple[float, str, float] | None:
        """The number ``value`` typed, the other unit it was typed in, and how many of
        this unit that one is; None for a bare number or this unit."""
        text = value.strip() if isinstance(value, str) else ""
        for name, size in self.per:
            if text.endswith(name):
                try:
                    return float(text[: -len(name)]), name, size
                except ValueError:
                    return None
        return None


def shown_apart(number: float, other: float) -> str:
    """``number`` to two decimals, or as many more as show it differs from ``other``:
    72.003 pt is too large for at most 72 pt, where "72 pt" would not say why."""
    for decimals in range(2, 10):
        shown = _decimals(number, decimals)
        if number == other or shown != _decimals(other, decimals):
            return shown
    return repr(number)


def shown_within(bound: float, *, upper: bool) -> str:
    """``bound`` to two decimals, rounded towards the values it allows: at most 2000 pt
    is at most 27.77in (27.78in would be 2000.16 pt), at least 144 pt at least 5.08cm."""
    hundredths = round(bound * 100, 6)  # 72 pt in cm is 2.54, not 2.5399999
    return _decimals((math.floor if upper else math.ceil)(hundredths) / 100, 2)


def _decimals(number: float, decimals: int) -> str:
    return f"{number:.{decimals}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem at a place in a file; ``line`` and ``column`` are 1-based (0 = unknown)."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"

    def as_severity(self, severity: str) -> Diagnostic:
        """The same problem at the same place, as an error or a warning."""
        return replace(self, severity=severity)

    def __str__(self) -> str:
        file = printable(self.file)
        where = f"{file}:{self.line}:{self.column}" if self.line else file
        return f"{where}: {self.severity}: {self._text()}"

    def _text(self) -> str:
        what = f"{self.field}: {self.message}" if self.field else self.message
        return shortened(printable(what))

    def github_annotation(self) -> str:
        """Return the GitHub Actions workflow command that shows this on the file's line."""
        command = "error" if self.severity == "error" else "warning"
        place = f"file={_escape_property(printable(self.file))}"
        if self.line:
            place += f",line={self.line},col={self.column}"
        return f"::{command} {place}::{_escape_annotation(self._text())}"


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


class UserError(Exception):
    """A problem the user can fix (bad input, bad template): shown without a traceback."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=lambda d: (d.line, d.column)))
        super().__init__("\n".join(str(d) for d in self.diagnostics))
