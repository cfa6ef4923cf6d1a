"""The PDF writer: a ``tree.Document`` to PDF bytes with reportlab's platypus, in one layout.

Text goes through ``text`` (escaping, markup) or ``bidi`` (the paragraph the writer
lays out itself: RTL and shaped scripts, breaks inside words); page
furniture, the outline and the late page numbers live in ``pages``; the look's styles
in ``styles``. Directions, links and levels come decided in the tree. The same input
gives the same bytes (reportlab's invariant mode, dates from ``meta.created``).

Unless the look asks for no standard, the PDF is tagged: as it walks the tree the
writer makes the structure element of each block (``tagging``), in reading order, and
hands it to the flowables that draw it; ``standard`` writes what PDF/UA-1 and PDF/A-2u
ask of the file besides.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, assert_never

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
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
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError
from reportlab.platypus.flowables import NullDraw

from briefgen import tree
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.look import LOOK_FILE
from briefgen.writers import Rendered
from briefgen.writers.pdf.changes import ChangeBar, RowChange
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.keep import with_previous
from briefgen.writers.pdf.pages import (
    ContentsLine,
    ContentsNumber,
    HeadingMark,
    Layout,
    PageDecor,
    finish,
    make_template,
)
from briefgen.writers.pdf.paragraph import PARAGRAPH_KINDS, line, paragraph
from briefgen.writers.pdf.prewrap import breaking_ahead
from briefgen.writers.pdf.reportlab_private import (
    EmboldeningCanvas,
    InsetSplitTable,
    LabelledListFlowable,
    fragments_compared_in_python,
    is_zero_size,
    text_width,
)
from briefgen.writers.pdf.styles import PdfStyles, colour, hyphenated, pdf_styles
from briefgen.writers.pdf.tables import PagedTable, long_table
from briefgen.writers.pdf.tagging import (
    ARTIFACT,
    Node,
    Tag,
    TaggedCanvas,
    Tagger,
    artifact,
    tagger_of,
)
from briefgen.writers.qr import QUIET_ZONE, dark_runs, qr_symbol

LABEL_GAP = 4.0  # the least space between a list number and its text


def write_pdf(document: tree.Document, *, helpers: bool = True) -> Rendered:
    """Lay the document out once and return the PDF bytes and its page count; with
    ``helpers``, a forked helper breaks lines ahead on a second core (``prewrap``).

    Raises ``UserError`` when a block cannot fit on a page, as a look with very large
    sizes or spacing can make it.
    """
    register_pdf_fonts()
    try:
        with _streams_not_ascii85(), fragments_compared_in_python():
            return _render(document, helpers)
    except LayoutError as error:
        message = (
            "the pack cannot be laid out: a block is taller or wider than the page's text"
            f" area ({str(error).split(' too large', 1)[0][-120:]}); make the look's sizes,"
            " leading or spacing smaller"
        )
        raise UserError([Diagnostic(LOOK_FILE, 0, 0, "", message)]) from None


@contextmanager
def _streams_not_ascii85() -> Iterator[None]:
    """Streams only Flate-compressed, as binary: reportlab's default also encodes them in
    ASCII85, which makes files a sixth larger and slower to write, for 7-bit channels
    that PDFs no longer travel on."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _text_edges(document: tree.Document) -> tuple[float, float]:
    page = document.look.page
    width, _ = page.size(document.meta.paper)
    return page.margins.left, width - page.margins.right


