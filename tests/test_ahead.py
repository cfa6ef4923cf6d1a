"""Work done ahead by a forked helper (``briefgen.ahead``): results in order, taken as
they arrive, never waited for."""

from __future__ import annotations

import os
import time

import pytest

from briefgen.ahead import WorkedAhead, working_ahead

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _square_unless_seven(index: int) -> int | None:
    return None if index % 7 == 0 else index * index


def _arrived(worked: WorkedAhead[int], index: int) -> int | None:
    """``take`` never waits: ask again until the helper has sent ``index`` (or 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        result = worked.take(index)
        if result is not None:
            return result
        time.sleep(0.001)
    return None


def test_results_are_taken_in_order_and_what_the_helper_leaves_is_none() -> None:
    with working_ahead(100, _square_unless_seven, first=10) as worked:
        assert worked is not None
        assert [worked.take(index) for index in range(10)] == [None] * 10  # not its work
        for index in range(10, 100):
            if index % 7:
                assert _arrived(worked, index) == index * index
        assert worked.take(14) is None  # left to the process, and passed
        assert worked.taken == len([i for i in range(10, 100) if i % 7])


def test_a_result_the_process_has_passed_is_dropped() -> None:
    with working_ahead(40, _square_unless_seven) as worked:
        assert worked is not None
        assert _arrived(worked, 30) == 900
        assert worked.take(29) is None  # the process went past it: it did 29 itself


def test_the_process_never_waits_for_a_slow_helper() -> None:
    def slow(index: int) -> int:
        time.sleep(5)
        return index

    started = time.monotonic()
    with working_ahead(3, slow) as worked:
        assert worked is not None
        assert [worked.take(index) for index in range(3)] == [None, None, None]
    assert time.monotonic() - started < 2  # the helper is killed, not waited for
