"""Spaces in text: French spacing (the no-break spaces French puts before high
punctuation and inside guillemets, so that ";", ":", "!", "?" and "»" never start a
line, nor "«" end one), and text put on one line without losing its no-break spaces;
quotation marks inside quotation marks of the same kind."""

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


QUOTES = {
    "\u00ab": "\u00bb",  # « »
    "\u201c": "\u201d",  # “ ”
    "\u201e": "\u201c",  # „ “
    "\u2018": "\u2019",  # single quotation marks
    "\u201a": "\u2018",  # low-9 single
    "\u2039": "\u203a",  # single guillemets
    "\u300c": "\u300d",  # 「 」
    "\u300e": "\u300f",  # 『 』
}
"""Opening quotation marks and the closing mark each goes with."""

_SPACES = " \u00a0\u202f"


def quotes_around(before: str, after: str) -> tuple[str, str] | None:
    """The quotation marks that open at the end of ``before`` and close at the start of
    ``after`` (the text of a label around a value), spaces aside; None if none do."""
    opening, closing = before.rstrip(_SPACES)[-1:], after.lstrip(_SPACES)[:1]
    return (opening, closing) if opening and QUOTES.get(opening) == closing else None


def nested_quotes(value: str, outer: tuple[str, str], inner: tuple[str, str]) -> str:
    """``value`` set inside the ``outer`` quotation marks: the marks of that kind it
    holds become the ``inner`` ones of its language, as a quotation within a quotation
    («Правозащитный центр „Мемориал“», « le segment “Victimes” »), without the spaces
    French sets inside guillemets."""
    if outer[0] not in value and outer[1] not in value:
        return value
    if outer == ("\u00ab", "\u00bb"):  # the spaces French sets inside guillemets only
        value = _INSIDE_GUILLEMETS.sub(lambda found: found[1] or found[2], value)
    return value.translate({ord(outer[0]): inner[0], ord(outer[1]): inner[1]})


_INSIDE_GUILLEMETS = re.compile("(\u00ab)[ \u00a0\u202f]+|[ \u00a0\u202f]+(\u00bb)")
