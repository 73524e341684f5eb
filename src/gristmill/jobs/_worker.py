"""Code that runs inside worker processes (local pools and Ray tasks).

Kept free of heavy imports: every spawned worker imports this module before its first task.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gristmill.jobs._batch import BatchOutcome, ItemFailure, apply_to_batch


@dataclass(frozen=True)
class SetupFailure:
    """The function could not be unpickled in the worker (e.g. it needs a missing module)."""

    traceback_text: str


@dataclass
class _WorkerState:
    function: Callable[[Any], Any] | None = None
    setup_failure: SetupFailure | None = None


# One per worker process, filled by the pool's initializer.
_state = _WorkerState()


def init_worker(fn_bytes: bytes) -> None:
    """Pool initializer: unpickle the function once per worker, not once per task."""
    try:
        _state.function = _load(fn_bytes)
    except Exception:
        _state.setup_failure = SetupFailure(traceback.format_exc().rstrip())


def run_batch(items: Sequence[Any]) -> BatchOutcome | SetupFailure:
    """Run the worker's function over one sub-batch."""
    if _state.function is None:
        return _state.setup_failure or SetupFailure("the worker was started without a function")
    return _portable(apply_to_batch(_state.function, items))


def run_ray_batch(fn_bytes: bytes, items: Sequence[Any]) -> BatchOutcome | SetupFailure:
    """A Ray task: Ray workers are shared and long-lived, so the function is cached by bytes."""
    try:
        function = _load_cached(fn_bytes)
    except Exception:
        return SetupFailure(traceback.format_exc().rstrip())
    return _portable(apply_to_batch(function, items))


def _portable(outcome: BatchOutcome) -> BatchOutcome:
    return outcome.portable() if isinstance(outcome, ItemFailure) else outcome


def _load(fn_bytes: bytes) -> Callable[[Any], Any]:
    import cloudpickle

    loaded: Callable[[Any], Any] = cloudpickle.loads(fn_bytes)
    return loaded


@functools.lru_cache(maxsize=8)
def _load_cached(fn_bytes: bytes) -> Callable[[Any], Any]:
    return _load(fn_bytes)