def _render(document: tree.Document, helpers: bool) -> Rendered:
    layout = Layout()
    styles = pdf_styles(document.look)
    standard = document.look.pdf.standard
    tagger = Tagger() if "ua-1" in standard else None
    context = _Context(layout, styles, document.meta.language, tagger, _text_edges(document))
    root = None if tagger is None else tagger.root
    flowables = _sequence(document.blocks, context, root)
    out = io.BytesIO()
    cover = document.blocks[0] if document.blocks else None
    cover_first = isinstance(cover, tree.Cover)
    direction = cover.direction if isinstance(cover, tree.Cover) else "ltr"
    decor = PageDecor(document.meta, layout, styles, direction)
    template = make_template(out, document.meta, decor, cover_first, styles, bool(standard))
    with breaking_ahead(flowables if helpers else [], text_width(template), PARAGRAPH_KINDS):
        if tagger is None:
            template.build(flowables, canvasmaker=EmboldeningCanvas)
        else:
            template.build(flowables, canvasmaker=partial(TaggedCanvas, tagger))
    finish(template.canv, document.meta, layout, styles, tagger, standard)
    template.release()
    return Rendered(out.getvalue(), layout.pages)


@dataclass(frozen=True, slots=True)
class _Context:
    layout: Layout
    styles: PdfStyles
    language: str
    """The document's language: an element's ``/Lang`` is given where it differs."""
    tagger: Tagger | None
    """Present when the PDF is tagged; every element is made under its root."""
    text_edges: tuple[float, float]
    """The x of the text area's left and right edges on the page."""
    open_headings: list[int] = field(default_factory=list)

    def node(self, parent: Node | None, role: str, **options: Any) -> Node | None:
        """A new structure element under ``parent``; None when the PDF is not tagged."""
        return None if parent is None else parent.child(role, **options)

    def paragraph(
        self,
        block: tree.Paragraph,
        parent: Node | None,
        style: ParagraphStyle | None = None,
    ) -> Flowable:
        """A paragraph of the tree in ``style``, by default its role's, as a ``P``."""
        lang = block.lang if block.lang and block.lang != self.language else None
        return self.cell(block, self.node(parent, "P", lang=lang), style)

    def cell(
        self, block: tree.Paragraph, node: Node | None, style: ParagraphStyle | None = None
    ) -> Flowable:
        """A paragraph of the tree whose text is the content of ``node`` itself."""
        chosen = style or self.styles.role(block.role)
        if style is None and block.role in self.styles.hyphenated_roles:
            chosen = hyphenated(chosen, block.lang or self.language)
        tag = None if node is None else Tag(node)
        if node is not None and block.lang and block.lang != self.language:
            node.lang = block.lang
        return paragraph(block.content, chosen, block.direction, self.styles.link, tag)

    def heading_role(self, level: int) -> str:
        """``H1`` to ``H6``: as deep as the outline draws the heading, so that no level is
        skipped (an h3 straight after an h1 is the h1's ``H2``)."""
        return f"H{min(tree.outline_depth(self.open_headings, level) + 1, 6)}"


def _flowables(
    block: tree.Block, context: _Context, parent: Node | None, depth: int = 0
) -> list[Flowable]:
    match block:
        case tree.Heading(content=content, direction=direction):
            style = context.styles.heading(block.level)
            node = context.node(parent, context.heading_role(block.level))
            tag = None if node is None else Tag(node)
            drawn = paragraph(content, style, direction, context.styles.link, tag)
            barred = _barred_if(drawn, content, direction, context)
            return [HeadingMark(block, context.layout), barred]
        case tree.Paragraph(content=content, direction=direction):
            return [_barred_if(context.paragraph(block, parent), content, direction, context)]
        case tree.ListBlock():
            return [_list(block, context, parent, depth)]
        case tree.Table():
            return [_table(block, context, parent)]
        case tree.KeyMessages():
            return [_key_messages(block, context, parent)]
        case tree.PageBreak():
            return [PageBreak()]
        case tree.Cover():
            return _cover(block, context, parent)
        case tree.Contents():
            return _contents(block, context, parent)
        case tree.QRCode():
            return _qr_code(block, context, parent)
        case tree.Index():
            return _index(block, context, parent)
        case tree.Revised(change="inserted", blocks=blocks):
            return [f for child in blocks for f in _inserted(child, context, parent, depth)]
        case tree.Revised():
            return []  # the PDF shows this edition: what it removed is not drawn
    assert_never(block)


