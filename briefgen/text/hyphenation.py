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
