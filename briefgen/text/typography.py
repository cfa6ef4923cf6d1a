"""Spaces in text: French spacing (the no-break spaces French puts before high
punctuation and inside guillemets, so that ";", ":", "!", "?" and "»" never start a
line, nor "«" end one), and text put on one line without losing its no-break spaces."""

from __future__ import annotations

import re

NO_BREAK_SPACE = "\u00a0"  # before ":" and inside guillemets
NARROW_NO_BREAK_SPACE = "\u202f"  # before ";", "!" and "?"

_BREAKING_SPACES = re.compile(r"[ \t\r\n]+")
_BEFORE_COLON = re.compile(r" (?=:)")
_BEFORE_HIGH = re.compile(r" (?=[;!?])")
_AFTER_OPENING = re.compile(r"(?<=«) ")
_BEFORE_CLOSING = re.compile(r" (?=»)")


def french_spaces(text: str) -> str:
    """``text`` with the plain spaces typed before ; : ! ? and inside « » made no-break;
    no space is added where none was typed."""
    if " " not in text:
        return text
    text = _BEFORE_COLON.sub(NO_BREAK_SPACE, text)
    text = _BEFORE_HIGH.sub(NARROW_NO_BREAK_SPACE, text)
    text = _AFTER_OPENING.sub(NO_BREAK_SPACE, text)
    return _BEFORE_CLOSING.sub(NO_BREAK_SPACE, text)


def single_spaced(text: str) -> str:
    """``text`` on one line: each run of spaces, tabs and line breaks one space, none at
    the ends; the no-break spaces it holds stay (``str.split()`` would drop them)."""
    return _BREAKING_SPACES.sub(" ", text).strip(" ")


def is_french(language: str | None) -> bool:
    """Whether a BCP 47 tag is French (fr, fr-CH, ...)."""
    return bool(language) and language.lower().split("-")[0] == "fr"  # type: ignore[union-attr]