def _barred_if(
    drawn: Flowable,
    content: tuple[tree.Inline, ...],
    direction: tree.Direction,
    context: _Context,
) -> Flowable:
    """``drawn`` with a change bar beside it if its text changed since the earlier edition."""
    return _bar(drawn, direction, context) if tree.has_revisions(content) else drawn


def _inserted(
    block: tree.Block, context: _Context, parent: Node | None, depth: int
) -> list[Flowable]:
    """A block the edition added, each of its flowables with a change bar beside it."""
    drawn = _flowables(block, context, parent, depth)
    direction = tree.direction_of(block)
    return [f if _unbarred(f) else _bar(f, direction, context) for f in drawn]


def _unbarred(drawn: Flowable) -> bool:
    """Markers that take no room, what draws nothing (a page break takes the rest of its
    page: a bar beside it would run down an empty page), and what has its bar already."""
    return is_zero_size(drawn) or isinstance(drawn, NullDraw | ActionFlowable | ChangeBar)


def _bar(
    drawn: Flowable, direction: tree.Direction, context: _Context, kind: type[ChangeBar] = ChangeBar
) -> ChangeBar:
    """``drawn`` with a change bar in the margin on the side its lines start (``kind``
    ``RowChange``: beside the table row it is a cell of)."""
    rtl = direction == "rtl"
    edge = context.text_edges[1 if rtl else 0]
    return kind(drawn, colour(context.styles.look.colours.accent), edge, right=rtl)


def _list(block: tree.ListBlock, context: _Context, parent: Node | None, depth: int) -> Flowable:
    list_node = context.node(parent, "L")
    items: list[_Item] = []
    for index, item in enumerate(block.items):
        flowables, entry = _list_item(item, context, list_node, depth)
        items.append(_Item(flowables, block.item_direction(index), entry))
    return _list_flowable(items, block, depth, context.styles, block.start)


@dataclass(frozen=True, slots=True)
class _Item:
    """A list item as drawn: its flowables, the side of its bullet or number (the tree's
    ``ListBlock.item_direction``) and its ``LI`` in a tagged PDF (None: no label)."""

    flowables: list[Flowable]
    direction: tree.Direction
    entry: Node | None = None


def _list_item(
    item: tuple[tree.Block, ...], context: _Context, list_node: Node | None, depth: int
) -> tuple[list[Flowable], Node | None]:
    """An item's flowables and its ``LI`` (None if it draws nothing, and so no label)."""
    entry = context.node(list_node, "LI")
    body = context.node(entry, "LBody")
    flowables = _item_flowables(item, context, body, depth)
    if entry is not None and list_node is not None and not flowables:
        list_node.kids.remove(entry)
        entry = None
    return flowables, entry


def _item_flowables(
    item: tuple[tree.Block, ...], context: _Context, parent: Node | None, depth: int
) -> list[Flowable]:
    return _sequence(item, context, parent, depth + 1)


def _sequence(
    blocks: tuple[tree.Block, ...], context: _Context, parent: Node | None, depth: int = 0
) -> list[Flowable]:
    """The flowables of blocks one after the other; a line that never starts a page away
    from the block before it is kept with that block's last lines (``keep.with_previous``)."""
    flowables: list[Flowable] = []
    for block in blocks:
        drawn = _flowables(block, context, parent, depth)
        if isinstance(block, tree.Paragraph) and block.keep_with_previous:
            with_previous(flowables, drawn)
        else:
            flowables += drawn
    return flowables


