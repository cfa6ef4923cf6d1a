"""Pausing Python's cyclic garbage collector while a command does its work.

This is the one place that pauses it: the command line pauses it around each
command's work (imports of the build machinery included), around each build of
``watch``, and for the life of each batch worker process. Nothing the commands call
(reading, composing, writing, building) touches the collector, so a program that
uses briefgen as a library keeps its own collector settings.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Importing the build machinery, reading a session and building a pack allocate
    hundreds of thousands to millions of objects (modules, YAML nodes, the validated
    session, Markdown tokens, the document tree, XML elements, PDF fragments) that
    mostly stay alive until the end, so each collection scans a growing heap and frees
    almost nothing (docs/performance.md has the figures). Builds leave no reference
    cycles behind (``DocTemplate.release`` and ``ReleasingParagraph`` in
    ``writers/pdf/reportlab_private.py``), so reference counting frees them; peak
    memory is the same with the collector on.
    Nested pauses are fine: only the outermost one turns the collector back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collector_paused(command: Callable[P, R]) -> Callable[P, R]:
    """Run ``command`` with the cyclic garbage collector paused (a decorator)."""

    @functools.wraps(command)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with cyclic_gc_paused():
            return command(*args, **kwargs)

    return paused


def pause_for_this_process() -> None:
    """Pause the collector for the rest of the process: a batch worker only builds packs.

    Forked workers inherit the paused collector from the command; this makes workers
    started afresh (the ``spawn`` method of macOS and Windows) behave the same.
    """
    gc.disable()


def freeze_for_exit() -> None:
    """Spare the interpreter's shutdown its collections over every object still alive.

    Shutting down, Python collects garbage several times over all the objects the
    imported libraries keep, which takes a noticeable part of a short command
    (docs/performance.md). Frozen objects are never collected; the operating system
    reclaims them when the process ends. ``atexit`` handlers still run and briefgen
    closes every file it writes, so nothing is lost.
    """
    gc.freeze()
