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

from reportlab.platypus.doctemplate import ActionFlowable, FrameBreak, NullActionFlowable
from reportlab.platypus.flowables import Flowable, KeepTogether, ListFlowable, PageBreak
from reportlab.platypus.frames import Frame

from briefgen.writers.pdf.reportlab_private import (
    Stack,
    frame_at_top,
    frame_space,
    group_content,
    is_frame_action,
    is_zero_size,
    may_keep_together,
    splitting_frame,
    transfers_space,
)

_FUZZ = 1e-6  # reportlab's tolerance for "fits"
_UNBOUNDED = 0xFFFFFF


def keep_with_next(flowables: list[Flowable]) -> None:
    """Replace a keep-with-next run at the front of ``flowables`` by a ``KeepWithNext``.

    As ``BaseDocTemplate.handle_keepWithNext``, but a list, or a block with the line that
    stays with it, may follow the run, and no member keeps with next afterwards, so the
    group's parts are never grouped again.
    """
    run = 0
    while (
        run < len(flowables)
        and flowables[run].getKeepWithNext()
        and may_keep_together(flowables[run])
    ):
        run += 1
    if not run:
        return
    follows = run < len(flowables) and (
        may_keep_together(flowables[run]) or isinstance(flowables[run], ListFlowable | WithPrevious)
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
        content = group_content(self)
        frame = splitting_frame(self)
        if frame is None or frame_at_top(frame) or _starts_in(content, frame, self.canv):
            return [NullActionFlowable(), *content]
        return [FrameBreak(), *content]


def _starts_in(content: list[Flowable], frame: Frame, canv: object) -> bool:
    """Whether the frame holds the run and the first lines after it, from where it is.

    Replays ``Frame._add`` for each flowable: its space before (overlapped with the
    previous space after), its height, its space after.
    """
    start = frame_space(frame)
    room, overlap, previous, width = start.room, start.overlap, start.previous, start.width
    for index, flowable in enumerate(content):
        if isinstance(flowable, (ActionFlowable, PageBreak)):
            return True  # what follows is on a later page anyway
        zero_size = is_zero_size(flowable)
        transfer = transfers_space(flowable)
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
    if is_zero_size(flowable):
        return True
    if room <= 0:
        return False
    _, height = flowable.wrapOn(canv, width, room)
    if height <= room + _FUZZ:
        return True
    parts = [p for p in flowable.splitOn(canv, width, room) if not is_frame_action(p)]
    if not parts or parts[0] is flowable:
        return bool(parts)
    return _first_lines_fit(parts[0], canv, width, room)


class WithPrevious(Stack):
    """A block and the line after it that never starts a page away from it (a key
    message and its sources, a statement and its "Cited in" line: the tree's
    ``Paragraph.keep_with_previous``), in a frame or in a table cell (the key-message
    box) alike.

    Split, the block is split where the line still fits after its first part, so that
    its last lines go to the next page with the line; a block that cannot be split
    there goes along whole, unless nothing stands above it on its page (a block taller
    than a page), where it is split as it would be without the line.
    """

    def __init__(self, previous: Flowable, follower: Flowable) -> None:
        super().__init__([previous, follower])

    def split(self, aW: float, aH: float) -> list[Flowable]:
        previous, follower = self.content
        _, whole = self.wrap(aW, aH)
        if whole <= aH + _FUZZ:
            return [previous, follower]
        canvas = self.canvas
        _, alone = previous.wrapOn(canvas, aW, aH)
        room = aH - (whole - alone)  # what the line and the space above it leave
        parts = previous.splitOn(canvas, aW, room) if room > 0 else []
        if not parts:
            frame = splitting_frame(self)
            if frame is None or not frame_at_top(frame):
                return []
            parts = previous.splitOn(canvas, aW, aH) or [previous]
        return [*parts[:-1], WithPrevious(parts[-1], follower)]


def with_previous(flowables: list[Flowable], follower: list[Flowable]) -> None:
    """Append ``follower``, the flowables of a line that never starts a page away from
    the block before it, to ``flowables``: its first one grouped with the last flowable
    there (``WithPrevious``), unless that takes no room or acts on the frame."""
    last = flowables[-1] if flowables else None
    if not follower or last is None or is_zero_size(last) or is_frame_action(last):
        flowables += follower
        return
    flowables[-1] = WithPrevious(last, follower[0])
    flowables += follower[1:]