def _list_flowable(
    items: list[_Item],
    block: tree.ListBlock,
    depth: int,
    styles: PdfStyles,
    first_number: int = 1,
    last_number: int | None = None,
) -> ListFlowable:
    """A bullet or numbered list, each item's bullet in the margin on its own side: a
    right-to-left item has its bullet on the right, its text indented from there.

    The text is indented past the widest number (``last_number``, by default that of
    the last item), so that "10." or "100." never runs into it. In a tagged PDF each
    bullet or number is the ``Lbl`` of its item's ``LI``.
    """
    lists = styles.look.lists
    body = styles.role("body")
    numbered = {"bulletType": "1", "start": first_number}
    bullets = {"bulletType": "bullet", "start": lists.bullets[depth % len(lists.bullets)]}
    indent = lists.indent
    if block.ordered:
        widest = f"{last_number or first_number + len(items) - 1}."
        indent = max(
            lists.indent, stringWidth(widest, styles.regular_face, body.fontSize) + LABEL_GAP
        )
    options: dict[str, Any] = {
        "bulletFontName": styles.regular_face,
        "bulletFontSize": body.fontSize,
        "bulletColor": colour(lists.colour),
        "bulletDedent": indent,
        "spaceAfter": lists.space_after,
        **(numbered if block.ordered else bullets),
    }
    drawn = [
        ListItem(item.flowables, **_item_side(item.direction, indent, block.ordered))
        for item in items
    ]
    labelled = [(item.entry, item.direction) for item in items if item.entry is not None]
    if not labelled:
        return ListFlowable(drawn, **options)
    return LabelledListFlowable(drawn, partial(_label, labelled, block.ordered), **options)


def _item_side(direction: tree.Direction, indent: float, ordered: bool) -> dict[str, Any]:
    """Where an item of ``direction`` has its bullet or number and its indent.

    A number's full stop follows it in reading order: to its left in a right-to-left
    item, whose number stands in the right margin (".1", read "1.")."""
    rtl = direction == "rtl"
    side: dict[str, Any] = (
        {"leftIndent": 0, "rightIndent": indent, "bulletDir": "rtl", "bulletAlign": "right"}
        if rtl
        else {"leftIndent": indent, "rightIndent": 0, "bulletDir": "ltr", "bulletAlign": "left"}
    )
    if ordered:
        side["bulletFormat"] = ".%s" if rtl else "%s."
    return side


def _label(
    labelled: list[tuple[Node, tree.Direction]],
    ordered: bool,
    canv: Canvas,
    index: int,
    text: str,
    draw: Any,
) -> None:
    """Draw the label of the ``index``-th labelled item as the ``Lbl`` of its ``LI``.

    A right-to-left item's number is drawn ".1", its full stop first, so that the stop
    stands to the number's left; the ``Lbl`` reads "1.", the number first, as the item's
    text reads in its own order."""
    tagger = tagger_of(canv)
    if tagger is None or index >= len(labelled):
        draw()
        return
    entry, direction = labelled[index]
    reading = text.removeprefix(".") + "." if ordered and direction == "rtl" else None
    label = Node("Lbl", actual_text=reading)
    entry.kids.insert(0, label)
    with tagger.content(canv, label):
        draw()


def _table_artifacts(table: Table, event: str, *_: object) -> None:
    """Draw a table's backgrounds and rules as artifacts (reportlab's ``renderCB``)."""
    if event in ("startBG", "startLines"):
        table.canv.addLiteral(ARTIFACT)
    elif event in ("endBG", "endLines"):
        table.canv.addLiteral("EMC")


