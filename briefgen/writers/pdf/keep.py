"""Keep with next: a heading starts the page of what follows it, never ends another page.

reportlab joins a run of keep-with-next flowables (heading marks, headings, bylines) and
the flowable after it into a ``KeepTogether``, which strands headings here:

* It measures the group as if it sat at the top of a frame, and lets the frame add only
  the group's own space before, which is that of its first flowable: the zero-size
  ``HeadingMark``, 0. But the frame then adds the heading's full ``spaceBefore`` (the
  mark ends the space the frame would have overlapped with the previous space after).
  A group that "fits" by less than that space leaves its heading on the last line of
  the page and the byline on the next.
* It wants the flowable after the run whole on the page, and leaves lists out.

``KeepWithNext`` instead replays what the frame will do with the run, and asks only
for the first lines of the flowable after it: the part the flowable itself would
leave on this page when split (a paragraph keeps at least two lines there).
"""

from __future__ import annotations

from reportlab.platypus.doctemplate import (
    ActionFlowable,
    FrameBreak,
    NullActionFlowable,
    _ktAllow,
)
from reportlab.platypus.flowables import Flowable, KeepTogether, ListFlowable, PageBreak

_FUZZ = 1e-6  # reportlab's tolerance for "fits"
_UNBOUNDED = 0xFFFFFF


def keep_with_next(flowables: list[Flowable]) -> None:
    """Replace a keep-with-next run at the front of ``flowables`` by a ``KeepWithNext``.

    As ``BaseDocTemplate.handle_keepWithNext``, but a list may follow the run, and no
    member keeps with next afterwards, so the group's parts are never grouped again.
    """
    run = 0
    while run < len(flowables) and flowables[run].getKeepWithNext() and _ktAllow(flowables[run]):
        run += 1
    if not run:
        return
    follows = run < len(flowables) and (
        _ktAllow(flowables[run]) or isinstance(flowables[run], ListFlowable)
    )
    end = run + 1 if follows else run
    group = KeepWithNext(flowables[:end])
    for flowable in flowables[:end]:
        flowable.__dict__["keepWithNext"] = 0
    flowables[:end] = [group]


class KeepWithNext(KeepTogether):  # type: ignore[misc]
    """A keep-with-next run whole, and the first lines after it, on one page."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return aW, _UNBOUNDED  # never drawn as such: the frame always splits it

    def split(self, aW: float, aH: float) -> list[Flowable]:
        content: list[Flowable] = list(self._content)
        frame = getattr(self, "_frame", None)
        if frame is None or frame._atTop or _starts_in(content, frame, self.canv):
            return [NullActionFlowable(), *content]
        return [FrameBreak(), *content]


def _starts_in(content: list[Flowable], frame: object, canv: object) -> bool:
    """Whether the frame holds the run and the first lines after it, from where it is.

    Replays ``Frame._add`` for each flowable: its space before (overlapped with the
    previous space after), its height, its space after.
    """
    room: float = frame._y - frame._y1p  # type: ignore[attr-defined]
    overlap: bool = bool(frame._oASpace)  # type: ignore[attr-defined]
    previous: float = frame._prevASpace  # type: ignore[attr-defined]
    width: float = frame._getAvailableWidth()  # type: ignore[attr-defined]
    for index, flowable in enumerate(content):
        if isinstance(flowable, (ActionFlowable, PageBreak)):
            return True  # what follows is on a later page anyway
        zero_size = getattr(flowable, "_ZEROSIZE", False)
        transfer = getattr(flowable, "_SPACETRANSFER", False)
        space = float(flowable.getSpaceBefore())  # the frame is not at its top
        if overlap:
            space = max((previous if transfer or zero_size else space) - previous, 0)
        if index == len(content) - 1:
            return _first_lines_fit(flowable, canv, width, room - space)
        _, height = flowable.wrapOn(canv, width, room - space)
        room -= space + height
        if room < -_FUZZ:
            return False
        after = flowable.getSpaceAfter()
        room -= after
        if overlap and not transfer:
            previous = after
    return True


def _first_lines_fit(flowable: Flowable, canv: object, width: float, room: float) -> bool:
    """Whether ``flowable`` fits in ``room``, or leaves a first part there when split."""
    if getattr(flowable, "_ZEROSIZE", False):
        return True
    if room <= 0:
        return False
    _, height = flowable.wrapOn(canv, width, room)
    if height <= room + _FUZZ:
        return True
    parts = [p for p in flowable.splitOn(canv, width, room) if not hasattr(p, "frameAction")]
    if not parts or parts[0] is flowable:
        return bool(parts)
    return _first_lines_fit(parts[0], canv, width, room)
