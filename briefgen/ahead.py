"""Work done ahead on the second core by a forked helper, and taken as it is needed.

Some of a build's work is a row of independent pieces, each a function of data the
process already holds: the lines of each top-level paragraph of the PDF
(``writers/pdf/prewrap.py``), the blocks of each Markdown field of the pack
(``compose/pack.py``). ``working_ahead`` forks a helper that shares that data as it is
(nothing is sent to it), does the pieces in order from ``first`` on, and sends their
results back in batches. The process takes a piece's result when it has arrived
(``WorkedAhead.take``) and does the piece itself otherwise: it never waits, so what it
makes is the same whether the helper is fast, slow, gone or never started.

A helper needs ``fork`` and no other thread in the process (forking a process with
threads running is unsafe); it ignores Ctrl-C, dies with its parent on Linux, is
killed and reaped when the work is over, and leaves the parent's files and exit
handlers alone (``os._exit``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, Pipe
from typing import Generic, TypeVar

from briefgen.build.lifeline import set_parent_death_signal

T = TypeVar("T")

BATCH = 32  # pieces sent at once


class WorkedAhead(Generic[T]):
    """The helper's results, taken in order as the process reaches each piece."""

    def __init__(self, connection: Connection, pid: int) -> None:
        self._connection: Connection | None = connection
        self._pid = pid
        self._results: dict[int, T] = {}
        self._received = -1  # the last piece the helper sent
        self.taken = 0  # pieces whose result the process took

    def take(self, index: int) -> T | None:
        """The result of piece ``index`` if the helper has sent it; None: do it now."""
        result = self._results.pop(index, None)
        while result is None and self._received < index and self._receive(index):
            result = self._results.pop(index, None)
        if result is not None:
            self.taken += 1
        return result

    def _receive(self, index: int) -> bool:
        """Read a batch if the helper has sent one (False if not, or if it has gone),
        keeping the results from ``index`` on: the process has passed the others."""
        connection = self._connection
        if connection is None:
            return False
        try:
            if not connection.poll(0):
                return False
            batch: list[tuple[int, T]] = pickle.loads(connection.recv_bytes())
        except Exception:  # the helper has gone, or sent what is not its batch
            self._connection = None
            return False
        for passed in [number for number in self._results if number < index]:
            del self._results[passed]
        for number, result in batch:
            self._received = max(self._received, number)
            if number >= index:
                self._results[number] = result
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


@contextlib.contextmanager
def working_ahead(
    count: int, work: Callable[[int], T | None], first: int = 0
) -> Iterator[WorkedAhead[T] | None]:
    """During the block, a helper does ``work(index)`` for each index from ``first`` to
    ``count`` (None: a piece it leaves to the process); None where there is no helper.

    ``work`` is dropped here once the helper is forked: whatever it refers to is freed
    in this process as the process itself lets go of it.
    """
    helper = _start(count, work, first)
    del work
    try:
        yield helper
    finally:
        if helper is not None:
            helper.stop()


def _start(count: int, work: Callable[[int], T | None], first: int) -> WorkedAhead[T] | None:
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
            _work(count, work, first, sender)
        finally:
            os._exit(0)  # nothing of the parent's to flush or clean up
    sender.close()
    return WorkedAhead(receiver, pid)


def _work(count: int, work: Callable[[int], T | None], first: int, sender: Connection) -> None:
    """In the helper: do the pieces in order, sending batches of their results (a piece
    that fails, or whose result cannot be sent, is left to the process)."""
    batch: list[tuple[int, T]] = []
    for index in range(first, count):
        try:
            result = work(index)
        except Exception:
            result = None
        if result is not None:
            batch.append((index, result))
        if len(batch) == BATCH or index == count - 1:
            _send(batch, sender)
            batch = []


def _send(batch: list[tuple[int, T]], sender: Connection) -> None:
    try:
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # one result does not pickle: send the others
        data = pickle.dumps([entry for entry in batch if _pickles(entry)])
    sender.send_bytes(data)


def _pickles(entry: object) -> bool:
    try:
        pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return False
    return True
