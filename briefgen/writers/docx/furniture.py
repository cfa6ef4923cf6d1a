"""The DOCX's page furniture: running header, page label footer, cover band, DRAFT mark.

What they say and in which direction comes decided in the tree's metadata, how they
look from the look; a header or footer that a reference document fills is kept as
it is. The cover band and the DRAFT mark are shapes placed on the page, behind the
text, as the PDF draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal, assert_never

from docx.document import Document as DocxDocument
from docx.section import Section

from briefgen import tree
from briefgen.look import Look
from briefgen.text.metrics import drawn_width
from briefgen.writers.docx import docx_private
from briefgen.writers.docx.fragment import PLAIN, Fragment, RevisionMarks
from briefgen.writers.docx.shapes import EMU_PER_POINT, PageShape, Watermark
from briefgen.writers.docx.styles import Styles

Piece = Literal["text", "field", "inserted", "deleted"]
Label = list[tuple[Piece, str]]
"""Header or footer content: ``(kind, text)`` pieces; a field piece is its instruction,
an inserted or deleted one what changed since an earlier edition."""


# Ids of the shapes (``wp:docPr``), above those python-docx gives pictures.
_COVER_BAND, _COVER_RULE, _WATERMARK = 9001, 9002, 9003
_CAP_HEIGHT = 0.72  # of the font size: WordArt stretches the letters to fill their box


def furnish_pages(
    base: DocxDocument,
    styles: Styles,
    look: Look,
    meta: tree.Metadata,
    cover: tree.Cover | None,
    marks: RevisionMarks | None = None,
) -> None:
    """Running header and page label footer; the cover page (``cover``, the document's
    first block if it is one) gets only its band and rule; a draft's pages, the cover's
    too, the DRAFT mark across them. With ``marks`` (the body's, whose ids the header's
    continue) the header's words an edition changed are tracked changes."""
    section = base.sections[-1]
    page = Page.of(section)
    rtl_styles = meta.direction == "rtl"  # a paragraph reading left to right says so
    if cover is not None:
        section.different_first_page_header_footer = True
        decoration = partial(_cover_decoration, rtl_styles=rtl_styles)
        decoration(styles, section.first_page_header, look, page, cover.direction)
    header = meta.running_header
    line = partial(_furniture, styles, rtl_styles=rtl_styles, marks=marks)
    if _is_blank(section.header):
        line(section.header, "Header", _text_label(header), header.direction)
    if _is_blank(section.footer):
        label = meta.page_label
        line(section.footer, "Footer", _page_label(label), label.direction)
    if meta.draft:
        headers = [section.header] + ([section.first_page_header] if cover is not None else [])
        for story in headers:
            _draft_mark(story, look, meta.draft_mark, page, rtl_styles=rtl_styles)


@dataclass(frozen=True, slots=True)
class Page:
    """A section's page size and margins, in points."""

    width: float
    height: float
    left: float
    bottom: float
    right: float

    @classmethod
    def of(cls, section: Section) -> Page:
        lengths = (
            section.page_width,
            section.page_height,
            section.left_margin,
            section.bottom_margin,
            section.right_margin,
        )
        return cls(*((length or 0) / EMU_PER_POINT for length in lengths))


def _cover_decoration(
    styles: Styles,
    story: docx_private.Story,
    look: Look,
    page: Page,
    direction: tree.Direction,
    *,
    rtl_styles: bool,
) -> None:
    """The cover's band across the top and short rule above the bottom margin, on the side
    where the cover's lines start, anchored in a paragraph that reads left to right (one
    that reads right to left has LibreOffice mirror where they stand)."""
    cover = look.cover
    band = PageShape(_COVER_BAND, "Cover band", (0, 0, page.width, cover.band_height), cover.band)
    rule_top = page.height - page.bottom - cover.rule_height
    right = page.width - page.right - cover.rule_width
    rule_left = right if direction == "rtl" else page.left
    rule_frame = (rule_left, rule_top, cover.rule_width, cover.rule_height)
    rule = PageShape(_COVER_RULE, "Cover rule", rule_frame, cover.band)
    out = Fragment(rtl_styles=rtl_styles)
    out.paragraph_start()  # not the Header style: no rule under the band
    out.page_shape(band)
    out.page_shape(rule)
    out.paragraph_end()
    _replace_content(story, out)


