"""observe_jobs: the jobs started in this context, at once and exactly, and no others."""

from __future__ import annotations

import logging
import threading

import pytest

from gristmill.jobs import Job, JobStatus, get_job, observe_jobs, start_job


def _run(kind: str, dataset: str) -> str:
    with start_job(kind, description=f"{kind} job", dataset=dataset, show_progress=False) as job:
        return job.id


def test_the_observer_sees_each_job_as_it_starts_nested_ones_included(project: object) -> None:
    seen: list[tuple[str, str | None, JobStatus]] = []

    def observer(job: Job) -> None:
        # Called once the row exists: a request can already answer with this id.
        seen.append((job.kind, job.dataset, get_job(job.id).status))

    with observe_jobs(observer), start_job("cluster", description="outer", dataset="local/a",
                                            show_progress=False):  # fmt: skip
        _run("embedding", "local/a")
    assert seen == [
        ("cluster", "local/a", JobStatus.RUNNING),
        ("embedding", "local/a", JobStatus.RUNNING),
    ]
    _run("map", "local/a")  # after the block: no longer observed
    assert len(seen) == 2


def test_jobs_of_other_threads_are_not_reported(project: object) -> None:
    seen: list[str] = []
    elsewhere = threading.Thread(target=_run, args=("map", "local/a"))
    with observe_jobs(lambda job: seen.append(job.id)):
        elsewhere.start()
        elsewhere.join()
        mine = _run("map", "local/a")
    assert seen == [mine]


def test_observers_nest_and_a_failing_observer_does_not_fail_the_job(
    project: object, caplog: pytest.LogCaptureFixture
) -> None:
    outer: list[str] = []

    def broken(job: Job) -> None:
        raise RuntimeError("observer bug")

    with (
        observe_jobs(lambda job: outer.append(job.kind)),
        observe_jobs(broken),
        caplog.at_level(logging.ERROR, logger="gristmill.jobs"),
    ):
        job_id = _run("signal", "local/a")
    assert outer == ["signal"]
    assert get_job(job_id).status is JobStatus.COMPLETED
    assert "a job observer failed" in caplog.text
