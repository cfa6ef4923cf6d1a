"""Paragraph flowables for inline content: reportlab's ``Paragraph``, or the bidi one."""

from __future__ import annotations

import copy
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from briefgen import tree
from briefgen.text.direction import has_rtl
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.styles import colour
from briefgen.writers.pdf.text import markup, runs


class _Paragraph(Paragraph):  # type: ignore[misc]
    """A reportlab ``Paragraph`` that does not break its lines again for the same width.

    Frames, keep-together groups and tables often wrap a paragraph twice at one width;
    line breaking is most of the layout time.
    """

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._wrapped_at or not hasattr(self, "blPara"):
            super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split at a page end; the rest keeps the lines already broken for this width.

        reportlab breaks the rest's lines again on the next page, so a paragraph
        running over many pages was broken once per page: quadratic in its length (a
        120,000-word paragraph took 40 s). Breaking is greedy, line by line, and the
        rest starts on a line of the same width (reportlab drops the first-line indent
        from it), so the lines after the split are exactly those the rest would get.
        """
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) == 2 and availWidth == self._wrapped_at and self._plain_lines():
            first, rest = parts
            lines = self.blPara.lines[len(first.blPara.lines) :]
            if lines and hasattr(lines[0], "sFW"):  # lines index the fragments: the rest's
                offset = lines[0].sFW  # fragments start at the first line's
                lines = [line.clone(sFW=line.sFW - offset) for line in lines]
            rest.blPara = self.blPara.clone(lines=lines)
            rest.width, rest.height = availWidth, len(lines) * rest.style.leading
            rest._wrapped_at = availWidth
        return parts

    def _plain_lines(self) -> bool:
        """Whether every line is ``style.leading`` high, broken the usual way (not CJK),
        and none ends in a line break: after one, reportlab starts the rest with an
        empty line that the lines broken for the whole paragraph do not have."""
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return (
            auto_leading in ("", "off")
            and self.style.wordWrap != "CJK"
            and not any(getattr(line, "lineBreak", False) for line in self.blPara.lines)
        )

    def beginText(self, x: float, y: float) -> PDFTextObject:
        text: PDFTextObject = super().beginText(x, y)
        self._texts.append(text)
        return text

    def draw(self) -> None:
        """Draw, then break the cycle that reportlab leaves in each text object.

        A text object drawing links, underlines or mixed styles refers to itself
        (``_do_line``) and to the whole PDF document; left in place, the build can only
        be freed by a slow cyclic collection over every object it made.
        """
        self._texts: list[PDFTextObject] = []
        super().draw()
        for text in self._texts:
            vars(text).pop("_do_line", None)


def _reportlab_paragraph(text: str, style: ParagraphStyle) -> _Paragraph:
    """A ``_Paragraph`` for markup; plain text skips reportlab's markup parser.

    For text without tags or entities the parser makes exactly one fragment: a copy
    of the style's initial fragment holding the whitespace-cleaned text. Making that
    copy here is three times faster, and most paragraphs are plain.
    """
    cleaned = "" if "<" in text or "&" in text else cleanBlockQuotedText(text)
    if not cleaned:
        return _Paragraph(text, style)
    fragment = copy.copy(_initial_fragment(style))
    fragment.text = cleaned
    textTransformFrags([fragment], style)
    return _Paragraph(cleaned, style, frags=[fragment])


@lru_cache(maxsize=64)
def _initial_fragment(style: ParagraphStyle) -> ParaFrag:
    """The fragment reportlab's parser starts a paragraph in ``style`` with."""
    _, fragments, _ = ParaParser().parse("x", style)
    return fragments[0]


def paragraph(
    content: tuple[tree.Inline, ...],
    style: ParagraphStyle,
    direction: tree.Direction,
    link_colour: str,
) -> Flowable:
    """A paragraph of inline content in its base ``direction`` (decided in the tree).

    Text that reads right to left, or holds any right-to-left script, is laid out by
    the bidi paragraph; the rest by reportlab's own, which is faster.
    """
    if direction == "rtl" or has_rtl(tree.plain_text(content)):
        return BidiParagraph(runs(content), style, direction == "rtl", colour(link_colour))
    return _reportlab_paragraph(markup(content, link_colour), style)


def line(text: str, style: ParagraphStyle, direction: tree.Direction) -> Flowable:
    """A paragraph of plain text without links (contents entries, page furniture)."""
    return paragraph((tree.Text(text),), style, direction, "#000000")
