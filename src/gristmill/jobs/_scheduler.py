"""Keeping a bounded number of chunks in flight on any backend and yielding each as it finishes.

The scheduler pulls chunks lazily, so a million-row map holds only ``max_in_flight`` chunks in
memory; a backend only knows how to split a chunk, submit a batch, wait, and shut down.
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from gristmill.jobs._batch import BatchOutcome, ItemFailure

K = TypeVar("K")
H = TypeVar("H", bound=Hashable)


class ChunkBackend(Protocol[H]):
    """Where batches run: a thread pool, a process pool or a Ray cluster."""

    def split(self, items: Sequence[Any]) -> list[tuple[int, Sequence[Any]]]:
        """``(offset, batch)`` pieces of one chunk to submit separately."""
        ...

    def submit(self, batch: Sequence[Any]) -> H: ...

    def wait_any(self, handles: Collection[H]) -> Collection[H]:
        """Block until at least one handle is done; return the done ones."""
        ...

    def outcome(self, handle: H) -> BatchOutcome:
        """The result of a done batch; raises a JobError when the infrastructure failed."""
        ...

    def shutdown(self, pending: Collection[H]) -> None:
        """Drop ``pending`` batches and release the workers."""
        ...


class ChunkFailedError(Exception):
    """Internal: a batch reported an item failure; executors turn it into ChunkItemError."""

    def __init__(self, key: Any, position: int, failure: ItemFailure) -> None:
        super().__init__(key, position, failure)
        self.key = key
        self.position = position
        self.failure = failure


@dataclass
class _Chunk(Generic[K]):
    key: K
    outputs: list[Any]
    remaining: int = 0


def schedule(
    backend: ChunkBackend[H],
    chunks: Iterable[tuple[K, Sequence[Any]]],
    *,
    max_in_flight: int,
) -> Generator[tuple[K, list[Any]], None, None]:
    """Run every chunk on ``backend``; yield ``(key, outputs)`` in completion order."""
    source = iter(chunks)
    running: dict[H, tuple[_Chunk[K], int]] = {}
    chunks_in_flight = 0
    exhausted = False
    try:
        while True:
            while not exhausted and chunks_in_flight < max_in_flight:
                pulled = next(source, None)
                if pulled is None:
                    exhausted = True
                    break
                key, items = pulled
                if len(items) == 0:
                    yield key, []
                    continue
                chunk: _Chunk[K] = _Chunk(key, [None] * len(items))
                for offset, batch in backend.split(items):
                    running[backend.submit(batch)] = (chunk, offset)
                    chunk.remaining += 1
                chunks_in_flight += 1
            if not running:
                return
            for handle in backend.wait_any(list(running)):
                chunk, offset = running.pop(handle)
                outcome = backend.outcome(handle)
                if isinstance(outcome, ItemFailure):
                    raise ChunkFailedError(chunk.key, offset + outcome.position, outcome)
                chunk.outputs[offset : offset + len(outcome)] = outcome
                chunk.remaining -= 1
                if chunk.remaining == 0:
                    chunks_in_flight -= 1
                    yield chunk.key, chunk.outputs
    finally:
        # Runs on success, on error and when the caller stops iterating (generator close).
        backend.shutdown(list(running))
