"""Spaces in text: French spacing (the no-break spaces French puts before high
punctuation and inside guillemets, so that ";", ":", "!", "?" and "»" never start a
line, nor "«" end one), the no-break space French and Russian put before a dash set off
by spaces (so that "—" never starts a line), and text put on one line without losing
its no-break spaces; quotation marks inside quotation marks of the same kind."""

from __future__ import annotations

import re
from collections.abc import Callable

NO_BREAK_SPACE = "\u00a0"  # before ":" and inside guillemets
NARROW_NO_BREAK_SPACE = "\u202f"  # before ";", "!" and "?"

_BREAKING_SPACES = re.compile(r"[ \t\r\n]+")
_BEFORE_COLON = re.compile(r" (?=:)")
_BEFORE_HIGH = re.compile(r" (?=[;!?])")
_AFTER_OPENING = re.compile(r"(?<=«) ")
_BEFORE_CLOSING = re.compile(r" (?=»)")


def french_spaces(text: str) -> str:
    """``text`` with the plain spaces typed before ; : ! ? and inside « », and before a
    dash set off by spaces, made no-break; no space is added where none was typed."""
    if " " not in text:
        return text
    text = _BEFORE_COLON.sub(NO_BREAK_SPACE, text)
    text = _BEFORE_HIGH.sub(NARROW_NO_BREAK_SPACE, text)
    text = _AFTER_OPENING.sub(NO_BREAK_SPACE, text)
    return dash_spaces(_BEFORE_CLOSING.sub(NO_BREAK_SPACE, text))


_BEFORE_DASH = re.compile(" (?=[\u2014\u2013](?:[ \u00a0]|$))")


def dash_spaces(text: str) -> str:
    """``text`` with the plain space typed before a dash set off by spaces (" — ", " – ")
    made no-break, so that the dash ends the line of the word before it and never starts
    one (French and Russian typography); a dash typed without a space before it (a
    range, "2–6") is left as typed."""
    if "\u2014" not in text and "\u2013" not in text:
        return text
    return _BEFORE_DASH.sub(NO_BREAK_SPACE, text)


def spacing(language: str | None, *, french: bool) -> Callable[[str], str] | None:
    """How text in ``language`` (a BCP 47 tag) has its no-break spaces set: French
    spacing, its dashes' included, where ``french`` (the pack's ``french_spaces``); a
    dash's in Russian; None in other languages (their text as typed)."""
    if is_french(language):
        return french_spaces if french else None
    return dash_spaces if _primary(language) == "ru" else None


def single_spaced(text: str) -> str:
    """``text`` on one line: each run of spaces, tabs and line breaks one space, none at
    the ends; the no-break spaces it holds stay (``str.split()`` would drop them)."""
    return _BREAKING_SPACES.sub(" ", text).strip(" ")


def is_french(language: str | None) -> bool:
    """Whether a BCP 47 tag is French (fr, fr-CH, ...)."""
    return _primary(language) == "fr"


def _primary(language: str | None) -> str:
    """The language subtag of a BCP 47 tag, in lower case ("fr" of "fr-CH"); "" for none."""
    return language.lower().split("-")[0] if language else ""


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
