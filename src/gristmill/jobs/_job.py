"""A running job: progress, cancellation checks and the final status, written to the database.

Progress writes are throttled so a hot loop calling ``advance()`` per row costs a counter
increment, not a database round trip; the final state is always written.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import traceback
import uuid
import weakref
from types import TracebackType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gristmill.errors import GristmillError, InvalidInputError, JobCancelledError
from gristmill.jobs._info import JobStatus
from gristmill.jobs._liveness import current_process
from gristmill.jobs._observe import announce_started
from gristmill.jobs._table import jobs_table, utcnow
from gristmill.metadata import get_engine

if TYPE_CHECKING:
    from tqdm import tqdm

logger = logging.getLogger("gristmill.jobs")

# At most this many progress writes per second per job (two, so a UI polling every second sees
# movement) and this often a database read to see whether another process cancelled the job.
PROGRESS_WRITE_INTERVAL_S = 0.5
CANCEL_CHECK_INTERVAL_S = 1.0

# Jobs alive in this process. Weak, so a job dropped without finishing disappears from here and
# a reader can report it as interrupted; cancel_job() uses it to stop a local job at once.
live_jobs: weakref.WeakValueDictionary[str, Job] = weakref.WeakValueDictionary()


def start_job(
    kind: str,
    *,
    description: str,
    dataset: str | None = None,
    total: int | None = None,
    params: dict[str, Any] | None = None,
    show_progress: bool = True,
) -> Job:
    """Record a new running job and return it; use it as ``with start_job(...) as job:``."""
    if not kind or not isinstance(kind, str):
        raise InvalidInputError(
            f"a job needs a kind such as 'map', got {kind!r}", hint="pass kind='map' or similar"
        )
    _check_total(total)
    params = dict(params or {})
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"job params must be JSON-serialisable: {exc}",
            hint="pass plain strings, numbers, lists and dicts in params",
        ) from exc
    engine = get_engine()
    job_id = uuid.uuid4().hex
    now = utcnow()
    process = current_process()
    job = Job(
        engine,
        job_id,
        kind=kind,
        dataset=dataset,
        description=description,
        total=total,
        show_progress=show_progress,
    )
    # Registered before the row exists, so no reader ever sees a running row of this process
    # that is missing here (which it would report as interrupted).
    live_jobs[job_id] = job
    try:
        with engine.begin() as conn:
            conn.execute(
                jobs_table.insert().values(
                    id=job_id,
                    kind=kind,
                    dataset=dataset,
                    description=description,
                    status=JobStatus.RUNNING.value,
                    progress=0,
                    total=total,
                    params=params,
                    cancel_requested=False,
                    pid=process.pid,
                    host=process.host,
                    process_token=process.token,
                    created_at=now,
                    started_at=now,
                    updated_at=now,
                )
            )
    except BaseException:
        live_jobs.pop(job_id, None)
        job._close_progress_bar()
        raise
    announce_started(job)
    return job


class Job:
    """Handle of a running job. Thread-safe: workers' results may be counted from any thread."""

    def __init__(
        self,
        engine: sa.Engine,
        job_id: str,
        *,
        kind: str,
        dataset: str | None,
        description: str,
        total: int | None,
        show_progress: bool,
    ) -> None:
        self.id = job_id
        self.kind = kind
        self.dataset = dataset
        self.description = description
        # The engine is pinned so a project switch mid-job cannot send its writes elsewhere.
        self._engine = engine
        self._lock = threading.Lock()
        self._progress = 0
        self._total = total
        self._message: str | None = None
        self._last_write = time.monotonic()
        self._last_cancel_check = float("-inf")
        self._cancelled = threading.Event()
        self._finished = False
        self._bar: tqdm[Any] | None = _open_bar(description, total) if show_progress else None

    @property
    def progress(self) -> int:
        return self._progress

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def finished(self) -> bool:
        return self._finished

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done."""
        with self._lock:
            self._progress += n
            if self._bar is not None:
                self._bar.update(n)
            self._write_progress_if_due()

    def restart_progress(self) -> None:
        """Count from zero again: the work done so far is being redone (a load read again)."""
        with self._lock:
            self._progress = 0
            if self._bar is not None:
                self._bar.reset(total=self._total)
            self._write_progress_if_due(force=True)

    def set_total(self, total: int) -> None:
        _check_total(total)
        with self._lock:
            self._total = total
            if self._bar is not None:
                self._bar.total = total
                self._bar.refresh()
            self._write_progress_if_due(force=True)

    def set_message(self, message: str) -> None:
        with self._lock:
            self._message = message
            if self._bar is not None:
                self._bar.set_postfix_str(message, refresh=False)
            self._write_progress_if_due()

    def request_cancel(self) -> None:
        """Make the next ``check_cancelled()`` in this process raise (used by cancel_job)."""
        self._cancelled.set()

    def check_cancelled(self) -> None:
        """Raise JobCancelledError if the job was cancelled, from this or any other process."""
        if not self._cancelled.is_set():
            now = time.monotonic()
            if now - self._last_cancel_check < CANCEL_CHECK_INTERVAL_S:
                return
            self._last_cancel_check = now
            if self._read_cancel_requested():
                self._cancelled.set()
        if self._cancelled.is_set():
            raise JobCancelledError(
                f"job {self.id} ({self.description}) was cancelled",
                hint="rerun the same command to resume: finished work is kept",
            )

    def complete(self, message: str | None = None) -> None:
        """Record the job as completed (a no-op once it has finished)."""
        self._finish(JobStatus.COMPLETED, message=message, error=None)

    def fail(self, error: BaseException) -> None:
        """Record the job as failed, or cancelled when ``error`` is a cancellation."""
        status = JobStatus.CANCELLED if _is_cancellation(error) else JobStatus.FAILED
        message = "cancelled" if status is JobStatus.CANCELLED else "failed"
        self._finish(status, message=message, error=describe_error(error))

    def __enter__(self) -> Job:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.complete()
            return
        try:
            self.fail(exc)
        except Exception:
            # The job's own error matters more than our failure to record it.
            logger.exception("could not record the failure of job %s", self.id)

    def __repr__(self) -> str:
        return (
            f"Job(id={self.id!r}, kind={self.kind!r}, description={self.description!r},"
            f" progress={self._progress})"
        )

    def _write_progress_if_due(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self._finished or (not force and now - self._last_write < PROGRESS_WRITE_INTERVAL_S):
            return
        self._last_write = now
        try:
            self._update(progress=self._progress, total=self._total, message=self._message)
        except sa.exc.DBAPIError:
            # Progress is advisory: a busy or briefly unreachable database must not kill the
            # work; the final write reports the true state.
            logger.warning("could not record the progress of job %s", self.id, exc_info=True)

    def _finish(self, status: JobStatus, *, message: str | None, error: str | None) -> None:
        with self._lock:
            if self._finished:
                return
            self._finished = True
            now = utcnow()
            try:
                self._update(
                    status=status.value,
                    progress=self._progress,
                    total=self._total,
                    message=message if message is not None else self._message,
                    error=error,
                    finished_at=now,
                )
            finally:
                live_jobs.pop(self.id, None)
                self._close_progress_bar()

    def _close_progress_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _update(self, **values: Any) -> None:
        values["updated_at"] = utcnow()
        with self._engine.begin() as conn:
            conn.execute(jobs_table.update().where(jobs_table.c.id == self.id).values(**values))

    def _read_cancel_requested(self) -> bool:
        try:
            with self._engine.connect() as conn:
                requested = conn.execute(
                    sa.select(jobs_table.c.cancel_requested).where(jobs_table.c.id == self.id)
                ).scalar_one_or_none()
        except sa.exc.DBAPIError:
            logger.warning("could not check job %s for cancellation", self.id, exc_info=True)
            return False
        return bool(requested)


def describe_error(error: BaseException) -> str:
    """The stored text of a failure: our errors as users see them, others with a traceback."""
    if isinstance(error, GristmillError):
        return str(error)
    detail = str(error)
    summary = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    if isinstance(error, KeyboardInterrupt | GeneratorExit):
        return summary
    return summary + "\n\n" + "".join(traceback.format_exception(error)).rstrip()


def _is_cancellation(error: BaseException) -> bool:
    # Ctrl-C and a caller that stops consuming a generator are the user stopping the job.
    return isinstance(error, JobCancelledError | KeyboardInterrupt | GeneratorExit)


def _check_total(total: int | None) -> None:
    if total is not None and (not isinstance(total, int) or total < 0):
        raise InvalidInputError(
            f"a job total must be a non-negative integer, got {total!r}",
            hint="pass the number of items, or None when it is not known",
        )


def _open_bar(description: str, total: int | None) -> tqdm[Any]:
    from tqdm import tqdm

    return tqdm(total=total, desc=description, file=sys.stderr, dynamic_ncols=True)