def _table(block: tree.Table, context: _Context, parent: Node | None) -> Flowable:
    look = context.styles.look.tables
    columns = max([len(block.header), *(len(row) for row in block.rows)])
    rows: list[tuple[tuple[tree.Paragraph, ...], tree.Change | None]] = (
        [(block.header, None)] if block.header else []
    )
    # the PDF shows this edition: the rows it removed are not drawn
    body = ((row, block.row_change(i)) for i, row in enumerate(block.rows))
    rows += [(cells, change) for cells, change in body if change != "deleted"]
    rtl = block.direction == "rtl"
    shares = block.widths[::-1] if rtl else block.widths
    table_node = context.node(parent, "Table")
    head_node = context.node(table_node, "THead") if block.header else None
    body_node = context.node(table_node, "TBody")
    data = []
    for number, (cells, change) in enumerate(rows):
        head = bool(block.header) and number == 0
        row_node = context.node(head_node if head else body_node, "TR")
        row: list[Flowable] = []
        for column in range(columns):
            cell_node = context.node(
                row_node,
                "TH" if head else "TD",
                attributes={"O": "Table", "Scope": "Column"} if head else None,
            )
            if column < len(cells):
                row.append(context.cell(cells[column], cell_node))
            else:
                row.append(Spacer(0, 0))
        if change == "inserted" or any(tree.has_revisions(cell.content) for cell in cells):
            row[0] = _bar(row[0], block.direction, context, RowChange)
        data.append(row[::-1] if rtl else row)  # tagged in reading order, drawn mirrored
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
    style = TableStyle(commands)
    header_rows = 1 if block.header else 0

    def make(
        rows: list[list[Flowable]], *, first: bool, heights: list[float | None] | None = None
    ) -> PagedTable:
        table = PagedTable(
            rows,
            colWidths=[f"{100 * share:.3f}%" for share in shares],
            rowHeights=heights,
            repeatRows=header_rows,
            splitInRow=1,
            hAlign="LEFT",
            spaceBefore=look.space_before if first else None,
            spaceAfter=look.space_after,
            renderCB=None if context.tagger is None else _table_artifacts,
        )
        table.setStyle(style)
        return table

    return long_table(data, header_rows, make)


def _key_messages(block: tree.KeyMessages, context: _Context, parent: Node | None) -> Flowable:
    """A tinted box with an accent bar, one row per child and per list item.

    The box breaks across pages between rows; a row taller than a page is split inside.
    A list in one row would be split inside it on every page, and reportlab lays the rest
    of a row out again each time (docs/performance.md). Tagged, the box is a ``Div`` of
    its blocks, not a table.
    """
    box_look = context.styles.look.key_messages
    box_node = context.node(parent, "Div")
    rows = [row for child in block.blocks for row in _box_rows(child, context, box_node)]
    rows = rows or [_BoxRow([Spacer(0, 0)])]
    cells = [[row.flowables] for row in rows]
    box = InsetSplitTable(
        cells,
        colWidths=["100%"],
        splitInRow=1,
        spaceBefore=box_look.space_before,
        spaceAfter=box_look.space_after,
        renderCB=None if context.tagger is None else _table_artifacts,
    )
    gaps = [
        ("BOTTOMPADDING", (0, index), (0, index), row.gap_after)
        for index, row in enumerate(rows[:-1])
        if row.gap_after
    ]
    padding = box_look.padding
    bar_side = "LINEAFTER" if block.direction == "rtl" else "LINEBEFORE"
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), context.styles.regular_face),  # not Helvetica
                ("BACKGROUND", (0, 0), (-1, -1), colour(box_look.fill)),
                (bar_side, (0, 0), (0, -1), box_look.bar_width, colour(box_look.bar)),
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


def _box_rows(block: tree.Block, context: _Context, parent: Node | None) -> list[_BoxRow]:
    """The rows a block takes in a box: one, or one per item of a list."""
    if not isinstance(block, tree.ListBlock):
        return [_BoxRow(_flowables(block, context, parent))]
    rows = []
    list_node = context.node(parent, "L")
    last = block.start + len(block.items) - 1
    for index, item in enumerate(block.items):
        number = block.start + index
        entry = context.node(list_node, "LI")
        body = context.node(entry, "LBody")
        # A list item can't be empty.
        flowables = _item_flowables(item, context, body, 0) or [Spacer(0, 0)]
        drawn = _Item(flowables, block.item_direction(index), entry)
        one_item = _list_flowable([drawn], block, 0, context.styles, number, last_number=last)
        gap = flowables[-1].getSpaceAfter() if number < last else 0.0
        rows.append(_BoxRow([one_item], gap))
    return rows


