"""Paragraph flowables for inline content: reportlab's ``Paragraph``, or the bidi one."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from briefgen import tree
from briefgen.text.direction import has_rtl
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.reportlab_private import (
    ReleasingParagraph,
    cleaned_text,
    has_broken_lines,
    has_hard_breaks,
    keep_broken_lines,
    plain_fragment,
)
from briefgen.writers.pdf.styles import colour
from briefgen.writers.pdf.text import markup, runs


class _Paragraph(ReleasingParagraph):
    """A reportlab ``Paragraph`` that does not break its lines again for the same width.

    Frames, keep-together groups and tables often wrap a paragraph twice at one width;
    line breaking is most of the layout time.
    """

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._wrapped_at or not has_broken_lines(self):
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
            lines = keep_broken_lines(self, first, rest)
            rest.width, rest.height = availWidth, lines * rest.style.leading
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
            and not has_hard_breaks(self)
        )


def _reportlab_paragraph(text: str, style: ParagraphStyle) -> _Paragraph:
    """A ``_Paragraph`` for markup; plain text skips reportlab's markup parser.

    For text without tags or entities the parser makes exactly one fragment: a copy
    of the style's initial fragment holding the whitespace-cleaned text. Making that
    copy here is three times faster, and most paragraphs are plain.
    """
    cleaned = "" if "<" in text or "&" in text else cleaned_text(text)
    if not cleaned:
        return _Paragraph(text, style)
    return _Paragraph(cleaned, style, frags=[plain_fragment(cleaned, style)])


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
