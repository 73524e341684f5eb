"""Reading and cancelling jobs, and reporting jobs whose process died as interrupted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.jobs._info import JobInfo, JobStatus
from gristmill.jobs._job import live_jobs
from gristmill.jobs._liveness import current_process, is_alive
from gristmill.jobs._table import UNFINISHED, jobs_table, row_to_info, utcnow
from gristmill.metadata import get_engine

MAX_LIST_LIMIT = 10_000

INTERRUPTED_MESSAGE = "interrupted"


def get_job(job_id: str) -> JobInfo:
    """The job ``job_id``; NotFoundError if there is none."""
    if not isinstance(job_id, str) or not job_id:
        raise InvalidInputError(f"a job id must be a non-empty string, got {job_id!r}")
    engine = get_engine()
    with engine.begin() as conn:
        row = _select_job(conn, job_id)
        if row is None:
            raise NotFoundError(
                f"no job with id '{job_id}'",
                hint="list jobs with gristmill.jobs.list_jobs() (CLI: gristmill jobs)",
            )
        if row.status in UNFINISHED and _mark_interrupted(conn, [row]):
            row = _select_job(conn, job_id)
    assert row is not None
    return row_to_info(row)


def list_jobs(
    *, dataset: str | None = None, status: JobStatus | None = None, limit: int = 100
) -> list[JobInfo]:
    """Jobs, newest first, optionally of one dataset and/or in one status."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIST_LIMIT:
        raise InvalidInputError(
            f"limit must be an integer from 1 to {MAX_LIST_LIMIT}, got {limit!r}",
            hint="pass a smaller limit and filter by dataset or status",
        )
    wanted_status = _parse_status(status)
    engine = get_engine()
    with engine.begin() as conn:
        # Settle dead jobs first, so a status filter sees them as what they are now.
        unfinished = sa.select(jobs_table).where(jobs_table.c.status.in_(UNFINISHED))
        if dataset is not None:
            unfinished = unfinished.where(jobs_table.c.dataset == dataset)
        _mark_interrupted(conn, conn.execute(unfinished).all())

        query = sa.select(jobs_table)
        if dataset is not None:
            query = query.where(jobs_table.c.dataset == dataset)
        if wanted_status is not None:
            query = query.where(jobs_table.c.status == wanted_status.value)
        query = query.order_by(jobs_table.c.created_at.desc(), jobs_table.c.id.desc())
        rows = conn.execute(query.limit(limit)).all()
    return [row_to_info(row) for row in rows]


def cancel_job(job_id: str) -> JobInfo:
    """Ask a job to stop. A running job stops at its next check and is then ``cancelled``;
    a pending job, or one whose process is gone, is cancelled at once. Cancelling a finished
    job changes nothing."""
    info = get_job(job_id)
    if info.status.is_finished:
        return info
    local = live_jobs.get(job_id)
    if local is not None:
        local.request_cancel()
    engine = get_engine()
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            jobs_table.update()
            .where(jobs_table.c.id == job_id, jobs_table.c.status.in_(UNFINISHED))
            .values(cancel_requested=True, updated_at=now)
        )
        if info.status is JobStatus.PENDING:
            # Nothing runs it yet, so nothing else would ever record the cancellation.
            conn.execute(
                jobs_table.update()
                .where(jobs_table.c.id == job_id, jobs_table.c.status == JobStatus.PENDING.value)
                .values(
                    status=JobStatus.CANCELLED.value,
                    message="cancelled",
                    error="cancelled before it started",
                    finished_at=now,
                )
            )
    return get_job(job_id)


def _select_job(conn: sa.Connection, job_id: str) -> sa.Row[Any] | None:
    return conn.execute(sa.select(jobs_table).where(jobs_table.c.id == job_id)).first()


def _parse_status(status: JobStatus | str | None) -> JobStatus | None:
    if status is None:
        return None
    try:
        return JobStatus(status)
    except ValueError:
        known = ", ".join(member.value for member in JobStatus)
        raise InvalidInputError(
            f"unknown job status {status!r}", hint=f"use one of: {known}"
        ) from None


def _mark_interrupted(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> int:
    """Record unfinished jobs whose process no longer exists as failed; return how many."""
    me = current_process()
    now = utcnow()
    marked = 0
    for row in rows:
        if not _process_is_gone(row, me.pid):
            continue
        host_text = f"pid {row.pid} on {row.host}"
        result = conn.execute(
            jobs_table.update()
            .where(
                jobs_table.c.id == row.id,
                jobs_table.c.status.in_(UNFINISHED),
                jobs_table.c.pid == row.pid,
            )
            .values(
                status=JobStatus.FAILED.value,
                message=INTERRUPTED_MESSAGE,
                error=(
                    f"interrupted: the process running this job ({host_text}) ended before it"
                    " finished; rerun the same command to resume (finished work is kept)"
                ),
                finished_at=now,
                updated_at=now,
            )
        )
        marked += result.rowcount
    return marked


def _process_is_gone(row: sa.Row[Any], my_pid: int) -> bool:
    alive = is_alive(row.pid, row.host, row.process_token)
    if alive is None:
        # Another machine (a shared PostgreSQL): its pids mean nothing here.
        return False
    if alive and row.pid == my_pid:
        # This very process: the job is live only if its handle still exists. One that was
        # dropped without finishing can never finish.
        return row.id not in live_jobs
    return not alive