def _cover(cover: tree.Cover, context: _Context, parent: Node | None) -> list[Flowable]:
    look = context.styles.look
    flowables: list[Flowable] = []
    if context.layout.cover_seen:
        flowables += [NextPageTemplate("cover"), PageBreak()]
    context.layout.cover_seen = True
    flowables.append(Spacer(0, look.cover.space_above))
    if cover.logo:  # a logo that says nothing (no alternate text) is decoration
        figure = context.node(parent, "Figure", alt=cover.logo_alt) if cover.logo_alt else None
        flowables += [
            _logo(cover.logo, look.page.logo, figure, cover.direction),
            Spacer(0, look.cover.space_below_logo),
        ]
    flowables.append(context.paragraph(cover.title, parent))
    if cover.subtitle and cover.subtitle_change != "deleted":
        flowables.append(context.paragraph(cover.subtitle, parent))
    flowables += [
        context.paragraph(line, parent)
        for index, line in enumerate(cover.lines)
        if cover.line_change(index) != "deleted"  # the PDF shows this edition's lines
    ]
    return [*flowables, NextPageTemplate("body"), PageBreak()]


class _Figure(Image):  # type: ignore[misc]
    """An image drawn as the content of its ``Figure`` element, in a tagged PDF; without
    one (an image that needs no words), as an artifact."""

    node: Node | None = None

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is None:
            super().draw()
            return
        if self.node is None:
            with artifact(self.canv):
                super().draw()
            return
        with tagger.content(self.canv, self.node):
            super().draw()


def _logo(
    path: str, largest: tuple[float, float], node: Node | None, direction: tree.Direction
) -> Flowable:
    """The logo scaled to fit the logo box, keeping its aspect ratio, where the cover's
    lines start."""
    width, height = ImageReader(path).getSize()
    scale = min(largest[0] / width, largest[1] / height)
    side = "RIGHT" if direction == "rtl" else "LEFT"
    logo = _Figure(path, width * scale, height * scale, hAlign=side)
    logo.node = node
    return logo


def _qr_code(block: tree.QRCode, context: _Context, parent: Node | None) -> list[Flowable]:
    """The QR code, centred, with its caption (the address, linked) under it, the two
    kept together. Tagged, the code is a ``Figure`` with its alternate text, and the
    caption a ``P``."""
    from reportlab.platypus import KeepTogether

    code = _QRCodeFlowable(block.url, block.size)
    code.node = context.node(parent, "Figure", alt=block.alt)
    caption = tree.Paragraph((tree.Link((tree.Text(block.caption),), block.url),))
    style = _centred(context.styles.role("byline"))
    gap = context.styles.role("body").leading
    return [KeepTogether([Spacer(0, gap), code, context.paragraph(caption, parent, style)])]


@cache
def _centred(style: ParagraphStyle) -> ParagraphStyle:
    from reportlab.lib.enums import TA_CENTER

    return ParagraphStyle(f"{style.name}-centred", parent=style, alignment=TA_CENTER)


class _QRCodeFlowable(Flowable):  # type: ignore[misc]
    """A QR code ``size`` points square, its quiet zone included, drawn as the content
    of its ``Figure`` element in a tagged PDF: the modules of ``qr_symbol`` (the DOCX's
    and the HTML's), each row's runs of dark ones as rectangles of one filled path."""

    node: Node | None = None

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.hAlign = "CENTER"
        self.size = size
        self.symbol = qr_symbol(url)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is None or self.node is None:
            self._draw_modules()
            return
        with tagger.content(self.canv, self.node):
            self._draw_modules()

    def _draw_modules(self) -> None:
        canv = self.canv
        side = self.symbol.symbol_size(border=QUIET_ZONE)[0]
        module = self.size / side
        path = canv.beginPath()
        for row, column, length in dark_runs(self.symbol):
            top = self.size - (row + QUIET_ZONE) * module
            path.rect((column + QUIET_ZONE) * module, top - module, length * module, module)
        canv.saveState()
        canv.setFillColorRGB(0, 0, 0)
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


