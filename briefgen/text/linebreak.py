"""Where a line may break inside a text: Unicode line breaking (UAX #14), by ICU.

ICU's line breaker (``icu4py``) knows the rules of every script: between Thai, Lao,
Khmer and Burmese words, which have no spaces between them (it finds the words with
its dictionaries); between CJK characters, but never before a full-width comma, full
stop or closing bracket nor after an opening one; after a slash or a hyphen, but not
between a slash and a digit ("12/2024"); at a zero-width space and after a soft
hyphen; never at a no-break space (U+00A0, U+202F), a non-breaking hyphen (U+2011) or
a word joiner.

The PDF's own paragraph uses these places; reportlab's paragraph breaks only at
spaces, which is the same for text without any of the characters that
``needs_line_breaker`` looks for. Word, LibreOffice and browsers break lines by
these rules themselves.
"""

from __future__ import annotations

import re

from icu4py.breakers import LineBreaker

_RANGES = (
    "/\u200b"  # a slash (URLs, "and/or"); a zero-width space
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1980-\u1aaf\ua9e0-\ua9ff\uaa60-\uaadf"  # Thai,
    # Lao, Myanmar, Khmer, Tai scripts: words without spaces between them
    "\u1100-\u11ff\u2e80-\u2fff\u3000-\u9fff\ua000-\ua4cf\uac00-\ud7ff\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"  # CJK, kana, Hangul, Yi, full width
)
_BREAKS_INSIDE_WORDS = re.compile(f"[{_RANGES}]")
_SPACES = " \t\n"


def needs_line_breaker(text: str) -> bool:
    """Whether ``text`` may break somewhere other than at a space or after a hyphen:
    it holds a slash, a zero-width space, or a script written without spaces between
    its words (Thai, CJK)."""
    return _BREAKS_INSIDE_WORDS.search(text) is not None


def break_points(text: str) -> list[int]:
    """The places inside words where a line may break: each index ``i`` at which a line
    may start, where ``text[i - 1]`` is no space (breaks at spaces every paragraph
    finds itself). ICU's root rules, the same for every language."""
    points: list[int] = []
    start = 0
    for segment in LineBreaker(text, ""):  # its offsets count UTF-16 units: not used
        start += len(segment)
        if start < len(text) and segment[-1] not in _SPACES:
            points.append(start)
    return points
