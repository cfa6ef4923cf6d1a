"""A paragraph's runs cut into measured *pieces*, for the paragraph the PDF lays out
itself (``bidi.BidiParagraph``).

1. the Unicode bidi algorithm (``uba``) gives every character an embedding level, each
   value the templates inserted resolved apart as an isolate (text with nothing right
   to left is all at level 0, without running it);
2. each character gets its face: Arabic script the Arabic face, any other character
   the text face lacks the fallback face that has it;
3. the text is cut into pieces: maximal stretches with one look, one level and one
   font, never crossing a space nor a place where a line may break inside a word
   (Unicode line breaking, ``text.linebreak``); each piece is measured once, pieces in
   scripts that need it shaped with HarfBuzz (joined forms; HarfBuzz also emits right-
   to-left ones reversed). Shaping is slow and words recur, so shaped pieces are cached;
4. a piece wider than a whole line is cut into parts that fit (``fitted``), and a word
   that does not fit at a line's end is hyphenated at a syllable where the style asks
   (``hyphenate``, called by ``lines.break_lines``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate, groupby

from bidi.mirror import MIRRORED
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr

from briefgen.text.fonts import ARABIC, ARABIC_BOLD, drawn_and_copied
from briefgen.text.hyphenation import syllable_breaks, words
from briefgen.text.linebreak import break_points
from briefgen.writers.pdf.fallback import face_runs
from briefgen.writers.pdf.fonts import cmap, is_shaped
from briefgen.writers.pdf.glyphs import (
    Hidden,
    reading_order,
    reversed_run,
    soft_hyphen,
    with_marks,
)
from briefgen.writers.pdf.lines import Piece, PieceKind
from briefgen.writers.pdf.reportlab_private import shape, shaped_glyphs
from briefgen.writers.pdf.text import Run
from briefgen.writers.pdf.uba import embedding_levels, left_to_right_only

_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFC),
)
_RTL_SCRIPT = re.compile(
    "[\u0590-\u05ff\u0780-\u07bf\ufb1d-\ufb4f"
    + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ARABIC_RANGES)
    + "]"
)  # the scripts HarfBuzz sets right to left: Hebrew, Thaana and Arabic
_ARABIC_LETTERS = frozenset(chr(c) for low, high in _ARABIC_RANGES for c in range(low, high + 1))
_ARABIC_SCRIPT = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ARABIC_RANGES) + "]"
)
_SPACES = " \t"
_KINDS: dict[str, PieceKind] = {
    " ": "space",
    "\t": "space",
    "\n": "break",
    "\u00ad": "hyphen",
}  # else "text"
_SHAPE_CACHE_SIZE = 8192  # distinct pieces; shaped words of a long pack fit many times over


@lru_cache(maxsize=256)
def _face(base_font: str, bold: bool, italic: bool, arabic: bool) -> str:
    family, base_bold, base_italic = ps2tt(base_font)
    bold, italic = bold or base_bold, italic or base_italic
    if arabic:
        return ARABIC_BOLD if bold else ARABIC
    return str(tt2ps(family, bold, italic))


def _char_fonts(runs: list[Run], base_font: str) -> list[str]:
    """The font of each character: Arabic script in the Arabic face, neutrals follow
    suit; any other character the text face lacks in the fallback face that has it."""
    arabic_cmap = cmap(ARABIC)
    fonts: list[str] = []
    previous_arabic = False
    for run in runs:
        latin_face = _face(base_font, run.bold, run.italic, False)
        arabic_face = _face(base_font, run.bold, run.italic, True)
        latin = iter(
            char_face
            for face, text in face_runs(run.text, latin_face, run.bold)
            for char_face in [face] * len(text)
        )
        for char in run.text:
            face = next(latin)
            if char in _SPACES:
                fonts.append(latin_face)
                continue
            arabic = char in _ARABIC_LETTERS
            if not arabic and not char.isalnum():
                arabic = previous_arabic and ord(char) in arabic_cmap
            previous_arabic = arabic
            fonts.append(arabic_face if arabic else face)
    return fonts


@lru_cache(maxsize=_SHAPE_CACHE_SIZE)
def _visual(text: str, odd: bool, font: str, size: float) -> tuple[str, float, Hidden]:
    """The glyphs of a piece at an odd or even level, its width, and the invisible
    copies of its raised marks.

    A piece drawn otherwise than as its characters from left to right (shaped text,
    anything at an odd level) is a shaped string whose glyphs are written in reading
    order, each moved to its place (``glyphs.reading_order``). HarfBuzz guesses an
    Arabic, Hebrew or Thaana run to be right to left and emits it reversed, which is right for
    odd levels; an even-level one (Arabic-Indic digits in a left-to-right island) is
    given to it reversed, so that it comes out in order.
    """
    arabic_face = font in (ARABIC, ARABIC_BOLD)
    if is_shaped(font) and (not arabic_face or _ARABIC_SCRIPT.search(text)):
        rtl_script = bool(_RTL_SCRIPT.search(text))
        backwards = rtl_script and not odd
        source = text[::-1] if backwards else text
        shaped, width = shape(source, font, size)
        if width is not None:
            visual = shaped_glyphs(shaped)
            rtl = rtl_script and odd
            glyphs, hidden = reading_order(visual, source, font, rtl=rtl, backwards=backwards)
            return glyphs, width, hidden
    # Unshaped, it is drawn as its characters, but not the marks of direction; the marks
    # of emoji and variation sequences copy with a character next to them.
    text, copied = drawn_and_copied(text)
    if odd and (len(text) > 1 or text in MIRRORED):  # one character reads the same either way
        order = _right_to_left(text)
        shown = "".join(MIRRORED.get(text[index], text[index]) for index in order)
        width = pdfmetrics.stringWidth(shown, font, size)
        return reversed_run(copied, shown, order, font, size), width, ()
    drawn = text if copied == text else with_marks(copied, font)
    return drawn, pdfmetrics.stringWidth(text, font, size), ()


def _right_to_left(text: str) -> list[int]:
    """The indices of ``text`` drawn right to left: reversed, but each non-spacing or
    enclosing mark (an accent, a stroke, a keycap) still after the character it goes on
    (UAX #9, rule L3). An unshaped face draws a mark over the glyph drawn before it, as
    a shaper places it on its base in either direction."""
    if not any(_is_mark(char) for char in text):
        return list(range(len(text) - 1, -1, -1))
    starts = [index for index, char in enumerate(text) if index == 0 or not _is_mark(char)]
    spans = zip(starts, [*starts[1:], len(text)], strict=True)
    return [index for start, end in reversed(list(spans)) for index in range(start, end)]


def _is_mark(char: str) -> bool:
    """A non-spacing or enclosing mark: it draws on the character before it, taking no room."""
    return unicodedata.category(char) in _MARK_CATEGORIES


_MARK_CATEGORIES = ("Mn", "Me")


def continues(previous: Piece, piece: Piece) -> bool:
    """Whether ``piece`` starts with marks on the last character of ``previous`` (a keycap
    or a stroke in another face than its base's): drawn right after it at any level."""
    return (
        piece.kind == previous.kind == "text"
        and piece.level == previous.level
        and bool(piece.text)
        and _is_mark(piece.text[0])
    )


def make_pieces(
    runs: list[Run], style: ParagraphStyle, rtl: bool | None = None
) -> tuple[int, list[Piece]]:
    """Cut runs into measured pieces in logical order; also return the base level.

    ``rtl`` fixes the paragraph's direction; without it the bidi rules find it. A piece
    never crosses a space nor a place where a line may break (``lines``). Soft hyphens
    that end the text are dropped: no line can break there, so none is shown (pieces
    that end in a hyphen are the first part of a paragraph cut there).
    """
    text = "".join(run.text for run in runs)
    base, levels, isolates = isolated_levels(runs, None if rtl is None else int(rtl))
    kinds = [_KINDS.get(char, "text") for char in text]
    hrefs = [(run.href, run.link) for run in runs for _ in run.text]
    fonts = _char_fonts(runs, style.fontName)
    segments = _segments(len(text), break_points(text))
    in_words = _in_words(text, style)
    size = style.fontSize
    pieces: list[Piece] = []
    start = 0
    looks = zip(kinds, levels, fonts, hrefs, segments, isolates, strict=True)
    for (kind, level, font, link, _, isolate), group in groupby(looks):
        at, start = start, start + len(list(group))
        chunk = text[at:start]
        href, number = link
        if kind == "text":
            if pieces and pieces[-1].kind == "text" and segments[at] != segments[at - 1]:
                pieces.append(
                    Piece("", 0.0, font, level, href, "space", "", number, (), False, isolate)
                )
            glyphs, width, hidden = _visual(chunk, level % 2 == 1, font, size)
            syllables = in_words[at] and level % 2 == 0 and not is_shaped(font)
            pieces.append(
                Piece(
                    glyphs,
                    width,
                    font,
                    level,
                    href,
                    kind,
                    chunk,
                    number,
                    hidden,
                    syllables,
                    isolate,
                )
            )
        elif kind == "space":
            width = pdfmetrics.stringWidth(chunk, font, size)
            pieces.append(
                Piece(chunk, width, font, level, href, kind, chunk, number, (), False, isolate)
            )
        elif kind == "hyphen":  # soft hyphens
            pieces += [_hyphen(font, level, link, size, isolate) for _ in chunk]
        else:  # one per break
            pieces += [
                Piece("", 0.0, font, level, href, kind, "", number, (), False, isolate)
                for _ in chunk
            ]
    while pieces and pieces[-1].kind == "hyphen":
        pieces.pop()
    return base, pieces


def _in_words(text: str, style: ParagraphStyle) -> list[bool]:
    """For each character, whether it is part of a word the style may hyphenate (its
    ``hyphenationLang``, set for the text's language): a piece starting in one is
    hyphenated at its syllables when it does not fit at a line's end."""
    marks = [False] * len(text)
    if getattr(style, "hyphenationLang", ""):
        for start, end in words(text):
            marks[start:end] = [True] * (end - start)
    return marks


def hyphenate(piece: Piece, room: float, dictionary: str, size: float) -> list[Piece] | None:
    """``piece`` cut at its last syllable break whose head and hyphen fit in ``room``:
    the head, a hyphenation point, the tail; None where no break leaves a head that fits."""
    text, font = piece.text, piece.font
    hyphen = _hyphen(font, piece.level, (piece.href, piece.link), size, piece.isolate)
    for point in reversed(syllable_breaks(text, dictionary)):
        head_glyphs, head_width, _ = _visual(text[:point], False, font, size)
        if head_width + hyphen.width <= room:
            tail_glyphs, tail_width, _ = _visual(text[point:], False, font, size)
            head = replace(piece, glyphs=head_glyphs, width=head_width, text=text[:point])
            tail = replace(piece, glyphs=tail_glyphs, width=tail_width, text=text[point:])
            return [head, hyphen, tail]
    return None


def _segments(length: int, points: list[int]) -> list[int]:
    """For each of ``length`` characters, how many of ``points`` (places to break inside
    words) come before it."""
    marks = [0] * length
    for point in points:
        marks[point] = 1
    return list(accumulate(marks))


@lru_cache(maxsize=1024)
def _hyphen(
    font: str,
    level: int,
    link: tuple[str | None, int | None],
    size: float,
    isolate: tuple[int, int] | None,
) -> Piece:
    """A hyphenation point: a hyphen that copies as a soft hyphen, shown at a line's end
    (one piece for all the points of one look: pieces are never changed)."""
    width = pdfmetrics.stringWidth("-", font, size)
    href, number = link
    glyph = soft_hyphen(font)
    return Piece(glyph, width, font, level, href, "hyphen", "\u00ad", number, isolate=isolate)


_PLACEHOLDER = "\ufffc"  # an isolate, as the text around it sees it: a neutral


def isolated_levels(
    runs: list[Run], base: int | None
) -> tuple[int, list[int], list[tuple[int, int] | None]]:
    """The paragraph's base level and each character's level, each value the templates
    inserted (``Run.isolate``) resolved as a first-strong isolate (UAX #9 X5c, X6a); and
    for each character of such a value, its number and the level the value takes in the
    text around it (``Piece.isolate``).

    The text around an isolate sees it as one neutral character; the isolate's own text
    is resolved apart, at its first strong character's direction, one or two levels
    above the paragraph's, so that "Human Rights Watch (HRW)" inside Arabic keeps its
    brackets and order, and a date inside an Arabic heading its own.
    """
    spans = [
        (isolate, "".join(run.text for run in group))
        for isolate, group in groupby(runs, key=lambda run: run.isolate)
    ]
    whole = "".join(text for _, text in spans)
    outside: list[tuple[int, int] | None] = [None] * len(whole)
    if base != 1 and left_to_right_only(whole):  # isolates or not, all at level 0
        return 0, [0] * len(whole), outside
    if all(isolate is None for isolate, _ in spans):
        return (*embedding_levels(whole, base), outside)
    outer = "".join(text if isolate is None else _PLACEHOLDER for isolate, text in spans)
    base, outer_levels = embedding_levels(outer, base)
    levels: list[int] = []
    isolates: list[tuple[int, int] | None] = []
    position = 0
    for isolate, text in spans:
        if isolate is None:
            levels += outer_levels[position : position + len(text)]
            isolates += [None] * len(text)
            position += len(text)
            continue
        isolates += [(isolate, outer_levels[position])] * len(text)
        position += 1
        inner_base, inner_levels = embedding_levels(text)
        raised = base + 1 if (base + inner_base) % 2 else base + 2  # the next level of its parity
        levels += [level + raised - inner_base for level in inner_levels]
    return base, levels, isolates


def fitted(pieces: list[Piece], width: float, size: float) -> list[Piece]:
    """``pieces`` with each left-to-right text wider than a line (a long address) cut into
    parts that fit, after a slash, dot, hyphen or the like where it can: the parts are
    separated by breaks of no width, taken only at a line's end."""
    if all(piece.width <= width or piece.kind != "text" for piece in pieces):
        return pieces
    out: list[Piece] = []
    for piece in pieces:
        if piece.width <= width or piece.kind != "text":
            out.append(piece)
            continue
        drawn: list[tuple[str, float, Hidden]]
        if _cuttable(piece):
            parts = _parts(piece.text, piece.font, size, width)
            drawn = [_visual(part, False, piece.font, size) for part in parts]
        else:  # shaped, or right to left: cut between letters, each part drawn anew
            parts = _cluster_parts(piece, size, width)
            drawn = [_visual(part, piece.level % 2 == 1, piece.font, size) for part in parts]
        for number, (part, (glyphs, part_width, hidden)) in enumerate(
            zip(parts, drawn, strict=True)
        ):
            part_piece = replace(
                piece, glyphs=glyphs, width=part_width, text=part, hidden=hidden, syllables=False
            )
            if number:
                out.append(replace(part_piece, glyphs="", width=0.0, kind="space", text=""))
            out.append(part_piece)
    return out


def _cluster_parts(piece: Piece, size: float, width: float) -> list[str]:
    """The text of a shaped or right-to-left piece wider than a line (a Thai sentence,
    which has no spaces) cut into parts no wider than ``width``, as a last resort:
    between letters, never before a mark or a joiner nor after a virama or a joiner,
    so that no letter loses its marks and no conjunct is split. A part that has no such
    place and is still too wide (a chain of conjuncts, letters each followed by a
    joiner) is cut before any letter that is not a mark or a joiner: nothing leaves the
    text area."""
    odd = piece.level % 2 == 1

    def too_wide(part: str) -> bool:
        return _visual(part, odd, piece.font, size)[1] > width

    parts = _cut(piece.text, _may_cut_before, too_wide)
    return [
        smaller
        for part in parts
        for smaller in (_cut(part, _may_cut_inside_cluster, too_wide) if too_wide(part) else [part])
    ]


def _cut(
    text: str, may_cut: Callable[[str, str], bool], too_wide: Callable[[str], bool]
) -> list[str]:
    """``text`` cut where ``may_cut(previous, next)`` allows, each part as long as fits."""
    cuts = [i for i in range(1, len(text)) if may_cut(text[i - 1], text[i])]
    parts: list[str] = []
    start = last = 0
    for end in [*cuts, len(text)]:
        if last > start and too_wide(text[start:end]):
            parts.append(text[start:last])
            start = last
        last = end
    parts.append(text[start:])
    return parts


_JOINERS = "\u200c\u200d"


def _may_cut_before(previous: str, char: str) -> bool:
    if not _may_cut_inside_cluster(previous, char) or previous in _JOINERS:
        return False
    return unicodedata.combining(previous) != _VIRAMA


def _may_cut_inside_cluster(previous: str, char: str) -> bool:
    """Never before a mark or a joiner: a letter keeps its marks."""
    return unicodedata.category(char)[0] != "M" and char not in _JOINERS


_VIRAMA = 9  # the canonical combining class of viramas (Devanagari U+094D, Bengali ...)


def _cuttable(piece: Piece) -> bool:
    """Text drawn as its characters, left to right (not shaped, not reversed)."""
    return piece.level % 2 == 0 and not isinstance(piece.glyphs, ShapedStr)


_CUT_AFTER = frozenset("/.-?&=_#:,;")


def _parts(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` cut into parts no wider than ``width`` as drawn (without the marks of
    direction and the like, which draw nothing), after a preferred character where one
    lies in the part's second half, else where the width runs out."""

    def fits(part: str) -> bool:
        drawn: float = pdfmetrics.stringWidth(drawn_and_copied(part)[0], font, size)
        return drawn <= width

    parts: list[str] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and fits(text[start : end + 1]):
            end += 1
        if end < len(text):
            preferred = max(
                (i + 1 for i in range(start, end) if text[i] in _CUT_AFTER), default=start
            )
            if preferred - start > (end - start) // 2:
                end = preferred
        parts.append(text[start:end])
        start = end
    return parts
