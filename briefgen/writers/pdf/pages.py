"""Pages: templates, running header and footer, draft mark, outline, and the one-pass numbers.

The document is laid out once. Page numbers that are only known at the end (the
contents' numbers, the total in "Page X of Y") are drawn as references to named form
XObjects (``canvas.doForm``); PDF lets a page use a form defined later, so after the
build ``finish`` defines each form with the real number and only then saves the file.
The contents' own length never depends on those numbers, so nothing moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate

from briefgen import tree
from briefgen.look.model import HEADER_LINE_GAP, HEADER_RULE_GAP, NUMBER_GUTTER
from briefgen.tree import plain_text
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.keep import keep_with_next
from briefgen.writers.pdf.paragraph import line
from briefgen.writers.pdf.reportlab_private import DocTemplate, ZeroSizeFlowable, pin_file_id
from briefgen.writers.pdf.standard import claim
from briefgen.writers.pdf.styles import PdfStyles, colour, first_baseline
from briefgen.writers.pdf.tagging import (
    FOOTER,
    HEADER,
    WATERMARK,
    Node,
    Tagger,
    artifact,
    tagger_of,
)

FOOTER_WIDTH = 300.0


@dataclass(frozen=True, slots=True)
class ContentsNumber:
    """The page number a contents line's form shows once the pages are known: the page
    of the heading ``anchor``, flush with the margin the line ends at."""

    anchor: str
    style: ParagraphStyle
    rtl: bool = False


@dataclass
class Layout:
    """What the single layout pass records, and the forms still to define."""

    heading_pages: dict[str, int] = field(default_factory=dict)
    contents_numbers: dict[str, ContentsNumber] = field(default_factory=dict)
    footer_pages: list[int] = field(default_factory=list)
    pages: int = 0
    outline_levels: list[int] = field(default_factory=list)  # the open headings' levels
    cover_seen: bool = False  # a later cover starts on a fresh page


def baseline_offset(style: ParagraphStyle) -> float:
    """Height of the first baseline above the bottom of a one-line paragraph."""
    return float(style.leading - first_baseline(style))


class HeadingMark(ZeroSizeFlowable):
    """Zero-size marker before a heading: bookmark, outline entry, page record.

    It keeps with the heading (which keeps with what follows), so it lands on the
    heading's page.
    """

    keepWithNext = 1

    def __init__(self, heading: tree.Heading, layout: Layout) -> None:
        super().__init__()
        self.anchor, self.level = heading.anchor, heading.level
        self.title = tree.plain_text(heading.content).replace("\n", " ")
        self.layout = layout

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        layout, canv = self.layout, self.canv
        if self.anchor in layout.heading_pages:
            return  # a repeated anchor: the first heading keeps it
        layout.heading_pages[self.anchor] = canv.getPageNumber()
        canv.bookmarkHorizontal(self.anchor, 0, 0)
        depth = tree.outline_depth(layout.outline_levels, self.level)
        canv.addOutlineEntry(self.title, self.anchor, level=depth)


class ContentsLine(Flowable):  # type: ignore[misc]
    """One contents entry: linked title, dotted leader, page number drawn from a form.

    A right-to-left entry is the mirror image: its title flush right, its number at the
    left margin, the leader between them. Tagged, the title and the number are the
    content of the entry's ``Link`` (``node``), the leader an artifact.
    """

    def __init__(
        self,
        title: Flowable,
        form: str,
        anchor: str,
        styles: PdfStyles,
        node: Node | None = None,
        rtl: bool = False,
    ) -> None:
        super().__init__()
        self.title, self.form, self.anchor, self.node = title, form, anchor, node
        self.rtl = rtl
        self.leader_colour = colour(styles.look.contents.leader)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, self.height = self.title.wrap(availWidth - NUMBER_GUTTER, availHeight)
        self.width = availWidth
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.title.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.title.getSpaceAfter())

    def draw(self) -> None:
        canv, style = self.canv, self.title.style
        tagger = tagger_of(canv)
        self.title.drawOn(canv, NUMBER_GUTTER if self.rtl else 0, 0)
        baseline = baseline_offset(style)
        with artifact(canv):
            self._leader(baseline)
        if tagger is None or self.node is None:
            self._number(baseline)
            canv.linkRect("", self.anchor, (0, 0, self.width, self.height), relative=1)
            return
        with tagger.content(canv, self.node):
            self._number(baseline)
        tagger.annotate(canv, self.node, (0, 0, self.width, self.height), "#" + self.anchor)

    def _number(self, baseline: float) -> None:
        canv = self.canv
        canv.saveState()
        canv.translate(0 if self.rtl else self.width, baseline)
        canv.doForm(self.form)
        canv.restoreState()

    def _leader(self, baseline: float) -> None:
        """Dots from the end of the title's last line to the number's gutter."""
        gutter_edge = NUMBER_GUTTER - 6 if self.rtl else self.width - NUMBER_GUTTER + 6
        title_end = self._last_line_edge() + (NUMBER_GUTTER - 6 if self.rtl else 6)
        start, end = sorted((gutter_edge, title_end))
        if end - start < 12:
            return
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(self.leader_colour)
        canv.setLineWidth(0.9)
        canv.setLineCap(1)
        canv.setDash([0, 3.2])
        canv.line(start, baseline + 0.5, end, baseline + 0.5)
        canv.restoreState()

    def _last_line_edge(self) -> float:
        """Where the title's last line ends, from the title's left: its right end for
        a left-to-right title, its left end for a right-to-left one."""
        if isinstance(self.title, BidiParagraph):
            return self.title.last_line_start() if self.rtl else self.title.last_line_end()
        widths = self.title.getActualLineWidths0()  # counts the indent; none for blank text
        return float(widths[-1]) if widths else 0.0


class PageDecor:
    """The onPage callbacks: draft mark everywhere, header and footer except on the cover."""

    def __init__(
        self,
        meta: tree.Metadata,
        layout: Layout,
        styles: PdfStyles,
        cover_direction: tree.Direction = "ltr",
    ) -> None:
        """``cover_direction``: the cover's (``tree.Cover.direction``), whose rule stands
        on the side its lines start."""
        self.meta, self.layout, self.look = meta, layout, styles.look
        self.cover_direction = cover_direction
        self.regular_face = styles.regular_face
        self.width, self.height = self.look.page.size(meta.paper)
        margins = self.look.page.margins
        header = meta.running_header
        self.header = line(plain_text(header.content), styles.role("furniture"), header.direction)
        self.header.wrap(self.width - margins.left - margins.right, margins.top)
        self.draft = _draft_flowable(meta.draft_mark, self.width, self.height, styles)

    def cover(self, canv: Canvas, doc: Any) -> None:
        self._begin(canv)
        cover, margins = self.look.cover, self.look.page.margins
        with artifact(canv):
            canv.setFillColor(colour(cover.band))
            canv.rect(0, self.height - cover.band_height, self.width, cover.band_height, 0, 1)
            right = self.width - margins.right - cover.rule_width
            left = right if self.cover_direction == "rtl" else margins.left
            canv.rect(left, margins.bottom, cover.rule_width, cover.rule_height, 0, 1)

    def body(self, canv: Canvas, doc: Any) -> None:
        self._begin(canv)
        look = self.look
        margins = look.page.margins
        top = self.height - margins.top + HEADER_RULE_GAP
        with artifact(canv, HEADER):
            self.header.drawOn(canv, margins.left, top + HEADER_LINE_GAP)
        rule = look.page.header_rule
        with artifact(canv):
            canv.setStrokeColor(colour(rule.colour))
            canv.setLineWidth(rule.width)
            canv.line(margins.left, top, self.width - margins.right, top)
        page = canv.getPageNumber()
        self.layout.footer_pages.append(page)
        with artifact(canv, FOOTER):
            canv.saveState()
            at_left = self.meta.page_label.direction == "rtl"  # where its lines end
            canv.translate(
                margins.left if at_left else self.width - margins.right, look.footer_baseline()
            )
            canv.doForm(f"footer{page}")
            canv.restoreState()

    def _begin(self, canv: Canvas) -> None:
        self.layout.pages = canv.getPageNumber()
        canv.setFont(self.regular_face, 10)
        if self.meta.draft and self.draft is not None:
            with artifact(canv, WATERMARK):
                canv.saveState()
                canv.translate(self.width / 2, self.height / 2)
                canv.rotate(self.look.draft_mark.angle)
                self.draft.drawOn(canv, -self.draft.width / 2, -self.draft.height / 2)
                canv.restoreState()


def _draft_flowable(
    mark: tree.Paragraph, width: float, height: float, styles: PdfStyles
) -> Flowable | None:
    """The draft mark, sized to sit inside the page diagonal, at most the look's size."""
    text = plain_text(mark.content)
    if not text.strip():
        return None
    look = styles.role("draft-mark")
    room = styles.look.draft_mark.span * (width**2 + height**2) ** 0.5
    size = min(look.fontSize, room / max(pdfmetrics.stringWidth(text, look.fontName, 1), 1e-6))
    style = ParagraphStyle(
        "draft",
        parent=look,
        fontSize=size,
        leading=size * (look.leading / look.fontSize),
        alignment=TA_CENTER,
    )
    flowable = line(text, style, mark.direction)
    flowable.wrap(room * 1.2, size * 4)
    return flowable


