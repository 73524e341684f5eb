"""Reading ahead in a thread: order, errors where they happened, and an early stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from gristmill.data.prefetch import prefetched


def test_items_come_in_order_and_are_read_in_another_thread() -> None:
    readers: set[str] = set()

    def numbers() -> Iterator[int]:
        for n in range(100):
            readers.add(threading.current_thread().name)
            yield n

    assert list(prefetched(numbers(), depth=3)) == list(range(100))
    assert readers == {"gristmill-prefetch"}


def test_a_readers_error_is_raised_after_the_items_before_it() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 3 is broken")

    seen: list[int] = []
    with pytest.raises(ValueError, match="line 3 is broken"):
        for item in prefetched(failing()):
            seen.append(item)
    assert seen == [1, 2]


def test_stopping_early_releases_the_source_in_the_reader_thread() -> None:
    released = threading.Event()
    produced: list[int] = []

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                produced.append(n)
                yield n
                n += 1
        finally:
            released.set()

    items = prefetched(endless(), depth=2)
    with pytest.raises(RuntimeError, match="the writer failed"):
        for item in items:
            if item == 5:
                raise RuntimeError("the writer failed")
    items.close()
    assert released.wait(5)
    # It read at most a few items past the one the caller stopped at.
    assert len(produced) <= 5 + 1 + 2 + 1


def test_depth_must_be_positive() -> None:
    with pytest.raises(ValueError, match="depth"):
        list(prefetched([1], depth=0))
