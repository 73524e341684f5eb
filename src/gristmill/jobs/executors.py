"""Run a function over chunks of items in threads, local processes or on Ray.

:func:`run_chunks` is the one parallel loop behind ``map``, signals and embeddings: it applies
``fn`` to every item of every chunk and yields ``(key, outputs)`` as each chunk completes, so the
caller can store a chunk (and count it done for resuming) while the next ones compute.
"""

from __future__ import annotations

import importlib
import io
import marshal
import os
import pickle
import types
from collections import ChainMap
from collections.abc import Callable, Generator, Iterable, Sequence
from types import ModuleType
from typing import Any, ClassVar, Literal, TypeVar, cast, get_args

from gristmill.errors import InvalidInputError, missing_dependency
from gristmill.jobs._batch import ItemFailure, apply_to_batch
from gristmill.jobs._scheduler import ChunkBackend, ChunkFailedError, schedule
from gristmill.jobs._worker import ItemReader

K = TypeVar("K")

ExecutionType = Literal["threads", "processes", "ray"]
# A chunk's items, or (for Ray) a reader its task calls to get them: see ItemReader.
ChunkItems = Sequence[Any] | ItemReader
EXECUTION_TYPES: tuple[str, ...] = get_args(ExecutionType)

# Chunks in flight per worker: one running, one queued so a worker never waits for the caller.
IN_FLIGHT_PER_WORKER = 2


class ChunkItemError(Exception):
    """``fn`` raised on item ``position`` of the chunk ``key``.

    ``traceback_text`` is the original traceback, down to the user's own line, also when it
    ran in another process. In threads the original exception is chained as ``__cause__``.
    """

    def __init__(self, key: Any, position: int, traceback_text: str, summary: str) -> None:
        super().__init__(key, position, traceback_text, summary)
        self.key = key
        self.position = position
        self.traceback_text = traceback_text
        self.summary = summary

    def __str__(self) -> str:
        text = f"the function raised on item {self.position} of chunk {self.key!r}: {self.summary}"
        cause = self.__cause__
        if cause is None or cause.__traceback__ is None:
            # Nothing printed above us shows where it happened: show the worker's traceback.
            text += "\n\nOriginal traceback (from the worker):\n" + self.traceback_text
        return text


def resolve_num_jobs(num_jobs: int) -> int:
    """``num_jobs`` as a worker count: -1 means one per CPU."""
    if (
        isinstance(num_jobs, bool)
        or not isinstance(num_jobs, int)
        or (num_jobs < 1 and num_jobs != -1)
    ):
        raise InvalidInputError(
            f"num_jobs must be a positive integer or -1 (one per CPU), got {num_jobs!r}",
            hint="pass e.g. num_jobs=4, or num_jobs=-1 to use every CPU",
        )
    if num_jobs == -1:
        return os.cpu_count() or 1
    return num_jobs


def run_chunks(
    fn: Callable[[Any], Any],
    chunks: Iterable[tuple[K, ChunkItems]],
    *,
    num_jobs: int = 1,
    execution_type: ExecutionType = "threads",
) -> Generator[tuple[K, list[Any]], None, None]:
    """Apply ``fn`` to every item of every chunk; yield ``(key, outputs)`` per finished chunk.

    Chunks may finish out of order. At most about ``2 * num_jobs`` chunks are in flight and
    ``chunks`` is pulled lazily. ``fn`` raising raises :class:`ChunkItemError`. Arguments are
    checked at once; closing the iterator shuts the workers down. When the loop body may raise
    (``job.check_cancelled()``), use ``with contextlib.closing(run_chunks(...)) as results:``
    so the workers stop at once rather than when the traceback is garbage-collected.

    A chunk may be an :class:`ItemReader` instead of its items: on Ray the task reads them
    itself (the driver never holds them); elsewhere the driver reads them first.
    """
    if not callable(fn):
        raise InvalidInputError(
            f"the function to run must be callable, got {type(fn).__name__}",
            hint="pass a function taking one item, e.g. lambda row: len(row['text'])",
        )
    if execution_type not in EXECUTION_TYPES:
        raise InvalidInputError(
            f"unknown execution_type {execution_type!r}",
            hint=f"use one of: {', '.join(EXECUTION_TYPES)}",
        )
    workers = resolve_num_jobs(num_jobs)
    if execution_type == "ray":
        # -1 on Ray means every CPU of the cluster, known only once connected.
        return _run_on_ray(fn, chunks, num_jobs)
    items = _read_in_driver(chunks)
    if execution_type == "threads":
        if workers == 1:
            return _run_inline(fn, items)
        return _run_on_threads(fn, items, workers)
    return _run_on_processes(_pickle_function(fn), items, workers)


def _read_in_driver(
    chunks: Iterable[tuple[K, ChunkItems]],
) -> Generator[tuple[K, Sequence[Any]], None, None]:
    for key, items in chunks:
        yield key, items.read() if isinstance(items, ItemReader) else items