class PackDocTemplate(DocTemplate):
    """Builds without saving: ``finish`` defines the late forms, then saves; ``release``
    frees the build."""

    def keep_with_next(self, flowables: list[Flowable]) -> None:
        keep_with_next(flowables)  # headings keep with the first lines after them


def make_template(
    out: BinaryIO,
    meta: tree.Metadata,
    decor: PageDecor,
    cover_first: bool,
    styles: PdfStyles,
    display_title: bool = False,
) -> PackDocTemplate:
    width, height = styles.look.page.size(meta.paper)
    margins = styles.look.page.margins
    frame = Frame(
        margins.left,
        margins.bottom,
        width - margins.left - margins.right,
        height - margins.top - margins.bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    cover = PageTemplate("cover", [frame], onPage=decor.cover, pagesize=(width, height))
    body = PageTemplate("body", [frame], onPage=decor.body, pagesize=(width, height))
    return PackDocTemplate(
        out,
        pagesize=(width, height),
        pageTemplates=[cover, body] if cover_first else [body, cover],
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=", ".join(meta.keywords),
        creator="briefgen",
        lang=meta.language,
        invariant=1,
        initialFontName=styles.regular_face,
        initialFontSize=10,
        # A viewer shows the title, not the file name (PDF/UA asks for it).
        displayDocTitle=1 if display_title else None,
    )


def finish(
    canv: Canvas,
    meta: tree.Metadata,
    layout: Layout,
    styles: PdfStyles,
    tagger: Tagger | None = None,
    standard: tuple[str, ...] = (),
) -> None:
    """Define the forms the pages refer to, write the structure tree and what the
    standards ask, stamp the dates, and write the PDF."""
    for name, number in layout.contents_numbers.items():
        page = layout.heading_pages.get(number.anchor)
        _define_number(canv, name, "" if page is None else str(page), number)
    label = meta.page_label
    for page in layout.footer_pages:
        text = label.text(page, layout.pages)
        _define_footer(canv, page, line(text, styles.furniture_right, label.direction))
    if tagger is not None:
        tagger.write(canv)
    claim(canv, meta, standard)
    stamp = pdf_date(meta.created)
    canv.setDateFormatter(lambda *_: stamp)
    pin_file_id(canv)  # and the dates come from the tree (the date formatter above)
    canv.showOutline()
    canv.save()


def _define_number(canv: Canvas, name: str, page: str, number: ContentsNumber) -> None:
    """A form with a page number whose baseline ends at the form's origin, or starts
    there for a right-to-left line."""
    if number.rtl:
        canv.beginForm(name, lowerx=-10, lowery=-10, upperx=60, uppery=30)
    else:
        canv.beginForm(name, lowerx=-60, lowery=-10, upperx=10, uppery=30)
    style = number.style
    canv.setFont(style.fontName, style.fontSize)
    canv.setFillColor(style.textColor)
    (canv.drawString if number.rtl else canv.drawRightString)(0, 0, page)
    canv.endForm()


def _define_footer(canv: Canvas, page: int, label: Flowable) -> None:
    """A form with the footer label ending at the form's origin, or, right to left,
    starting there (the origin is the left margin, where its line ends)."""
    _, height = label.wrap(FOOTER_WIDTH, 100)
    style = label.style
    y = -baseline_offset(style) - (height - style.leading)
    if isinstance(label, BidiParagraph) and label.right_aligned():
        canv.beginForm(f"footer{page}", lowerx=-10, lowery=-height, upperx=FOOTER_WIDTH, uppery=20)
        label.drawOn(canv, -label.last_line_start(), y)
    else:
        canv.beginForm(f"footer{page}", lowerx=-FOOTER_WIDTH, lowery=-height, upperx=10, uppery=20)
        label.drawOn(canv, -FOOTER_WIDTH, y)
    canv.endForm()


def pdf_date(moment: datetime) -> str:
    """A PDF date string; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"
