"""A paragraph flowable for text with right-to-left script (Arabic), laid out and drawn here.

reportlab's own bidi needs ``rlbidi``, which is not on PyPI, and its shaper shapes a
whole space-delimited word with one font and one guessed direction. So paragraphs
holding RTL text take this path instead:

1. the Unicode bidi algorithm (``uba``) gives every character an embedding level, each
   value the templates inserted resolved apart as an isolate;
2. the text is cut into *pieces*: maximal stretches with one look, one level and one
   font, never crossing a space; each piece is measured once, Arabic pieces shaped
   with HarfBuzz (joined forms; HarfBuzz also emits them right to left). Shaping is
   slow and words recur, so shaped pieces are cached;
3. lines are broken in logical order; rule L2 (reverse runs from the highest level
   down to the lowest odd one) gives each piece its place on the line;
4. each line is written in reading order, each piece moved to its place, and a
   right-to-left piece's glyphs in reading order too, each encoded for the text it
   shows (``glyphs``): copying, searching or reading the text aloud gives the words
   as they were typed; links become link annotations.

Paragraphs that compose decided are right-to-left are right-aligned.

In a tagged document each stretch of a line within one link or none is marked content
of the paragraph's element (or of its link's), in reading order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache, partial
from itertools import accumulate, groupby

from bidi.mirror import MIRRORED
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from briefgen.text.fonts import ARABIC, ARABIC_BOLD, SHAPED_FACES, without_ignorables
from briefgen.text.hyphenation import syllable_breaks, words
from briefgen.text.linebreak import break_points
from briefgen.writers.pdf.fallback import face_runs
from briefgen.writers.pdf.fonts import cmap
from briefgen.writers.pdf.glyphs import Hidden, reading_order, reversed_run, soft_hyphen
from briefgen.writers.pdf.lines import Hyphenate, Line, Piece, PieceKind, break_lines
from briefgen.writers.pdf.reportlab_private import shape, shaped_glyphs, text_code
from briefgen.writers.pdf.styles import first_baseline
from briefgen.writers.pdf.tagging import (
    Tag,
    Tagger,
    begin_operator,
    repeated,
    tagger_of,
)
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
    "[\u0590-\u05ff\ufb1d-\ufb4f"
    + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ARABIC_RANGES)
    + "]"
)  # the scripts HarfBuzz sets right to left: Hebrew and Arabic
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
    Arabic or Hebrew run to be right to left and emits it reversed, which is right for
    odd levels; an even-level one (Arabic-Indic digits in a left-to-right island) is
    given to it reversed, so that it comes out in order.
    """
    arabic_face = font in (ARABIC, ARABIC_BOLD)
    if font in SHAPED_FACES and (not arabic_face or _ARABIC_SCRIPT.search(text)):
        rtl_script = bool(_RTL_SCRIPT.search(text))
        backwards = rtl_script and not odd
        source = text[::-1] if backwards else text
        shaped, width = shape(source, font, size)
        if width is not None:
            visual = shaped_glyphs(shaped)
            rtl = rtl_script and odd
            glyphs, hidden = reading_order(visual, source, font, rtl=rtl, backwards=backwards)
            return glyphs, width, hidden
    # Unshaped, it is drawn as its characters, but not the marks of direction.
    text = without_ignorables(text)
    if odd and (len(text) > 1 or text in MIRRORED):  # one character reads the same either way
        shown = "".join(MIRRORED.get(char, char) for char in reversed(text))
        width = pdfmetrics.stringWidth(shown, font, size)
        return reversed_run(text, shown, font, size), width, ()
    return text, pdfmetrics.stringWidth(text, font, size), ()


