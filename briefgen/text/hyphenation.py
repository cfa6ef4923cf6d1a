"""Which hyphenation rules a text's language has (pyphen's dictionaries, LibreOffice's).

The PDF breaks a word too long for the end of a line at a syllable by these rules,
where the look asks for it (``TextStyle.hyphenate``); Word and browsers use their own
rules for the same languages.
"""

from __future__ import annotations

from functools import cache

import pyphen


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
        pyphen.Pyphen(lang=dictionary)
