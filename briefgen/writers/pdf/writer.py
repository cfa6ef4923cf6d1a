"""The PDF writer: a ``tree.Document`` to PDF bytes with reportlab's platypus, in one layout.

Text goes through ``text`` (escaping, markup) or ``bidi`` (RTL script); page
furniture, the outline and the late page numbers live in ``pages``; the look's styles
in ``styles``. Directions, links and levels come decided in the tree. The same input
gives the same bytes (reportlab's invariant mode, dates from ``meta.created``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import assert_never

from reportlab.lib.styles import ParagraphStyle
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
from reportlab.platypus.doctemplate import LayoutError

from briefgen import tree
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.look import LOOK_FILE
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
from briefgen.writers.pdf.paragraph import line, paragraph
from briefgen.writers.pdf.styles import PdfStyles, colour, pdf_styles

LABEL_GAP = 4.0  # the least space between a list number and its text


def write_pdf(document: tree.Document) -> Rendered:
    """Lay the document out once and return the PDF bytes and its page count.

    Raises ``UserError`` when a block cannot fit on a page, as a look with very large
    sizes or spacing can make it.
    """
    register_pdf_fonts()
    try:
        return _render(document)
    except LayoutError as error:
        message = (
            "the pack cannot be laid out: a block is taller or wider than the page's text"
            f" area ({str(error).split(' too large', 1)[0][-120:]}); make the look's sizes,"
            " leading or spacing smaller"
        )
        raise UserError([Diagnostic(LOOK_FILE, 0, 0, "", message)]) from None


def _render(document: tree.Document) -> Rendered:
    layout = Layout()
    styles = pdf_styles(document.look)
    context = _Context(layout, styles)
    flowables = [f for block in document.blocks for f in _flowables(block, context)]
    out = io.BytesIO()
    cover_first = bool(document.blocks) and isinstance(document.blocks[0], tree.Cover)
    decor = PageDecor(document.meta, layout, styles)
    template = make_template(out, document.meta, decor, cover_first, styles)
    template.build(flowables)
    finish(template.canv, document.meta, layout, styles)
    template.release()
    return Rendered(out.getvalue(), layout.pages)


@dataclass(frozen=True, slots=True)
class _Context:
    layout: Layout
    styles: PdfStyles

    def paragraph(self, block: tree.Paragraph, style: ParagraphStyle | None = None) -> Flowable:
        """A paragraph of the tree in ``style``, by default its role's."""
        chosen = style or self.styles.role(block.role)
        return paragraph(block.content, chosen, block.direction, self.styles.link)


def _flowables(block: tree.Block, context: _Context, depth: int = 0) -> list[Flowable]:
    match block:
        case tree.Heading(content=content, direction=direction):
            style = context.styles.heading(block.level)
            return [
                HeadingMark(block, context.layout),
                paragraph(content, style, direction, context.styles.link),
            ]
        case tree.Paragraph():
            return [context.paragraph(block)]
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
    return _list_flowable(items, block, depth, context.styles)


def _item_flowables(item: tuple[tree.Block, ...], context: _Context, depth: int) -> list[Flowable]:
    return [f for child in item for f in _flowables(child, context, depth + 1)]


def _list_flowable(
    items: list[ListItem],
    block: tree.ListBlock,
    depth: int,
    styles: PdfStyles,
    first_number: int = 1,
    last_number: int | None = None,
) -> ListFlowable:
    """A bullet or numbered list; a right-to-left one has its bullets in the right margin.

    The text is indented past the widest number (``last_number``, by default that of
    the last item), so that "10." or "100." never runs into it.
    """
    lists = styles.look.lists
    body = styles.role("body")
    numbered = {"bulletType": "1", "bulletFormat": "%s.", "start": first_number}
    bullets = {"bulletType": "bullet", "start": lists.bullets[depth % len(lists.bullets)]}
    indent = lists.indent
    if block.ordered:
        widest = f"{last_number or first_number + len(items) - 1}."
        indent = max(
            lists.indent, stringWidth(widest, styles.regular_face, body.fontSize) + LABEL_GAP
        )
    side = (
        {"rightIndent": indent, "bulletDir": "rtl", "bulletAlign": "right"}
        if block.direction == "rtl"
        else {"leftIndent": indent}
    )
    return ListFlowable(
        items,
        **side,
        bulletFontName=styles.regular_face,
        bulletFontSize=body.fontSize,
        bulletColor=colour(lists.colour),
        bulletDedent=indent,
        spaceAfter=lists.space_after,
        **(numbered if block.ordered else bullets),
    )


