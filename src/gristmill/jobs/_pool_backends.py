"""Thread and process pools as chunk backends."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from gristmill.errors import JobError
from gristmill.jobs._batch import BatchOutcome, apply_to_batch, split_into_sub_batches
from gristmill.jobs._main_guard import main_guard_error_text, unguarded_main_line
from gristmill.jobs._worker import SetupFailure, init_worker, run_batch

_RERUN_HINT = "rerun to resume: finished chunks are kept"


class ThreadBackend:
    """Whole chunks on a thread pool: no copies, no pickling; exceptions keep their tracebacks."""

    def __init__(self, fn: Callable[[Any], Any], workers: int) -> None:
        self._fn = fn
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gristmill-chunk")

    def split(self, items: Sequence[Any]) -> list[tuple[int, Sequence[Any]]]:
        return [(0, items)]

    def submit(self, batch: Sequence[Any]) -> Future[BatchOutcome]:
        return self._pool.submit(apply_to_batch, self._fn, batch)

    def wait_any(
        self, handles: Collection[Future[BatchOutcome]]
    ) -> Collection[Future[BatchOutcome]]:
        return wait(handles, return_when=FIRST_COMPLETED).done

    def outcome(self, handle: Future[BatchOutcome]) -> BatchOutcome:
        return handle.result()

    def shutdown(self, pending: Collection[Future[BatchOutcome]]) -> None:
        # Running chunks cannot be interrupted in a thread; cancel the queued ones and wait.
        self._pool.shutdown(wait=True, cancel_futures=True)


class ProcessBackend:
    """Sub-batches on a pool of spawned processes, the function sent once to each worker.

    Spawn, not fork: DuckDB and other native libraries run threads in the parent, and a forked
    child inherits their locks in whatever state they were, which can deadlock it. Each worker
    is told this process's pid and exits when it dies (see ``exit_with_parent``).
    """

    def __init__(self, fn_bytes: bytes, workers: int) -> None:
        self._workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(fn_bytes, os.getpid()),
        )
        # The pool starts a worker per task submitted, and a spawned worker takes a while to
        # boot (an interpreter, the caller's main module, this package, the function): start
        # them all now, so they boot while the caller reads its first rows rather than after.
        # The tasks only return the worker's pid.
        for _ in range(workers):
            self._pool.submit(os.getpid)

    def split(self, items: Sequence[Any]) -> list[tuple[int, Sequence[Any]]]:
        return list(split_into_sub_batches(items, self._workers))

    def submit(self, batch: Sequence[Any]) -> Future[BatchOutcome | SetupFailure]:
        try:
            return self._pool.submit(run_batch, batch)
        except BrokenProcessPool as exc:
            raise _worker_died(exc) from exc

    def wait_any(
        self, handles: Collection[Future[BatchOutcome | SetupFailure]]
    ) -> Collection[Future[BatchOutcome | SetupFailure]]:
        return wait(handles, return_when=FIRST_COMPLETED).done

    def outcome(self, handle: Future[BatchOutcome | SetupFailure]) -> BatchOutcome:
        try:
            result = handle.result()
        except BrokenProcessPool as exc:
            raise _worker_died(exc) from exc
        except Exception as exc:
            # The user's own exceptions come back as ItemFailure; anything raised here is the
            # transport: an item or a result that pickle could not handle.
            raise JobError(
                f"items or results could not be passed between processes: {exc}",
                hint="make items and the function's return values plain data (str, numbers,"
                " lists, dicts), or use execution_type='threads'",
            ) from exc
        return raise_setup_failure(result)

    def shutdown(self, pending: Collection[Future[BatchOutcome | SetupFailure]]) -> None:
        # Nothing pending: every result is in, so the workers are only told to exit and the
        # caller goes on (merging and storing the column) while they do; the pool's thread
        # reaps them, and the interpreter waits for that thread at exit. With batches still
        # pending (a cancel, an error) they are dropped and the workers waited for, so nothing
        # of the job runs after it stopped.
        self._pool.shutdown(wait=bool(pending), cancel_futures=True)


def raise_setup_failure(result: BatchOutcome | SetupFailure) -> BatchOutcome:
    """Pass an outcome through; a worker that could not load the function is a JobError."""
    if isinstance(result, SetupFailure):
        raise JobError(
            "the function could not be loaded in a worker process:\n" + result.traceback_text,
            hint="make sure every module the function uses is importable by the workers (define"
            " helpers in a module, or at the top of your script), or use"
            " execution_type='threads'",
        )
    return result


def _worker_died(exc: BaseException) -> JobError:
    # A script without a main guard kills every worker as it starts, and looks like a crash.
    where = unguarded_main_line()
    if where is not None:
        message, hint = main_guard_error_text(where)
        return JobError(message, hint=hint)
    return JobError(
        f"a worker process died while running the function ({exc})",
        hint="this is usually running out of memory or a crash in native code: try a smaller"
        f" num_jobs or execution_type='threads'; {_RERUN_HINT}",
    )
