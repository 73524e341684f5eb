"""execution_type='ray': what a real Ray instance cannot show (``test_ray_local.py`` runs one).

Ray missing, the cluster's address and CPU count as read at connection, how many chunks are
pulled ahead, pending tasks cancelled, and failures of the infrastructure or of a task's reading
of its rows. The stand-in follows the Ray calls we use — init, put, remote(...).remote, wait,
get, cancel, cluster_resources — running each task at submission and passing every argument and
result through pickle, as Ray does through its object store.
"""

from __future__ import annotations

import pickle
import sys
import types
from dataclasses import dataclass, field
from typing import Any

import pytest

from gristmill.errors import JobError, MissingDependencyError
from gristmill.jobs.executors import run_chunks


class StandInRayError(Exception):
    pass


@dataclass(eq=False)
class StandInRef:
    value: Any = None
    error: BaseException | None = None


@dataclass
class StandInRay:
    cpus: int = 3
    initialised: bool = False
    init_calls: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[StandInRef] = field(default_factory=list)
    put_calls: int = 0
    fail_tasks: bool = False
    remote_options: dict[str, Any] = field(default_factory=dict)

    def module(self) -> types.ModuleType:
        ray = types.ModuleType("ray")
        ray.is_initialized = lambda: self.initialised  # type: ignore[attr-defined]
        ray.init = self.init  # type: ignore[attr-defined]
        ray.put = self.put  # type: ignore[attr-defined]
        ray.remote = self.remote  # type: ignore[attr-defined]
        ray.wait = self.wait  # type: ignore[attr-defined]
        ray.get = self.get  # type: ignore[attr-defined]
        ray.cancel = self.cancelled.append  # type: ignore[attr-defined]
        ray.cluster_resources = lambda: {"CPU": float(self.cpus)}  # type: ignore[attr-defined]
        ray.exceptions = types.SimpleNamespace(RayError=StandInRayError)  # type: ignore[attr-defined]
        return ray

    def init(self, **kwargs: Any) -> None:
        self.initialised = True
        self.init_calls.append(kwargs)

    def put(self, value: Any) -> StandInRef:
        self.put_calls += 1
        return StandInRef(pickle.loads(pickle.dumps(value)))

    def remote(self, function: Any = None, **options: Any) -> Any:
        if function is None:  # ray.remote(max_retries=...)(function)
            self.remote_options = options
            return self.remote
        outer = self

        class RemoteFunction:
            @staticmethod
            def remote(*args: Any) -> StandInRef:
                if outer.fail_tasks:
                    return StandInRef(error=StandInRayError("worker node lost"))
                resolved = [arg.value if isinstance(arg, StandInRef) else arg for arg in args]
                resolved = pickle.loads(pickle.dumps(resolved))
                return StandInRef(pickle.loads(pickle.dumps(function(*resolved))))

        return RemoteFunction()

    def wait(self, refs: list[StandInRef], *, num_returns: int = 1) -> tuple[list[Any], list[Any]]:
        return refs[:num_returns], refs[num_returns:]

    def get(self, ref: StandInRef) -> Any:
        if ref.error is not None:
            raise ref.error
        return ref.value


@pytest.fixture
def ray(monkeypatch: pytest.MonkeyPatch) -> StandInRay:
    stand_in = StandInRay()
    monkeypatch.setitem(sys.modules, "ray", stand_in.module())
    return stand_in


def test_missing_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail even where installed
    with pytest.raises(MissingDependencyError, match="execution_type='ray'") as caught:
        run_chunks(len, [], execution_type="ray")
    assert caught.value.hint == "pip install 'gristmill[ray]'"


def test_ray_runs_every_chunk_and_connects_to_the_configured_cluster(
    ray: StandInRay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRISTMILL_RAY_ADDRESS", "ray://head:10001")
    pulled = 0

    def chunks() -> Any:
        nonlocal pulled
        for number in range(20):
            pulled += 1
            yield number, list(range(number, number + 4))

    results = run_chunks(lambda value: value * 10, chunks(), num_jobs=-1, execution_type="ray")
    first_key, _ = next(results)
    # num_jobs=-1 on Ray is the cluster's CPUs (3 here): two chunks in flight per CPU.
    assert pulled == 6
    rest = dict(results)
    rest[first_key] = _
    assert rest == {n: [v * 10 for v in range(n, n + 4)] for n in range(20)}
    assert ray.init_calls == [{"address": "ray://head:10001", "ignore_reinit_error": True}]
    assert ray.put_calls == 1, "the function is stored once, not sent with every task"
    assert ray.remote_options == {"max_retries": 3}, "a task whose worker died is rerun"


def test_ray_stopping_early_cancels_pending_tasks(ray: StandInRay) -> None:
    results = run_chunks(len, [(n, ["x"]) for n in range(50)], num_jobs=2, execution_type="ray")
    next(results)
    results.close()  # type: ignore[attr-defined]
    assert len(ray.cancelled) == 3  # four in flight, one returned


def test_ray_infrastructure_failures_are_job_errors(ray: StandInRay) -> None:
    ray.fail_tasks = True
    with pytest.raises(JobError, match="Ray task failed outside the function"):
        list(run_chunks(len, [(0, ["x"])], execution_type="ray"))


@dataclass
class UnreadableRows:
    """An ItemReader whose files are gone by the time the task reads them."""

    def __len__(self) -> int:
        return 2

    def read(self) -> list[Any]:
        raise FileNotFoundError("/shared/project/datasets/x/source/part-00000.parquet")


def test_a_task_that_cannot_read_its_rows_is_a_job_error_naming_the_file(
    ray: StandInRay,
) -> None:
    with pytest.raises(JobError, match=r"could not read its rows: .*part-00000\.parquet") as caught:
        list(run_chunks(len, [(0, UnreadableRows())], execution_type="ray"))
    assert "same path" in (caught.value.hint or "")


def test_an_item_reader_is_read_by_the_driver_off_ray() -> None:
    @dataclass
    class Letters:
        def __len__(self) -> int:
            return 3

        def read(self) -> list[str]:
            return ["a", "bb", "ccc"]

    for execution_type in ("threads", "processes"):
        results = run_chunks(len, [(0, Letters())], num_jobs=2, execution_type=execution_type)
        assert list(results) == [(0, [1, 2, 3])]
