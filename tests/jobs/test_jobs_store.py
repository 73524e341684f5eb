"""Listing jobs, and reporting jobs whose process died as interrupted."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from gristmill.errors import InvalidInputError
from gristmill.jobs import JobStatus, cancel_job, get_job, list_jobs, start_job
from gristmill.jobs._liveness import current_process
from gristmill.jobs._table import jobs_table, utcnow
from gristmill.metadata import get_engine

CHILD_TIMEOUT_S = 60


def _insert_row(dataset: str, **overrides: object) -> str:
    """A job row as another process or machine would have written it."""
    job_id = uuid.uuid4().hex
    now = utcnow()
    values: dict[str, object] = {
        "id": job_id,
        "kind": "map",
        "dataset": dataset,
        "description": "written elsewhere",
        "status": JobStatus.RUNNING.value,
        "progress": 0,
        "params": {},
        "cancel_requested": False,
        "created_at": now,
        "started_at": now,
        "updated_at": now,
        **overrides,
    }
    with get_engine().begin() as conn:
        conn.execute(jobs_table.insert().values(**values))
    return job_id


def test_list_jobs_newest_first_with_filters_and_limit(database: str, dataset: str) -> None:
    other = dataset + "-other"
    ids = []
    for number in range(3):
        with start_job(
            "map", description=f"job {number}", dataset=dataset, show_progress=False
        ) as job:
            ids.append(job.id)
    with pytest.raises(RuntimeError):  # noqa: SIM117 - the job must see the raise
        with start_job("signal", description="fails", dataset=dataset, show_progress=False) as bad:
            raise RuntimeError("boom")
    with start_job("map", description="elsewhere", dataset=other, show_progress=False) as job:
        pass

    listed = list_jobs(dataset=dataset)
    assert [info.id for info in listed] == [bad.id, *reversed(ids)]
    assert [info.id for info in list_jobs(dataset=dataset, status=JobStatus.FAILED)] == [bad.id]
    assert len(list_jobs(dataset=dataset, status=JobStatus.COMPLETED)) == 3
    assert [info.id for info in list_jobs(dataset=dataset, limit=2)] == [bad.id, ids[2]]
    assert [info.id for info in list_jobs(dataset=other)] == [job.id]
    assert list_jobs(dataset=dataset, status=JobStatus.RUNNING) == []
    assert {info.id for info in list_jobs(limit=10_000)} >= {*ids, bad.id, job.id}


@pytest.mark.parametrize("limit", [0, -1, 10_001])
def test_list_jobs_rejects_bad_limits(project: Path, limit: int) -> None:
    with pytest.raises(InvalidInputError, match="limit"):
        list_jobs(limit=limit)


def test_list_jobs_rejects_an_unknown_status(project: Path) -> None:
    with pytest.raises(InvalidInputError, match="unknown job status") as caught:
        list_jobs(status="done")  # type: ignore[arg-type]
    assert caught.value.hint is not None and "completed" in caught.value.hint


def test_a_job_whose_process_died_is_reported_interrupted(
    database: str, dataset: str, child_env: dict[str, str]
) -> None:
    script = textwrap.dedent(
        """
        import os, sys
        from gristmill.jobs import start_job
        job = start_job("map", description="doomed", dataset=sys.argv[1], show_progress=False)
        job.advance(3)
        print(job.id, flush=True)
        os._exit(1)  # dies like kill -9: no cleanup, no final write
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script, dataset],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    assert child.returncode == 1, child.stderr
    job_id = child.stdout.strip()

    assert list_jobs(dataset=dataset, status=JobStatus.RUNNING) == []
    info = get_job(job_id)
    assert info.status is JobStatus.FAILED
    assert info.message == "interrupted"
    assert info.error is not None and info.error.startswith("interrupted")
    assert "rerun" in info.error
    assert info.pid is not None and info.pid != os.getpid()
    assert info.finished_at is not None


def test_a_job_dropped_without_finishing_is_reported_interrupted(
    database: str, dataset: str
) -> None:
    job = start_job("map", description="forgotten", dataset=dataset, show_progress=False)
    job_id = job.id
    assert get_job(job_id).status is JobStatus.RUNNING
    del job
    gc.collect()
    assert get_job(job_id).status is JobStatus.FAILED


def test_a_reused_pid_does_not_keep_a_dead_job_alive(database: str, dataset: str) -> None:
    me = current_process()
    job_id = _insert_row(dataset, pid=me.pid, host=me.host, process_token="another-boot:1")
    assert [info.status for info in list_jobs(dataset=dataset)] == [JobStatus.FAILED]
    assert get_job(job_id).message == "interrupted"


def test_jobs_of_another_machine_are_left_alone(database: str, dataset: str) -> None:
    job_id = _insert_row(dataset, pid=1, host="some-other-machine", process_token="x:1")
    assert get_job(job_id).status is JobStatus.RUNNING
    assert [info.id for info in list_jobs(dataset=dataset, status=JobStatus.RUNNING)] == [job_id]


def test_cancelling_a_pending_job_cancels_it_at_once(database: str, dataset: str) -> None:
    job_id = _insert_row(dataset, status=JobStatus.PENDING.value)
    info = cancel_job(job_id)
    assert info.status is JobStatus.CANCELLED
    assert info.cancel_requested
    assert info.finished_at is not None


def test_cancel_from_another_process(
    database: str, dataset: str, child_env: dict[str, str]
) -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from gristmill.errors import JobCancelledError
        from gristmill.jobs import _job, start_job
        _job.CANCEL_CHECK_INTERVAL_S = 0.05
        try:
            job = start_job("map", description="wait", dataset=sys.argv[1], show_progress=False)
            with job:
                print(job.id, flush=True)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    job.check_cancelled()
                    job.advance()
                    time.sleep(0.01)
        except JobCancelledError:
            sys.exit(0)
        sys.exit(3)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, dataset],
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        job_id = child.stdout.readline().strip()
        requested = cancel_job(job_id)
        assert requested.cancel_requested
        assert child.wait(timeout=CHILD_TIMEOUT_S) == 0
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    info = get_job(job_id)
    assert info.status is JobStatus.CANCELLED
    assert info.pid == child.pid


def test_threads_and_processes_write_progress_at_the_same_time(
    database: str, dataset: str, child_env: dict[str, str], unthrottled: None
) -> None:
    script = textwrap.dedent(
        """
        import sys
        from gristmill.jobs import _job, start_job
        _job.PROGRESS_WRITE_INTERVAL_S = 0.0
        with start_job("map", description="child", dataset=sys.argv[1], show_progress=False) as job:
            for _ in range(150):
                job.advance()
        """
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script, dataset], env=child_env) for _ in range(2)
    ]
    errors: list[BaseException] = []

    def run_local_job() -> None:
        try:
            with start_job(
                "map", description="thread", dataset=dataset, show_progress=False
            ) as job:
                for _ in range(150):
                    job.advance()
        except BaseException as exc:
            errors.append(exc)

    import threading

    threads = [threading.Thread(target=run_local_job) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [child.wait(timeout=CHILD_TIMEOUT_S) for child in children] == [0, 0]
    assert errors == []
    jobs = list_jobs(dataset=dataset)
    assert len(jobs) == 5
    assert {(info.status, info.progress) for info in jobs} == {(JobStatus.COMPLETED, 150)}
