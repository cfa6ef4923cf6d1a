"""Unicode's conformance tests of the bidi algorithm (UAX #9) on ``writers/pdf/uba.py``.

Every case of BidiTest.txt and BidiCharacterTest.txt runs (``tests/data/unicode``, read
offline). Both give each character's level after rule L1, the whole paragraph taken as
one line; characters that rule X9 removes have none there ('x') and are not compared.
Reordering (rule L2) is the PDF writer's, tested with it. Each file's cases are cut
into chunks, so that a failure says where in the file it is.
"""

from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from briefgen.writers.pdf.uba import embedding_levels, line_levels

DATA = Path(__file__).parent / "data" / "unicode"
CHUNKS = 8

# BidiTest.txt gives sequences of bidi classes: one character of each class stands for it.
REPRESENTATIVES = {
    "L": "a",
    "R": "\u05d0",
    "AL": "\u0627",
    "EN": "1",
    "ES": "+",
    "ET": "#",
    "AN": "\u0660",
    "CS": ",",
    "NSM": "\u0300",
    "BN": "\u00ad",
    "B": "\u2029",  # not "\n": embedding_levels takes a line feed as a space
    "S": "\t",
    "WS": " ",
    "ON": "!",  # not a bracket
    "LRE": "\u202a",
    "RLE": "\u202b",
    "PDF": "\u202c",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
}
BIDI_TEST_PARAGRAPHS = ((1, None), (2, 0), (4, 1))  # bit of the file's bitset: auto, LTR, RTL
CHARACTER_TEST_PARAGRAPHS = {"0": 0, "1": 1, "2": None}

Levels = tuple[int | None, ...]  # None where the file has 'x'
# (line number, text, paragraph level asked (None: P2-P3), resolved one if given, levels)
Case = tuple[int, str, int | None, int | None, Levels]


def _lines(name: str) -> Iterator[tuple[int, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            line = line.split("#", 1)[0].strip()
            if line:
                yield number, line


def _levels(field: str) -> Levels:
    return tuple(None if level == "x" else int(level) for level in field.split())


@cache
def bidi_test_cases() -> list[Case]:
    """BidiTest.txt: each data line under the last ``@Levels`` line, once for each
    paragraph level its bitset names."""
    cases: list[Case] = []
    expected: Levels = ()
    for number, line in _lines("BidiTest.txt.gz"):
        if line.startswith("@Levels:"):
            expected = _levels(line.removeprefix("@Levels:"))
        elif not line.startswith("@"):
            classes, bitset = line.split(";")
            text = "".join(REPRESENTATIVES[kind] for kind in classes.split())
            cases += [
                (number, text, base, None, expected)
                for bit, base in BIDI_TEST_PARAGRAPHS
                if int(bitset, 16) & bit
            ]
    return cases


@cache
def character_test_cases() -> list[Case]:
    """BidiCharacterTest.txt: code points; paragraph direction; resolved paragraph level;
    levels (the visual order, last, is not read)."""
    cases: list[Case] = []
    for number, line in _lines("BidiCharacterTest.txt.gz"):
        points, direction, paragraph, levels, _ = line.split(";")
        text = "".join(chr(int(point, 16)) for point in points.split())
        base = CHARACTER_TEST_PARAGRAPHS[direction]
        cases.append((number, text, base, int(paragraph), _levels(levels)))
    return cases


def failures(cases: list[Case]) -> list[str]:
    """The cases whose paragraph level or levels (after L1, on one line) differ."""
    found = []
    for number, text, base, paragraph, expected in cases:
        resolved, levels = embedding_levels(text, base)
        levels = line_levels(text, levels, resolved)
        compared = [
            level if want is not None else None
            for want, level in zip(expected, levels, strict=True)
        ]
        if paragraph not in (None, resolved) or tuple(compared) != expected:
            classes = " ".join(map(unicodedata.bidirectional, text))
            got = f"{resolved} {compared}, want {paragraph} {list(expected)}"
            found.append(f"line {number}: {classes}; paragraph {base}: {got}")
    return found


def chunk(cases: list[Case], number: int) -> list[Case]:
    size = -(-len(cases) // CHUNKS)
    return cases[number * size : (number + 1) * size]


@pytest.mark.parametrize("number", range(CHUNKS))
def test_bidi_test_cases(number: int) -> None:
    failed = failures(chunk(bidi_test_cases(), number))
    assert not failed, f"{len(failed)} cases fail, first:\n" + "\n".join(failed[:10])


@pytest.mark.parametrize("number", range(CHUNKS))
def test_bidi_character_test_cases(number: int) -> None:
    failed = failures(chunk(character_test_cases(), number))
    assert not failed, f"{len(failed)} cases fail, first:\n" + "\n".join(failed[:10])


def test_every_case_of_both_files_runs() -> None:
    """The counts of Unicode 15.0.0's files: a parser that dropped lines would show here."""
    assert len(bidi_test_cases()) == 770_241
    assert len(character_test_cases()) == 91_707


def test_the_character_test_needs_no_newer_unicode_than_pythons() -> None:
    """The files are Unicode 15.0's, Python 3.11's data 14.0's: every character the
    character test uses is known to this Python, so no case needs skipping (their bidi
    classes are the same in 15.0, as data/unicode/README.md says)."""
    used = {char for _, text, *_ in character_test_cases() for char in text}
    assert all(unicodedata.category(char) != "Cn" for char in used)


def test_paired_brackets_are_unicodes() -> None:
    """uba.py's table of bracket pairs is BidiBrackets.txt's, under canonical equivalence."""
    from briefgen.writers.pdf import uba

    opening, closing = {}, {}
    for _, line in _lines("BidiBrackets.txt.gz"):
        point, paired, kind = (field.strip() for field in line.split(";"))
        char, pair = chr(int(point, 16)), chr(int(paired, 16))
        if kind == "o":
            opening[char] = unicodedata.normalize("NFD", pair)
        else:
            closing[char] = unicodedata.normalize("NFD", char)
    assert opening == uba._OPENING
    assert closing == uba._CLOSING
    assert {unicodedata.bidirectional(char) for char in opening | closing} == {"ON"}


def test_pairs_found_before_the_bracket_stack_overflows_still_count() -> None:
    """BD16 stops looking for pairs at the 64th bracket open at once, keeping those found
    (as Unicode's reference code does); the files have no such case. "(b)" keeps the
    left-to-right direction of its context by N0, where N1 alone would give its ")",
    between "b" and a Hebrew letter, the paragraph's."""
    text = "a(b)" + "(" * 63 + "[" + "\u05d0"
    assert embedding_levels(text, 1)[1][:4] == [2, 2, 2, 2]
