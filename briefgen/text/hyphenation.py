"""Which hyphenation rules a text's language has (pyphen's dictionaries, LibreOffice's).

The PDF breaks a word too long for the end of a line at a syllable by these rules,
where the look asks for it (``TextStyle.hyphenate``); Word and browsers use their own
rules for the same languages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pyphen

from briefgen.cachefolder import kept_parse


@cache
def hyphenation_dictionary(language: str) -> str | None:
    """The name of the hyphenation dictionary for a BCP 47 tag (``en-GB`` -> ``en_GB``,
    ``fr`` -> ``fr``), or None for a language without one (Arabic, Chinese)."""
    dictionary: str | None = pyphen.language_fallback(language.replace("-", "_"))
    return dictionary


def load_rules(language: str) -> None:
    """Read the hyphenation rules of ``language`` now (pyphen keeps them for the process):
    a dictionary takes tens of milliseconds to read, which a build overlaps with its
    composing (``Format.prepare``)."""
    dictionary = hyphenation_dictionary(language)
    if dictionary is not None:
        _rules(dictionary)


_TOKEN = re.compile(r"[^\s\u200b]+")  # words end at spaces and zero-width spaces
_WORD = re.compile(r"[^\W\d_]+(?:[-\u00ad\u2010][^\W\d_]+)*")  # letters, hyphens inside
_SYLLABLES = re.compile(r"[^\W\d_]{5,}")  # hyphenated: five letters or more, as reportlab's


def words(text: str) -> list[tuple[int, int]]:
    """Where the words of ``text`` that may be hyphenated start and end: what lies
    between spaces, punctuation around it aside, made of letters and hyphens only;
    never an address, a number or a code."""
    spans: list[tuple[int, int]] = []
    for token in _TOKEN.finditer(text):
        start, end = _without_punctuation(token.group())
        if _WORD.fullmatch(token.group(), start, end):
            spans.append((token.start() + start, token.start() + end))
    return spans


def syllable_breaks(word: str, dictionary: str) -> list[int]:
    """Where ``word`` (or a part of one, between its hyphens) may be hyphenated by the
    rules named ``dictionary`` (``hyphenation_dictionary``): indices inside its runs of
    five letters or more."""
    rules = _rules(dictionary)
    return [
        run.start() + position
        for run in _SYLLABLES.finditer(word)
        for position in rules.positions(run.group())
    ]


def _without_punctuation(token: str) -> tuple[int, int]:
    """Where ``token`` starts and ends without the punctuation around it."""
    start, end = 0, len(token)
    while start < end and unicodedata.category(token[start])[0] == "P":
        start += 1
    while end > start and unicodedata.category(token[end - 1])[0] == "P":
        end -= 1
    return start, end


_RULES_FORM = b"briefgen-hyphenation-1"  # changes when what an entry holds changes


@cache
def _rules(dictionary: str) -> pyphen.Pyphen:
    """pyphen's rules for ``dictionary``, whose patterns an earlier build may have kept
    (``briefgen.cachefolder``): pyphen reads a dictionary's text in tens of milliseconds
    (the English one in 45), its patterns load in a few."""
    path = pyphen.LANGUAGES[dictionary]
    if path not in pyphen.hdcache:  # pyphen's own cache of the dictionaries it has read
        pyphen.hdcache[path] = kept_parse(
            "hyphenation",
            _RULES_FORM,
            path.read_bytes(),
            ("pyphen",),
            lambda: pyphen.HyphDict(path),
            pyphen.HyphDict,
        )
    return pyphen.Pyphen(lang=dictionary)
