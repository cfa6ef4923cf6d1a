"""The lines of a paragraph this writer lays out itself (``bidi.BidiParagraph``): its
pieces, where a line may break between them, and greedy line breaking.

A line may break
- at a space, which the line's end drops;
- at a *break point* inside a word, where Unicode line breaking allows it
  (``briefgen.text.linebreak``: between Thai words or CJK characters, after a slash or
  a hyphen, at a zero-width space): a piece of kind ``"space"`` with no text nor width;
- at a *hyphenation point*: a soft hyphen typed in the text, or a syllable boundary
  by the hyphenation rules of the text's language, found only for a word that does
  not fit at a line's end: a piece of kind ``"hyphen"`` that shows a hyphen only where
  it ends a line, and is dropped elsewhere.

Lines are filled greedily: a piece that does not fit sends the line back to its last
place to break (with room for the hyphen, where it is one). A word wider than a whole
line has been cut into parts before (``pieces.fitted``); a word of several pieces that
still does not fit is broken between two of its pieces, as a last resort, so that
nothing leaves the text area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from briefgen.writers.pdf.glyphs import Hidden

PieceKind = Literal["text", "space", "hyphen", "break"]


@dataclass(frozen=True, slots=True)
class Piece:
    """Text with one look, level and font, ready to draw left to right at its width."""

    glyphs: str  # its characters left to right, or a ShapedStr in reading order; "" for breaks
    width: float
    font: str
    level: int
    href: str | None
    kind: PieceKind
    text: str = ""  # the characters, in logical order
    link: int | None = None  # the number of the link it is part of (``Run.link``)
    hidden: Hidden = ()  # invisible copies of its raised marks (``glyphs.reading_order``)
    syllables: bool = False  # whether it may be hyphenated at its syllables
    # The value the templates inserted that it is part of (``Run.isolate``) and the level
    # that value takes in the text around it: where an isolate starts or ends, rule L2
    # reorders as if its isolate's first-strong isolate and pop characters stood there.
    isolate: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """A line's pieces in logical order, where it starts and ends among the paragraph's
    pieces (``end`` past its hyphen, before the spaces or break it ended at), and
    whether its break took a space (which a reader of the text, rather than the page,
    must still get between its words)."""

    pieces: list[Piece]
    start: int
    end: int
    at_space: bool


@dataclass(slots=True)
class _Break:
    end: int  # the line's pieces end here (exclusive; past the hyphen it ends with)
    resume: int  # the next line starts here
    hyphen: Piece | None  # the hyphen drawn at the line's end
    at_space: bool


_BREAKABLE = ("space", "hyphen")


Hyphenate = Callable[[Piece, float], list[Piece] | None]
"""Cuts a piece at a syllable so that its head and hyphen fit in a room: the head, a
hyphenation point and the tail, or None."""


def break_lines(
    pieces: list[Piece], width: float, hyphenate: Hyphenate | None = None
) -> tuple[list[Piece], list[Line]]:
    """Greedy line breaking of ``pieces`` (logical order) into lines ``width`` wide.

    A piece that may be hyphenated (``Piece.syllables``) and does not fit at a line's end
    is cut by ``hyphenate`` where its head fits: words are hyphenated only where a line
    ends, as reportlab's paragraph does. Returns the pieces (with those cuts: the lines'
    ``start`` and ``end`` index them) and the lines.
    """
    lines: list[Line] = []
    pieces = list(pieces)  # cut in place below (a shift of pointers, not a copy per cut)
    start = _skip_breakable(pieces, 0)
    index, used, last, has_text = start, 0.0, None, False
    while index < len(pieces):
        piece = pieces[index]
        if piece.kind == "break":
            lines.append(_line(pieces, start, _Break(index, index + 1, None, True)))
            start = _skip_breakable(pieces, index + 1)
            index, used, last, has_text = start, 0.0, None, False
            continue
        if piece.kind == "text" and has_text and used + piece.width > width:
            cut = piece.syllables and hyphenate and hyphenate(piece, width - used)
            if cut:
                pieces[index : index + 1] = cut
                continue  # the head fits, its hyphen is the place to break
            cut_at = last or _Break(index, index, None, False)  # a last resort: inside a word
            lines.append(_line(pieces, start, cut_at))
            start = _skip_breakable(pieces, cut_at.resume)
            index, used, last, has_text = start, 0.0, None, False
            continue
        if piece.kind == "text":
            has_text = True
            used += piece.width
        elif piece.kind == "space":
            if has_text and pieces[index - 1].kind not in _BREAKABLE:
                last = _break_at(pieces, index)
            used += piece.width
        elif has_text and used + piece.width <= width:  # a hyphenation point
            last = _Break(index + 1, _skip_breakable(pieces, index + 1), piece, False)
        index += 1
    count = len(pieces)
    hyphen = pieces[-1] if pieces and pieces[-1].kind == "hyphen" else None  # a part's end
    lines.append(_line(pieces, start, _Break(count, count, hyphen, False)))
    return pieces, lines


def _skip_breakable(pieces: list[Piece], index: int) -> int:
    while index < len(pieces) and pieces[index].kind in _BREAKABLE:
        index += 1
    return index


def _break_at(pieces: list[Piece], index: int) -> _Break:
    """A break at the spaces and break points from ``index`` on."""
    resume = _skip_breakable(pieces, index)
    at_space = any(piece.kind == "space" and piece.text for piece in pieces[index:resume])
    return _Break(index, resume, None, at_space)


def _line(pieces: list[Piece], start: int, cut: _Break) -> Line:
    """The pieces from ``start`` to the break: its hyphenation points dropped, the
    hyphen it ends with (if any) kept, no space at its end."""
    kept = [piece for piece in pieces[start : cut.end] if piece.kind != "hyphen"]
    while kept and kept[-1].kind == "space":
        kept.pop()
    if cut.hyphen is not None:
        kept.append(cut.hyphen)
    return Line(kept, start, cut.end, cut.at_space)