def _draft_mark(
    story: docx_private.Story, look: Look, mark: tree.Paragraph, page: Page, *, rtl_styles: bool
) -> None:
    """The DRAFT mark as the PDF draws it: large, light, turned along the page's diagonal,
    at most the look's size."""
    text = tree.plain_text(mark.content)
    if not text.strip():
        return
    style = look.text.draft_mark
    room = look.draft_mark.span * (page.width**2 + page.height**2) ** 0.5
    face = look.font.face(bold=style.bold, italic=style.italic)
    unit = drawn_width(text, face, 1, style.bold)  # 草稿 in the CJK face, a full em each
    size = min(style.size, room / max(unit, 1e-6))
    watermark = Watermark(
        _WATERMARK,
        text,
        width=unit * size,
        height=size * _CAP_HEIGHT,
        rotation=-look.draft_mark.angle,  # Word turns clockwise
        font=look.font.family,
        bold=style.bold,
        colour=style.colour,
    )
    out = Fragment(rtl_styles=rtl_styles)
    out.paragraph_start()
    out.watermark(watermark)
    out.paragraph_end()
    story.is_linked_to_previous = False
    out.append_to(docx_private.story_root(story))


def _replace_content(story: docx_private.Story, out: Fragment) -> None:
    story.is_linked_to_previous = False
    root = docx_private.story_root(story)
    for child in list(root):
        root.remove(child)
    out.append_to(root)


def _furniture(
    styles: Styles,
    story: docx_private.Story,
    style: str,
    pieces: Label,
    direction: tree.Direction,
    *,
    rtl_styles: bool,
    marks: RevisionMarks | None,
) -> None:
    """Write one paragraph into a header or footer, replacing what it held (``rtl_styles``:
    the styles read right to left); without ``marks``, what an edition deleted is left out."""
    rtl = direction == "rtl"
    out = Fragment(rtl_styles=rtl_styles)
    out.paragraph_start(styles.id(style), bidi=rtl)
    for kind, text in pieces:
        if kind == "field":
            out.simple_field(text, "1")
        elif kind == "text" or (kind == "inserted" and marks is None):
            out.text_runs(text, PLAIN, rtl)
        elif marks is not None:
            with out.revising(marks, "ins" if kind == "inserted" else "del"):
                out.text_runs(text, PLAIN, rtl)
    out.paragraph_end()
    _replace_content(story, out)


def _is_blank(story: docx_private.Story) -> bool:
    """Whether a header or footer is undefined, or defined with nothing in it (to fill)."""
    if story.is_linked_to_previous:
        return True
    element = docx_private.story_root(story)
    has_content = docx_private.xpath(element, ".//w:drawing | .//w:fldSimple | .//w:instrText")
    return not "".join(element.itertext()).strip() and not has_content


def _text_label(line: tree.Paragraph) -> Label:
    return _marked(line.content, "text")


def _marked(content: tuple[tree.Inline, ...], kind: Piece) -> Label:
    """``content``'s text (its formatting dropped), in pieces of the edition's changes."""
    pieces: Label = []
    for inline in content:
        match inline:
            case tree.Inserted(children=children):
                pieces += _marked(children, "inserted")
            case tree.Deleted(children=children):
                pieces += _marked(children, "deleted")
            case tree.Strong(children=c) | tree.Emphasis(children=c) | tree.Isolate(children=c):
                pieces += _marked(c, kind)
            case tree.Link(children=children) | tree.Reformatted(children=children):
                pieces += _marked(children, kind)
            case tree.Text(text=text):
                pieces.append((kind, text))
            case tree.LineBreak():
                pieces.append((kind, "\n"))
    return pieces


def _page_label(label: tree.PageLabel) -> Label:
    """The page label's pieces as text and the fields ``PAGE`` and ``NUMPAGES``."""
    return [_label_piece(piece) for piece in label.pieces]


def _label_piece(piece: tree.LabelPiece) -> tuple[Piece, str]:
    match piece:
        case str():
            return "text", piece
        case tree.PageNumber():
            return "field", "PAGE"
        case tree.PageCount():
            return "field", "NUMPAGES"
    assert_never(piece)