def make_pieces(
    runs: list[Run], style: ParagraphStyle, rtl: bool | None = None
) -> tuple[int, list[Piece]]:
    """Cut runs into measured pieces in logical order; also return the base level.

    ``rtl`` fixes the paragraph's direction; without it the bidi rules find it. A piece
    never crosses a space nor a place where a line may break (``lines``).
    """
    text = "".join(run.text for run in runs)
    base, levels = isolated_levels(runs, None if rtl is None else int(rtl))
    kinds = [_KINDS.get(char, "text") for char in text]
    hrefs = [(run.href, run.link) for run in runs for _ in run.text]
    fonts = _char_fonts(runs, style.fontName)
    segments = _segments(len(text), break_points(text))
    in_words = _in_words(text, style)
    size = style.fontSize
    pieces: list[Piece] = []
    start = 0
    looks = zip(kinds, levels, fonts, hrefs, segments, strict=True)
    for (kind, level, font, link, _), group in groupby(looks):
        at, start = start, start + len(list(group))
        chunk = text[at:start]
        if kind == "text":
            if pieces and pieces[-1].kind == "text" and segments[at] != segments[at - 1]:
                pieces.append(Piece("", 0.0, font, level, link[0], "space", "", link[1]))
            glyphs, width, hidden = _visual(chunk, level % 2 == 1, font, size)
            syllables = in_words[at] and level % 2 == 0 and font not in SHAPED_FACES
            pieces.append(
                Piece(glyphs, width, font, level, link[0], kind, chunk, link[1], hidden, syllables)
            )
        elif kind == "space":
            width = pdfmetrics.stringWidth(chunk, font, size)
            pieces.append(Piece(chunk, width, font, level, link[0], kind, chunk, link[1]))
        elif kind == "hyphen":  # soft hyphens
            pieces += [_hyphen(font, level, link, size) for _ in chunk]
        else:  # one per break
            pieces += [Piece("", 0.0, font, level, link[0], kind, "", link[1]) for _ in chunk]
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
    hyphen = _hyphen(font, piece.level, (piece.href, piece.link), size)
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
def _hyphen(font: str, level: int, link: tuple[str | None, int | None], size: float) -> Piece:
    """A hyphenation point: a hyphen that copies as a soft hyphen, shown at a line's end
    (one piece for all the points of one look: pieces are never changed)."""
    width = pdfmetrics.stringWidth("-", font, size)
    href, number = link
    return Piece(soft_hyphen(font), width, font, level, href, "hyphen", "\u00ad", number)


_PLACEHOLDER = "\ufffc"  # an isolate, as the text around it sees it: a neutral


def isolated_levels(runs: list[Run], base: int | None) -> tuple[int, list[int]]:
    """The paragraph's base level and each character's level, each value the templates
    inserted (``Run.isolate``) resolved as a first-strong isolate (UAX #9 X5c, X6a).

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
    if base != 1 and left_to_right_only(whole):  # isolates or not, all at level 0
        return 0, [0] * len(whole)
    if all(isolate is None for isolate, _ in spans):
        return embedding_levels(whole, base)
    outer = "".join(text if isolate is None else _PLACEHOLDER for isolate, text in spans)
    base, outer_levels = embedding_levels(outer, base)
    levels: list[int] = []
    position = 0
    for isolate, text in spans:
        if isolate is None:
            levels += outer_levels[position : position + len(text)]
            position += len(text)
            continue
        position += 1
        inner_base, inner_levels = embedding_levels(text)
        raised = base + 1 if (base + inner_base) % 2 else base + 2  # the next level of its parity
        levels += [level + raised - inner_base for level in inner_levels]
    return base, levels


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
            drawn = [(part, pdfmetrics.stringWidth(part, piece.font, size), ()) for part in parts]
        else:  # shaped, or right to left: cut between letters, each part drawn anew
            parts = _cluster_parts(piece, size, width)
            drawn = [_visual(part, piece.level % 2 == 1, piece.font, size) for part in parts]
        for number, (part, (glyphs, part_width, hidden)) in enumerate(
            zip(parts, drawn, strict=True)
        ):
            if number:
                out.append(
                    Piece("", 0.0, piece.font, piece.level, piece.href, "space", "", piece.link)
                )
            out.append(
                Piece(
                    glyphs,
                    part_width,
                    piece.font,
                    piece.level,
                    piece.href,
                    "text",
                    part,
                    piece.link,
                    hidden,
                )
            )
    return out


def _cluster_parts(piece: Piece, size: float, width: float) -> list[str]:
    """The text of a shaped or right-to-left piece wider than a line (a Thai sentence,
    which has no spaces) cut into parts no wider than ``width``, as a last resort:
    between letters, never before a mark or a joiner nor after a virama or a joiner,
    so that no letter loses its marks and no conjunct is split."""
    odd = piece.level % 2 == 1
    text = piece.text
    cuts = [i for i in range(1, len(text)) if _may_cut_before(text[i - 1], text[i])]
    parts: list[str] = []
    start = last = 0
    for end in [*cuts, len(text)]:
        if last > start and _visual(text[start:end], odd, piece.font, size)[1] > width:
            parts.append(text[start:last])
            start = last
        last = end
    parts.append(text[start:])
    return parts


def _may_cut_before(previous: str, char: str) -> bool:
    joiners = "\u200c\u200d"
    if unicodedata.category(char)[0] == "M" or char in joiners or previous in joiners:
        return False
    return unicodedata.combining(previous) != _VIRAMA


_VIRAMA = 9  # the canonical combining class of viramas (Devanagari U+094D, Bengali ...)


def _cuttable(piece: Piece) -> bool:
    """Text drawn as its characters, left to right (not shaped, not reversed)."""
    return piece.level % 2 == 0 and not isinstance(piece.glyphs, ShapedStr)


_CUT_AFTER = frozenset("/.-?&=_#:,;")


def _parts(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` cut into parts no wider than ``width``, after a preferred character where
    one lies in the part's second half, else where the width runs out."""
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = start + 1
        while (
            end < len(text) and pdfmetrics.stringWidth(text[start : end + 1], font, size) <= width
        ):
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


