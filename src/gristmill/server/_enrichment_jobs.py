"""Enrichments started from the server: a worker thread per computation, answered by job id.

The core's computations (``compute_embedding``, ``compute_signal``, ``compute_concept``,
clustering, experiments) record their own job with ``gristmill.jobs.start_job`` and call
``check_cancelled`` between chunks, so ``POST /jobs/{id}/cancel`` stops them. The request needs
that job's id before the computation returns: the worker runs it under
``gristmill.jobs.observe_jobs``, which reports the jobs started in that thread only, and the
request answers with the first job of the expected kind the moment it is recorded.

At most one enrichment of each kind runs per dataset at a time (a second answers 409): on two
cores, two embeddings of one dataset at once only slow each other down, and two runs of the same
computation would race for its resumable work folder.

An error raised before the job exists (unknown embedding, a path that is not text, bad signal
parameters) is the request's error (4xx); one raised later fails the job, which GET /jobs shows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from gristmill.errors import AlreadyExistsError
from gristmill.jobs import Job, observe_jobs
from gristmill.server._models import EnrichmentStarted

logger = logging.getLogger("gristmill.server")


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
        decided = threading.Event()
        job_ids: list[str] = []
        errors: list[BaseException] = []

        def on_job_started(job: Job) -> None:
            # Nested jobs (an experiment's inference columns) come after the outer one.
            if job.kind == kind and not job_ids:
                job_ids.append(job.id)
                decided.set()

        def work() -> None:
            try:
                with observe_jobs(on_job_started):
                    run()
            except BaseException as exc:
                errors.append(exc)
                # The job (if it started) records the failure; this is for the server log.
                logger.info("%s job of %s ended: %s", kind, dataset, exc)
            finally:
                with self._lock:
                    self._running.discard(key)
                decided.set()

        threading.Thread(target=work, name=f"gristmill-{kind}-{dataset}", daemon=True).start()
        decided.wait()
        if job_ids:
            return EnrichmentStarted(job_id=job_ids[0], kind=kind, dataset=dataset)
        if errors:
            raise errors[0]
        # It returned without a job: the same result was already stored.
        return EnrichmentStarted(job_id=None, kind=kind, dataset=dataset)
