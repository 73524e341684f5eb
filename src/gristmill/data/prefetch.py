"""Reading the next items in a background thread while the caller works on the current one.

A load reads batches (DuckDB parsing JSON or CSV) and writes them (Parquet encoding and
compression). Both release the GIL, so running the reader one step ahead overlaps the two: on a
2-core machine a 100k-row load takes about the longer of the two instead of their sum.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable
from typing import TypeVar

T = TypeVar("T")

_POLL_S = 0.1


class _End:
    """What the reader thread sends last: the error that stopped it, or None."""

    def __init__(self, error: BaseException | None) -> None:
        self.error = error


def prefetched(items: Iterable[T], depth: int = 2) -> Generator[T, None, None]:
    """Yield ``items`` in order, reading up to ``depth`` ahead in a background thread.

    An error of the reader is raised here, at the position where it happened. If the caller
    stops early (an error of its own, or closing this generator), the reader stops at its next
    item and the iterator it read from is released in that thread.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    ahead: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: T | _End) -> bool:
        # put() with a timeout, so a caller that stopped listening cannot block us for ever.
        while not stop.is_set():
            try:
                ahead.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        error: BaseException | None = None
        iterator = iter(items)
        try:
            for item in iterator:
                if not offer(item):
                    break
        except BaseException as exc:
            error = exc
        finally:
            close = getattr(iterator, "close", None)
            if stop.is_set() and callable(close):
                close()
        offer(_End(error))

    reader = threading.Thread(target=read, name="gristmill-prefetch", daemon=True)
    reader.start()
    try:
        while True:
            item = ahead.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        reader.join()
