"""The change bar: what an edition changed, marked in the margin beside it."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from briefgen.writers.pdf.tagging import artifact

BAR_GAP = 8.0
"""How far outside the text area the bar stands, in points."""
BAR_WIDTH = 1.5


class ChangeBar(Flowable):  # type: ignore[misc]
    """A flowable drawn as it is, with a bar in the margin beside it (an artifact in a
    tagged PDF: it is not text). Split across pages, each part keeps its bar; in a list
    or a box, the bar still stands in the page's margin: ``edge`` is the x of the text
    area's edge on the side the block's lines start, left or right (``right``)."""

    def __init__(self, inner: Flowable, colour: Color, edge: float, right: bool) -> None:
        super().__init__()
        self.inner, self.colour, self.edge, self.right = inner, colour, edge, right
        self.keepWithNext = getattr(inner, "keepWithNext", 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.inner.splitOn(self.canv, availWidth, availHeight)
        return [type(self)(part, self.colour, self.edge, self.right) for part in parts]

    # Attributes, not only methods: a list item's indenter reads ``spaceBefore`` and
    # ``spaceAfter`` of what it holds (and its ``style``'s), never ``getSpaceAfter()``;
    # without them a changed paragraph in a list lost its space (a key message pressed
    # against the line of statements it draws on).
    @property
    def spaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    @property
    def spaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def getSpaceBefore(self) -> float:
        return self.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.spaceAfter

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, 0)
        self.draw_bar(self.canv, 0, self.height)

    def draw_bar(self, canv: Canvas, bottom: float, top: float) -> None:
        """The bar from ``bottom`` to ``top`` (in ``canv``'s coordinates now) in the margin."""
        outside = self.edge + (BAR_GAP if self.right else -BAR_GAP)
        x = outside - canv.absolutePosition(0, 0)[0]
        with artifact(canv):
            canv.saveState()
            canv.setStrokeColor(self.colour)
            canv.setLineWidth(BAR_WIDTH)
            canv.line(x, bottom, x, top)
            canv.restoreState()


class RowChange(ChangeBar):
    """A cell of a table row the edition added or changed: drawn as it is, and the table
    draws the bar beside the whole row (``PagedTable``), as tall as its tallest cell."""

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, 0)
