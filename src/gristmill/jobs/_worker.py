"""Code that runs inside worker processes (local pools and Ray tasks).

Kept free of heavy imports: every spawned worker imports this module before its first task.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from gristmill.jobs._batch import BatchOutcome, ItemFailure, apply_to_batch


@dataclass(frozen=True)
class SetupFailure:
    """The function could not be unpickled in the worker (e.g. it needs a missing module)."""

    traceback_text: str


@dataclass(frozen=True)
class ReadFailure:
    """A Ray task could not read its rows (``ItemReader.read`` raised)."""

    summary: str
    traceback_text: str


@runtime_checkable
class ItemReader(Protocol):
    """A chunk's items that the task reads itself, instead of the driver reading and sending them.

    On Ray a chunk of a column job is a few file paths and a row range (``data._row_slices``):
    the driver never holds the rows, and a task on another machine reads them where they lie.
    """

    def __len__(self) -> int: ...

    def read(self) -> list[Any]: ...


@dataclass
class _WorkerState:
    function: Callable[[Any], Any] | None = None
    setup_failure: SetupFailure | None = None


# One per worker process, filled by the pool's initializer.
_state = _WorkerState()

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 0.5


def init_worker(fn_bytes: bytes, parent_pid: int | None = None) -> None:
    """Pool initializer: tie the worker's life to its driver's, then unpickle the function
    once per worker, not once per task."""
    if parent_pid is not None:
        exit_with_parent(parent_pid)
    try:
        _state.function = _load(fn_bytes)
    except Exception:
        _state.setup_failure = SetupFailure(traceback.format_exc().rstrip())


def exit_with_parent(parent_pid: int, *, use_kernel: bool = sys.platform == "linux") -> None:
    """End this process when ``parent_pid`` (its driver) dies, even by ``kill -9``.

    A pool worker waits on a queue whose other ends its sibling workers also hold, so it never
    sees the driver go and would wait for ever (and keep multiprocessing's resource tracker
    alive with it). On Linux the kernel sends SIGKILL when the parent goes; everywhere a
    watchdog thread checks the parent every PARENT_POLL_SECONDS.
    """
    if use_kernel:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            # The kernel sends this when the *thread* that started us ends: the pool is started
            # and fed by the one thread that runs the job, which outlives the pool.
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still covers it
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the signal was armed
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="gristmill-parent-watch", daemon=True
    ).start()


def _watch_parent(parent_pid: int) -> None:
    # Once the parent is gone this process is re-parented, so getppid() changes.
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def run_batch(items: Sequence[Any]) -> BatchOutcome | SetupFailure:
    """Run the worker's function over one sub-batch."""
    if _state.function is None:
        return _state.setup_failure or SetupFailure("the worker was started without a function")
    return _portable(apply_to_batch(_state.function, items))


def run_ray_batch(
    fn_bytes: bytes, items: Sequence[Any] | ItemReader
) -> BatchOutcome | SetupFailure | ReadFailure:
    """A Ray task: Ray workers are shared and long-lived, so the function is cached by bytes.

    It only returns the outputs; the driver writes and commits them, so a task that Ray reruns
    after its worker died cannot store a chunk twice.
    """
    try:
        function = _load_cached(fn_bytes)
    except Exception:
        return SetupFailure(traceback.format_exc().rstrip())
    if isinstance(items, ItemReader):
        try:
            items = items.read()
        except Exception as exc:
            return ReadFailure(str(exc) or type(exc).__name__, traceback.format_exc().rstrip())
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