def visual_order(line: list[Piece]) -> list[Piece]:
    """Rule L2 of the bidi algorithm, on pieces (each piece has a single level)."""
    return [line[index] for index in visual_indices(line)]


def visual_indices(line: list[Piece]) -> list[int]:
    """The logical indices of a line's pieces, in visual order (rule L2)."""
    if not line:
        return []
    order = list(range(len(line)))
    ranked = [piece.level for piece in line]
    lowest_odd = min(ranked) | 1
    for level in range(max(ranked), lowest_odd - 1, -1):
        start = None
        for i in range(len(order) + 1):
            inside = i < len(order) and ranked[i] >= level
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                order[start:i] = order[start:i][::-1]
                ranked[start:i] = ranked[start:i][::-1]
                start = None
    return order


class _Pen:
    """Shows a line's pieces, in reading order, each where it stands on the line.

    It moves the text position only where a piece does not follow the one before, sets
    font and colour only where they change, and shows neighbours of one font and colour
    drawn as their characters as one string: fewer operators to write, and far fewer
    calls into reportlab.
    """

    def __init__(
        self, text: PDFTextObject, x: float, baseline: float, style: ParagraphStyle, link: Color
    ) -> None:
        self.text, self.x, self.baseline = text, x, baseline
        self.size, self.ink, self.link = style.fontSize, style.textColor, link
        self.font: str | None = None
        self.colour: Color | None = None
        self._pending: list[str] = []

    def show(self, x: float, piece: Piece) -> None:
        colour = self.link if piece.href else self.ink
        shaped = isinstance(piece.glyphs, ShapedStr)
        moved = abs(x - self.x) > _SAME_PLACE
        if shaped or moved or piece.font != self.font or colour is not self.colour:
            self.flush()
            if piece.font != self.font:
                self.font = piece.font
                self.text.setFont(piece.font, self.size)
            if colour is not self.colour:
                self.colour = colour
                self.text.setFillColor(colour)
            if moved:
                self.text.setTextOrigin(x, self.baseline)
        if shaped:
            self._shaped(piece)
        else:
            self._pending.append(piece.glyphs)
        self.x = x + piece.width

    def _shaped(self, piece: Piece) -> None:
        """A shaped piece, with the invisible copies of its raised marks in their places."""
        start = 0
        for after, copy in piece.hidden:
            self._glyphs(piece.font, piece.glyphs[start : after + 1])
            self.text.setTextRenderMode(3)
            self._glyphs(piece.font, copy)
            self.text.setTextRenderMode(0)
            start = after + 1
        if start < len(piece.glyphs):
            self._glyphs(piece.font, piece.glyphs[start:])

    def _glyphs(self, font: str, glyphs: str) -> None:
        # The font again: reportlab raises a shaped text's first mark only after a font
        # operator in the same call (else IndexError).
        self.text.setFont(font, self.size)
        self.text.textOut(glyphs)

    def space(self, x: float) -> None:
        """An invisible space at ``x``: the one a line break took, for reading order."""
        self.flush()
        if abs(x - self.x) > _SAME_PLACE:
            self.text.setTextOrigin(x, self.baseline)
        self.text.textOut(" ")
        self.x = x + (pdfmetrics.stringWidth(" ", self.font, self.size) if self.font else 0.0)

    def flush(self) -> None:
        if self._pending:
            self.text.textOut("".join(self._pending))
            self._pending.clear()


