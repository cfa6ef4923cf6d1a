"""Every use of reportlab's private internals, in one place.

The PDF writer needs a few things reportlab offers no public way to do: replay what a
frame will do with a flowable, keep a paragraph's broken lines, skip the markup parser
for plain text, build without saving, break the reference cycles a build leaves, pin
the file identifier, give shaped glyphs stable codes. Each function or class here
wraps one such internal and says which; the rest of the writer calls these and
nothing private. ``tests/test_library_internals.py`` exercises each one directly,
naming it when it fails, and ``pyproject.toml`` bounds reportlab to the versions they
were checked against: a new reportlab is tried there first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from hashlib import md5
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile, shapeStr
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import _ktAllow
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
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


class ReleasingParagraph(Paragraph):  # type: ignore[misc]
    """A ``Paragraph`` that breaks the cycle reportlab leaves in each text object it draws.

    A text object drawing links, underlines or mixed styles refers to itself
    (``_do_line``) and to the whole PDF document; left in place, the build can only be
    freed by a slow cyclic collection over every object it made. The text objects are
    caught as the paragraph makes them (``beginText``).
    """

    def beginText(self, x: float, y: float) -> PDFTextObject:
        text: PDFTextObject = super().beginText(x, y)
        self._texts.append(text)
        return text

    def draw(self) -> None:
        self._texts: list[PDFTextObject] = []
        super().draw()
        for text in self._texts:
            vars(text).pop("_do_line", None)


def has_broken_lines(paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` has broken its lines yet (``blPara``)."""
    return hasattr(paragraph, "blPara")


def has_hard_breaks(paragraph: Paragraph) -> bool:
    """Whether a broken line of ``paragraph`` ends in a line break (``blPara.lines``)."""
    return any(getattr(line, "lineBreak", False) for line in paragraph.blPara.lines)


def keep_broken_lines(whole: Paragraph, first: Paragraph, rest: Paragraph) -> int:
    """Give ``rest`` the lines ``whole`` broke after those of ``first``; return their count.

    A split paragraph's parts break their lines again when wrapped; this sets the
    rest's ``blPara`` to a clone of the whole's with the remaining lines, their
    fragment indices (``sFW``) shifted to start at the rest's first line.
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


def font_file_code_points(path: str) -> Iterable[int]:
    """The code points the font file at ``path`` maps to a glyph (``TTFontFile.charToGlyph``)."""
    code_points: Iterable[int] = TTFontFile(path).charToGlyph
    return code_points


def shape(text: str, font: str, size: float) -> tuple[str, float | None]:
    """Shape ``text`` with HarfBuzz in the registered ``font`` (``ttfonts.shapeStr``).

    Return the shaped string and its width at ``size`` from the shaping's advances
    (``__shapeData__``), or None when reportlab kept none.
    """
    shaped: Any = shapeStr(text, font, size)
    advances = getattr(shaped, "__shapeData__", None)
    if advances is None:
        return shaped, None
    return shaped, sum(data.x_advance for data in advances) * size / 1000
