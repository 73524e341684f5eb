"""Jobs: long work recorded in the metadata database, and the executors that run it.

::

    with start_job("map", description="map len", dataset="local/alpaca", total=n) as job:
        for key, outputs in run_chunks(fn, chunks, num_jobs=-1, execution_type="processes"):
            store(key, outputs)
            job.advance(len(outputs))
            job.check_cancelled()

Code that runs work it did not write learns the ids of the jobs that work starts with
:func:`observe_jobs`. Status and progress are visible from any process through :func:`get_job` and
:func:`list_jobs`; :func:`cancel_job` stops a job at its next ``check_cancelled()``. A job whose
process died is reported as failed ("interrupted"); rerunning the same work resumes it.

Names are loaded on first use: worker processes import ``gristmill.jobs`` to run a batch and
must not pay for SQLAlchemy and pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill._lazy import lazy_exports

if TYPE_CHECKING:
    from gristmill.jobs._info import JobInfo, JobStatus
    from gristmill.jobs._job import Job, start_job
    from gristmill.jobs._observe import JobObserver, observe_jobs
    from gristmill.jobs._store import cancel_job, get_job, list_jobs
    from gristmill.jobs.executors import ChunkItemError, ExecutionType, run_chunks

__all__ = [
    "ChunkItemError",
    "ExecutionType",
    "Job",
    "JobInfo",
    "JobObserver",
    "JobStatus",
    "cancel_job",
    "get_job",
    "list_jobs",
    "observe_jobs",
    "run_chunks",
    "start_job",
]

_HOMES = {
    "JobInfo": "gristmill.jobs._info",
    "JobStatus": "gristmill.jobs._info",
    "Job": "gristmill.jobs._job",
    "start_job": "gristmill.jobs._job",
    "JobObserver": "gristmill.jobs._observe",
    "observe_jobs": "gristmill.jobs._observe",
    "cancel_job": "gristmill.jobs._store",
    "get_job": "gristmill.jobs._store",
    "list_jobs": "gristmill.jobs._store",
    "ChunkItemError": "gristmill.jobs.executors",
    "ExecutionType": "gristmill.jobs.executors",
    "run_chunks": "gristmill.jobs.executors",
}


__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals())
