"""Settings for the processes briefgen runs in: its command line and its build workers."""

from __future__ import annotations

import gc

# Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_GENERATION_THRESHOLD = 100_000


def collect_garbage_less_often() -> None:
    """Run the cyclic garbage collector far less often than Python's default.

    A build allocates hundreds of thousands of objects that live until it ends (the
    validated session, Markdown tokens, the document tree, XML elements) and holds no
    reference cycles worth collecting. With the default thresholds the collector walks
    those live objects again and again: about a sixth of a DOCX build's time. Peak
    memory is unchanged (docs/performance.md has both measurements).
    """
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)
