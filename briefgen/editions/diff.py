"""Comparing long sequences in about linear time: the words of two editions of a text.

difflib's ``SequenceMatcher`` (without its "popular element" heuristic, which would
leave spaces and common words unmatched) takes time that grows with the square of the
length, and more with common tokens: a paragraph of a few thousand words took minutes.
Short sequences are compared by it directly, as they always were. Long ones are first
cut into chunks at places their own content decides (after a word whose checksum is a
multiple of ``CHUNK``), so that an edit moves no boundary but its own; the chunks of the
two are matched, then the tokens of each stretch of unmatched chunks.

difflib's matching of the chunks is itself quadratic where chunks recur many times (a
list of bylines cycling through the same organisations, reordered): it looks at every
occurrence in one sequence of every chunk of the other. Where that would be more than
``BUDGET`` looks per chunk, the chunks are first matched at those that occur once in each
sequence, in the longest run of them in the same order (patience diff), and each stretch
between two of them is matched by difflib when cheap enough, else replaced whole after its
common start and end.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections import Counter
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
BUDGET = 32
"""How many occurrences of its chunks in the other sequence difflib may look at, per
chunk, before the chunks are matched at those that occur once in each (``_matched``)."""

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
    for tag, i1, i2, j1, j2 in _matched(keys_a, keys_b, (0, len(keys_a), 0, len(keys_b))):
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


def _matched(a: Sequence[T], b: Sequence[T], span: tuple[int, int, int, int]) -> list[Opcode]:
    """How ``b[j1:j2]`` is made from ``a[i1:i2]`` (``span``), as difflib says it where it
    can say it cheaply; else matched at the items that occur once in each, in order."""
    i1, i2, j1, j2 = span
    if _cheap(a[i1:i2], b[j1:j2]):
        found = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False).get_opcodes()
        return [(tag, x1 + i1, x2 + i1, y1 + j1, y2 + j1) for tag, x1, x2, y1, y2 in found]
    out: list[Opcode] = []
    for anchor_a, anchor_b in [*_anchors(a, b, span), (i2, j2)]:
        out += _between(a, b, (i1, anchor_a, j1, anchor_b))
        if anchor_a < i2:
            out.append(("equal", anchor_a, anchor_a + 1, anchor_b, anchor_b + 1))
        i1, j1 = anchor_a + 1, anchor_b + 1
    return _joined(out)


def _cheap(a: Sequence[T], b: Sequence[T]) -> bool:
    """Whether difflib's first look for the longest match of ``a`` in ``b`` looks at no
    more than ``BUDGET`` occurrences per item: its time, not the square of the length."""
    counts = Counter(b)
    return sum(counts[item] for item in a) <= BUDGET * (len(a) + len(b))


def _anchors(
    a: Sequence[T], b: Sequence[T], span: tuple[int, int, int, int]
) -> list[tuple[int, int]]:
    """Where items that occur once in each of ``a[i1:i2]`` and ``b[j1:j2]`` stand in
    both: the longest run of them in the same order in the two."""
    i1, i2, j1, j2 = span
    counts_a, counts_b = Counter(a[i1:i2]), Counter(b[j1:j2])
    where_b = {b[j]: j for j in range(j1, j2) if counts_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(i1, i2) if counts_a[a[i]] == 1 and a[i] in where_b]
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (in order of their first number) whose second numbers
    increase too, found in n log n time."""
    tails: list[int] = []  # the smallest last second number of a run of each length
    ends: list[int] = []  # the index in pairs of that run's last pair
    before: list[int] = []  # the index of the pair before each in its run
    for index, (_, second) in enumerate(pairs):
        length = bisect_left(tails, second)
        before.append(ends[length - 1] if length else -1)
        if length == len(tails):
            tails.append(second)
            ends.append(index)
        else:
            tails[length], ends[length] = second, index
    run, index = [], ends[-1] if ends else -1
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


def _between(a: Sequence[T], b: Sequence[T], span: tuple[int, int, int, int]) -> list[Opcode]:
    """The stretch between two anchors: the same at its start and end, and the middle
    matched by difflib if cheap enough, else replaced whole."""
    i1, i2, j1, j2 = span
    start = 0
    while i1 + start < i2 and j1 + start < j2 and a[i1 + start] == b[j1 + start]:
        start += 1
    end = 0
    while i2 - end > i1 + start and j2 - end > j1 + start and a[i2 - end - 1] == b[j2 - end - 1]:
        end += 1
    middle = (i1 + start, i2 - end, j1 + start, j2 - end)
    out: list[Opcode] = [("equal", i1, i1 + start, j1, j1 + start)] if start else []
    if _cheap(a[middle[0] : middle[1]], b[middle[2] : middle[3]]):
        out += _matched(a, b, middle)
    elif middle[0] < middle[1] or middle[2] < middle[3]:
        x1, x2, y1, y2 = middle
        out.append(
            ("replace" if x1 < x2 and y1 < y2 else "delete" if x1 < x2 else "insert", *middle)
        )
    return out + ([("equal", i2 - end, i2, j2 - end, j2)] if end else [])


def _joined(found: list[Opcode]) -> list[Opcode]:
    """Neighbouring opcodes of the same tag as one, as difflib gives them."""
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in found:
        if out and out[-1][0] == tag:
            out[-1] = (tag, out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


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
