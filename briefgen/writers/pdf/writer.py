"""The PDF writer: a ``tree.Document`` to PDF bytes with reportlab's platypus, in one layout.

Text goes through ``pdf_text`` (escaping, markup) or ``pdf_bidi`` (RTL script); page
furniture, the outline and the late page numbers live in ``pdf_pages``; the look in
``pdf_styles``. The same input gives the same bytes (reportlab's invariant mode, dates
from ``meta.created``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import assert_never

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Image,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from briefgen import tree
from briefgen.build.gcpause import cyclic_gc_paused
from briefgen.text.direction import is_rtl_paragraph
from briefgen.text.fonts import SANS
from briefgen.writers import Rendered
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.pages import (
    ContentsLine,
    HeadingMark,
    Layout,
    PageDecor,
    finish,
    make_template,
)
from briefgen.writers.pdf.paragraph import paragraph, plain_paragraph
from briefgen.writers.pdf.styles import (
    ACCENT,
    ACCENT_TINT,
    BODY,
    CONTENTS_TITLE,
    COVER_SUBTITLE,
    COVER_TITLE,
    LIST_INDENT,
    LOGO_MAX,
    MARGIN_X,
    ROLE_STYLES,
    RULE,
    TABLE_CELL,
    TABLE_HEAD,
    TABLE_PADDING,
    contents_style,
    heading_style,
)

BULLETS = ("\u2022", "\u2013")  # bullet, en dash: alternate with nesting depth
LABEL_GAP = 4.0  # the least space between a list number and its text


def write_pdf(document: tree.Document) -> Rendered:
    """Lay the document out once and return the PDF bytes and its page count."""
    register_pdf_fonts()
    with cyclic_gc_paused():
        return _render(document)


def _render(document: tree.Document) -> Rendered:
    layout = Layout()
    context = _Context(frozenset(_anchors(document.blocks)), layout, document.meta.language)
    flowables = [f for block in document.blocks for f in _flowables(block, context)]
    out = io.BytesIO()
    cover_first = bool(document.blocks) and isinstance(document.blocks[0], tree.Cover)
    template = make_template(out, document.meta, PageDecor(document.meta, layout), cover_first)
    template.build(flowables)
    finish(template.canv, document.meta, layout)
    template.release()
    return Rendered(out.getvalue(), layout.pages)


@dataclass(frozen=True, slots=True)
class _Context:
    anchors: frozenset[str]  # anchors some heading defines: the only valid link targets
    layout: Layout
    language: str  # the pack's: text without a language of its own takes its direction


def _anchors(blocks: tuple[tree.Block, ...]) -> Iterator[str]:
    for block in blocks:
        match block:
            case tree.Heading(anchor=anchor):
                yield anchor
            case tree.KeyMessages(blocks=children):
                yield from _anchors(children)
            case tree.ListBlock(items=items):
                for item in items:
                    yield from _anchors(item)


def _flowables(block: tree.Block, context: _Context, depth: int = 0) -> list[Flowable]:
    match block:
        case tree.Heading():
            style = heading_style(block.level)
            return [
                HeadingMark(block, context.layout),
                paragraph(block.content, style, context.anchors),
            ]
        case tree.Paragraph(content=content, role=role, lang=lang):
            return [
                paragraph(content, ROLE_STYLES[role], context.anchors, lang or context.language)
            ]
        case tree.ListBlock():
            return [_list(block, context, depth)]
        case tree.Table():
            return [_table(block, context)]
        case tree.KeyMessages():
            return [_key_messages(block, context)]
        case tree.PageBreak():
            return [PageBreak()]
        case tree.Cover():
            return _cover(block, context)
        case tree.Contents():
            return _contents(block, context)
    assert_never(block)


def _list(block: tree.ListBlock, context: _Context, depth: int) -> Flowable:
    items = [ListItem(_item_flowables(item, context, depth)) for item in block.items]
    return _list_flowable(items, block.ordered, depth, rtl=_reads_right_to_left(block, context))


def _reads_right_to_left(block: tree.ListBlock, context: _Context) -> bool:
    """Whether a list reads right to left: as its first paragraph does, however nested."""
    first = next(_paragraphs_of(block), None)
    if first is None:
        return False
    return is_rtl_paragraph(tree.plain_text(first.content), first.lang or context.language)


def _paragraphs_of(block: tree.ListBlock) -> Iterator[tree.Paragraph]:
    for item in block.items:
        for child in item:
            if isinstance(child, tree.Paragraph):
                yield child
            elif isinstance(child, tree.ListBlock):
                yield from _paragraphs_of(child)


def _item_flowables(item: tuple[tree.Block, ...], context: _Context, depth: int) -> list[Flowable]:
    return [f for child in item for f in _flowables(child, context, depth + 1)]


def _list_flowable(
    items: list[ListItem],
    ordered: bool,
    depth: int,
    first_number: int = 1,
    rtl: bool = False,
    last_number: int | None = None,
) -> ListFlowable:
    """A bullet or numbered list; a right-to-left one has its bullets in the right margin.

    The text is indented past the widest number (``last_number``, by default that of
    the last item), so that "10." or "100." never runs into it.
    """
    numbered = {"bulletType": "1", "bulletFormat": "%s.", "start": first_number}
    bullets = {"bulletType": "bullet", "start": BULLETS[depth % len(BULLETS)]}
    indent = LIST_INDENT
    if ordered:
        widest = f"{last_number or first_number + len(items) - 1}."
        indent = max(LIST_INDENT, stringWidth(widest, SANS, BODY.fontSize) + LABEL_GAP)
    side = (
        {"rightIndent": indent, "bulletDir": "rtl", "bulletAlign": "right"}
        if rtl
        else {"leftIndent": indent}
    )
    return ListFlowable(
        items,
        **side,
        bulletFontName=SANS,
        bulletFontSize=BODY.fontSize,
        bulletColor=ACCENT,
        bulletDedent=indent,
        spaceAfter=4,
        **(numbered if ordered else bullets),
    )


def _table(block: tree.Table, context: _Context) -> Flowable:
    columns = max([len(block.header), *(len(row) for row in block.rows)])
    rows = [(block.header, TABLE_HEAD)] if block.header else []
    rows += [(row, TABLE_CELL) for row in block.rows]
    data = [
        [paragraph(cell, style, context.anchors, context.language) for cell in cells]
        + [Spacer(0, 0)] * (columns - len(cells))
        for cells, style in rows
    ]
    table = Table(
        data,
        colWidths=_column_widths(block, columns),
        repeatRows=1 if block.header else 0,
        splitInRow=1,
        hAlign="LEFT",
        spaceBefore=4,
        spaceAfter=10,
    )
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), SANS),  # the cell default would be Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), TABLE_PADDING - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), TABLE_PADDING + 1),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
    ]
    if block.header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("LINEBELOW", (0, 0), (-1, 0), 0, ACCENT),
        ]
    table.setStyle(TableStyle(commands))
    return table


# The longest word a table column widens for; longer ones (web addresses) may break.
MAX_UNBROKEN_WORD = 22
_NARROWEST_TEXT_WIDTH = A4[0] - 2 * MARGIN_X


def _column_widths(block: tree.Table, columns: int) -> list[str]:
    """Share the width by each column's longest text, as percentages.

    Every column is at least as wide as its short texts (dates, types) and its longest
    word (up to a limit), so "4 December 2024" or "Acronym" is never broken.
    """
    lengths, minimums = [4] * columns, [0.0] * columns
    for row in (block.header, *block.rows):
        for i, cell in enumerate(row):
            text = tree.plain_text(cell)
            lengths[i] = max(lengths[i], min(len(text), 60))
            minimums[i] = max(minimums[i], _least_share(text))
    shares = [max(n / sum(lengths), least) for n, least in zip(lengths, minimums, strict=True)]
    excess = sum(shares) - 1
    room = sum(share - least for share, least in zip(shares, minimums, strict=True))
    if excess > 0 and room > 0:
        shares = [s - excess * (s - m) / room for s, m in zip(shares, minimums, strict=True)]
    return [f"{100 * share / sum(shares):.3f}%" for share in shares]


def _least_share(text: str) -> float:
    """The share of the text width that ``text`` needs unbroken if short (a date, a
    type), else that its longest word (if not too long) needs."""
    if len(text) <= MAX_UNBROKEN_WORD:
        unbroken = text
    else:
        words = [word for word in text.split() if len(word) <= MAX_UNBROKEN_WORD]
        unbroken = max(words, key=len) if words else ""
    if not unbroken:
        return 0.0
    width = stringWidth(unbroken, TABLE_HEAD.fontName, TABLE_HEAD.fontSize)
    return float((width + 2 * TABLE_PADDING + 2) / _NARROWEST_TEXT_WIDTH)


def _key_messages(block: tree.KeyMessages, context: _Context) -> Flowable:
    """A tinted box with an accent bar, one row per child and per list item.

    The box breaks across pages between rows; a row taller than a page is split inside.
    A list in one row would be split inside it on every page, and reportlab lays the rest
    of a row out again each time: 4,000 key messages took 37 s.
    """
    rows = [row for child in block.blocks for row in _box_rows(child, context)]
    rows = rows or [_BoxRow([Spacer(0, 0)])]
    cells = [[row.flowables] for row in rows]
    box = Table(cells, colWidths=["100%"], splitInRow=1, spaceBefore=6, spaceAfter=14)
    gaps = [
        ("BOTTOMPADDING", (0, index), (0, index), row.gap_after)
        for index, row in enumerate(rows[:-1])
        if row.gap_after
    ]
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),  # the cell default would be Helvetica
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 16),
                ("RIGHTPADDING", (0, 0), (-1, -1), 16),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *gaps,
                ("TOPPADDING", (0, 0), (-1, 0), 12),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return box


@dataclass(frozen=True, slots=True)
class _BoxRow:
    flowables: list[Flowable]
    gap_after: float = 0.0  # what a cell drops: the space after its last flowable


def _box_rows(block: tree.Block, context: _Context) -> list[_BoxRow]:
    """The rows a block takes in a box: one, or one per item of a list."""
    if not isinstance(block, tree.ListBlock):
        return [_BoxRow(_flowables(block, context))]
    rows = []
    rtl = _reads_right_to_left(block, context)
    for number, item in enumerate(block.items, start=1):
        # A list item can't be empty.
        flowables = _item_flowables(item, context, 0) or [Spacer(0, 0)]
        one_item = _list_flowable(
            [ListItem(flowables)], block.ordered, 0, number, rtl, last_number=len(block.items)
        )
        gap = flowables[-1].getSpaceAfter() if number < len(block.items) else 0.0
        rows.append(_BoxRow([one_item], gap))
    return rows


def _cover(cover: tree.Cover, context: _Context) -> list[Flowable]:
    flowables: list[Flowable] = []
    if context.layout.cover_seen:
        flowables += [NextPageTemplate("cover"), PageBreak()]
    context.layout.cover_seen = True
    flowables.append(Spacer(0, 90))
    if cover.logo:
        flowables += [_logo(cover.logo), Spacer(0, 36)]
    flowables.append(plain_paragraph(cover.title, COVER_TITLE))
    if cover.subtitle:
        flowables.append(plain_paragraph(cover.subtitle, COVER_SUBTITLE))
    flowables += [
        paragraph(
            line.content, ROLE_STYLES[line.role], context.anchors, line.lang or context.language
        )
        for line in cover.lines
    ]
    return [*flowables, NextPageTemplate("body"), PageBreak()]


def _logo(path: str) -> Flowable:
    """The logo scaled to fit the logo box, keeping its aspect ratio."""
    width, height = ImageReader(path).getSize()
    scale = min(LOGO_MAX[0] / width, LOGO_MAX[1] / height)
    return Image(path, width * scale, height * scale, hAlign="LEFT")


def _contents(contents: tree.Contents, context: _Context) -> list[Flowable]:
    flowables: list[Flowable] = [plain_paragraph(contents.title, CONTENTS_TITLE)]
    for entry in contents.entries:
        style = contents_style(entry.level)
        form = f"contents{len(context.layout.contents_numbers)}"
        context.layout.contents_numbers[form] = (entry.anchor, style)
        anchor = entry.anchor if entry.anchor in context.anchors else None
        flowables.append(ContentsLine(plain_paragraph(entry.text, style), form, anchor))
    return flowables
