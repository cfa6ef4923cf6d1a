"""Lines broken ahead, on a second core, while the layout goes on.

The PDF is one reportlab layout, page after page, and breaking paragraphs into lines
is a quarter of its time. A paragraph at the top level of the pack is broken at the
width of the page's text area wherever it lands, so its lines can be broken before
the layout reaches it. ``breaking_ahead`` forks a helper (it shares the paragraphs as
they are, with nothing sent) that breaks the top-level paragraphs in order, a little
ahead of the layout, and sends back what each wrap set on its paragraph. The layout
takes those (``install``) instead of breaking the lines itself.

Breaking lines is a function of the paragraph and the width, so the PDF is the same
bytes with or without the helper: a paragraph asked for at another width (beside an
indent), one whose lines have not arrived yet, one the helper could not send, or
every paragraph where there is no fork, is broken by the layout as before. The
layout never waits for the helper.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, Pipe
from typing import Any
from weakref import ref

from reportlab.platypus import Flowable

from briefgen.build.lifeline import set_parent_death_signal

MIN_PARAGRAPHS = 200
"""Fewer top-level paragraphs than this are broken by the layout alone: forking and
sending cost more than they save (a pack of a few pages)."""
AHEAD_FROM = 16
"""The helper starts at this paragraph: the layout breaks the first ones itself while
the helper starts."""
BATCH = 32  # paragraphs sent at once
_UNBOUNDED = 0xFFFFFF
_MISSING = object()

_active: BrokenAhead | None = None


class BrokenAhead:
    """The helper's results, taken by the layout as it wraps each paragraph."""

    def __init__(
        self, paragraphs: Sequence[Flowable], width: float, connection: Connection, pid: int
    ) -> None:
        # Weak references: a paragraph drawn is freed as before, and the id of an object
        # made later (a part split off) never passes for one whose id it reuses.
        self._index = {id(kept): (ref(kept), index) for index, kept in enumerate(paragraphs)}
        self._width = width
        self._connection: Connection | None = connection
        self._pid = pid
        self._states: dict[int, dict[str, Any]] = {}
        self._received = -1  # the last paragraph the helper sent
        self.installed = 0  # paragraphs given the helper's lines

    def install(self, paragraph: Flowable, width: float) -> bool:
        """Give ``paragraph`` the lines the helper broke for ``width``, if it has sent them."""
        entry = self._index.get(id(paragraph))
        if entry is None or entry[0]() is not paragraph or width != self._width:
            return False
        index = entry[1]
        state = self._states.pop(index, None)
        while state is None and self._received < index and self._receive(index):
            state = self._states.pop(index, None)
        if state is None:
            return False
        paragraph.__dict__.update(state)
        self.installed += 1
        return True

    def _receive(self, index: int) -> bool:
        """Read a batch if the helper has sent one (False if not, or if it has gone),
        keeping the lines of paragraphs from ``index`` on: the layout has passed the others."""
        connection = self._connection
        if connection is None:
            return False
        try:
            if not connection.poll(0):
                return False
            batch: list[tuple[int, dict[str, Any]]] = pickle.loads(connection.recv_bytes())
        except Exception:  # the helper has gone, or sent what is not its batch
            self._connection = None
            return False
        for passed in [number for number in self._states if number < index]:
            del self._states[passed]
        for number, state in batch:
            self._received = max(self._received, number)
            if number >= index:
                self._states[number] = state
        return True

    def stop(self) -> None:
        """End the helper, done or not, and reap it."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)


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
    helper = _start(paragraphs, width) if len(paragraphs) >= MIN_PARAGRAPHS else None
    del paragraphs
    _active = helper
    try:
        yield helper
    finally:
        _active = None
        if helper is not None:
            helper.stop()


def _start(paragraphs: list[Flowable], width: float) -> BrokenAhead | None:
    """Fork the helper; None where forking is not safe (no fork, other threads running)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    receiver, sender = Pipe(duplex=False)
    try:
        pid = os.fork()
    except OSError:
        receiver.close()
        sender.close()
        return None
    if pid == 0:  # the helper
        try:
            receiver.close()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            set_parent_death_signal()
            _break(paragraphs, width, sender)
        finally:
            os._exit(0)  # nothing of the parent's to flush or clean up
    sender.close()
    return BrokenAhead(paragraphs, width, receiver, pid)


def _break(paragraphs: list[Flowable], width: float, sender: Connection) -> None:
    """In the helper: wrap the paragraphs from ``AHEAD_FROM`` on, sending batches of what
    each wrap set (a paragraph that cannot be wrapped or sent is left to the layout)."""
    batch: list[tuple[int, dict[str, Any]]] = []
    for index in range(AHEAD_FROM, len(paragraphs)):
        state = _wrapped_state(paragraphs[index], width)
        if state is not None:
            batch.append((index, state))
        if len(batch) == BATCH or index == len(paragraphs) - 1:
            _send(batch, sender)
            batch = []


def _wrapped_state(paragraph: Flowable, width: float) -> dict[str, Any] | None:
    """What wrapping ``paragraph`` at ``width`` sets on it, or None if it failed. The
    paragraph is left as it was: the helper keeps no lines, and its memory stays that
    of one batch however long the pack (the layout frees what it has drawn)."""
    before = dict(paragraph.__dict__)
    try:
        paragraph.wrap(width, _UNBOUNDED)
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


def _send(batch: list[tuple[int, dict[str, Any]]], sender: Connection) -> None:
    try:
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # one state does not pickle: send the others
        data = pickle.dumps([entry for entry in batch if _pickles(entry)])
    sender.send_bytes(data)


def _pickles(entry: object) -> bool:
    try:
        pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return False
    return True
