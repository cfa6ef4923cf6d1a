"""Lines broken ahead, on a second core, while the layout goes on.

The PDF is one reportlab layout, page after page, and breaking paragraphs into lines
is a quarter of its time. A paragraph at the top level of the pack is broken at the
width of the page's text area wherever it lands, so its lines can be broken before
the layout reaches it: ``breaking_ahead`` has a helper (``briefgen.ahead``) wrap the
top-level paragraphs in order, a little ahead of the layout, and send back what each
wrap set on its paragraph. The layout takes those (``install``) instead of breaking
the lines itself.

Breaking lines is a function of the paragraph and the width, so the PDF is the same
bytes with or without the helper: a paragraph asked for at another width (beside an
indent), one whose lines have not arrived yet, one the helper could not send, or
every paragraph where there is no helper, is broken by the layout as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import Any
from weakref import ref

from reportlab.platypus import Flowable

from briefgen.ahead import WorkedAhead, working_ahead
from briefgen.writers.pdf.glyphs import make_soft_hyphens, private_codes_made

MIN_PARAGRAPHS = 200
"""Fewer top-level paragraphs than this are broken by the layout alone: forking and
sending cost more than they save (a pack of a few pages)."""
AHEAD_FROM = 16
"""The helper starts at this paragraph: the layout breaks the first ones itself while
the helper starts."""
_UNBOUNDED = 0xFFFFFF
_MISSING = object()

_active: BrokenAhead | None = None


class BrokenAhead:
    """The helper's lines, given to each paragraph as the layout wraps it."""

    def __init__(
        self, paragraphs: list[Flowable], width: float, worked: WorkedAhead[dict[str, Any]]
    ) -> None:
        # Weak references: a paragraph drawn is freed as before, and the id of an object
        # made later (a part split off) never passes for one whose id it reuses.
        self._index = {id(kept): (ref(kept), index) for index, kept in enumerate(paragraphs)}
        self._width = width
        self.worked = worked

    def install(self, paragraph: Flowable, width: float) -> bool:
        """Give ``paragraph`` the lines the helper broke for ``width``, if it has sent them."""
        entry = self._index.get(id(paragraph))
        if entry is None or entry[0]() is not paragraph or width != self._width:
            return False
        state = self.worked.take(entry[1])
        if state is None:
            return False
        paragraph.__dict__.update(state)
        return True


def install(paragraph: Flowable, width: float) -> bool:
    """Give ``paragraph`` the lines broken ahead for ``width``; False: break them now."""
    return _active is not None and _active.install(paragraph, width)


@contextlib.contextmanager
def breaking_ahead(
    flowables: list[Flowable], width: float, kinds: tuple[type, ...]
) -> Iterator[BrokenAhead | None]:
    """Break the lines of the top-level paragraphs (``flowables`` of ``kinds``) ahead, at
    ``width`` (the text area's), during the block: the layout inside it takes them
    (``install``). Nothing here keeps a paragraph alive once the layout has drawn it."""
    global _active
    paragraphs = [flowable for flowable in flowables if isinstance(flowable, kinds)]
    if len(paragraphs) < MIN_PARAGRAPHS:
        yield None
        return
    make_soft_hyphens()  # made here, the helper's hyphenated lines need no code of its own
    work = partial(_wrapped_state, paragraphs, width, private_codes_made())
    with working_ahead(len(paragraphs), work, first=AHEAD_FROM) as worked:
        del work
        broken = None if worked is None else BrokenAhead(paragraphs, width, worked)
        del paragraphs
        _active = broken
        try:
            yield broken
        finally:
            _active = None


def _wrapped_state(
    paragraphs: list[Flowable], width: float, codes: int, index: int
) -> dict[str, Any] | None:
    """What wrapping paragraph ``index`` at ``width`` sets on it, or None if it failed.

    Also None once a wrap in the helper has made a glyph code (``private_codes_made``
    is no longer ``codes``, its count at the fork): its number is the helper's own, and
    the lines that use it, or any later one, mean nothing to the layout.

    The paragraph is left as it was: the helper keeps no lines, and its memory stays
    that of one batch however long the pack (the layout frees what it has drawn)."""
    if private_codes_made() != codes:
        return None
    paragraph = paragraphs[index]
    before = dict(paragraph.__dict__)
    try:
        paragraph.wrap(width, _UNBOUNDED)
        if private_codes_made() != codes:
            return None
        return {
            name: value
            for name, value in paragraph.__dict__.items()
            if before.get(name, _MISSING) is not value
        }
    except Exception:
        return None
    finally:
        paragraph.__dict__.clear()
        paragraph.__dict__.update(before)