def _contents(contents: tree.Contents, context: _Context, parent: Node | None) -> list[Flowable]:
    """The contents: tagged, a ``TOC`` of ``TOCI`` > ``Reference`` > ``Link`` (the
    entry's title and number, its annotation); the entries below a heading's are a
    ``TOC`` of their own after it, as the outline nests them."""
    flowables: list[Flowable] = [context.paragraph(contents.title, parent)]
    tocs = [context.node(parent, "TOC")]  # the list of the entries at each depth
    open_levels: list[int] = []
    for entry in contents.entries:
        if entry.change == "deleted":
            continue  # the PDF shows this edition
        style = context.styles.contents_level(entry.level)
        depth = tree.outline_depth(open_levels, entry.level)
        del tocs[depth + 1 :]
        if len(tocs) == depth:
            tocs.append(context.node(tocs[-1], "TOC"))
        entry_node = context.node(tocs[depth], "TOCI")
        flowables.append(_page_line(entry, style, context, entry_node))
    return flowables


def _barred_entry(
    drawn: Flowable, change: tree.Change | None, direction: tree.Direction, context: _Context
) -> Flowable:
    """A contents or index line with a change bar beside it if the edition added it."""
    return _bar(drawn, direction, context) if change == "inserted" else drawn


def _page_line(
    entry: tree.ContentsEntry,
    style: ParagraphStyle,
    context: _Context,
    parent: Node | None,
    change: tree.Change | None = None,
) -> Flowable:
    """An entry's text, linked to its heading, with a dotted leader to that heading's page
    number (drawn from a form defined once the pages are known); tagged, a ``Reference``
    > ``Link``. An entry without a heading (``anchor`` empty) is its text alone. One the
    edition added (``change``, by default the entry's own) has a change bar."""
    change = change or entry.change
    if not entry.anchor:
        drawn = line(entry.shown, style, entry.direction, _tag(context.node(parent, "P")))
        return _barred_entry(drawn, change, entry.direction, context)
    rtl = entry.direction == "rtl"
    form = f"contents{len(context.layout.contents_numbers)}"
    context.layout.contents_numbers[form] = ContentsNumber(entry.anchor, style, rtl)
    link = context.node(context.node(parent, "Reference"), "Link", alt=entry.text)
    title = line(entry.shown, style, entry.direction, _tag(link))
    drawn = ContentsLine(title, form, entry.anchor, context.styles, link, rtl)
    return _barred_entry(drawn, change, entry.direction, context)


def _tag(node: Node | None) -> Tag | None:
    return None if node is None else Tag(node)


def _index(index: tree.Index, context: _Context, parent: Node | None) -> list[Flowable]:
    """An index: each name in the first contents level's style, kept with its first
    entry, its entries as contents lines of the second level; tagged, an ``Index`` of
    ``P`` and ``Reference`` elements."""
    node = context.node(parent, "Index")
    name_style, entry_style = context.styles.contents_level(1), context.styles.contents_level(2)
    flowables: list[Flowable] = []
    for group in index.groups:
        if group.change == "deleted":
            continue  # the PDF shows this edition
        name = context.paragraph(group.name, node, name_style)
        name.keepWithNext = 1  # a name is never the last line of a page
        flowables.append(_barred_entry(name, group.change, group.name.direction, context))
        flowables.extend(
            _page_line(entry, entry_style, context, node, group.change or entry.change)
            for entry in group.entries
            if entry.change != "deleted"  # the PDF shows this edition
        )
    return flowables
