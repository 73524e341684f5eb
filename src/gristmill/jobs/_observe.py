"""Being told, in the code that starts some work, which jobs that work starts.

A caller that runs work it did not write (a server handing a request's computation to a worker
thread, a notebook helper) often needs the id of the job the work records, before the work
returns: to answer "started, job <id>", or to cancel it. ``observe_jobs`` gives it that, exactly
and at once, through a context variable: only jobs started in the same context (the same thread,
or the same asyncio task) are reported, so work running elsewhere in the process is never
mistaken for ours.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gristmill.jobs._job import Job

logger = logging.getLogger("gristmill.jobs")

JobObserver = Callable[["Job"], None]

_observers: ContextVar[tuple[JobObserver, ...]] = ContextVar("gristmill_job_observers", default=())


@contextlib.contextmanager
def observe_jobs(observer: JobObserver) -> Iterator[None]:
    """Call ``observer(job)`` for every job started in this context while the block runs.

    The observer is called right after the job's row is recorded (so ``get_job(job.id)`` finds
    it), in the thread that started the job, nested jobs included (``job.kind`` tells them
    apart). Threads started inside the block do not inherit it.
    """
    token = _observers.set((*_observers.get(), observer))
    try:
        yield
    finally:
        _observers.reset(token)


def announce_started(job: Job) -> None:
    """Tell this context's observers that ``job`` started; an observer's error is logged, as
    the job must not fail for it."""
    for observer in _observers.get():
        try:
            observer(job)
        except Exception:
            logger.exception("a job observer failed on job %s", job.id)