def _table(block: tree.Table, context: _Context) -> Flowable:
    look = context.styles.look.tables
    columns = max([len(block.header), *(len(row) for row in block.rows)])
    rows = [block.header] if block.header else []
    rows += list(block.rows)
    data = [
        [context.paragraph(cell) for cell in cells] + [Spacer(0, 0)] * (columns - len(cells))
        for cells in rows
    ]
    table = Table(
        data,
        colWidths=[f"{100 * share:.3f}%" for share in block.widths],
        repeatRows=1 if block.header else 0,
        splitInRow=1,
        hAlign="LEFT",
        spaceBefore=look.space_before,
        spaceAfter=look.space_after,
    )
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), context.styles.regular_face),  # not Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), look.padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), look.padding),
        ("TOPPADDING", (0, 0), (-1, -1), look.padding - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), look.padding + 1),
        ("LINEBELOW", (0, 0), (-1, -1), look.rule_width, colour(look.rule)),
    ]
    if block.header:
        header_fill = colour(look.header_fill)
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), header_fill),
            ("LINEBELOW", (0, 0), (-1, 0), 0, header_fill),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _key_messages(block: tree.KeyMessages, context: _Context) -> Flowable:
    """A tinted box with an accent bar, one row per child and per list item.

    The box breaks across pages between rows; a row taller than a page is split inside.
    A list in one row would be split inside it on every page, and reportlab lays the rest
    of a row out again each time (docs/performance.md).
    """
    box_look = context.styles.look.key_messages
    rows = [row for child in block.blocks for row in _box_rows(child, context)]
    rows = rows or [_BoxRow([Spacer(0, 0)])]
    cells = [[row.flowables] for row in rows]
    box = Table(
        cells,
        colWidths=["100%"],
        splitInRow=1,
        spaceBefore=box_look.space_before,
        spaceAfter=box_look.space_after,
    )
    gaps = [
        ("BOTTOMPADDING", (0, index), (0, index), row.gap_after)
        for index, row in enumerate(rows[:-1])
        if row.gap_after
    ]
    padding = box_look.padding
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), context.styles.regular_face),  # not Helvetica
                ("BACKGROUND", (0, 0), (-1, -1), colour(box_look.fill)),
                ("LINEBEFORE", (0, 0), (0, -1), box_look.bar_width, colour(box_look.bar)),
                ("LEFTPADDING", (0, 0), (-1, -1), padding.left),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding.right),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *gaps,
                ("TOPPADDING", (0, 0), (-1, 0), padding.top),
                ("BOTTOMPADDING", (0, -1), (-1, -1), padding.bottom),
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
    for number, item in enumerate(block.items, start=1):
        # A list item can't be empty.
        flowables = _item_flowables(item, context, 0) or [Spacer(0, 0)]
        one_item = _list_flowable(
            [ListItem(flowables)], block, 0, context.styles, number, last_number=len(block.items)
        )
        gap = flowables[-1].getSpaceAfter() if number < len(block.items) else 0.0
        rows.append(_BoxRow([one_item], gap))
    return rows


def _cover(cover: tree.Cover, context: _Context) -> list[Flowable]:
    look = context.styles.look
    flowables: list[Flowable] = []
    if context.layout.cover_seen:
        flowables += [NextPageTemplate("cover"), PageBreak()]
    context.layout.cover_seen = True
    flowables.append(Spacer(0, look.cover.space_above))
    if cover.logo:
        flowables += [_logo(cover.logo, look.page.logo), Spacer(0, look.cover.space_below_logo)]
    flowables.append(context.paragraph(cover.title))
    if cover.subtitle:
        flowables.append(context.paragraph(cover.subtitle))
    flowables += [context.paragraph(line) for line in cover.lines]
    return [*flowables, NextPageTemplate("body"), PageBreak()]


def _logo(path: str, largest: tuple[float, float]) -> Flowable:
    """The logo scaled to fit the logo box, keeping its aspect ratio."""
    width, height = ImageReader(path).getSize()
    scale = min(largest[0] / width, largest[1] / height)
    return Image(path, width * scale, height * scale, hAlign="LEFT")


def _contents(contents: tree.Contents, context: _Context) -> list[Flowable]:
    flowables: list[Flowable] = [context.paragraph(contents.title)]
    for entry in contents.entries:
        style = context.styles.contents_level(entry.level)
        form = f"contents{len(context.layout.contents_numbers)}"
        context.layout.contents_numbers[form] = (entry.anchor, style)
        title = line(entry.text, style, entry.direction)
        flowables.append(ContentsLine(title, form, entry.anchor, context.styles))
    return flowables
