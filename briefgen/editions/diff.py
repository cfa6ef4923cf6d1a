"""Comparing long sequences in about linear time: the words of two editions of a text.

difflib's ``SequenceMatcher`` (without its "popular element" heuristic, which would
leave spaces and common words unmatched) takes time that grows with the square of the
length, and more with common tokens: a paragraph of a few thousand words took minutes.
Short sequences are compared by it directly, as they always were. Long ones are first
cut into chunks at places their own content decides (after a word whose checksum is a
multiple of ``CHUNK``), so that an edit moves no boundary but its own; the chunks of the
two are matched, then the tokens of each stretch of unmatched chunks.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

from icu4py.breakers import WordBreaker

DIRECT = 600
"""Sequences this long together (tokens) or shorter are compared token by token at once."""
DIRECT_CHARACTERS = 2000
"""Texts this long together (characters) or shorter: likeness is difflib's own ratio."""
CHUNK = 8
"""A chunk ends after about one word in ``CHUNK``."""

Opcode = tuple[str, int, int, int, int]
T = TypeVar("T", bound=Hashable)


def tokens(text: str) -> list[str]:
    """The words, spaces and punctuation of ``text``, between Unicode's word boundaries
    (UAX #29, ICU's root rules): a word keeps its combining marks and vowel signs, an
    emoji sequence or a flag is one token, and Thai words are found without spaces."""
    return list(WordBreaker(text, ""))


def opcodes(a: Sequence[T], b: Sequence[T], word: Callable[[T], str]) -> list[Opcode]:
    """How ``b`` is made from ``a``, as ``SequenceMatcher.get_opcodes`` says it; ``word``
    gives a token's text, for the chunk boundaries of long sequences."""
    if len(a) + len(b) <= DIRECT:
        return list(SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    cuts_a, cuts_b = _chunks(a, word), _chunks(b, word)
    keys_a = [tuple(a[start:end]) for start, end in cuts_a]
    keys_b = [tuple(b[start:end]) for start, end in cuts_b]
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        a1, a2 = _span(cuts_a, i1, i2, len(a))
        b1, b2 = _span(cuts_b, j1, j2, len(b))
        if tag == "equal":
            out.append(("equal", a1, a2, b1, b2))
        else:
            out += _within(a, b, (a1, a2, b1, b2))
    return out


def likeness(old: str, new: str) -> float:
    """How alike two texts are, 0 to 1: difflib's ratio of their characters; for long
    texts, of their tokens (see ``opcodes``), which is about as alike."""
    if len(old) + len(new) <= DIRECT_CHARACTERS:
        return SequenceMatcher(None, old, new, autojunk=False).ratio()
    a, b = tokens(old), tokens(new)
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes(a, b, str) if tag == "equal")
    return 2 * same / (len(a) + len(b))


def _chunks(items: Sequence[T], word: Callable[[T], str]) -> list[tuple[int, int]]:
    cuts, start = [], 0
    for index, item in enumerate(items):
        text = word(item)
        if text.strip() and zlib.crc32(text.encode()) % CHUNK == 0:
            cuts.append((start, index + 1))
            start = index + 1
    if start < len(items):
        cuts.append((start, len(items)))
    return cuts


def _span(cuts: list[tuple[int, int]], first: int, last: int, length: int) -> tuple[int, int]:
    """The tokens of chunks ``first`` to ``last`` (excluded)."""
    start = cuts[first][0] if first < len(cuts) else length
    return start, cuts[last - 1][1] if last > first else start


def _within(a: Sequence[T], b: Sequence[T], span: tuple[int, int, int, int]) -> list[Opcode]:
    """The tokens of unmatched chunks, compared one by one when few enough, else the one
    stretch replaced by the other."""
    a1, a2, b1, b2 = span
    if (a2 - a1) + (b2 - b1) > DIRECT:
        tag = "replace" if a1 < a2 and b1 < b2 else "delete" if a1 < a2 else "insert"
        return [(tag, a1, a2, b1, b2)]
    found: list[Opcode] = list(
        SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False).get_opcodes()
    )
    return [(tag, i1 + a1, i2 + a1, j1 + b1, j2 + b1) for tag, i1, i2, j1, j2 in found]
