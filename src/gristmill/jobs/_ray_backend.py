"""Ray tasks as a chunk backend: the same sub-batches as the process pool, on a cluster.

A chunk of items is split into sub-batches like the process pool's; a chunk that is an
``ItemReader`` (rows the task reads from the dataset's files) is one task, so each row range
is opened once.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from types import ModuleType
from typing import Any

from gristmill.errors import JobError
from gristmill.jobs._batch import BatchOutcome, split_into_sub_batches
from gristmill.jobs._pool_backends import raise_setup_failure
from gristmill.jobs._worker import ItemReader, ReadFailure, run_ray_batch

RAY_ADDRESS_ENV = "GRISTMILL_RAY_ADDRESS"
TASK_RETRIES = 3


class RayBackend:
    """The function goes to the object store once; each sub-batch is one Ray task."""

    def __init__(self, ray: ModuleType, fn_bytes: bytes, num_jobs: int) -> None:
        self._ray = ray
        if not ray.is_initialized():
            # Unset address: Ray's own rules apply ($RAY_ADDRESS, else a local instance).
            ray.init(address=os.environ.get(RAY_ADDRESS_ENV) or None, ignore_reinit_error=True)
        self.workers = num_jobs if num_jobs > 0 else _cluster_cpus(ray)
        self._fn_ref = ray.put(fn_bytes)
        # A task whose worker died (killed, out of memory, node lost) is rerun elsewhere. It
        # only returns outputs and the driver stores each chunk once, so a rerun cannot
        # duplicate rows. The user's own exceptions come back as values and are never retried.
        self._task = ray.remote(max_retries=TASK_RETRIES)(run_ray_batch)

    def split(self, items: Sequence[Any] | ItemReader) -> list[tuple[int, Any]]:
        if isinstance(items, ItemReader):
            return [(0, items)]
        return list(split_into_sub_batches(items, self.workers))

    def submit(self, batch: Sequence[Any] | ItemReader) -> Any:
        return self._task.remote(self._fn_ref, batch)

    def wait_any(self, handles: Collection[Any]) -> Collection[Any]:
        ready, _ = self._ray.wait(list(handles), num_returns=1)
        return ready  # type: ignore[no-any-return]

    def outcome(self, handle: Any) -> BatchOutcome:
        try:
            result = self._ray.get(handle)
        except self._ray.exceptions.RayError as exc:
            raise JobError(
                f"a Ray task failed outside the function: {exc}",
                hint="check the Ray cluster (workers, memory, installed packages); rerun to"
                " resume: finished chunks are kept",
            ) from exc
        if isinstance(result, ReadFailure):
            raise JobError(
                f"a Ray task could not read its rows: {result.summary}\n\n" + result.traceback_text,
                hint="every node must see the project folder at the same path (a shared"
                " filesystem); rerun to resume: finished chunks are kept",
            )
        return raise_setup_failure(result)

    def shutdown(self, pending: Collection[Any]) -> None:
        for ref in pending:
            try:
                self._ray.cancel(ref)
            except Exception:
                # Already finished or the cluster is gone: nothing left to stop either way.
                continue


def _cluster_cpus(ray: ModuleType) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
