"""Paragraph flowables for inline content: reportlab's ``Paragraph``, or the bidi one.

In a tagged document a paragraph carries its ``Tag``: its text is marked as content of
its structure element, and each link's text and annotation as its ``Link``'s.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from briefgen import tree
from briefgen.text.direction import has_rtl
from briefgen.text.linebreak import needs_line_breaker
from briefgen.writers.pdf import prewrap
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.fallback import needs_shaping
from briefgen.writers.pdf.glyphs import soft_hyphen
from briefgen.writers.pdf.reportlab_private import (
    ESCAPED,
    MarkupToken,
    ReleasingParagraph,
    cleaned_text,
    has_broken_lines,
    keep_first_lines,
    keep_rest_lines,
    line_ends,
    mark_fragment_hyphens,
    mark_line_ends,
    markup_fragments,
    page_code,
    plain_fragment,
    text_code,
    watch_link_edges,
)
from briefgen.writers.pdf.styles import colour, mirrored
from briefgen.writers.pdf.tagging import (
    Tag,
    Tagger,
    link_end,
    link_start,
    repeated,
    tag_text_object,
    tagger_of,
)
from briefgen.writers.pdf.text import link_texts, markup, markup_text, runs


class _Paragraph(ReleasingParagraph):
    """A reportlab ``Paragraph`` that does not break its lines again for the same width.

    Frames, keep-together groups and tables often wrap a paragraph twice at one width;
    line breaking is most of the layout time.
    """

    _wrapped_at: float | None = None
    frags: list[Any]
    _source_frags: list[Any] | None = None
    tag: Tag | None = None
    _drawn = False
    _continued = False  # a part whose text goes on on the next page
    _links: _LinkEdges | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        broken = availWidth == self._wrapped_at and has_broken_lines(self)
        if not broken and not prewrap.install(self, availWidth):
            self._from_source()
            super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self.width, self.height

    def _from_source(self) -> None:
        """Give the paragraph back the fragments it was made with before its lines are
        broken again.

        Breaking lines, reportlab replaces the fragments by the words it broke, the
        words it hyphenated cut in two; broken again from those (after a split that
        found no room drops the lines), a word once cut at its hyphen breaks otherwise,
        and the PDF would depend on whether the lines were broken ahead (``prewrap``)."""
        if self._source_frags is None:
            self._source_frags = self.frags
        else:
            self.frags = self._source_frags

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split at a page end (``_split``); both parts are the same paragraph's text."""
        parts = self._split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, _Paragraph):
                part.tag = self.tag
        if len(parts) == 2 and isinstance(parts[0], _Paragraph):
            parts[0]._continued = True
        return parts

    def _split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """reportlab's split, but the parts keep the lines already broken for this width.

        reportlab breaks the rest's lines again on the next page, so a paragraph
        running over many pages was broken once per page: quadratic in its length (a
        120,000-word paragraph took 40 s). Breaking is greedy, line by line, and the
        rest starts on a line of the same width (reportlab drops the first-line indent
        from it), so the lines after the split are those the rest would get (without
        the empty line reportlab starts a rest with after a line break). The first part
        keeps its lines too: broken again, it could take one line more than the room it
        was cut for (``keep_first_lines``) and stop the build.
        """
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) == 2 and availWidth == self._wrapped_at and self._uniform_lines():
            first, rest = parts
            _kept(first, keep_first_lines(self, first), availWidth)
            _kept(rest, keep_rest_lines(self, first, rest), availWidth)
        return parts

    def beginText(self, x: float, y: float) -> PDFTextObject:
        text = super().beginText(x, y)
        links = self._links
        tagged = links is not None
        if links is not None:
            watch_link_edges(text, lambda link, edge: links.edge(text, link[0], edge))
        ends = line_ends(self)
        if not self._continued:
            ends = ends[:-1]  # the paragraph's last line ends the paragraph
        if "soft-hyphen" in ends:
            mark_fragment_hyphens(self, ends, soft_hyphen)
        if tagged or "soft-hyphen" in ends:
            mark_line_ends(text, ends, soft_hyphen, spaces=tagged)
        return text

    def draw(self) -> None:
        """Draw; in a tagged document, as content of the paragraph's element.

        The same paragraph drawn again is a table's header row repeated on a later
        page: an artifact there.
        """
        canv, tag = self.canv, self.tag
        tagger = tagger_of(canv)
        if tagger is None or tag is None:
            super().draw()
            return
        if self._drawn:
            with repeated(canv):
                super().draw()
            return
        self._drawn = True
        self._draw_tagged(tagger, tag)

    def _draw_tagged(self, tagger: Tagger, tag: Tag) -> None:
        canv = self.canv
        code = page_code(canv)
        start = len(code)
        links = self._links = _LinkEdges()
        tagger.link_sink = links.annotation
        try:
            super().draw()
        finally:
            tagger.link_sink = None
            self._links = None
        sole_link = 0 if links.annotations and not links.started else None
        for index in range(start, len(code)):
            if code[index].startswith("BT"):
                code[index] = tag_text_object(canv, tagger, tag, code[index], sole_link)
        for number, href, rect in links.annotations:
            tagger.annotate_page(canv, tag.link(number), rect, href)

    def _uniform_lines(self) -> bool:
        """Whether every line is ``style.leading`` high, broken the usual way (not CJK)."""
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return auto_leading in ("", "off") and self.style.wordWrap != "CJK"


