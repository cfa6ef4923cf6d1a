"""Embedding levels from the Unicode bidi algorithm (UAX #9), in pure Python.

The PDF writer lays right-to-left text out itself (``bidi.py``): it needs each
character's embedding level, to break lines in logical order and then reorder each
line (rule L2). python-bidi's Rust core returns only the reordered string, its old
pure-Python ``bidi.algorithm`` knows neither isolates nor bracket pairs, and ICU would
need a system library; so this module implements the paragraph rules itself: P2-P3,
X1-X10 (embeddings, overrides, isolates, to the depth of 125), W1-W7, N0 (bracket
pairs), N1-N2 and I1-I2, and rule L1, which applies per line, as :func:`line_levels`.
``tests/test_bidi_conformance.py`` runs every case of Unicode's conformance files.

For speed, the rules after X10 work on *runs* of neighbouring characters of one class,
since each of them treats such a run alike (a paired bracket is a run of its own), and
text without explicit embeddings, overrides, isolates or paragraph separators (nearly
all text) skips X1-X10: it is one isolating run sequence at the paragraph level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from unicodedata import bidirectional, decomposition

MAX_DEPTH = 125  # BD2: the deepest embedding level
_BRACKET_DEPTH = 63  # BD16: the most brackets open at once in one sequence

_EMBEDDINGS = {"LRE": (False, ""), "RLE": (True, ""), "LRO": (False, "L"), "RLO": (True, "R")}
_ISOLATE_INITIATORS = frozenset({"LRI", "RLI", "FSI"})
_ISOLATES = _ISOLATE_INITIATORS | {"PDI"}
_X9_REMOVED = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "BN"})
_EXPLICIT = _X9_REMOVED | _ISOLATES | {"B"}  # classes that need rules X1-X10
_NEUTRAL = _ISOLATES | {"B", "S", "WS", "ON"}
_STRONG = {"L": "L", "R": "R", "EN": "R", "AN": "R"}  # the direction N0-N1 see in a class
# Rules I1-I2: how far each class ends up above an even level, and above an odd one.
_IMPLICIT = ({"L": 0, "R": 1, "EN": 2, "AN": 2}, {"L": 1, "R": 0, "EN": 1, "AN": 1})
_W4 = frozenset({("ES", "EN"), ("CS", "EN"), ("CS", "AN")})  # (separator, number around)
_L1_RESET = _ISOLATES | _X9_REMOVED | {"WS"}  # reset before a separator or the line's end

# Bidi_Paired_Bracket of the opening brackets, in pairs of code points (opening, closing):
# the Open entries of BidiBrackets.txt, Unicode 14.0 (python-bidi's mirroring table lacks
# U+2E55-2E5C). tests/test_bidi_conformance.py checks it against the stored file.
_BRACKET_PAIRS = """
0028 0029  005B 005D  007B 007D  0F3A 0F3B  0F3C 0F3D  169B 169C  2045 2046  207D 207E
208D 208E  2308 2309  230A 230B  2329 232A  2768 2769  276A 276B  276C 276D  276E 276F
2770 2771  2772 2773  2774 2775  27C5 27C6  27E6 27E7  27E8 27E9  27EA 27EB  27EC 27ED
27EE 27EF  2983 2984  2985 2986  2987 2988  2989 298A  298B 298C  298D 2990  298F 298E
2991 2992  2993 2994  2995 2996  2997 2998  29D8 29D9  29DA 29DB  29FC 29FD  2E22 2E23
2E24 2E25  2E26 2E27  2E28 2E29  2E55 2E56  2E57 2E58  2E59 2E5A  2E5B 2E5C  3008 3009
300A 300B  300C 300D  300E 300F  3010 3011  3014 3015  3016 3017  3018 3019  301A 301B
FE59 FE5A  FE5B FE5C  FE5D FE5E  FF08 FF09  FF3B FF3D  FF5B FF5D  FF5F FF60  FF62 FF63
"""


def _canonical(char: str) -> str:
    """The character that ``char`` canonically decomposes to alone, else ``char``: N0
    pairs brackets under canonical equivalence (U+2329 opens what U+3009 closes)."""
    mapping = decomposition(char)
    return chr(int(mapping, 16)) if mapping and " " not in mapping else char


def _bracket_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Openers to the (canonical) closer they pair with; closers to their canonical form."""
    points = [chr(int(point, 16)) for point in _BRACKET_PAIRS.split()]
    pairs = list(zip(points[::2], points[1::2], strict=True))
    return (
        {opening: _canonical(closing) for opening, closing in pairs},
        {closing: _canonical(closing) for _, closing in pairs},
    )