_SAME_PLACE = 0.001  # points: a piece this close to where the last ended follows it


class BidiParagraph(Flowable):  # type: ignore[misc]
    """A paragraph holding RTL script; see the module docstring."""

    def __init__(
        self,
        runs: list[Run],
        style: ParagraphStyle,
        rtl: bool | None = None,
        link_colour: Color | None = None,
    ) -> None:
        super().__init__()
        self.style = style
        self.link_colour = link_colour or style.textColor
        self.base, self.pieces = make_pieces(runs, style, rtl)
        self.lines: list[Line] = []
        self.tag: Tag | None = None
        self._drawn = False

    @classmethod
    def _part(cls, parent: BidiParagraph, pieces: list[Piece]) -> BidiParagraph:
        part: BidiParagraph = cls.__new__(cls)
        Flowable.__init__(part)
        part.style, part.base, part.pieces, part.lines = parent.style, parent.base, pieces, []
        part.link_colour = parent.link_colour
        part.tag, part._drawn = parent.tag, False
        return part

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - self.style.leftIndent - self.style.rightIndent
        pieces = fitted(self.pieces, inner, self.style.fontSize)
        self.pieces, self.lines = break_lines(pieces, inner, self._hyphenate())
        self.width = availWidth
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def _hyphenate(self) -> Hyphenate | None:
        """How this paragraph's words are hyphenated: by its style's rules, if any."""
        dictionary = getattr(self.style, "hyphenationLang", "")
        if not dictionary:
            return None
        return partial(hyphenate, dictionary=dictionary, size=self.style.fontSize)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split at a line. The lines of the last wrap are kept where they fit in
        ``availWidth``, as reportlab's paragraph keeps its own: a table splitting a row
        asks at a wider width than it wrapped its cells at, and the paragraph must then
        split where the table measured it."""
        if not self.lines or availWidth < self.width:
            self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        head = self.pieces[: self.lines[fit - 1].end]
        return [self._part(self, head), self._part(self, self.pieces[self.lines[fit].start :])]

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def last_line_end(self) -> float:
        """Where the last line ends, from the left; the contents draws its leader after it."""
        width = _width(self.lines[-1]) if self.lines else 0.0
        return self._line_start(width) + width

    def last_line_start(self) -> float:
        """Where the last line starts, from the left; a right-to-left contents line draws
        its leader from there to the left."""
        width = _width(self.lines[-1]) if self.lines else 0.0
        return self._line_start(width)

    def right_aligned(self) -> bool:
        return self.base % 2 == 1

    def draw(self) -> None:
        tagger, tag = tagger_of(self.canv), self.tag
        if tagger is not None and tag is not None and self._drawn:
            with repeated(self.canv):  # a table header drawn again on a later page
                self._draw_lines(None, None)
            return
        self._drawn = True
        self._draw_lines(tagger, tag)

    def _draw_lines(self, tagger: Tagger | None, tag: Tag | None) -> None:
        style = self.style
        baseline = self.height - first_baseline(style)
        last = len(self.lines) - 1
        for number, line in enumerate(self.lines):
            pieces = _merged(line.pieces)
            if tagger is None or tag is None:
                self._draw_line(pieces, baseline)
            else:
                space = number < last and line.at_space
                self._draw_tagged_line(pieces, baseline, tagger, tag, space)
            baseline -= style.leading

    def _placed(self, line: list[Piece]) -> tuple[float, list[float]]:
        """Where the line starts, and where each of its pieces starts (rule L2)."""
        x = start = self._line_start(sum(piece.width for piece in line))
        starts = [0.0] * len(line)
        for index in visual_indices(line):
            starts[index] = x
            x += line[index].width
        return start, starts

    def _draw_line(self, line: list[Piece], baseline: float) -> None:
        """One text object per line, so text extraction sees the line as a whole; its
        pieces in reading order, each moved to its place (see the module docstring)."""
        start, starts = self._placed(line)
        text = self.canv.beginText(start, baseline)
        pen = _Pen(text, start, baseline, self.style, self.link_colour)
        for x, piece in zip(starts, line, strict=True):
            pen.show(x, piece)
            if piece.href:
                self._link(piece.href, self._rect(x, x + piece.width, baseline))
        pen.flush()
        self.canv.drawText(text)

    def _draw_tagged_line(
        self, line: list[Piece], baseline: float, tagger: Tagger, tag: Tag, space: bool
    ) -> None:
        """A line as marked content: each stretch of pieces within one link or none, in
        reading order, is content of the paragraph's element or of its link's; with
        ``space``, the line ends with the (invisible) space its break took, so that the
        words on either side stay two words."""
        canv = self.canv
        start, starts = self._placed(line)
        text = canv.beginText(start, baseline)
        code = text_code(text)
        pen = _Pen(text, start, baseline, self.style, self.link_colour)
        page = canv.getPageNumber()
        placed = list(zip(starts, line, strict=True))
        stretches = [list(group) for _, group in groupby(placed, key=lambda at: at[1].link)]
        for number, stretch in enumerate(stretches):
            link = stretch[0][1].link
            node = tag.node if link is None else tag.link(link)
            pen.flush()
            code.append(begin_operator(node, tagger.allocate(page, node).mcid))
            for x, piece in stretch:
                pen.show(x, piece)
            if space and number == len(stretches) - 1:
                pen.space(self._line_end(line, start))
            pen.flush()
            code.append("EMC")
            href = stretch[0][1].href
            if href and node is not tag.node:
                for left, right in _spans(stretch):
                    tagger.annotate(canv, node, self._rect(left, right, baseline), href)
        canv.drawText(text)

    def _line_end(self, line: list[Piece], start: float) -> float:
        """Where the line's last word ends in reading order: left of a right-to-left line."""
        if self.right_aligned():
            return start - float(
                pdfmetrics.stringWidth(" ", self.style.fontName, self.style.fontSize)
            )
        return start + sum(piece.width for piece in line)

    def _rect(
        self, left: float, right: float, baseline: float
    ) -> tuple[float, float, float, float]:
        size = self.style.fontSize
        return (left, baseline - 0.25 * size, right, baseline + size)

    def _line_start(self, line_width: float) -> float:
        style = self.style
        room = self.width - style.leftIndent - style.rightIndent - line_width
        if self.right_aligned() or style.alignment == TA_RIGHT:
            return float(style.leftIndent + room)
        if style.alignment == TA_CENTER:
            return float(style.leftIndent + room / 2)
        return float(style.leftIndent)

    def _link(self, href: str, rect: tuple[float, float, float, float]) -> None:
        if href.startswith("#"):
            self.canv.linkRect("", href[1:], rect, relative=1)
        else:
            self.canv.linkURL(href, rect, relative=1)


