# ruff: noqa: RUF001, RUF002 (letters of the Cyrillic alphabet)
"""Sorting names as a reader of the pack's languages expects: accents and case second.

The order of the Unicode Collation Algorithm at its first level, for the Latin, Greek and
Cyrillic names of the pack: letters compared without their accents (Écoute next to
Ecole, before LDH; Área before CLJI; Ñañdutí among the N), ligatures as their letters
(Œuvre as Oeuvre, before Zéro), case and accents only breaking ties. Letters that look
like a letter with an accent but are letters of their own keep their place: Й after
every И, Ў after every У (as the Collation Algorithm has them in every language), and Ñ
after every N in Spanish (its tailoring). A full collator (DUCET, locale tailoring)
costs a tenth of a second to load in every build; names need no more than this.
"""

from __future__ import annotations

import unicodedata
from functools import cache

_LETTERS = str.maketrans(
    {
        "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "ẞ": "SS",
        "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "\u0131": "i",
        "Þ": "TH", "þ": "th", "Ð": "D", "ð": "d",
    }
)  # fmt: skip


_AFTER = "\U0010fffd"
"""Written after a base letter to stand for a letter of its own that follows it: it sorts
after every letter, so И + it comes after every И and before К."""

_OWN_LETTERS = {"й": "и", "Й": "И", "ў": "у", "Ў": "У"}
"""Letters of their own in every language, each with the letter it follows."""

_OWN_LETTERS_OF = {"es": {"ñ": "n", "Ñ": "N"}}
"""Letters of their own in a language (the first subtag of its tag)."""


@cache
def _own_letters(language: str) -> dict[int, str]:
    """The table writing each letter of its own in ``language`` as its base and ``_AFTER``."""
    letters = _OWN_LETTERS | _OWN_LETTERS_OF.get(language.lower().split("-")[0], {})
    return str.maketrans({own: base + _AFTER for own, base in letters.items()})


def sort_key(text: str, language: str = "") -> tuple[str, str, str]:
    """Letters without accents, case-folded; then with accents; then as written. The
    letters of its own ``language`` (a BCP 47 tag, the pack's) has keep their place."""
    composed = unicodedata.normalize("NFC", text)  # Й as one letter, not И and a breve
    spelled = unicodedata.normalize(
        "NFKD", composed.translate(_own_letters(language)).translate(_LETTERS)
    )
    letters = "".join(char for char in spelled if not unicodedata.combining(char))
    return letters.casefold(), spelled.casefold(), text