_OPENING, _CLOSING = _bracket_tables()
_BRACKETS = frozenset(_OPENING) | frozenset(_CLOSING)


@dataclass(slots=True)
class _Run:
    """Neighbouring characters of one class in an isolating run sequence; rules change
    ``kind`` in place. A paired bracket is a run of its own (``bracket``), and so are the
    marks after it (``marks``), whose class N0 sets with the bracket's."""

    kind: str
    length: int
    bracket: str = ""
    marks: bool = False


_LEFT_TO_RIGHT = frozenset({"L", "EN", "ES", "ET", "CS", "NSM", "BN", "B", "S", "WS", "ON"})

# The class of a code point that Python's Unicode data leaves unassigned (for which
# ``bidirectional`` gives ""): a character of a later Unicode version, such as an emoji
# newer than Python's data, typed in an input. DerivedBidiClass.txt's defaults (its
# @missing lines, Unicode 15.1): right to left in the blocks kept for right-to-left
# scripts, ET for currency signs, BN for noncharacters and default-ignorable code
# points, left to right elsewhere; and ON in the emoji blocks, as every emoji there is.
_UNASSIGNED_CLASSES = (  # first, last, class
    (0x0590, 0x05FF, "R"), (0x0600, 0x07BF, "AL"), (0x07C0, 0x085F, "R"),
    (0x0860, 0x08FF, "AL"), (0x20A0, 0x20CF, "ET"), (0xFB1D, 0xFB4F, "R"),
    (0xFB50, 0xFDCF, "AL"), (0xFDD0, 0xFDEF, "BN"), (0xFDF0, 0xFDFF, "AL"),
    (0xFE70, 0xFEFF, "AL"), (0x10800, 0x10CFF, "R"), (0x10D00, 0x10D3F, "AL"),
    (0x10D40, 0x10EBF, "R"), (0x10EC0, 0x10EFF, "AL"), (0x10F00, 0x10F2F, "R"),
    (0x10F30, 0x10F6F, "AL"), (0x10F70, 0x10FFF, "R"), (0x1E800, 0x1EC6F, "R"),
    (0x1EC70, 0x1ECBF, "AL"), (0x1ECC0, 0x1ECFF, "R"), (0x1ED00, 0x1ED4F, "AL"),
    (0x1ED50, 0x1EDFF, "R"), (0x1EE00, 0x1EEFF, "AL"), (0x1EF00, 0x1EFFF, "R"),
    (0x1F000, 0x1F0FF, "ON"), (0x1F300, 0x1FAFF, "ON"), (0xE0000, 0xE0FFF, "BN"),
)  # fmt: skip
_DEFAULT_IGNORABLE = frozenset({0x2065, *range(0xFFF0, 0xFFF9)})


def _bidi_class(char: str) -> str:
    """The bidi class of ``char``; for a code point Python's data leaves unassigned, the
    class Unicode gives it by default (``_UNASSIGNED_CLASSES``)."""
    return bidirectional(char) or _unassigned_class(ord(char))


def _unassigned_class(point: int) -> str:
    if point in _DEFAULT_IGNORABLE or point & 0xFFFE == 0xFFFE:  # U+xxFFFE, U+xxFFFF
        return "BN"
    for first, last, kind in _UNASSIGNED_CLASSES:
        if first <= point <= last:
            return kind
    return "L"


def _classes(text: str) -> list[str]:
    """The bidi class of each character of ``text`` (``_bidi_class``), at C speed when
    every character is assigned."""
    classes = list(map(bidirectional, text))
    if "" in classes:
        pairs = zip(classes, text, strict=True)
        return [kind or _unassigned_class(ord(char)) for kind, char in pairs]
    return classes


def left_to_right_only(text: str) -> bool:
    """Whether the whole algorithm would give every character of ``text`` level 0 in a
    left-to-right paragraph: it holds no right-to-left letter, Arabic number, explicit
    embedding, override or isolate (the case of nearly all text, cheap to tell)."""
    return _LEFT_TO_RIGHT.issuperset(_classes(text))


def embedding_levels(text: str, base: int | None = None) -> tuple[int, list[int]]:
    """The paragraph's base level and each character's resolved embedding level.

    ``base`` sets the paragraph level (rule HL1: the caller knows better, from the
    language); without it, rules P2-P3 find it. Forced line breaks (``"\\n"``) are
    resolved as spaces: a line break inside a paragraph does not start a new one.
    Characters that rule X9 removes (embedding controls, soft hyphens) take the level
    of the character before them, so that every character has one. Rule L1 depends
    on where lines end: apply :func:`line_levels` to each line.
    """
    classes = _classes(text.replace("\n", " "))
    base = base_level(classes) if base is None else base
    if _EXPLICIT.isdisjoint(classes):
        return base, _resolve_sequence(text, classes, range(len(text)), base, (base, base))
    return base, _explicit_paragraph_levels(text, classes, base)


