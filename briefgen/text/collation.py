# ruff: noqa: RUF001, RUF002 (letters of the Cyrillic alphabet)
"""Sorting names as a reader of the pack's languages expects: accents and case second.

The order of the Unicode Collation Algorithm at its first level, for the Latin, Greek and
Cyrillic names of the pack: letters compared without their accents (Écoute next to
Ecole, before LDH; Área before CLJI; Ñañdutí among the N), ligatures as their letters
(Œuvre as Oeuvre, before Zéro), punctuation and symbols passed over («Мемориал» among
the М, "Quote" among the Q), accents and then case only breaking ties (lower case
first: Amnesty before AMNESTY). Letters that look like a letter with an accent but are
letters of their own keep their place: Й after every И, Ў after every У (as the
Collation Algorithm has them in every language), and Ñ after every N in Spanish (its
tailoring). The letters of the pack's own script come before those of every other, as
the Common Locale Data Repository orders them for its language: Cyrillic first in a
Russian pack, Arabic in an Arabic one, Chinese characters in a Chinese one (by code
point, not by pinyin or strokes), Latin in the others; scripts that are not the pack's
follow in the Collation Algorithm's order (Latin, Greek, Cyrillic, Arabic, Chinese). A
full collator (DUCET, locale tailoring) costs a tenth of a second to load in every
build; names need no more than this.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from fontTools import unicodedata as scripts

SortKey = tuple[str, str, str, str]

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


_SCRIPT_OF = {"ru": "Cyrl", "ar": "Arab", "zh": "Hani"}
"""The script of a pack's language (the first subtag of its tag) when it is not Latin."""

_SPACE, _OWN, _OTHER, _AFTER_RANK = "\x01", "\x02", "\x03", "\x04"
"""Written before each character of a name's first level: spaces and digits before any
letter, the pack's script before the others, a letter of its own's ``_AFTER`` last."""


def sort_key(text: str, language: str = "") -> SortKey:
    """Letters without accents, case-folded, the pack's script first; then with accents;
    then lower case first; then as written. The letters of its own ``language`` (a BCP 47
    tag, the pack's) has keep their place."""
    composed = unicodedata.normalize("NFC", text)  # Й as one letter, not И and a breve
    spelled = unicodedata.normalize(
        "NFKD", composed.translate(_own_letters(language)).translate(_LETTERS)
    )
    letters = "".join(char for char in spelled if _is_primary(char)).casefold()
    own = _SCRIPT_OF.get(language.lower().split("-")[0], "Latn")
    primary = "".join(_rank(char, own) + char for char in letters)
    return primary, spelled.casefold(), spelled.swapcase(), text


def _is_primary(char: str) -> bool:
    """Whether ``char`` counts at the first level: letters, digits and spaces do; accents,
    punctuation and symbols do not."""
    return unicodedata.category(char)[0] not in "MPS"


def _rank(char: str, own: str) -> str:
    """Where the script of ``char`` stands: its rank, written before it."""
    if char == _AFTER:
        return _AFTER_RANK
    script = scripts.script(char)
    if script in ("Zyyy", "Zinh", "Zzzz"):  # spaces and digits
        return _SPACE
    return _OWN if script == own else _OTHER
