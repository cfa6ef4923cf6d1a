"""Pausing Python's cyclic garbage collector while a session is read and a pack is built.

The command line also pauses it while importing the build machinery (pydantic,
Jinja2, markdown-it, the writers): those imports create long-lived objects only,
and collecting among them took a tenth of the import time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Reading a session and building a pack allocate hundreds of thousands to millions
    of objects (YAML nodes, the validated session, Markdown tokens, the document tree,
    XML elements, PDF fragments) that mostly stay alive until the end, so each
    collection scans a growing heap and frees almost nothing: a sixth of a DOCX build,
    a tenth of a PDF build at L, two fifths of validating a file with 150,000 errors.
    Builds leave no reference cycles behind (``PackDocTemplate.release``,
    ``_Paragraph.draw``), so reference counting frees them; peak memory is the same
    with the collector on.
    Nested pauses are fine: only the outermost one turns the collector back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_for_exit() -> None:
    """Spare the interpreter's shutdown its collections over every object still alive.

    Shutting down, Python collects garbage several times over all the objects the
    imported libraries keep (about 55,000 after a build): 80-100 ms, as long as a
    sixth of a DOCX build of a large session. Frozen objects are never collected;
    the operating system reclaims them when the process ends. ``atexit`` handlers still
    run and briefgen closes every file it writes, so nothing is lost.
    """
    gc.freeze()
