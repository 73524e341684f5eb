"""Applying the user's function to a batch of items, and what a failure carries back."""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

# Largest sub-batch sent to one worker: big enough to amortise the per-task overhead, small
# enough that workers share a chunk evenly and a pickled batch stays modest.
MAX_SUB_BATCH = 1024


@dataclass(frozen=True)
class ItemFailure:
    """The function raised on ``position`` of a batch."""

    position: int
    summary: str
    traceback_text: str
    # The exception object itself in-process; from a worker, its cloudpickled bytes when it
    # could be pickled (it may hold unpicklable state or come from an unimportable class).
    error: BaseException | None = None
    error_bytes: bytes | None = None

    @classmethod
    def from_exception(cls, position: int, exc: BaseException) -> ItemFailure:
        return cls(
            position=position,
            summary=_summary(exc),
            traceback_text=user_traceback(exc),
            error=exc,
        )

    def portable(self) -> ItemFailure:
        """A copy safe to send between processes."""
        import cloudpickle

        try:
            error_bytes = cloudpickle.dumps(self.error) if self.error is not None else None
        except Exception:
            error_bytes = None
        return replace(self, error=None, error_bytes=error_bytes)

    def original(self) -> BaseException | None:
        if self.error is not None or self.error_bytes is None:
            return self.error
        import cloudpickle

        try:
            loaded = cloudpickle.loads(self.error_bytes)
        except Exception:
            return None
        return loaded if isinstance(loaded, BaseException) else None


BatchOutcome = list[Any] | ItemFailure


def apply_to_batch(fn: Callable[[Any], Any], items: Sequence[Any]) -> BatchOutcome:
    """``[fn(item) for item in items]``, or the failure of the first item that raised."""
    outputs: list[Any] = []
    append = outputs.append
    try:
        for item in items:
            append(fn(item))
    except Exception as exc:
        return ItemFailure.from_exception(len(outputs), exc)
    return outputs


def split_into_sub_batches(items: Sequence[Any], workers: int) -> list[tuple[int, list[Any]]]:
    """``(offset, items)`` pieces of a chunk, about one per worker, at most MAX_SUB_BATCH long."""
    size = max(1, min(MAX_SUB_BATCH, math.ceil(len(items) / max(1, workers))))
    return [(start, list(items[start : start + size])) for start in range(0, len(items), size)]


def user_traceback(exc: BaseException) -> str:
    """The traceback from the user's function down, without our own frame on top."""
    tb = exc.__traceback__
    if tb is not None and tb.tb_frame.f_code is apply_to_batch.__code__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb)).rstrip()


def _summary(exc: BaseException) -> str:
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