def _merged(line: list[Piece]) -> list[Piece]:
    """A line's pieces with neighbours drawn alike as one: left to right, as their
    characters, in one font, level and link. They are drawn as they were (the pen
    already shows such neighbours as one string), with far fewer calls."""
    merged: list[Piece] = []
    for piece in line:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and _as_characters(piece)
            and _as_characters(previous)
            and (previous.font, previous.level, previous.href, previous.link)
            == (piece.font, piece.level, piece.href, piece.link)
        ):
            merged[-1] = replace(
                previous,
                glyphs=previous.glyphs + piece.glyphs,
                width=previous.width + piece.width,
                text=previous.text + piece.text,
                kind="text",
            )
        else:
            merged.append(piece)
    return merged


def _as_characters(piece: Piece) -> bool:
    """Drawn as its characters, left to right (not shaped, no raised marks)."""
    return piece.level % 2 == 0 and not isinstance(piece.glyphs, ShapedStr) and not piece.hidden


def _width(line: Line) -> float:
    return sum(piece.width for piece in line.pieces)


def _spans(stretch: list[tuple[float, Piece]]) -> list[tuple[float, float]]:
    """The stretches of the line that pieces cover, left to right, neighbours joined."""
    spans: list[tuple[float, float]] = []
    for x, piece in sorted(stretch, key=lambda at: at[0]):
        if spans and abs(spans[-1][1] - x) <= _SAME_PLACE:
            spans[-1] = (spans[-1][0], x + piece.width)
        else:
            spans.append((x, x + piece.width))
    return spans
