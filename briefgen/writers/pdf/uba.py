"""Embedding levels from the Unicode bidi algorithm, resolved on runs of one bidi class.

python-bidi's pure-Python algorithm keeps a dict per character and walks the text
once per rule; on a pack with many Arabic statements that is a large share of the
PDF time. Its Rust core only returns the reordered string, not the levels. Text
without explicit embeddings, overrides, isolates or boundary neutrals (nearly all
text) is one level run at the paragraph level, and every rule there treats a run
of characters of one class alike, so this module applies the same rules as
python-bidi (W1-W7, N1-N2, I1-I2) to such runs; other text still goes through
python-bidi. Both give the same levels (``tests/test_pdf_writer.py`` checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from unicodedata import bidirectional

from bidi import algorithm as uba

# Classes that need rules X1-X10 (more than one level run) or that X9 removes.
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "BN", "B"})
_X9_REMOVED = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "BN"})
_ISOLATES = frozenset({"LRI", "RLI", "FSI", "PDI"})
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})
_W4 = frozenset({("ES", "EN"), ("CS", "EN"), ("CS", "AN")})  # (separator, number between)


@dataclass(slots=True)
class _Run:
    """Neighbouring characters of one bidi class; rules change ``kind`` in place."""

    kind: str
    length: int


def embedding_levels(text: str, base: int | None = None) -> tuple[int, list[int]]:
    """The paragraph's base level and each character's resolved embedding level.

    ``base`` sets the paragraph level (rule HL1: the caller knows better, from the
    language); without it, rules P2-P3 find it. Forced line breaks (``"\\n"``) are
    resolved as spaces: a line break inside a paragraph does not start a new one.
    """
    classes = list(map(bidirectional, text.replace("\n", " ")))
    base = base_level(classes) if base is None else base
    if not _EXPLICIT.isdisjoint(classes):
        return base, _levels_by_python_bidi(text, base)
    runs = [_Run(kind, len(list(group))) for kind, group in groupby(classes)]
    direction = "LR"[base]  # sor and eor: the one level run is at the paragraph level
    runs = _resolve_weak(runs, direction)
    _resolve_neutral(runs, direction)
    levels: list[int] = []
    for run in runs:
        levels += [_implicit_level(run.kind, base)] * run.length
    return base, levels


def base_level(classes: list[str]) -> int:
    """Rules P2-P3: 1 if the first strong character is right to left, else 0."""
    first = next((kind for kind in classes if kind in ("L", "R", "AL")), "L")
    return 0 if first == "L" else 1


def _levels_by_python_bidi(text: str, base: int) -> list[int]:
    """All the rules, by python-bidi; characters that rule X9 removes take the level before.

    python-bidi predates isolates and fails on them, so they are taken as neutrals.
    """
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uba.get_embedding_levels(text.replace("\n", " "), storage)
    for char in storage["chars"]:
        if char["type"] in _ISOLATES:
            char["type"] = "ON"
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    kept = iter(storage["chars"])
    levels: list[int] = []
    for kind in map(bidirectional, text):
        removed = kind in _X9_REMOVED
        levels.append((levels[-1] if levels else base) if removed else next(kept)["level"])
    return levels


def _merged(runs: list[_Run]) -> list[_Run]:
    """Join neighbouring runs that rules have given the same class."""
    merged: list[_Run] = []
    for run in runs:
        if merged and merged[-1].kind == run.kind:
            merged[-1].length += run.length
        else:
            merged.append(run)
    return merged


def _resolve_weak(runs: list[_Run], sor: str) -> list[_Run]:
    """Rules W1-W7; returns the runs merged where their classes now agree."""
    previous = strong = sor
    for run in runs:
        if run.kind == "NSM":  # W1: a mark takes the class of what precedes it
            run.kind = previous
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
    strong = sor
    for run in runs:
        if run.kind == "EN" and strong == "L":  # W7
            run.kind = "L"
        if run.kind in ("L", "R"):
            strong = run.kind
    return _merged(runs)


def _next_to(runs: list[_Run], i: int, kind: str) -> bool:
    return (i > 0 and runs[i - 1].kind == kind) or (i + 1 < len(runs) and runs[i + 1].kind == kind)


def _resolve_neutral(runs: list[_Run], direction: str) -> None:
    """Rules N1-N2: neutrals between two like directions take it, others the paragraph's."""
    i = 0
    while i < len(runs):
        if runs[i].kind not in _NEUTRAL:
            i += 1
            continue
        end = i
        while end < len(runs) and runs[end].kind in _NEUTRAL:
            end += 1
        before = _as_strong(runs[i - 1].kind if i > 0 else direction)
        after = _as_strong(runs[end].kind if end < len(runs) else direction)
        for run in runs[i:end]:
            run.kind = before if before == after else direction
        i = end


def _as_strong(kind: str) -> str:
    """Numbers count as right to left for the neutrals next to them (N1)."""
    return "R" if kind in ("EN", "AN") else kind


def _implicit_level(kind: str, base: int) -> int:
    """Rules I1-I2."""
    if base % 2 == 0:
        return base + {"L": 0, "R": 1}.get(kind, 2)
    return base if kind == "R" else base + 1