def base_level(classes: Sequence[str]) -> int:
    """Rules P2-P3: 1 if the first strong character outside isolates is right to left."""
    depth = 0
    for kind in classes:
        if kind in _ISOLATE_INITIATORS:
            depth += 1
        elif kind == "PDI":
            depth = max(depth - 1, 0)
        elif depth == 0 and kind in ("L", "R", "AL"):
            return 0 if kind == "L" else 1
    return 0


def line_levels(text: str, levels: list[int], base: int) -> list[int]:
    """Rule L1 on one line: segment separators (tabs), paragraph separators, and the
    whitespace and isolate controls before them or at the line's end, go back to the
    paragraph level, so that they stay where the paragraph's direction puts them."""
    reset = list(levels)
    at_end = True  # whether every character after this one (on the line) is reset
    for i in range(len(text) - 1, -1, -1):
        kind = _bidi_class(text[i])
        if kind in ("S", "B"):
            at_end = True
        elif kind not in _L1_RESET:
            at_end = False
        if at_end:
            reset[i] = base
    return reset


def _explicit_paragraph_levels(text: str, classes: list[str], base: int) -> list[int]:
    """Rules X1-X10, then the sequence rules on each isolating run sequence."""
    matches = _matching_pdis(classes)
    levels, resolved = _explicit_levels(classes, base, matches)
    kept = [i for i, kind in enumerate(classes) if kind not in _X9_REMOVED]  # X9
    rank = {index: k for k, index in enumerate(kept)}
    out = [base] * len(text)
    for indices in _isolating_run_sequences(kept, levels, matches):
        edges = _sequence_edges(indices, kept, rank, levels, classes, base)
        sequence_levels = _resolve_sequence(text, resolved, indices, levels[indices[0]], edges)
        for i, level in zip(indices, sequence_levels, strict=True):
            out[i] = level
    for i, kind in enumerate(classes):
        if kind in _X9_REMOVED:
            out[i] = out[i - 1] if i else base
    return out


def _matching_pdis(classes: list[str]) -> dict[int, int]:
    """BD9: the position of each isolate initiator's matching PDI, by its own."""
    matches: dict[int, int] = {}
    open_isolates: list[int] = []
    for i, kind in enumerate(classes):
        if kind in _ISOLATE_INITIATORS:
            open_isolates.append(i)
        elif kind == "PDI" and open_isolates:
            matches[open_isolates.pop()] = i
        elif kind == "B":
            open_isolates.clear()
    return matches


class _StatusStack:
    """The directional status stack of rules X1-X8, with its overflow counters."""

    def __init__(self, base: int) -> None:
        self.entries: list[tuple[int, str, bool]] = [(base, "", False)]  # level, override, isolate
        self.overflow_isolates = 0
        self.overflow_embeddings = 0
        self.valid_isolates = 0

    def push(self, rtl: bool, override: str, isolate: bool) -> None:
        """Rules X2-X5c: open an embedding or isolate at the next level of its parity,
        unless that is past the maximum depth or an overflow is pending."""
        level = self.entries[-1][0]
        level = (level + 1) | 1 if rtl else (level + 2) & ~1
        if level <= MAX_DEPTH and self.overflow_isolates == self.overflow_embeddings == 0:
            self.valid_isolates += isolate
            self.entries.append((level, override, isolate))
        elif isolate:
            self.overflow_isolates += 1
        elif self.overflow_isolates == 0:
            self.overflow_embeddings += 1

    def close_isolate(self) -> None:
        """Rule X6a: a PDI closes its isolate and every embedding opened inside it."""
        if self.overflow_isolates:
            self.overflow_isolates -= 1
        elif self.valid_isolates:
            self.overflow_embeddings = 0
            while not self.entries[-1][2]:
                self.entries.pop()
            self.entries.pop()
            self.valid_isolates -= 1

    def close_embedding(self) -> None:
        """Rule X7: a PDF closes the last embedding or override, never an isolate."""
        if self.overflow_isolates:
            return
        if self.overflow_embeddings:
            self.overflow_embeddings -= 1
        elif not self.entries[-1][2] and len(self.entries) > 1:
            self.entries.pop()


