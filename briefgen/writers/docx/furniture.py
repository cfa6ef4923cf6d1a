"""The DOCX's page furniture: running header, page label footer, DRAFT mark.

What they say and in which direction comes decided in the tree's metadata; a header
or footer that a reference document fills is kept as it is.
"""

from __future__ import annotations

from typing import assert_never

from docx.document import Document as DocxDocument

from briefgen import tree
from briefgen.writers.docx import docx_private
from briefgen.writers.docx.fragment import PLAIN, Fragment
from briefgen.writers.docx.styles import Styles

Label = list[tuple[bool, str]]
"""Header or footer content: ``(is_field, text)`` pieces; a field piece is its instruction."""


def furnish_pages(base: DocxDocument, styles: Styles, meta: tree.Metadata, has_cover: bool) -> None:
    """Running header, page label footer and DRAFT mark; a cover page gets only DRAFT."""
    section = base.sections[-1]
    if has_cover:
        section.different_first_page_header_footer = True
    header = meta.running_header
    if _is_blank(section.header):
        _furniture(styles, section.header, "Header", _text_label(header), header.direction)
    if _is_blank(section.footer):
        label = meta.page_label
        _furniture(styles, section.footer, "Footer", _page_label(label), label.direction)
    if meta.draft:
        headers = [section.header] + ([section.first_page_header] if has_cover else [])
        mark = meta.draft_mark
        for story in headers:
            pieces = _text_label(mark)
            _furniture(styles, story, "Draft Mark", pieces, mark.direction, append=True)


def _furniture(
    styles: Styles,
    story: docx_private.Story,
    style: str,
    pieces: Label,
    direction: tree.Direction,
    append: bool = False,
) -> None:
    """Write one paragraph into a header or footer (replacing it unless ``append``)."""
    story.is_linked_to_previous = False
    root = docx_private.story_root(story)
    if not append:
        for child in list(root):
            root.remove(child)
    rtl = direction == "rtl"
    out = Fragment()
    out.paragraph_start(styles.id(style), bidi=rtl)
    for is_field, text in pieces:
        if is_field:
            out.simple_field(text, "1")
        else:
            out.text_runs(text, PLAIN, rtl)
    out.paragraph_end()
    out.append_to(root)


def _is_blank(story: docx_private.Story) -> bool:
    """Whether a header or footer is undefined, or defined with nothing in it (to fill)."""
    if story.is_linked_to_previous:
        return True
    element = docx_private.story_root(story)
    has_content = docx_private.xpath(element, ".//w:drawing | .//w:fldSimple | .//w:instrText")
    return not "".join(element.itertext()).strip() and not has_content


def _text_label(line: tree.Paragraph) -> Label:
    return [(False, tree.plain_text(line.content))]


def _page_label(label: tree.PageLabel) -> Label:
    """The page label's pieces as text and the fields ``PAGE`` and ``NUMPAGES``."""
    return [_label_piece(piece) for piece in label.pieces]


def _label_piece(piece: tree.LabelPiece) -> tuple[bool, str]:
    match piece:
        case str():
            return False, piece
        case tree.PageNumber():
            return True, "PAGE"
        case tree.PageCount():
            return True, "NUMPAGES"
    assert_never(piece)
