"""Writing direction: which text is right to left, and the base direction of a paragraph."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended, the Hebrew
# and Arabic presentation forms, and the right-to-left scripts of the supplementary planes.
RTL_CHARACTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
# Languages written right to left unless a script subtag says otherwise, and the
# right-to-left scripts (ISO 15924) a tag may name, as in "ku-Arab" or "pa-Arab".
RTL_LANGUAGES = frozenset({
    "ar", "arc", "azb", "bal", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "ks", "lrc",
    "mzn", "nqo", "pnb", "prs", "ps", "sd", "sdh", "syr", "ug", "ur", "yi",
})  # fmt: skip
RTL_SCRIPTS = frozenset({
    "adlm", "arab", "aran", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "syre",
    "syrj", "syrn", "thaa", "yezi",
    # historic scripts (the supplementary-plane ranges of RTL_CHARACTERS)
    "armi", "avst", "chrs", "cprt", "elym", "hatr", "hung", "khar", "lydi", "mani", "narb",
    "nbat", "orkh", "ougr", "palm", "phli", "phlp", "phlv", "phnx", "prti", "sarb", "sogd",
    "sogo",
})  # fmt: skip
# Script codes that say nothing of direction: the language decides then.
_UNDETERMINED_SCRIPTS = frozenset({"zinh", "zmth", "zsye", "zsym", "zxxx", "zyyy", "zzzz"})

_RTL = re.compile(f"[{RTL_CHARACTERS}]")
_RTL_LETTER = re.compile(f"(?=[{RTL_CHARACTERS}])[^\\W\\d_]")
_LETTER = re.compile(r"[^\W\d_]")


def rtl_share(text: str) -> float | None:
    """The share of the letters of ``text`` that are right to left; None if it has none."""
    letters = len(_LETTER.findall(text))
    return len(_RTL_LETTER.findall(text)) / letters if letters else None


def has_rtl(text: str) -> bool:
    """Return whether ``text`` holds any right-to-left script."""
    return _RTL.search(text) is not None


def is_rtl_language(tag: str) -> bool:
    """Return whether text tagged with BCP 47 ``tag`` is written right to left.

    A script subtag decides when there is one ("ku-Arab" yes, "ar-Latn" no); else the
    language does.
    """
    language, *rest = tag.lower().split("-")
    for subtag in rest:
        if len(subtag) == 1:  # an extension or private use: no script after it
            break
        if len(subtag) == 4 and subtag.isalpha():
            if subtag in _UNDETERMINED_SCRIPTS or "qaaa" <= subtag <= "qabx":  # private use
                break
            return subtag in RTL_SCRIPTS
    return language in RTL_LANGUAGES


def is_rtl_paragraph(text: str, lang: str | None = None) -> bool:
    """Return whether a paragraph reads right to left.

    The language decides when it is known: the paragraph's own, or else the pack's,
    which writers pass for everything but titles, so an English byline that opens
    with an Arabic organisation name stays left to right. A title quotes data in any
    language: there the direction most of its letters read in decides, so an Arabic
    title quoting "ASP23" reads right to left.
    """
    if lang:
        return is_rtl_language(lang)
    if not has_rtl(text):
        return False
    rtl_letters = len(_RTL_LETTER.findall(text))
    return rtl_letters * 2 > len(_LETTER.findall(text))


Direction = Literal["ltr", "rtl"]


def base_direction(text: str, lang: str | None = None) -> Direction:
    """Return the base direction of a paragraph (see ``is_rtl_paragraph``)."""
    return "rtl" if is_rtl_paragraph(text, lang) else "ltr"


def first_strong_direction(text: str) -> Direction | None:
    """The direction of the first letter of ``text`` that has one, as a first-strong
    isolate takes its direction (Unicode rule P2); None without one."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


@cache
def language_direction(tag: str) -> Direction:
    """Return the direction text tagged with BCP 47 ``tag`` reads in."""
    return "rtl" if is_rtl_language(tag) else "ltr"