def _explicit_levels(
    classes: list[str], base: int, matches: dict[int, int]
) -> tuple[list[int], list[str]]:
    """Rules X1-X8: each character's embedding level, and its class after overrides."""
    stack = _StatusStack(base)
    levels = [base] * len(classes)
    resolved = list(classes)
    for i, kind in enumerate(classes):
        if kind in _EMBEDDINGS:
            stack.push(*_EMBEDDINGS[kind], isolate=False)
        elif kind == "PDF":
            stack.close_embedding()
        elif kind == "B":  # X8: a paragraph separator ends every embedding and isolate
            stack = _StatusStack(base)
        elif kind != "BN":
            if kind == "PDI":
                stack.close_isolate()
            levels[i], override, _ = stack.entries[-1]
            resolved[i] = override or kind
            if kind in _ISOLATE_INITIATORS:
                stack.push(_isolate_is_rtl(classes, i, matches), "", isolate=True)
    return levels, resolved


def _isolate_is_rtl(classes: list[str], i: int, matches: dict[int, int]) -> bool:
    """Whether the isolate opened at ``i`` is right to left; an FSI's text up to its
    matching PDI decides by rules P2-P3 (X5c)."""
    if classes[i] == "FSI":
        return base_level(classes[i + 1 : matches.get(i, len(classes))]) == 1
    return classes[i] == "RLI"


def _isolating_run_sequences(
    kept: list[int], levels: list[int], matches: dict[int, int]
) -> list[list[int]]:
    """BD13 and X10: the positions of each isolating run sequence, in order. A level run
    ending with an isolate initiator goes on with the one starting at its matching PDI."""
    runs = [list(run) for _, run in groupby(kept, levels.__getitem__)]  # BD7
    starting = {run[0]: number for number, run in enumerate(runs)}
    following = {
        number: starting[matches[run[-1]]]
        for number, run in enumerate(runs)
        if matches.get(run[-1]) in starting
    }
    continuations = set(following.values())
    sequences = []
    for number in range(len(runs)):
        if number in continuations:
            continue
        sequence = list(runs[number])
        while number in following:
            number = following[number]
            sequence += runs[number]
        sequences.append(sequence)
    return sequences


def _sequence_edges(
    indices: list[int],
    kept: list[int],
    rank: dict[int, int],
    levels: list[int],
    classes: list[str],
    base: int,
) -> tuple[int, int]:
    """Rule X10: the levels whose parities give the sequence's sos and eos, the higher
    of its own level and its neighbour's in the text (``rank`` places a position among
    the ``kept`` ones: removed characters do not count)."""
    level = levels[indices[0]]
    first, last = rank[indices[0]], rank[indices[-1]]
    before = levels[kept[first - 1]] if first else base
    after = base
    if last + 1 < len(kept) and classes[indices[-1]] not in _ISOLATE_INITIATORS:
        after = levels[kept[last + 1]]
    return max(level, before), max(level, after)


def _resolve_sequence(
    text: str, classes: list[str], indices: Sequence[int], level: int, edges: tuple[int, int]
) -> list[int]:
    """Rules W1-W7, N0-N2 and I1-I2 on one isolating run sequence at ``level``, given by
    the positions of its characters (ascending): their levels, in the same order."""
    whole = len(indices) == len(text)
    chars = text if whole else "".join(map(text.__getitem__, indices))
    kinds = classes if whole else [classes[i] for i in indices]
    sos, eos = ("LR"[edge % 2] for edge in edges)
    embedding = "LR"[level % 2]
    if _BRACKETS.isdisjoint(chars):
        runs = _resolve_weak([_Run(kind, len(list(same))) for kind, same in groupby(kinds)], sos)
    else:
        runs = _resolve_weak(_runs(chars, kinds), sos)
        _resolve_brackets(runs, sos, embedding)
    _resolve_neutral(runs, sos, eos, embedding)
    raised = _IMPLICIT[level % 2]
    levels: list[int] = []
    for run in runs:
        levels += [level + raised[run.kind]] * run.length
    return levels


def _runs(chars: str, kinds: list[str]) -> list[_Run]:
    """Characters and their classes as runs of one class, each paired bracket apart."""
    runs: list[_Run] = []
    position = 0
    for kind, same in groupby(kinds):
        length = len(list(same))
        if kind == "ON":
            runs += _split_at_brackets(chars[position : position + length])
        else:
            runs.append(_Run(kind, length))
        position += length
    return runs


