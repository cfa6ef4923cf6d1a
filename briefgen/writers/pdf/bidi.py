"""A paragraph flowable the PDF lays out and draws itself: text with right-to-left script
(Arabic, Hebrew), scripts that need shaping (Indic, Thai, Mongolian), or text that may
break lines inside words (Thai, CJK, addresses).

reportlab's own bidi needs ``rlbidi``, which is not on PyPI, its shaper shapes a whole
space-delimited word with one font and one guessed direction, and its lines break only
at spaces. So such paragraphs take this path instead:

1. the runs are cut into measured pieces, each with its embedding level (``pieces``);
2. lines are broken in logical order (``lines``); rule L2 (reverse runs from the
   highest level down to the lowest odd one) gives each piece its place on the line,
   a piece that starts with marks for the character before it (a keycap in another
   face than its base's) staying right after that character's piece;
3. each line is written in reading order, each piece moved to its place, and a
   right-to-left piece's glyphs in reading order too, each encoded for the text it
   shows (``glyphs``): copying, searching or reading the text aloud gives the words
   as they were typed; links become link annotations.

Paragraphs that compose decided are right-to-left are right-aligned.

In a tagged document each stretch of a line within one link or none is marked content
of the paragraph's element (or of its link's), in reading order.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from itertools import groupby

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from briefgen.writers.pdf import prewrap
from briefgen.writers.pdf.lines import Hyphenate, Line, Piece, break_lines
from briefgen.writers.pdf.pieces import continues, fitted, hyphenate, make_pieces
from briefgen.writers.pdf.reportlab_private import show_shaped, text_code
from briefgen.writers.pdf.styles import first_baseline
from briefgen.writers.pdf.tagging import (
    Tag,
    Tagger,
    begin_operator,
    repeated,
    tagger_of,
)
from briefgen.writers.pdf.text import Run


def visual_order(line: list[Piece]) -> list[Piece]:
    """Rule L2 of the bidi algorithm, on pieces (each piece has a single level)."""
    return [line[index] for index in visual_indices(line)]


def visual_indices(line: list[Piece]) -> list[int]:
    """The logical indices of a line's pieces, in visual order (rule L2), each piece that
    carries marks for the piece before it still right after that one (``continues``)."""
    if not line:
        return []
    ranked = [piece.level for piece in line]
    if max(ranked) < min(ranked) | 1:
        return list(range(len(line)))
    bounded = _with_isolate_bounds(line, _units(line))
    units = [unit for unit, _ in bounded]
    ranked = [level for _, level in bounded]
    lowest_odd = min(ranked) | 1
    for level in range(max(ranked), lowest_odd - 1, -1):
        start = None
        for i in range(len(units) + 1):
            inside = i < len(units) and ranked[i] >= level
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                units[start:i] = units[start:i][::-1]
                ranked[start:i] = ranked[start:i][::-1]
                start = None
    return [index for unit in units for index in unit]


def _with_isolate_bounds(line: list[Piece], units: list[list[int]]) -> list[tuple[list[int], int]]:
    """``units``, each with its level, and an empty unit where an isolate starts or ends
    between two of them, at the level that isolate takes outside (where UAX #9 keeps its
    FSI and PDI): two values side by side are reordered apart, never as one run."""
    out: list[tuple[list[int], int]] = []
    previous = line[0].isolate
    for unit in units:
        isolate = line[unit[0]].isolate
        if isolate != previous:
            outer = [bound[1] for bound in (previous, isolate) if bound is not None]
            out.append(([], min(outer)))
        out.append((unit, line[unit[0]].level))
        previous = isolate
    return out


def _units(line: list[Piece]) -> list[list[int]]:
    """A line's pieces in logical order, grouped so that rule L2 moves a piece and the
    pieces that carry on its last character's marks as one."""
    units = [[0]]
    for index in range(1, len(line)):
        if continues(line[index - 1], line[index]):
            units[-1].append(index)
        else:
            units.append([index])
    return units


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
        show_shaped(self.text, glyphs)

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
        self._source = self.pieces  # what each break starts from: see ``wrap``
        self.lines: list[Line] = []
        self._wrapped_at: float | None = None  # the width ``lines`` were broken for
        self.tag: Tag | None = None
        self._drawn = False

    @classmethod
    def _part(cls, parent: BidiParagraph, pieces: list[Piece], lines: list[Line]) -> BidiParagraph:
        """A part of ``parent`` split at a page end: its pieces, and their lines as the
        parent broke them (the part is not broken again at that width: a paragraph
        running over many pages is broken once, not once per page)."""
        part: BidiParagraph = cls.__new__(cls)
        Flowable.__init__(part)
        part.style, part.base, part.pieces, part.lines = parent.style, parent.base, pieces, lines
        part._source = pieces
        part._wrapped_at = parent._wrapped_at
        part.link_colour = parent.link_colour
        part.tag, part._drawn = parent.tag, False
        return part

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break the lines for ``availWidth``, from the pieces the paragraph was made with
        (``_source``): those of an earlier break hold the words it cut at their hyphens,
        which would break otherwise at another width."""
        if (not self.lines or availWidth != self._wrapped_at) and not prewrap.install(
            self, availWidth
        ):
            inner = availWidth - self.style.leftIndent - self.style.rightIndent
            pieces = fitted(self._source, inner, self.style.fontSize)
            self.pieces, self.lines = break_lines(pieces, inner, self._hyphenate())
            self._wrapped_at = availWidth
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
        head = self._part(self, self.pieces[: self.lines[fit - 1].end], self.lines[:fit])
        cut = self.lines[fit].start
        rest_lines = [
            replace(line, start=line.start - cut, end=line.end - cut) for line in self.lines[fit:]
        ]
        return [head, self._part(self, self.pieces[cut:], rest_lines)]

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
            and (previous.font, previous.level, previous.href, previous.link, previous.isolate)
            == (piece.font, piece.level, piece.href, piece.link, piece.isolate)
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
