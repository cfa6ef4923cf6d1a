"""Every use of reportlab's private internals, in one place.

The PDF writer needs a few things reportlab offers no public way to do: replay what a
frame will do with a flowable, keep a paragraph's broken lines, skip the markup parser
for plain text, build without saving, break the reference cycles a build leaves, pin
the file identifier, give shaped glyphs stable codes and write them without a loop of
generators per glyph, and tag the content (marked content inside a paragraph's text,
link annotations of its own, the structure tree's objects and the catalog's and
pages' entries reportlab does not know), and compare fragments without the
accelerator's cost. Each function or class here
wraps one such internal and says which; the rest of the writer calls these and
nothing private. ``tests/test_library_internals.py`` exercises each one directly,
naming it when it fails, and ``pyproject.toml`` bounds reportlab to the versions they
were checked against: a new reportlab is tried there first.
"""

from __future__ import annotations

import contextlib
import copy
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache, partial
from hashlib import md5
from typing import Any, Literal
from urllib.parse import quote
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.abag import ABag
from reportlab.lib.colors import Color, toColor
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFObject, PDFObjectReference, PDFString
from reportlab.pdfbase.ttfonts import (
    SUBSETN,
    ShapeData,
    ShapedStr,
    TTEncoding,
    TTFont,
    TTFontFace,
    _sdGuardL,
    shapeFragWord,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    Paragraph,
    Table,
)
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.doctemplate import _ktAllow
from reportlab.platypus.flowables import _bulletFormat, _Container, _listWrapOn
from reportlab.platypus.paragraph import (
    _SHYStr,
    _SplitFragH,
    _SplitFragHY,
    _SplitFragLL,
    _SplitWordH,
    _SplitWordHY,
    cleanBlockQuotedText,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaFrag, ParaParser

# reportlab's creation time in invariant mode (2000-01-01), which seeds the file id.
_INVARIANT_TIME = b"946684800.0"

# --- Frames and keep-with-next --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrameSpace:
    """Where a frame stands, as ``Frame._add`` reads it before placing a flowable."""

    room: float
    """The height left above the frame's bottom padding (``_y - _y1p``)."""
    overlap: bool
    """Whether a space before overlaps the previous space after (``_oASpace``)."""
    previous: float
    """The previous flowable's space after (``_prevASpace``)."""
    width: float
    """The width a flowable gets (``_getAvailableWidth()``)."""


def frame_space(frame: Frame) -> FrameSpace:
    """Return where ``frame`` stands (``Frame._y``, ``_y1p``, ``_oASpace``, ``_prevASpace``)."""
    return FrameSpace(
        room=frame._y - frame._y1p,
        overlap=bool(frame._oASpace),
        previous=frame._prevASpace,
        width=frame._getAvailableWidth(),
    )


def text_width(template: BaseDocTemplate) -> float:
    """The width its first page template's frame gives a flowable at the top level
    (``Frame._getAvailableWidth``), exactly as the layout computes it."""
    width: float = template.pageTemplates[0].frames[0]._getAvailableWidth()
    return width


def frame_at_top(frame: Frame) -> bool:
    """Whether nothing has been placed in ``frame`` yet (``Frame._atTop``)."""
    return bool(frame._atTop)


def splitting_frame(flowable: Flowable) -> Frame | None:
    """The frame splitting ``flowable`` now, if any (``Frame.split`` sets ``_frame``)."""
    frame: Frame | None = getattr(flowable, "_frame", None)
    return frame


def group_content(group: KeepTogether) -> list[Flowable]:
    """The flowables a ``KeepTogether`` holds (``_content``)."""
    return list(group._content)


def may_keep_together(flowable: Flowable) -> bool:
    """Whether a keep-with-next run may take ``flowable`` in (``doctemplate._ktAllow``)."""
    return bool(_ktAllow(flowable))


def is_zero_size(flowable: Flowable) -> bool:
    """Whether frames treat ``flowable`` as taking no room (``_ZEROSIZE``)."""
    return bool(getattr(flowable, "_ZEROSIZE", False))


def transfers_space(flowable: Flowable) -> bool:
    """Whether ``flowable`` hands the previous space after on (``_SPACETRANSFER``)."""
    return bool(getattr(flowable, "_SPACETRANSFER", False))


def is_frame_action(flowable: Flowable) -> bool:
    """Whether ``flowable`` acts on the frame instead of being drawn (``frameAction``)."""
    return hasattr(flowable, "frameAction")


def fits_in(height: float, room: float) -> bool:
    """Whether a frame places a flowable ``height`` tall in ``room`` (``rl_config._FUZZ``)."""
    return bool(height <= room + rl_config._FUZZ)


# --- Tables ---------------------------------------------------------------------------


def table_rows(table: Table) -> list[list[Any]]:
    """The rows of ``table`` as it holds them (``_cellvalues``): after a split, the rest's
    first row is a row cut across pages; otherwise the row objects of the table split."""
    rows: list[list[Any]] = table._cellvalues
    return rows


def cell_flowables(cell: Any) -> list[Any]:
    """The flowables of a table cell as the table holds it: reportlab keeps a cell's
    flowables in a tuple of its own (``_ExpandedCellTuple``), text as a string."""
    return list(cell) if isinstance(cell, list | tuple) else [cell]


def table_row_spans(table: Table) -> list[tuple[float, float]]:
    """Where the rows of ``table``, laid out, stand: each row's bottom and top in the
    table's own coordinates (``_rowpositions``, from its top down to 0)."""
    positions: list[float] = table._rowpositions
    return list(zip(positions[1:], positions, strict=False))


def table_row_heights(table: Table) -> list[float | None]:
    """The heights ``table`` was given or measured for its rows (``_argH``; ``None``
    where not measured yet)."""
    return list(table._argH)


class ZeroSizeFlowable(Flowable):  # type: ignore[misc]
    """A flowable frames place without room or space around it (``_ZEROSIZE``)."""

    _ZEROSIZE = 1


class DocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A document template whose ``build`` leaves saving to the caller (``_doSave``),
    whose keep-with-next runs go to ``keep_with_next`` (``handle_keepWithNext``), and
    that can be released after the build (``_nameSpace``)."""

    _doSave = 0

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        self.keep_with_next(flowables)

    def keep_with_next(self, flowables: list[Flowable]) -> None:
        """Group a keep-with-next run at the front of ``flowables``; reportlab's way here."""
        BaseDocTemplate.handle_keepWithNext(self, flowables)

    def release(self) -> None:
        """Drop the template's namespace (``_nameSpace``), which refers back to the template.

        That cycle holds every page, flowable and PDF object of the build; without it
        refcounting frees them all as soon as the build returns.
        """
        self._nameSpace.clear()


def pin_file_id(canv: Canvas) -> None:
    """Seed the digest of the trailer's /ID as invariant mode does, whatever the environment.

    reportlab seeds it (``canv._doc.signature``) with its creation time: in invariant
    mode a fixed time, unless ``SOURCE_DATE_EPOCH`` is set (``reportlab.lib.utils.
    TimeStamp``, read when the canvas makes its ``PDFDocument``). With the seed pinned,
    and the dates set by the caller, the bytes depend on the document alone. Nothing
    else feeds the digest before ``save`` (the info dictionary does, while saving).
    """
    signature = md5(b"a reportlab document", usedforsecurity=False)
    signature.update(_INVARIANT_TIME)
    canv._doc.signature = signature


# --- Paragraphs -----------------------------------------------------------------------


class Stack(_Container, Flowable):  # type: ignore[misc]
    """Flowables drawn one under the other as one flowable, their spaces between them as
    a frame sets them (``_Container.drawOn``, ``_listWrapOn``), in a frame or in a table
    cell alike (where ``KeepTogether`` cannot be: it wraps to a page's height to be
    split). ``split`` is the subclass's."""

    def __init__(self, flowables: list[Flowable]) -> None:
        self._content = flowables

    @property
    def content(self) -> list[Flowable]:
        return list(self._content)

    @property
    def canvas(self) -> Any:
        """The canvas the stack is wrapped or split on: none where a list splits its items
        (``LIIndenter.split`` calls ``split``, not ``splitOn``)."""
        return getattr(self, "canv", None)

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self.width, self.height = _listWrapOn(self._content, aW, self.canvas)
        return self.width, self.height


class InsetSplitTable(Table):  # type: ignore[misc]
    """A ``Table`` that splits a cell's flowables at the width it lays them out at
    (``Table._splitCell``, ``_listCellGeom``).

    reportlab lays a cell out at its column's width less the cell's padding, but splits
    it at the column's width: a row split across pages was broken into lines at another
    width than it is drawn at, laid out again, split again, at every page (a key
    message of a megabyte took five minutes).
    """

    def _splitCell(
        self, value: Any, style: Any, oldHeight: float, newHeight: float, width: float
    ) -> Any:
        inner = style.copy()
        inner.leftPadding = inner.rightPadding = 0
        inset = width - style.leftPadding - style.rightPadding
        return super()._splitCell(value, inner, oldHeight, newHeight, inset)


class ReleasingParagraph(Paragraph):  # type: ignore[misc]
    """A ``Paragraph`` that breaks the cycle reportlab leaves in each text object it draws.

    A text object drawing links, underlines or mixed styles refers to itself
    (``_do_line``, and ``_linkRecord`` when a tagged paragraph watches its links) and to
    the whole PDF document; left in place, the build can only be freed by a slow cyclic
    collection over every object it made. The text objects are caught as the paragraph
    makes them (``beginText``).
    """

    def beginText(self, x: float, y: float) -> PDFTextObject:
        text: PDFTextObject = super().beginText(x, y)
        self._texts.append(text)
        return text

    def draw(self) -> None:
        self._texts: list[PDFTextObject] = []
        super().draw()
        for text in self._texts:
            for name in ("_do_line", "_linkRecord", "_textOut"):
                vars(text).pop(name, None)


def has_broken_lines(paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` has broken its lines yet (``blPara``)."""
    return hasattr(paragraph, "blPara")


def keep_first_lines(whole: Paragraph, first: Paragraph) -> int:
    """Give ``first``, the first part of ``whole`` split, the lines ``whole`` broke for it;
    return their count.

    reportlab breaks the part's lines again when it is wrapped, and, where a line ends
    at a typed hyphen and a later one in a word hyphenated across lines, loses that
    hyphen and takes one line more than the room it was cut for. This sets its
    ``blPara`` to a clone of the whole's with its own lines.
    """
    count = len(first.blPara.lines)
    first.blPara = whole.blPara.clone(lines=whole.blPara.lines[:count])
    return count


def keep_rest_lines(whole: Paragraph, first: Paragraph, rest: Paragraph) -> int:
    """Give ``rest`` the lines ``whole`` broke after those of ``first``; return their count.

    reportlab breaks the rest's lines again on each page it reaches. This sets the
    rest's ``blPara`` to a clone of the whole's with the remaining lines, their fragment
    indices (``sFW``) shifted to start at the rest's first line.
    """
    lines = whole.blPara.lines[len(first.blPara.lines) :]
    if lines and hasattr(lines[0], "sFW"):  # lines index the fragments: the rest's
        offset = lines[0].sFW  # fragments start at the first line's
        lines = [line.clone(sFW=line.sFW - offset) for line in lines]
    rest.blPara = whole.blPara.clone(lines=lines)
    return len(lines)


def cleaned_text(text: str) -> str:
    """``text`` with its whitespace folded as the markup parser does (``cleanBlockQuotedText``)."""
    cleaned: str = cleanBlockQuotedText(text)
    return cleaned


def plain_fragment(cleaned: str, style: ParagraphStyle) -> ParaFrag:
    """The one fragment the markup parser makes of plain ``cleaned`` text in ``style``.

    A copy of the style's initial fragment (``ParaParser``) holding the text, with the
    style's text transform applied (``textTransformFrags``).
    """
    fragment = copy.copy(_initial_fragment(style))
    fragment.text = cleaned
    textTransformFrags([fragment], style)
    return fragment


@dataclass(frozen=True, slots=True)
class MarkupStart:
    """A tag of reportlab's paragraph markup starting (``<a href="..." color="...">``;
    ``br`` stands for ``<br/>``, which ends at once)."""

    tag: str
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MarkupEnd:
    tag: str


MarkupToken = str | MarkupStart | MarkupEnd
"""Paragraph markup as the parser sees it: text (as typed, not escaped) and tags."""

_TAG_MARK = "\x00"  # stands for a tag while the text's whitespace is folded
ESCAPED = re.compile(r'([&<>"])')
"""The characters markup escapes (``&amp;``...): the parser makes each a fragment."""
_WHITESPACE = re.compile(r"\s")  # as str.split and so the folding see it


def markup_fragments(tokens: list[MarkupToken], style: ParagraphStyle) -> list[ParaFrag] | None:
    """The fragments ``ParaParser`` makes of the markup ``tokens`` stand for, made by its
    own tag and text handlers (``handle_starttag``, ``handle_endtag``, ``handle_data``,
    which its HTML tokenizer calls) without the tokenizer, or None where they could
    differ and the markup must be parsed.

    What the tokenizer does is done here: the whitespace of the whole markup is folded
    first (``cleanBlockQuotedText``, across tags, which hold none at their ends); the
    text between two tags is one piece of data, except that each escaped character
    (``&amp;``, ``&lt;``, ``&gt;``, ``&quot;``) is a piece of its own; ``<br/>`` starts
    and ends. Attribute values holding whitespace, which folding could change, and text
    holding the mark that stands for tags, are left to the parser.
    """
    tags = [token for token in tokens if not isinstance(token, str)]
    texts = [token for token in tokens if isinstance(token, str)]
    if any(_TAG_MARK in text for text in texts) or any(
        _WHITESPACE.search(value)
        for tag in tags
        if isinstance(tag, MarkupStart)
        for _, value in tag.attributes
    ):
        return None
    marked = "".join(token if isinstance(token, str) else _TAG_MARK for token in tokens)
    pieces = cleanBlockQuotedText(marked).split(_TAG_MARK)
    parser = ParaParser()
    parser._setup_for_parse(style)
    parser.start_para({})
    _data(parser, pieces[0])
    for tag, piece in zip(tags, pieces[1:], strict=True):
        if isinstance(tag, MarkupStart):
            parser.handle_starttag(tag.tag, _attributes(tag))
            if tag.tag == "br":  # ``<br/>``: ``HTMLParser.handle_startendtag``
                parser.handle_endtag("br")
        else:
            parser.handle_endtag(tag.tag)
        _data(parser, piece)
    parser.end_para()
    _, fragments, _ = parser._complete_parse()
    if fragments is None:
        return None
    textTransformFrags(fragments, style)
    return list(fragments)


def _attributes(tag: MarkupStart) -> dict[str, object]:
    """The tag's attributes as the parser's handlers take them; a colour already made
    (``toColor`` gives a ``Color`` back as it is, and makes one from text slowly)."""
    return {name: _colour(value) if name == "color" else value for name, value in tag.attributes}


@lru_cache(maxsize=64)
def _colour(value: str) -> Color:
    colour: Color = toColor(value)
    return colour


def _data(parser: ParaParser, piece: str) -> None:
    for part in ESCAPED.split(piece):
        if part:
            parser.handle_data(part)


@lru_cache(maxsize=64)
def _initial_fragment(style: ParagraphStyle) -> ParaFrag:
    """The fragment reportlab's parser starts a paragraph in ``style`` with."""
    _, fragments, _ = ParaParser().parse("x", style)
    return fragments[0]


# --- Fonts ----------------------------------------------------------------------------


def glyph_widths(font: TTFont) -> tuple[Callable[[int, float], float], float]:
    """Look-up of a code point's width in 1/1000 em, and the default width (``font.face``)."""
    face = font.face
    return face.charWidths.get, face.defaultWidth


class _FirstSubset:
    """A font's first 256 character codes in one document, as a ``str.translate`` table."""

    __slots__ = ("assigned", "characters", "table")

    def __init__(self, assignments: dict[int, int]) -> None:
        self.assigned = len(assignments)
        self.table = {code: n for code, n in assignments.items() if n < 256}
        self.table.pop(0xA0, None)  # reportlab draws a no-break space as the space
        if 32 in self.table:
            self.table[0xA0] = self.table[32]
        self.characters = frozenset(map(chr, self.table))


def split_string(font: TTFont, text: str, doc: object) -> list[tuple[int, bytes]]:
    """``TTFont.splitString``, with the same result, without a Python loop per character
    when every character of ``text`` already has its code in the first subset.

    Uses the font's per-document state (``state``, its ``assignments`` of codes) and
    keeps a table of the first subset on it, made again when codes were assigned.
    """
    state = font.state.get(doc)
    if state is None or not text or not isinstance(text, str):
        return _reportlab_split(font, text, doc)
    first: _FirstSubset | None = getattr(state, "_briefgen_first_subset", None)
    if first is None or first.assigned != len(state.assignments):
        first = state._briefgen_first_subset = _FirstSubset(state.assignments)
    if not first.characters.issuperset(text):
        return _reportlab_split(font, text, doc)
    return [(0, text.translate(first.table).encode("latin-1"))]


def _reportlab_split(font: TTFont, text: str, doc: object) -> list[tuple[int, bytes]]:
    result: list[tuple[int, bytes]] = TTFont.splitString(font, text, doc)
    return result


_DRAWN_ALIKE = (
    *("fontName", "fontSize", "textColor", "rise"),
    *("us_lines", "link", "backColor", "nobr"),
)
"""What two fragments must share to be drawn as one (``rl_accel.sameFrag``'s names)."""
_ABSENT = object()


def same_fragment(first: ParaFrag, second: ParaFrag) -> bool:
    """Whether two fragments of a line are drawn alike: ``rl_accel.sameFrag``, which
    ``Paragraph.breakLines`` asks of every word of a justified line's neighbours, written
    in Python. The accelerator asks for each name by a C string and raises, then clears,
    an ``AttributeError`` for every one a fragment lacks (``backColor``, ``nobr``,
    ``cbDefn``, ``lineBreak``: most fragments lack them): 10 microseconds a call against
    3 here, 5 % of the PDF writer's time. Same answers: neither holds a ``cbDefn`` or a
    ``lineBreak``, and each name is absent from both or present in both and equal (the
    same object counting as equal, as ``PyObject_RichCompareBool`` does)."""
    if (
        hasattr(first, "cbDefn")
        or hasattr(second, "cbDefn")
        or hasattr(first, "lineBreak")
        or hasattr(second, "lineBreak")
    ):
        return False
    for name in _DRAWN_ALIKE:
        mine, theirs = getattr(first, name, _ABSENT), getattr(second, name, _ABSENT)
        if mine is not theirs and (mine is _ABSENT or theirs is _ABSENT or mine != theirs):
            return False
    return True


@contextlib.contextmanager
def fragments_compared_in_python() -> Iterator[None]:
    """During the block, ``Paragraph.breakLines`` compares fragments with
    ``same_fragment`` (a helper forked inside it too); reportlab's own after it."""
    saved = reportlab_paragraph.sameFrag
    reportlab_paragraph.sameFrag = same_fragment
    try:
        yield
    finally:
        reportlab_paragraph.sameFrag = saved


def renamed_face(face: TTFontFace, suffix: bytes) -> TTFontFace:
    """A copy of ``face`` under its name followed by ``suffix``, sharing the font's data
    but with character tables of its own.

    reportlab registers one font per face name (``pdfmetrics.registerFont`` gives a
    second font of the same face the first one's object, ``_dynFaceNames``) and names a
    subset's objects after the face (``BaseFont``, its ``ToUnicode`` and descriptor):
    a second font of one file needs a face of its own name. Each font numbers the
    private codes it adds (``add_glyph_code``: ``charToGlyph``, ``charWidths``) on its
    own, so the two must not add them to one table."""
    renamed = copy.copy(face)
    renamed.name = face.name + suffix
    renamed.charToGlyph = dict(face.charToGlyph)
    renamed.charWidths = dict(face.charWidths)
    return renamed


def give_unmapped_glyphs_private_codes(font: TTFont) -> None:
    """Give every glyph that no character maps to its private-use code point, in glyph order.

    Uses the font's HarfBuzz face (``hbFont``), its glyph tables (``face.numGlyphs``,
    ``face.glyphToChar``) and reportlab's private-code allocation (``hbAddPrivate``).
    """
    hb_font = font.hbFont()
    for gid in range(1, font.face.numGlyphs):
        if gid not in font.face.glyphToChar:
            name = hb_font.glyph_to_string(gid)
            font.hbAddPrivate(name, gid, hb_font.get_glyph_h_advance(gid))


def font_code_points(font: TTFont) -> Iterable[int]:
    """The code points a registered ``font`` maps to a glyph (``face_code_points``)."""
    return face_code_points(font.face)


def face_code_points(face: TTFontFace) -> Iterable[int]:
    """The code points a parsed ``face`` maps to a glyph (``TTFontFile.charToGlyph``)."""
    code_points: Iterable[int] = face.charToGlyph
    return code_points


_NOT_KEPT = ("_ttf_data", "_pdfScale")  # the file's bytes; a function made from unitsPerEm


def face_metrics(face: TTFontFace) -> dict[str, Any]:
    """What parsing a face found (``TTFontFile.extractInfo``: names, metrics, the
    character and glyph maps), without the file's bytes: ``face_from_metrics`` makes
    the face again from it and the file without parsing."""
    return {name: value for name, value in face.__dict__.items() if name not in _NOT_KEPT}


def face_from_metrics(metrics: dict[str, Any], data: bytes, filename: str) -> TTFontFace:
    """The face ``face_metrics`` came from, for the font file ``data`` read from
    ``filename`` (its subsets are cut from ``data`` when a PDF is saved)."""
    face: TTFontFace = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(metrics)
    face.filename, face._ttf_data = filename, data
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else partial(operator.mul, 1000 / units)
    return face


def font_with_face(font: TTFont, name: str, face: TTFontFace) -> None:
    """``TTFont.__init__`` with a face already parsed (``face_from_metrics``)."""
    font.fontName, font.face = name, face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


_FEATURES = {"kern": True, "liga": True}
"""The OpenType features a shaped run uses: kerning and the standard ligatures, not
reportlab's default discretionary ones (``dlig``), which in Noto Sans Hebrew join yod
and vav into the Yiddish ligature."""


def shape(text: str, font: str, size: float) -> tuple[str, float | None]:
    """Shape ``text`` with HarfBuzz in the registered ``font`` (``ttfonts.shapeFragWord``,
    as ``shapeStr`` calls it, with our ``_FEATURES``).

    Return the shaped string and its width at ``size`` from the shaping's advances
    (``__shapeData__``), or None when reportlab kept none.
    """
    word = [pdfmetrics.stringWidth(text, font, size), (ABag(fontName=font, fontSize=size), text)]
    shaped: Any = shapeFragWord(word, features=_FEATURES)[1][1]
    advances = getattr(shaped, "__shapeData__", None)
    if advances is None:
        return shaped, None
    return shaped, sum(data.x_advance for data in advances) * size / 1000


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph of a shaped string (``ShapedStr.__shapeData__``), in 1/1000 of the size.

    ``code`` is the character reportlab encodes for the glyph; the glyph is drawn at the
    pen moved by ``dx``, ``dy``, and moves the pen by ``advance``; ``width`` is the
    code's width in the font (what a PDF viewer advances by before any adjustment);
    ``cluster`` the index of the first character of the shaped text it shows.
    """

    code: str
    advance: float
    dx: float
    dy: float
    width: float
    cluster: int


def shaped_glyphs(shaped: str) -> list[Glyph]:
    """The glyphs of a string ``shape`` returned, in its (visual) order."""
    data: list[ShapeData] = shaped.__shapeData__  # type: ignore[attr-defined]
    return [
        Glyph(code, sd.x_advance, sd.x_offset, sd.y_offset, sd.width, sd.cluster)
        for code, sd in zip(shaped, data, strict=True)
    ]


def shaped_string(glyphs: list[Glyph]) -> str:
    """A string reportlab draws glyph by glyph, each where its ``dx``, ``dy`` and the
    advances before it put it (``ShapedStr``; ``textobject._formatText`` writes one
    ``TJ`` of it, moving the pen by each adjustment, and a rise where ``dy`` changes)."""
    data = [ShapeData(g.cluster, g.advance, 0, g.dx, g.dy, g.width) for g in glyphs]
    return ShapedStr("".join(g.code for g in glyphs), shapeData=data)  # type: ignore[no-any-return]


def show_shaped(text: PDFTextObject, shaped: str) -> None:
    """``text.textOut(shaped)`` for a string of ``shaped_string``: the same operators,
    written without reportlab's pipeline of generators per glyph.

    ``PDFTextObject._formatText`` writes a shaped string subset by subset; in each, one
    ``TJ`` per run of glyphs at one rise (a ``Ts`` between runs, as ``set_rise`` writes
    it): every glyph's code with the pen moved by its offset before and its advance
    after, adjustments that are zero left out, neighbouring codes written as one string
    and neighbouring adjustments summed in order; a run that is one string alone is a
    ``Tj``. That pipeline was a seventh of the time of drawing a pack in many scripts.
    ``textOut`` moves the text position by the string's width.

    What a string writes is kept for the document, by the font's state in it
    (``TTFont.state``): a word's glyphs get their codes in a subset the first time it is
    written, and keep them, so the same glyphs in the same text state (size, leading,
    rise, subset) write the same operators and leave the same rise and subset.
    """
    font = pdfmetrics.getFont(text._fontname)
    if not (font._dynamicFont and font.shapable and isinstance(shaped, ShapedStr)):
        text.textOut(shaped)  # reportlab writes it as plain text
        return
    text._x = text._x + text._canvas.stringWidth(shaped, text._fontname, text._fontsize)
    state = font.state.get(text._canvas._doc)
    written: dict[tuple[object, ...], tuple[str, float, int]] | None = getattr(
        state, "_briefgen_shaped", None
    )
    key = (
        shaped,
        tuple(shaped.__shapeData__),
        text._fontsize,
        text._leading,
        text._rise,
        text._curSubset,
    )
    found = None if written is None else written.get(key)
    if found is None:
        found = (_shaped_code(text, font, shaped), text._rise, text._curSubset)
        if written is None:  # the font's state in the document exists once it has split text
            written = font.state[text._canvas._doc]._briefgen_shaped = {}
        written[key] = found
    code, text._rise, text._curSubset = found
    text._code.append(code)


def _shaped_code(text: PDFTextObject, font: TTFont, shaped: str) -> str:
    canv = text._canvas
    saved = (text._code, text._x, text._y)
    code: list[str] = []
    text._code = code
    try:
        escape, rise0, size = canv._escape, text._rise, text._fontsize
        data = shaped.__shapeData__  # type: ignore[attr-defined]
        start = 0
        font_size: str | None = None
        for subset, chars in font.splitString(shaped, canv._doc):
            if subset != text._curSubset:
                if font_size is None:
                    font_size = f"{fp_str(size)} Tf {fp_str(text._leading)} TL"
                code.append(f"{font.getSubsetInternalName(subset, canv._doc)} {font_size}")
                text._curSubset = subset
            end = start + len(chars)
            run: list[bytes | float] | None = None
            for index, glyph in enumerate([*data[start:end], _sdGuardL[0]]):
                rise = rise0 + size * glyph.y_offset / 1000
                if run is None or glyph.cluster < 0 or rise != text._rise:
                    if run is not None:
                        code.append(_shown_run(run, escape))
                        if text._rise != rise0:
                            set_rise(text, rise0)
                        if glyph.cluster < 0:
                            break
                    if rise != text._rise:
                        set_rise(text, rise)
                    run = []
                run += (-glyph.x_offset, chars[index : index + 1])
                run.append(glyph.width - glyph.x_advance + glyph.x_offset)
            start = end
        if text._rise != rise0:
            set_rise(text, rise0)
    finally:
        text._code, text._x, text._y = saved
    return " ".join(code)


_RISE = re.compile(r"-?[\d.]+ Ts")


def set_rise(text: PDFTextObject, rise: float) -> None:
    """``text.setRise(rise)`` as it should be: a ``Ts`` right after another replaces it.

    reportlab's ``setRise`` replaces the other ``Ts`` too, but then keeps the rise that
    ``Ts`` undid as the current one: a mark raised right after a lowered one (a shadda
    after a kasra, a letter's dots after a vowel) left the glyphs after it drawn at the
    mark's rise, the next word's first letter sunk below the line, until the next mark.
    It also takes any operators that end with a ``Ts`` for one, and drops them all. The
    text's position is kept as ``setRise`` keeps it.
    """
    operator = f"{fp_str(rise)} Ts"
    if text._code and _RISE.fullmatch(text._code[-1]):
        text._y += text._rise
        text._code[-1] = operator
    else:
        text._code.append(operator)
    text._rise = rise
    text._y -= rise


def _shown_run(run: list[bytes | float], escape: Callable[[bytes], str]) -> str:
    """One run's ``TJ`` (or ``Tj``), as ``_formatText`` writes it."""
    shown: list[str] = []
    codes = b""
    total: float | None = None
    for item in run:
        if isinstance(item, bytes):
            if total is not None:
                shown.append(fp_str(total))
                total = None
            codes += item
        elif item:
            if codes:
                shown.append(f"({escape(codes)})")
                codes = b""
            total = item if total is None else total + item
    if codes:
        shown.append(f"({escape(codes)})")
    elif total is not None:
        shown.append(fp_str(total))
    shown = [part for part in shown if part != "0"]
    if len(shown) == 1 and shown[0].startswith("("):
        return f"{shown[0]} Tj"
    return f"[{' '.join(shown)}] TJ"


def glyph_id(font: TTFont, char: str) -> int | None:
    """The glyph ``font`` draws for ``char`` (``face.charToGlyph``), if any."""
    gid: int | None = font.face.charToGlyph.get(ord(char))
    return gid


def add_glyph_code(font: TTFont, code: int, gid: int, width: float | None = None) -> None:
    """Make ``code`` draw glyph ``gid``, ``width`` wide (1/1000 em), by default at the
    glyph's width (``face.charToGlyph``, ``charWidths``, taken from a character already
    drawing it: ``glyphToChar``)."""
    face = font.face
    face.charToGlyph[code] = gid
    if width is None:
        width = face.charWidths.get(face.glyphToChar[gid][0], face.defaultWidth)
    face.charWidths[code] = width


def write_font_with_texts(
    font: TTFont, doc: object, cmap: Callable[[str, list[int]], str | None]
) -> None:
    """Write ``font``'s subsets into ``doc`` as reportlab does (``TTFont.addObjects``), the
    ToUnicode CMap of each subset replaced by ``cmap(name, codes)`` where that gives one.

    reportlab maps each code to itself (``makeToUnicodeCMap``); a shaped glyph's code is
    a presentation form or a private-use character, which copies and searches as such.
    The streams are found by the names ``addObjects`` gives them (``doc.idToObject``,
    ``'toUnicodeCMap:' + baseFontName``, the subset's name built as ``addObjects`` does).
    """
    state = font.state.get(doc)
    subsets = [list(subset) for subset in state.subsets] if state is not None else []
    TTFont.addObjects(font, doc)
    face = font.face
    for number, subset in enumerate(subsets):
        name = b"".join((SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        content = cmap(name, subset)
        if content is not None:
            doc.idToObject["toUnicodeCMap:" + name].content = content  # type: ignore[attr-defined]


# --- Emboldened text ------------------------------------------------------------------


class EmboldeningCanvas(Canvas):  # type: ignore[misc]
    """A canvas whose text objects draw the faces registered to be emboldened (a font
    whose ``stroke`` is above 0) filled and stroked (``EmboldeningText``)."""

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> PDFTextObject:
        return EmboldeningText(self, x, y, direction)


class EmboldeningText(PDFTextObject):  # type: ignore[misc]
    """A text object that draws a face whose font has a ``stroke`` (a share of the size)
    in text render mode 2, stroked as wide in the fill colour, and every other face as
    reportlab does. The render mode, line width and stroke colour it sets are graphics
    state, which outlives the text object: it puts back the canvas's own
    (``Canvas._lineWidth``, ``_strokeColorObj``) when the face changes and before ``ET``
    (``getCode``)."""

    def __init__(
        self, canvas: Canvas, x: float = 0, y: float = 0, direction: str | None = None
    ) -> None:
        self._stroke: float | None = None
        self._fill = canvas._fillColorObj
        super().__init__(canvas, x, y, direction)
        self._stroke_for(self._fontname, self._fontsize)  # begun in the canvas's face

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        super().setFont(psfontname, size, leading)
        self._stroke_for(psfontname, size)

    def _setFont(self, psfontname: str, size: float) -> None:  # a paragraph's fragments'
        super()._setFont(psfontname, size)
        self._stroke_for(psfontname, size)

    def setFillColor(self, aColor: Any, alpha: float | None = None) -> None:
        super().setFillColor(aColor, alpha)
        self._fill = aColor
        if self._stroke is not None:
            self.setStrokeColor(aColor)

    def getCode(self) -> str:
        self._set_stroke(None)
        code: str = super().getCode()
        return code

    def _stroke_for(self, face: str, size: float) -> None:
        share = getattr(pdfmetrics.getFont(face), "stroke", 0.0)
        self._set_stroke(share * size if share else None)

    def _set_stroke(self, width: float | None) -> None:
        if width == self._stroke:
            return
        if width is None:
            self._code.append("0 Tr")
            self.setStrokeColor(self._canvas._strokeColorObj)
            self._code.append(f"{fp_str(self._canvas._lineWidth)} w")
        else:
            if self._stroke is None:
                self._code.append("2 Tr")
                self.setStrokeColor(self._fill)
            self._code.append(f"{fp_str(width)} w")
        self._stroke = width


# --- Tagging --------------------------------------------------------------------------

LinkEdge = Callable[[tuple[int, str], str], None]
"""Called as ``edge((number, href), "start" | "end")`` while a paragraph draws its links."""


def page_code(canv: Canvas) -> list[str]:
    """The operators drawn so far on the current page or form (``Canvas._code``).

    A tagged paragraph is drawn with markers in its text and rewritten here afterwards,
    once it is known which stretches of it hold text."""
    code: list[str] = canv._code
    return code


def text_code(text: PDFTextObject) -> list[str]:
    """The operators of a text object not yet drawn (``PDFTextObject._code``); each
    ``_textOut`` of a paragraph line appends exactly one."""
    code: list[str] = text._code
    return code


def watch_link_edges(text: PDFTextObject, edge: LinkEdge) -> None:
    """Have ``edge`` called where a link starts and ends in the lines drawn into ``text``.

    A paragraph drawing fragments calls its text object's ``_linkRecord`` (if any) with
    the link (its number in the paragraph and its href) and ``"end"`` before the text
    after a link, or at the end of a line inside one, and ``"start"`` just after the
    first text of a link on a line (``paragraph._putFragLine``).
    """
    text._linkRecord = edge


LineEnd = Literal["space", "soft-hyphen", "hyphen"]
"""How a broken line ends: where a space was, inside a word at a hyphen reportlab put
there (hyphenation), or inside a word at the word's own hyphen."""


def line_ends(paragraph: Paragraph) -> list[LineEnd]:
    """How each broken line of ``paragraph`` ends (``blPara.lines``; a line's last word
    is a ``_SplitWordHY`` where hyphenation split it, a ``_SHYStr`` ending with the
    hyphen reportlab adds where it split a word at a soft hyphen typed in it, a
    ``_SplitWordH`` where it was split at its own hyphen; in lines of several
    fragments, ``_SplitFragHY`` and ``_SplitFragH``)."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind != 0:
        return _fragment_line_ends(paragraph)
    ends: list[LineEnd] = []
    for _, words in lines:
        last = words[-1] if words else ""
        if isinstance(last, _SplitWordHY) or (isinstance(last, _SHYStr) and last.endswith("-")):
            ends.append("soft-hyphen")  # hyphenated, or split at a soft hyphen typed
        elif isinstance(last, _SplitWordH):
            ends.append("hyphen")
        else:
            ends.append("space")
    return ends


def _fragment_line_ends(paragraph: Paragraph) -> list[LineEnd]:
    """How the lines of a paragraph of several fragments end. Once broken, its ``frags``
    are its words (each a list of fragments) and each line (a ``FragLine``) knows the
    index of its first word there (``sFW``, counted from the whole paragraph's first
    word, which a part split off keeps): the word before the next line's first ends a
    line; the part's last word ends its last line (a ``_SplitFragLL`` where a split
    page ends a hyphenated line)."""
    lines, words = paragraph.blPara.lines, paragraph.frags
    if not lines or not words:
        return ["space"] * len(lines)
    first = lines[0].sFW
    lasts = [words[line.sFW - first - 1] for line in lines[1:]] + [words[-1]]
    return [_fragment_end(word) for word in lasts]


def mark_fragment_hyphens(
    paragraph: Paragraph, ends: list[LineEnd], soft_hyphen: Callable[[str], str]
) -> None:
    """In a paragraph of several fragments, draw the hyphen hyphenation put at a line's
    end as ``soft_hyphen(font name)``: the last fragment with text on each such line
    (``FragLine.words``) ends with it. A line's last fragment may be an empty one, so
    ``mark_line_ends`` cannot see the hyphen where the line is finished. Lines of one
    fragment are left to ``mark_line_ends``."""
    if paragraph.blPara.kind != 1:
        return
    for line, end in zip(paragraph.blPara.lines, ends, strict=False):
        if end != "soft-hyphen":
            continue
        fragment = next((f for f in reversed(line.words) if getattr(f, "text", "")), None)
        if fragment is not None and fragment.text.endswith("-"):
            fragment.text = fragment.text[:-1] + soft_hyphen(fragment.fontName)


def _fragment_end(word: object) -> LineEnd:
    if isinstance(word, (_SplitFragHY, _SplitFragLL)):
        return "soft-hyphen"
    if isinstance(word, _SplitFragH):
        return "hyphen"
    return "space"


def mark_line_ends(
    text: PDFTextObject, ends: list[LineEnd], soft_hyphen: Callable[[str], str], spaces: bool
) -> None:
    """Finish the lines drawn into ``text`` as ``ends`` says: a hyphen hyphenation put at
    a line's end is drawn as ``soft_hyphen(font name)``, a character that copies as a
    soft hyphen (U+00AD); with ``spaces``, a line broken at a space ends with one.

    A paragraph draws the last text of each line with ``_textOut(text, TStar=1)``, which
    moves to the next line (``T*``); the space it drops where it breaks the line is drawn
    after that text, invisibly, so that the words on either side of the break stay two
    words for whoever reads the text rather than the page (tagged content, reflow).
    ``_fontname`` is the font of that text.
    """
    draw = text._textOut
    pending = iter(ends)

    def text_out(shown: str, t_star: int = 0) -> None:
        end = next(pending, None) if t_star else None  # the line this text finishes
        if end == "soft-hyphen" and shown.endswith("-"):
            shown = shown[:-1] + soft_hyphen(text._fontname)
        elif end == "space" and spaces:
            shown += " "
        draw(shown, t_star)

    text._textOut = text_out


def add_annotation(canv: Canvas, annotation: PDFObject, name: str) -> PDFObjectReference:
    """Add ``annotation`` to the current page under ``name`` and return its reference
    (``Canvas._addAnnotation``, ``PDFDocument.refAnnotation``)."""
    canv._addAnnotation(annotation, name)
    reference: PDFObjectReference = canv._doc.refAnnotation(name)
    return reference


def destination(canv: Canvas, anchor: str) -> PDFObject:
    """The destination of ``anchor``, bound when its bookmark is drawn, before or after
    (``Canvas._bookmarkReference``)."""
    found: PDFObject = canv._bookmarkReference(anchor)
    return found


def register(canv: Canvas, obj: PDFObject, name: str) -> PDFObjectReference:
    """Make ``obj`` an indirect object of the file under ``name`` (``PDFDocument.Reference``).

    A ``PDFObjectReference(name)`` made before refers to it too, so that objects can
    refer to each other in any order."""
    reference: PDFObjectReference = canv._doc.Reference(obj, name)
    return reference


def page_reference(number: int) -> PDFObjectReference:
    """A reference to page ``number`` (from 1), as ``PDFDocument.thisPageName`` names pages."""
    return PDFObjectReference(f"Page{number}")


def pages(canv: Canvas) -> list[PDFObject]:
    """The page objects made so far, in order (``PDFDocument.Pages.pages``)."""
    made: list[PDFObject] = canv._doc.Pages.pages
    return made


def catalog(canv: Canvas) -> PDFObject:
    """The document catalog (``PDFDocument.Catalog``)."""
    root: PDFObject = canv._doc.Catalog
    return root


def set_entries(obj: PDFObject, **entries: object) -> None:
    """Give a catalog or page object entries reportlab does not write of itself.

    Catalogs and pages write the attributes their ``__NoDefault__`` names; the instance
    gets a longer list of its own, and the attributes."""
    names = [name for name in entries if name not in obj.__NoDefault__]
    if names:
        obj.__NoDefault__ = [*obj.__NoDefault__, *names]
    for name, value in entries.items():
        setattr(obj, name, value)


def producer(canv: Canvas) -> str:
    """The ``/Producer`` the info dictionary will carry (``PDFDocument.info.producer``)."""
    value: str = canv._doc.info.producer
    return value


def raise_pdf_version(canv: Canvas, version: tuple[int, int]) -> None:
    """Write at least PDF ``version`` in the file header (``PDFDocument._pdfVersion``)."""
    doc = canv._doc
    doc._pdfVersion = max(tuple(doc._pdfVersion), version)


ListLabel = Callable[[Canvas, int, str, Callable[[], None]], None]


class LabelledListFlowable(ListFlowable):  # type: ignore[misc]
    """A ``ListFlowable`` that hands each item's bullet or number to ``label`` to draw.

    ``label(canvas, index, text, draw)`` is called when the label of the ``index``-th
    item that has one is drawn, ``text`` being the string it shows, and must call
    ``draw()``. Uses the list's content (``_getContent``), the label drawers of its
    indenters (``LIIndenter._bullet``) and how they format their value (``BulletDrawer.value``,
    ``_bulletType``, ``_bulletFormat`` and ``_bulletFormat()``).
    """

    def __init__(self, flowables: list[Flowable], label: ListLabel, **options: object) -> None:
        self._label = label
        super().__init__(flowables, **options)

    def _getContent(self) -> list[Flowable]:
        content: list[Flowable] = super()._getContent()
        index = 0
        for flowable in content:
            bullet = getattr(flowable, "_bullet", None)
            if bullet is not None:
                flowable._bullet = _Label(bullet, index, self._label)
                index += 1
        return content


class _Label:
    """A list item's label drawer, drawn through the list's ``label`` callback."""

    def __init__(self, drawer: Any, index: int, label: ListLabel) -> None:
        self.drawer, self.index, self.label = drawer, index, label

    def drawOn(self, indenter: Flowable, canv: Canvas, x: float, y: float, _sW: float = 0) -> None:
        drawer = self.drawer
        text = _bulletFormat(drawer.value, drawer._bulletType, drawer._bulletFormat)
        self.label(canv, self.index, text, lambda: drawer.drawOn(indenter, canv, x, y, _sW))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "drawer":  # copying makes one without a drawer
            raise AttributeError(name)
        return getattr(self.drawer, name)


class PlainStream(PDFObject):  # type: ignore[misc]
    """A stream written as it is, without any filter or an empty ``/Filter`` (the XMP
    metadata, which PDF/A wants readable): reportlab's ``PDFStream`` always writes one
    when the document compresses. Formats as ``PDFStream.format`` does."""

    def __init__(self, dictionary: PDFDictionary, content: bytes) -> None:
        self.dictionary, self.content = dictionary, content

    def format(self, document: Any) -> bytes:
        entries = PDFDictionary(dict(self.dictionary.dict, Length=len(self.content)))
        head: bytes = entries.format(document)
        return head + b"\nstream\n" + self.content + b"endstream\n"


class RawObject(PDFObject):  # type: ignore[misc]
    """An object written as the bytes it is given (``PDFObject.format``), which may be
    given after it is registered, once the numbers of the objects it refers to are
    known (``object_number``).

    reportlab's dictionaries turn every key into a name anew each time they are
    written (``PDFName``), and format every reference and number on the way: most of
    the time of writing a structure tree of thousands of elements. Its elements are
    written this way instead."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def ascii_uri(address: str) -> str:
    """``address`` as a link's ``/URI`` must be, 7-bit ASCII (ISO 32000-1, 12.6.4.7): each
    other character percent-encoded as its UTF-8 bytes (an IRI as a URI, RFC 3987 3.1).
    Written as a text string instead, reportlab's UTF-16 reaches viewers as bytes."""
    return "".join(char if char.isascii() else quote(char, safe="") for char in address)


class LinkAnnotation(PDFObject):  # type: ignore[misc]
    """A printed link annotation without a border (``/Subtype /Link``, ``/F 4``) to a
    destination in the document or to a URL, its alternate description (``/Contents``),
    and the key of its element in the parent tree (``/StructParent``).

    Written as reportlab writes the ``PDFDictionary`` of the same entries
    (``PDFDictionary.format``: keys sorted, a line break before the seventh; arrays
    ``[ a b ]``) without making one: a pack has thousands of links, and formatting
    their dictionaries the generic way was a twentieth of the time of writing it
    tagged. The strings and the destination are written by reportlab's own objects."""

    def __init__(
        self,
        rect: list[float],
        contents: str,
        target: PDFObject | str,
        struct_parent: int,
    ) -> None:
        self.rect, self.contents = rect, contents
        self.target = target
        """A destination (``Canvas._bookmarkReference``) or a URL."""
        self.struct_parent = struct_parent

    def format(self, document: Any) -> bytes:
        contents = b"/Contents " + PDFString(self.contents).format(document)
        if isinstance(self.target, str):
            url = PDFString(ascii_uri(self.target)).format(document)
            first, between = [b"/A <<\n/S /URI /URI " + url + b"\n>>"], []
        else:
            first, between = [], [b"/Dest " + self.target.format(document)]
        entries = [
            *first,
            b"/Border [ 0 0 0 ]",
            contents,
            *between,
            b"/F 4",
            b"/Rect [ " + fp_str(*self.rect).encode("ascii") + b" ]",
            b"/StructParent " + str(self.struct_parent).encode("ascii"),
            b"\n ",
            b"/Subtype /Link",
            b"/Type /Annot",
        ]
        return b"<<\n" + b" ".join(entries) + b"\n>>"


def object_number(canv: Canvas, name: str) -> int:
    """The number of the object registered as ``name``; numbers are given as objects
    are registered (``PDFDocument.idToObjectNumberAndVersion``)."""
    number: int = canv._doc.idToObjectNumberAndVersion[name][0]
    return number


def pdf_string(canv: Canvas, text: str) -> bytes:
    """``text`` as a PDF string of this document, as reportlab writes text strings
    (``PDFString.format``: escaped, UTF-16 where Latin-1 will not do)."""
    formatted: bytes = PDFString(text).format(canv._doc)
    return formatted
