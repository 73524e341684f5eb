"""Enrichments started from the server: a worker thread per computation, answered by job id.

The core's column jobs (``compute_embedding``, ``compute_signal``, ``compute_concept``) record
their own job with ``gristmill.jobs.start_job`` and call ``check_cancelled`` between chunks, so
``POST /jobs/{id}/cancel`` stops them. What the request needs is that job's id, which the core
does not hand out before it returns. The core must not learn about the server (no callback or
thread-local "job observer" in it), so the server finds the job from outside: it polls
``list_jobs(dataset=...)`` for the job of the expected kind created by this process after the
request started. To keep that match unambiguous, the server runs at most one enrichment of each
kind per dataset at a time (a second one answers 409), so no two requests look for the same job.
A job a notebook starts in the same process, on the same dataset and of the same kind, in the
same instant, could be mistaken for ours: that is the accepted limit.

An error raised before the job exists (unknown embedding, a path that is not text, bad signal
parameters) is the request's error (4xx); one raised later fails the job, which GET /jobs shows.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from gristmill.errors import AlreadyExistsError
from gristmill.jobs import JobInfo, list_jobs
from gristmill.server._models import EnrichmentStarted

logger = logging.getLogger("gristmill.server")

JOB_POLL_INTERVAL_S = 0.05
# A dataset has few jobs running at once; the newest few are enough to find ours.
_RECENT_JOBS = 20


class EnrichmentTracker:
    """The enrichments this server started: at most one per (dataset, kind) at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[tuple[str, str]] = set()

    def start(self, dataset: str, kind: str, run: Callable[[], object]) -> EnrichmentStarted:
        """Run ``run`` in a worker thread; return once its job exists (or raise its error)."""
        key = (dataset, kind)
        with self._lock:
            if key in self._running:
                raise AlreadyExistsError(
                    f"a {kind} job of '{dataset}' started here is already running",
                    hint="wait for it to finish (GET /api/v1/jobs) or cancel it, then retry",
                )
            self._running.add(key)
        since = datetime.now(UTC)
        finished = threading.Event()
        errors: list[BaseException] = []

        def work() -> None:
            try:
                run()
            except BaseException as exc:
                errors.append(exc)
                # The job (if it started) records the failure; this is for the server log.
                logger.info("%s job of %s ended: %s", kind, dataset, exc)
            finally:
                with self._lock:
                    self._running.discard(key)
                finished.set()

        threading.Thread(target=work, name=f"gristmill-{kind}-{dataset}", daemon=True).start()
        while True:
            done = finished.is_set()
            job = _find_job(dataset, kind, since)
            if job is not None:
                return EnrichmentStarted(job_id=job.id, kind=kind, dataset=dataset)
            if done:
                if errors:
                    raise errors[0]
                # It returned without a job: the same result was already stored.
                return EnrichmentStarted(job_id=None, kind=kind, dataset=dataset)
            finished.wait(JOB_POLL_INTERVAL_S)


def _find_job(dataset: str, kind: str, since: datetime) -> JobInfo | None:
    for info in list_jobs(dataset=dataset, limit=_RECENT_JOBS):
        if info.kind == kind and info.pid == os.getpid() and _as_utc(info.created_at) >= since:
            return info
    return None


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive timestamps; the jobs module writes them in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