def _run_inline(
    fn: Callable[[Any], Any], chunks: Iterable[tuple[K, Sequence[Any]]]
) -> Generator[tuple[K, list[Any]], None, None]:
    # No pool, no queue: the fastest path, and the one where a debugger just works.
    for key, items in chunks:
        outcome = apply_to_batch(fn, items)
        if isinstance(outcome, ItemFailure):
            error = _chunk_error(key, outcome.position, outcome)
            raise error from error.__cause__
        yield key, outcome


def _run_on_threads(
    fn: Callable[[Any], Any], chunks: Iterable[tuple[K, Sequence[Any]]], workers: int
) -> Generator[tuple[K, list[Any]], None, None]:
    # Imported here: the pools pull multiprocessing and ctypes, which CLI startup need not load.
    from gristmill.jobs._pool_backends import ThreadBackend

    yield from _scheduled(ThreadBackend(fn, workers), chunks, workers)


def _run_on_processes(
    fn_bytes: bytes, chunks: Iterable[tuple[K, Sequence[Any]]], workers: int
) -> Generator[tuple[K, list[Any]], None, None]:
    # Imported here: the pools pull multiprocessing and ctypes, which CLI startup need not load.
    from gristmill.jobs._pool_backends import ProcessBackend

    yield from _scheduled(ProcessBackend(fn_bytes, workers), chunks, workers)


def _run_on_ray(
    fn: Callable[[Any], Any], chunks: Iterable[tuple[K, ChunkItems]], num_jobs: int
) -> Generator[tuple[K, list[Any]], None, None]:
    try:
        ray = importlib.import_module("ray")
    except ImportError as exc:
        raise missing_dependency("ray", "ray", "execution_type='ray'") from exc
    fn_bytes = _pickle_function(fn)
    return _ray_generator(ray, fn_bytes, chunks, num_jobs)


def _ray_generator(
    ray: ModuleType, fn_bytes: bytes, chunks: Iterable[tuple[K, ChunkItems]], num_jobs: int
) -> Generator[tuple[K, list[Any]], None, None]:
    # Imported here: the Ray backend pulls in the process pools' module (multiprocessing, ctypes).
    from gristmill.jobs._ray_backend import RayBackend

    backend = RayBackend(ray, fn_bytes, num_jobs)
    # The scheduler only takes len() of a chunk and hands it to the backend's split(), which
    # on Ray accepts an ItemReader.
    yield from _scheduled(backend, cast(Iterable[tuple[K, Sequence[Any]]], chunks), backend.workers)


def _scheduled(
    backend: ChunkBackend[Any], chunks: Iterable[tuple[K, Sequence[Any]]], workers: int
) -> Generator[tuple[K, list[Any]], None, None]:
    try:
        yield from schedule(backend, chunks, max_in_flight=IN_FLIGHT_PER_WORKER * workers)
    except ChunkFailedError as failed:
        error = _chunk_error(failed.key, failed.position, failed.failure)
        # Hides the internal ChunkFailedError; the user's exception stays chained as the cause.
        raise error from error.__cause__


def _chunk_error(key: Any, position: int, failure: ItemFailure) -> ChunkItemError:
    error = ChunkItemError(key, position, failure.traceback_text, failure.summary)
    # Chain the user's own exception so `except ValueError` style handling and debuggers
    # still reach it (from a worker only when it survived pickling).
    error.__cause__ = failure.original()
    return error


def _pickle_function(fn: Callable[[Any], Any]) -> bytes:
    # cloudpickle, not pickle: lambdas, closures and functions defined in __main__ or a
    # notebook are sent by value, so they work in workers that never imported them.
    import cloudpickle

    class SourceKeepingPickler(cloudpickle.Pickler):  # type: ignore[misc]
        # cloudpickle (3.1+) names the file of code it sends by value '<dynamic-code>', so a
        # worker's traceback lost the user's file and line text. Code objects go by marshal
        # instead, which keeps them whole; driver and workers run the same Python, as
        # cloudpickle's own by-value code already requires.
        dispatch_table: ClassVar[ChainMap[Any, Any]] = ChainMap(
            {types.CodeType: _reduce_code}, cloudpickle.Pickler.dispatch_table
        )

    buffer = io.BytesIO()
    try:
        SourceKeepingPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(fn)
        data = buffer.getvalue()
    except Exception as exc:
        raise InvalidInputError(
            f"the function cannot be sent to worker processes: {exc}",
            hint="avoid capturing open files, connections or locks in the function, or use"
            " execution_type='threads'",
        ) from exc
    return data


def _reduce_code(code: types.CodeType) -> tuple[Callable[[bytes], Any], tuple[bytes]]:
    return marshal.loads, (marshal.dumps(code),)