def _kept(part: _Paragraph, lines: int, width: float) -> None:
    """``part`` keeps ``lines`` lines broken for ``width``: not broken again when wrapped."""
    part.width, part.height = width, lines * part.style.leading
    part._wrapped_at = width


class _LinkEdges:
    """Where a paragraph's links start and end in its text, and their annotations.

    reportlab makes the annotations of a line's links after the line, in the order the
    links started on it; a paragraph of one link alone (a single fragment) reports no
    edges, and its annotations are that link's.
    """

    def __init__(self) -> None:
        self.started = False
        self._waiting: deque[int] = deque()
        self.annotations: list[tuple[int, str, list[float]]] = []

    def edge(self, text: PDFTextObject, number: int, edge: str) -> None:
        code = text_code(text)
        if edge == "start":
            self.started = True
            self._waiting.append(number)
            code[-1] = link_start(number) + code[-1]  # before the text just drawn
        else:
            code.append(link_end(number))

    def annotation(self, href: str, rect: list[float]) -> None:
        number = self._waiting.popleft() if self._waiting else 0
        self.annotations.append((number, href, rect))


LONG_WORD = 100
"""Characters between spaces beyond which a paragraph is laid out by the bidi paragraph.

Where a word does not fit at a line's end, reportlab's paragraph looks for the place to
hyphenate it from the word's end, measuring the head before every candidate, for each
line the word fills: time and memory grow with the square of the word's length (a word
of 20,000 letters, hyphens or soft hyphens took half a minute and half a gigabyte).
The bidi paragraph's line breaker goes forward through the word, once. No word of a
language is this long; a code, a sequence or text pasted without spaces can be."""
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1}}}")

PARAGRAPH_KINDS = (_Paragraph, BidiParagraph)
"""The flowables ``paragraph`` makes: lines broken by width alone (``prewrap``)."""


def _reportlab_paragraph(tokens: list[MarkupToken], style: ParagraphStyle) -> _Paragraph:
    """A ``_Paragraph`` of markup ``tokens``, its fragments made as reportlab's parser
    makes them, without the parser's HTML tokenizer (``markup_fragments``).

    For plain text the parser makes exactly one fragment: a copy of the style's initial
    fragment holding the whitespace-cleaned text. Making that copy here is three times
    faster, and most paragraphs are plain.
    """
    texts = [token for token in tokens if isinstance(token, str)]
    if len(texts) == len(tokens) and not ESCAPED.search(text := "".join(texts)):
        cleaned = cleaned_text(text)
        if cleaned:
            return _Paragraph(cleaned, style, frags=[plain_fragment(cleaned, style)])
    fragments = markup_fragments(tokens, style)
    if fragments is None:
        return _Paragraph(markup_text(tokens), style)
    return _Paragraph("", style, frags=fragments)  # its text is read from its fragments


def paragraph(
    content: tuple[tree.Inline, ...],
    style: ParagraphStyle,
    direction: tree.Direction,
    link_colour: str,
    tag: Tag | None = None,
) -> Flowable:
    """A paragraph of inline content in its base ``direction`` (decided in the tree).

    Text that reads right to left, holds any right-to-left script or a script that
    needs shaping (Indic, Thai: reportlab's paragraph leaves their vowel signs and
    conjuncts unformed), or may break lines inside words (Thai, CJK, a slash, a
    zero-width space: reportlab's paragraph breaks only at spaces) or holds a word longer
    than ``LONG_WORD`` is laid out by the bidi paragraph; the rest by reportlab's own,
    which is faster. ``tag`` is the
    structure element its text belongs to, in a tagged document.
    """
    if tag is not None and not tag.links:
        tag.links = link_texts(content)
    flowable: BidiParagraph | _Paragraph
    text = tree.plain_text(content)
    if (
        direction == "rtl"
        or has_rtl(text)
        or needs_line_breaker(text)
        or needs_shaping(text, style.fontName)
        or _LONG_WORD.search(text)
    ):
        rtl = direction == "rtl"
        shown = mirrored(style) if rtl else style
        flowable = BidiParagraph(runs(content), shown, rtl, colour(link_colour))
    else:
        flowable = _reportlab_paragraph(markup(content, link_colour, style.fontName), style)
    flowable.tag = tag
    return flowable


def line(
    text: str | tuple[tree.Inline, ...],
    style: ParagraphStyle,
    direction: tree.Direction,
    tag: Tag | None = None,
) -> Flowable:
    """A paragraph of plain text, or of text and isolates, without links (contents
    entries, page furniture)."""
    content = (tree.Text(text),) if isinstance(text, str) else text
    return paragraph(content, style, direction, "#000000", tag)
