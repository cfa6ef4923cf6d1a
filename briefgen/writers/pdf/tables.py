"""Tables that go on over pages: their rest starts on a new page, and a long one is
handed to reportlab a window of rows at a time.

reportlab places the rest of a split table in whatever room its first part left; the
rest begins with the repeated header, and when its first row is taller than that room
reportlab cuts the row there, under a header in the middle of the page. A
``PagedTable``'s rest waits for the next page instead.

At a page break reportlab splits a table into the part that fits and a new ``Table``
of every row left, which it then builds and measures again from that row on: a table
of n rows over p pages costs n times p, and an index of 10,000 organisations spent
most of its build there. A table longer than ``WINDOW_ROWS`` is therefore given to
reportlab as a window: the header and the next rows, enough to overflow the frame.
What goes on each page is reportlab's own first part of the window's split, so the
page breaks, rules and repeated headers are those of the whole table; the rest
starts the next window at the next row. A row split across pages (taller than a
page) is carried over as reportlab's rest, with more rows added after it when needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from reportlab.platypus import Flowable, Table

from briefgen.writers.pdf.changes import RowChange
from briefgen.writers.pdf.reportlab_private import (
    cell_flowables,
    fits_in,
    frame_at_top,
    splitting_frame,
    table_row_heights,
    table_row_spans,
    table_rows,
)

Row = list[Flowable]

# Enough rows to overflow a page of the usual tables; a window that does not takes as
# many more.
WINDOW_ROWS = 256


class PagedTable(Table):  # type: ignore[misc]
    """A ``Table`` whose rest, after a page break, starts on the next page; a row with a
    ``RowChange`` cell has a change bar beside it."""

    continued = False  # the rest of a split table

    def draw(self) -> None:
        super().draw()
        for cells, (bottom, top) in zip(table_rows(self), table_row_spans(self), strict=True):
            flowables = (flowable for cell in cells for flowable in cell_flowables(cell))
            changed = next((f for f in flowables if isinstance(f, RowChange)), None)
            if changed is not None:
                changed.draw_bar(self.canv, bottom, top)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if self.continued and not _at_frame_top(self):
            return []  # the room its first part left: the rest starts on the next page
        parts: list[Flowable] = super().split(available_width, available_height)
        if len(parts) == 2:
            parts[1].continued = True
        return parts


def _at_frame_top(flowable: Flowable) -> bool:
    frame = splitting_frame(flowable)
    return frame is None or frame_at_top(frame)


class TableMaker(Protocol):
    """Makes a ``PagedTable`` of ``rows`` (header included) in the table's style;
    ``first``: the table's top, with its space before; ``heights``: rows already
    measured (``None`` for the others)."""

    def __call__(
        self, rows: list[Row], *, first: bool, heights: list[float | None] | None = None
    ) -> PagedTable: ...


@dataclass(frozen=True)
class _Rows:
    header: list[Row]
    body: list[Row]
    make: TableMaker


def long_table(rows: list[Row], header_rows: int, make: TableMaker) -> Flowable:
    """The table of ``rows`` (the first ``header_rows`` repeated on each page)."""
    if len(rows) - header_rows <= WINDOW_ROWS:
        return make(rows, first=True)
    header, body = rows[:header_rows], rows[header_rows:]
    first_window = make([*header, *body[:WINDOW_ROWS]], first=True)
    return RowWindow(_Rows(header, body, make), first_window, WINDOW_ROWS, top=True)


class RowWindow(Flowable):  # type: ignore[misc]
    """A long table's window: ``table`` (the header and the rows before ``next_row``
    not placed yet, as reportlab left them, their heights measured), then the body rows
    from ``next_row`` on, added ``WINDOW_ROWS`` at a time while the window does not
    overflow. ``top``: nothing of the table is placed yet (it has its space before)."""

    def __init__(self, rows: _Rows, table: PagedTable, next_row: int, *, top: bool) -> None:
        super().__init__()
        self._rows = rows
        self.table = table
        self._next_row = next_row
        self._top = top

    @property
    def holds_the_rest(self) -> bool:
        return self._next_row >= len(self._rows.body)

    def _grow(self) -> None:
        """Add the next rows to the window (the heights of those it holds are known)."""
        fresh = self._rows.body[self._next_row : self._next_row + WINDOW_ROWS]
        heights = [*table_row_heights(self.table), *(None for _ in fresh)]
        rows = [*table_rows(self.table), *fresh]
        self.table = self._rows.make(rows, first=self._top, heights=heights)
        self._next_row += len(fresh)

    def getSpaceBefore(self) -> float:
        return float(self.table.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.table.getSpaceAfter())

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The window's size, once it overflows ``available_height`` or holds every row."""
        canv = getattr(self, "canv", None)
        width, height = self.table.wrapOn(canv, available_width, available_height)
        while fits_in(height, available_height) and not self.holds_the_rest:
            self._grow()
            width, height = self.table.wrapOn(canv, available_width, available_height)
        self.width, self.height = width, height
        return width, height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """reportlab's split of the window: the page's part, then the rest of the window
        followed by the rows it did not hold yet (on the next page, as a table's rest)."""
        if not self._top and not _at_frame_top(self):
            return []
        self.wrap(available_width, available_height)
        parts: list[Flowable] = self.table.splitOn(self.canv, available_width, available_height)
        if len(parts) != 2 or self.holds_the_rest:
            return parts
        first, rest = parts
        return [first, RowWindow(self._rows, rest, self._next_row, top=False)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Drawn whole only when the window holds every row left (a wrap with room)."""
        self.table.drawOn(canvas, x, y, _sW)
