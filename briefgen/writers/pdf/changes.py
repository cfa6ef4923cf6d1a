"""The change bar: what an edition changed, marked in the margin beside it."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from briefgen.writers.pdf.tagging import artifact

BAR_GAP = 8.0
"""How far left of the text area the bar stands, in points."""
BAR_WIDTH = 1.5


class ChangeBar(Flowable):  # type: ignore[misc]
    """A flowable drawn as it is, with a bar in the left margin beside it (an artifact in a
    tagged PDF: it is not text). Split across pages, each part keeps its bar; in a list
    or a box, the bar still stands in the page's margin (``margin``: the text area's left
    edge on the page)."""

    def __init__(self, inner: Flowable, colour: Color, margin: float) -> None:
        super().__init__()
        self.inner, self.colour, self.margin = inner, colour, margin
        self.keepWithNext = getattr(inner, "keepWithNext", 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.inner.splitOn(self.canv, availWidth, availHeight)
        return [ChangeBar(part, self.colour, self.margin) for part in parts]

    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def draw(self) -> None:
        canv = self.canv
        self.inner.drawOn(canv, 0, 0)
        left = self.margin - BAR_GAP - canv.absolutePosition(0, 0)[0]
        with artifact(canv):
            canv.saveState()
            canv.setStrokeColor(self.colour)
            canv.setLineWidth(BAR_WIDTH)
            canv.line(left, 0, left, self.height)
            canv.restoreState()
