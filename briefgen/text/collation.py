"""Sorting names as a reader of the pack's languages expects: accents and case second.

The order of the Unicode Collation Algorithm at its first level, for the Latin, Greek and
Cyrillic names of the pack: letters compared without their accents (Écoute next to
Ecole, before LDH; Área before CLJI; Ñañdutí among the N), ligatures as their letters
(Œuvre as Oeuvre, before Zéro), case and accents only breaking ties. A full collator
(DUCET, locale tailoring) costs a tenth of a second to load in every build; names need
no more than this.
"""

from __future__ import annotations

import unicodedata

_LETTERS = str.maketrans(
    {
        "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "ẞ": "SS",
        "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "\u0131": "i",
        "Þ": "TH", "þ": "th", "Ð": "D", "ð": "d",
    }
)  # fmt: skip


def sort_key(text: str) -> tuple[str, str, str]:
    """Letters without accents, case-folded; then with accents; then as written."""
    spelled = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    letters = "".join(char for char in spelled if not unicodedata.combining(char))
    return letters.casefold(), spelled.casefold(), text
