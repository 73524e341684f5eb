"""run_chunks in threads and processes: results, errors, bounded memory, shutdown."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from gristmill.errors import InvalidInputError, JobError
from gristmill.jobs.executors import ChunkItemError, resolve_num_jobs, run_chunks

PARALLEL_SETUPS = [("threads", 1), ("threads", 2), ("processes", 2)]


class CountingChunks:
    """An iterable of numbered chunks that records how many were pulled."""

    def __init__(self, count: int, size: int) -> None:
        self.count = count
        self.size = size
        self.pulled = 0

    def __iter__(self) -> Iterator[tuple[str, list[int]]]:
        for number in range(self.count):
            self.pulled += 1
            yield f"chunk-{number}", list(range(number * self.size, (number + 1) * self.size))


def square(value: int) -> int:
    return value * value


def fail_on_seven(value: int) -> int:
    if value == 7:
        raise ValueError(f"bad item {value}")
    return value


@pytest.mark.parametrize(("execution_type", "num_jobs"), PARALLEL_SETUPS)
def test_every_chunk_comes_back_once_with_outputs_in_item_order(
    execution_type: Any, num_jobs: int
) -> None:
    chunks = CountingChunks(count=9, size=7)
    offset = 1000  # captured by the closure: sent by value to processes
    results = list(
        run_chunks(
            lambda value: value + offset,
            chunks,
            num_jobs=num_jobs,
            execution_type=execution_type,
        )
    )
    assert sorted(key for key, _ in results) == sorted(f"chunk-{n}" for n in range(9))
    for key, outputs in results:
        number = int(key.removeprefix("chunk-"))
        assert outputs == [value + offset for value in range(number * 7, (number + 1) * 7)]


def test_module_functions_and_big_chunks_split_across_processes() -> None:
    # 3000 items per chunk is split into sub-batches; the pieces must come back in place.
    chunks = [("a", list(range(3000))), ("b", list(range(5))), ("empty", [])]
    results = dict(run_chunks(square, chunks, num_jobs=2, execution_type="processes"))
    assert results == {
        "a": [value * value for value in range(3000)],
        "b": [0, 1, 4, 9, 16],
        "empty": [],
    }


@pytest.mark.parametrize(("execution_type", "num_jobs"), PARALLEL_SETUPS)
def test_an_item_error_names_chunk_position_and_the_users_line(
    execution_type: Any, num_jobs: int
) -> None:
    chunks = [("first", [1, 2, 3]), ("second", [5, 6, 7, 8])]
    with pytest.raises(ChunkItemError) as caught:
        list(run_chunks(fail_on_seven, chunks, num_jobs=num_jobs, execution_type=execution_type))
    error = caught.value
    assert (error.key, error.position) == ("second", 2)
    assert 'raise ValueError(f"bad item {value}")' in error.traceback_text
    assert "in fail_on_seven" in error.traceback_text
    assert "apply_to_batch" not in error.traceback_text, "our own frame is not the user's"
    assert "ValueError: bad item 7" in str(error)
    assert isinstance(error.__cause__, ValueError)
    assert str(error.__cause__) == "bad item 7"


def test_in_threads_the_original_exception_object_is_chained() -> None:
    raised: list[BaseException] = []

    def fail(value: int) -> int:
        error = KeyError(value)
        raised.append(error)
        raise error

    for num_jobs in (1, 2):
        with pytest.raises(ChunkItemError) as caught:
            list(run_chunks(fail, [("only", [4])], num_jobs=num_jobs))
        assert caught.value.__cause__ is raised[-1]
        # Python prints the chained traceback itself: ours does not repeat it.
        assert "Original traceback" not in str(caught.value)


class UnpicklableError(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def raise_unpicklable(value: int) -> int:
    raise UnpicklableError


def test_an_unpicklable_exception_from_a_process_still_shows_its_traceback() -> None:
    with pytest.raises(ChunkItemError) as caught:
        list(run_chunks(raise_unpicklable, [("k", [1])], num_jobs=1, execution_type="processes"))
    error = caught.value
    assert error.__cause__ is None
    assert "UnpicklableError: holds a lock" in error.traceback_text
    assert "Original traceback (from the worker)" in str(error)
    assert "raise UnpicklableError" in str(error)


def test_chunk_item_error_survives_pickling() -> None:
    error = ChunkItemError(("shard", 3), 5, "Traceback ...", "ValueError: x")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.key, copy.position, copy.traceback_text) == (("shard", 3), 5, "Traceback ...")


@pytest.mark.parametrize(("execution_type", "num_jobs"), PARALLEL_SETUPS)
def test_chunks_are_pulled_lazily_with_a_bounded_number_in_flight(
    execution_type: Any, num_jobs: int
) -> None:
    chunks = CountingChunks(count=40, size=3)
    results = run_chunks(square, chunks, num_jobs=num_jobs, execution_type=execution_type)
    assert chunks.pulled == 0, "nothing is pulled before the caller asks"
    received = 0
    for _key, _outputs in results:
        received += 1
        assert chunks.pulled - received < 2 * num_jobs
    assert (received, chunks.pulled) == (40, 40)


def test_num_jobs_minus_one_means_one_worker_per_cpu() -> None:
    assert resolve_num_jobs(-1) == (os.cpu_count() or 1)
    assert resolve_num_jobs(3) == 3
    chunks = CountingChunks(count=5, size=2)
    assert len(dict(run_chunks(square, chunks, num_jobs=-1))) == 5


def _chunk_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("gristmill-chunk")]


def test_stopping_early_shuts_the_thread_pool_down() -> None:
    chunks = CountingChunks(count=1000, size=10)
    results = run_chunks(square, chunks, num_jobs=2)
    next(results)
    assert _chunk_threads()
    results.close()
    assert _chunk_threads() == []
    assert chunks.pulled <= 5


def test_process_workers_start_before_the_first_chunk_is_read() -> None:
    # Spawning takes a while; the workers boot while the caller reads its first rows.
    before = set(multiprocessing.active_children())
    started_when_read: list[int] = []

    def chunks() -> Iterator[tuple[str, list[int]]]:
        started_when_read.append(len(set(multiprocessing.active_children()) - before))
        yield "a", [1, 2, 3]

    results = dict(run_chunks(square, chunks(), num_jobs=2, execution_type="processes"))
    assert results == {"a": [1, 4, 9]}
    assert started_when_read == [2]


def test_a_finished_process_run_does_not_wait_for_its_workers_to_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every result is in: the caller stores them while the idle workers exit. Stopped early
    # with batches in flight, it waits, so nothing runs after the job stopped.
    waits: list[bool] = []
    real = ProcessPoolExecutor.shutdown

    def recording(self: ProcessPoolExecutor, wait: bool = True, **kwargs: Any) -> None:
        waits.append(wait)
        real(self, wait=wait, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "shutdown", recording)
    finished = run_chunks(square, [("a", [1, 2])], num_jobs=2, execution_type="processes")
    assert list(finished) == [("a", [1, 4])]
    results = run_chunks(
        square, CountingChunks(count=50, size=10), num_jobs=2, execution_type="processes"
    )
    next(results)
    results.close()
    assert waits == [False, True]


def test_stopping_early_shuts_the_process_pool_down() -> None:
    before = set(multiprocessing.active_children())
    chunks = CountingChunks(count=1000, size=10)
    results = run_chunks(square, chunks, num_jobs=2, execution_type="processes")
    next(results)
    assert set(multiprocessing.active_children()) - before
    results.close()
    assert set(multiprocessing.active_children()) - before == set()
    assert chunks.pulled <= 5


def test_an_error_shuts_the_pool_down() -> None:
    chunks = [(number, [number]) for number in range(50)]
    with pytest.raises(ChunkItemError):
        list(run_chunks(fail_on_seven, chunks, num_jobs=2))
    assert _chunk_threads() == []


def test_a_worker_that_dies_is_a_job_error() -> None:
    with pytest.raises(JobError, match="worker process died") as caught:
        list(run_chunks(lambda value: os._exit(3), [("k", [1])], execution_type="processes"))
    assert caught.value.hint is not None and "num_jobs" in caught.value.hint


def test_results_that_cannot_be_pickled_are_a_job_error() -> None:
    with pytest.raises(JobError, match="could not be passed between processes"):
        list(run_chunks(lambda value: threading.Lock(), [("k", [1])], execution_type="processes"))


def test_a_function_that_cannot_be_pickled_is_rejected_at_once() -> None:
    lock = threading.Lock()
    with pytest.raises(InvalidInputError, match="cannot be sent to worker processes") as caught:
        run_chunks(lambda value: lock, [], execution_type="processes")
    assert caught.value.hint is not None and "threads" in caught.value.hint


@pytest.mark.parametrize("num_jobs", [0, -2, 1.5, True, "4"])
def test_bad_num_jobs_is_rejected(num_jobs: Any) -> None:
    with pytest.raises(InvalidInputError, match="num_jobs"):
        run_chunks(square, [], num_jobs=num_jobs)


def test_bad_execution_type_and_function_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match="execution_type") as caught:
        run_chunks(square, [], execution_type="gpu")  # type: ignore[arg-type]
    assert caught.value.hint is not None and "processes" in caught.value.hint
    with pytest.raises(InvalidInputError, match="callable"):
        run_chunks("len", [])  # type: ignore[arg-type]


def test_chunks_of_any_sequence_type() -> None:
    chunks: list[tuple[int, Sequence[int]]] = [(0, (1, 2)), (1, range(3))]
    assert dict(run_chunks(square, chunks, num_jobs=2)) == {0: [1, 4], 1: [0, 1, 4]}


def test_a_function_the_workers_cannot_import_is_a_job_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gm_vanishing_module.py").write_text("def double(value):\n    return 2 * value\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("gm_vanishing_module")
    monkeypatch.setitem(sys.modules, "gm_vanishing_module", module)
    # Pickled by reference now; the workers, spawned later, no longer find the module.
    results = run_chunks(module.double, [("k", [1])], execution_type="processes")
    sys.path.remove(str(tmp_path))
    with pytest.raises(JobError, match="could not be loaded in a worker") as caught:
        list(results)
    assert "gm_vanishing_module" in str(caught.value)
    assert caught.value.hint is not None and "importable" in caught.value.hint
