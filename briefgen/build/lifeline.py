"""Child processes that end with their parent, and signals that wait for a pack to be swapped.

briefgen starts child processes in two places: the forked renderer of a two-format
build (``render.py``) and the workers of a folder build (``batch.py``). Each child
calls ``child_setup()`` first:

- it ignores Ctrl-C (SIGINT): a terminal sends it to the whole process group, and the
  parent alone decides what stops (it stops its children itself), so a child never
  prints a traceback of its own or carries on with queued work;
- it dies with its parent: on Linux the kernel kills it when the parent ends
  (``prctl(PR_SET_PDEATHSIG)``, however the parent ends, ``kill -9`` included);
  elsewhere a thread waits on multiprocessing's parent sentinel, a pipe whose other
  end only the parent holds, and ends the child when it closes.

Parents start children inside ``sigint_blocked()``, so that a Ctrl-C arriving while
the child starts waits until the child ignores it.

SIGTERM (``kill``, a CI job cancelled, a parent stopping its child) ends a briefgen
process as Ctrl-C does, through its clean-ups (``stop_on_sigterm``): LibreOffice, which
runs in a session of its own that no signal to briefgen's group reaches, is stopped,
and temporary files and folders are removed. SIGHUP (the terminal closed) does the same,
unless it is ignored (``nohup``); children ignore it, as Ctrl-C: their parent stops them.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_ORPHANED = 70
"""The exit code of a child that ended because its parent had ended."""
EXIT_TERMINATED = 143
"""The exit code of a process that SIGTERM ended: 128 + 15, as shells report it."""
_HANGUP = getattr(signal, "SIGHUP", None)  # POSIX only

_PR_SET_PDEATHSIG = 1
_SIGINT_ONLY = {signal.SIGINT}


def stop_on_sigterm() -> None:
    """Make SIGTERM raise ``SystemExit(EXIT_TERMINATED)`` in this process (from the main
    thread), so that it ends through the ``finally`` blocks that stop what it started
    and remove its temporary files, rather than at once without them; and SIGHUP
    likewise (exit code 129), where it is not ignored."""
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminated)
    if _HANGUP is not None and signal.getsignal(_HANGUP) is not signal.SIG_IGN:
        signal.signal(_HANGUP, _terminated)


_sigterm: list[int] = []


def _terminated(number: int, _frame: FrameType | None) -> None:
    _sigterm.append(number)
    raise SystemExit(termination_code())


def terminated() -> bool:
    """Whether SIGTERM or SIGHUP was received (``stop_on_sigterm``), for code that a
    library turns every signal into ``KeyboardInterrupt`` for (``watchfiles``)."""
    return bool(_sigterm)


def termination_code() -> int:
    """The exit code of the signal that ended this process: 128 + its number, as shells
    report it (``EXIT_TERMINATED`` for SIGTERM, 129 for SIGHUP)."""
    return 128 + _sigterm[0] if _sigterm else EXIT_TERMINATED


def child_setup() -> None:
    """Make this child process ignore Ctrl-C, end through its clean-ups on SIGTERM (its
    parent stops it so) and end as soon as its parent ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop_on_sigterm()
    if _HANGUP is not None:
        signal.signal(_HANGUP, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGINT_ONLY)
    import multiprocessing  # here: the command line imports this module as it starts

    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if set_parent_death_signal():
        if os.getppid() != parent.pid:  # the parent ended before the signal was set
            os._exit(EXIT_ORPHANED)
        return
    _watch_parent(parent.sentinel)


def set_parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; return whether it could."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(sentinel: int) -> None:
    """End this process from a thread as soon as the parent's sentinel closes (it ended)."""
    from multiprocessing.connection import wait

    def watch() -> None:
        wait([sentinel])
        os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="briefgen-parent-watch", daemon=True).start()


@contextmanager
def sigint_blocked() -> Iterator[None]:
    """Hold Ctrl-C in this thread (and the children it forks) until the block ends.

    Where signal masks exist (POSIX); a held Ctrl-C is delivered when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGINT_ONLY)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def signals_deferred(*, reraise: bool = True) -> Iterator[None]:
    """Let Ctrl-C and SIGTERM take effect only when the block ends (in the main thread).

    For the few renames that swap a pack: a pack half swapped is put right by the next
    build, but stopping between the renames would leave it so until then. A signal
    received meanwhile is raised again as the block ends, with the handlers it had
    (``reraise``), or dropped: while stopping on a first Ctrl-C, a second one.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(number: int, _frame: FrameType | None) -> None:
        received.append(number)

    numbers = [signal.SIGINT, *([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])]
    if _HANGUP is not None and signal.getsignal(_HANGUP) is _terminated:
        numbers.append(_HANGUP)
    previous = {number: signal.signal(number, hold) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for held in dict.fromkeys(received) if reraise else ():
            signal.raise_signal(held)