def _split_at_brackets(chars: str) -> list[_Run]:
    """Neutral characters (class ON) as runs, each paired bracket a run of its own."""
    runs: list[_Run] = []
    for bracket, same in groupby(chars, lambda char: char if char in _BRACKETS else ""):
        count = len(list(same))
        runs += [_Run("ON", 1, bracket) for _ in range(count)] if bracket else [_Run("ON", count)]
    return runs


def _merged(runs: list[_Run]) -> list[_Run]:
    """Join neighbouring runs that rules have given the same class (brackets stay apart)."""
    merged: list[_Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (
            last
            and last.kind == run.kind
            and not (last.bracket or last.marks or run.bracket or run.marks)
        ):
            last.length += run.length
        else:
            merged.append(run)
    return merged


def _resolve_weak(runs: list[_Run], sos: str) -> list[_Run]:
    """Rules W1-W7; returns the runs merged where their classes now agree."""
    previous = strong = sos
    for i, run in enumerate(runs):
        if run.kind == "NSM":  # W1: a mark takes the class of what precedes it
            run.marks = i > 0 and bool(runs[i - 1].bracket)
            run.kind = "ON" if previous in _ISOLATES else previous
        if run.kind == "EN" and strong == "AL":  # W2
            run.kind = "AN"
        if run.kind in ("R", "L", "AL"):
            strong = run.kind
        previous = run.kind
    for run in runs:
        if run.kind == "AL":  # W3
            run.kind = "R"
    runs = _merged(runs)
    for before, run, after in zip(runs, runs[1:], runs[2:], strict=False):  # W4
        if run.length == 1 and before.kind == after.kind and (run.kind, before.kind) in _W4:
            run.kind = before.kind
    for i, run in enumerate(runs):  # W5: terminators next to European numbers
        if run.kind == "ET" and _next_to(runs, i, "EN"):
            run.kind = "EN"
    for run in runs:
        if run.kind in ("ET", "ES", "CS"):  # W6
            run.kind = "ON"
    strong = sos
    for run in runs:
        if run.kind == "EN" and strong == "L":  # W7
            run.kind = "L"
        if run.kind in ("L", "R"):
            strong = run.kind
    return _merged(runs)


def _next_to(runs: list[_Run], i: int, kind: str) -> bool:
    """Whether a run beside run ``i`` is of ``kind`` (W5 looks at both sides)."""
    return (i > 0 and runs[i - 1].kind == kind) or (i + 1 < len(runs) and runs[i + 1].kind == kind)


def _bracket_pairs(runs: list[_Run]) -> list[tuple[int, int]]:
    """BD16: the (opening, closing) run numbers of the bracket pairs, by opening."""
    stack: list[tuple[str, int]] = []  # the closer each open bracket waits for, and where
    pairs: list[tuple[int, int]] = []
    for i, run in enumerate(runs):
        if run.bracket in _OPENING:
            if len(stack) == _BRACKET_DEPTH:
                break
            stack.append((_OPENING[run.bracket], i))
        elif run.bracket:
            closer = _CLOSING[run.bracket]
            depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][0] == closer), None)
            if depth is not None:
                pairs.append((stack[depth][1], i))
                del stack[depth:]
    return sorted(pairs)


def _resolve_brackets(runs: list[_Run], sos: str, embedding: str) -> None:
    """Rule N0: a bracket pair takes the embedding direction if a strong character of
    it lies inside, else the opposite one if one of that lies inside and it is also the
    context before the pair; marks after a bracket follow it."""
    context, position = sos, 0
    for opening, closing in _bracket_pairs(runs):
        for run in runs[position:opening]:
            context = _STRONG.get(run.kind, context)
        position = opening
        inside = {_STRONG.get(run.kind) for run in runs[opening + 1 : closing]}
        if embedding in inside:
            kind = embedding
        elif inside - {None}:
            kind = context  # N0 c: the opposite direction where the context agrees
        else:
            continue
        for bracket in (opening, closing):
            runs[bracket].kind = kind
            if bracket + 1 < len(runs) and runs[bracket + 1].marks:
                runs[bracket + 1].kind = kind


def _resolve_neutral(runs: list[_Run], sos: str, eos: str, embedding: str) -> None:
    """Rules N1-N2: neutrals between two like directions take it, others the embedding's."""
    i = 0
    while i < len(runs):
        if runs[i].kind not in _NEUTRAL:
            i += 1
            continue
        end = i
        while end < len(runs) and runs[end].kind in _NEUTRAL:
            end += 1
        before = _STRONG[runs[i - 1].kind] if i > 0 else sos
        after = _STRONG[runs[end].kind] if end < len(runs) else eos
        for run in runs[i:end]:
            run.kind = before if before == after else embedding
        i = end
