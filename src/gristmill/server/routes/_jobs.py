"""Jobs: list, one job, cancel, and a server-sent event stream of job updates."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from gristmill.jobs import JobInfo, JobStatus, cancel_job, get_job, list_jobs
from gristmill.server._models import JobList
from gristmill.server._redaction import redact_job
from gristmill.server._security import WRITE_ACCESS, settings_of
from gristmill.server._settings import ServerSettings

router = APIRouter(prefix="/jobs", tags=["jobs"])
# Job records name the files they read: a data folder shows by the name its operator gave it.
Settings = Annotated[ServerSettings, Depends(settings_of)]

EVENTS_POLL_INTERVAL_S = 0.5
EVENTS_KEEPALIVE_S = 15.0
EVENTS_JOB_LIMIT = 100
_EVENTS_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A text/event-stream: one 'job' event (data: a JobInfo as JSON) per job"
        " when first seen and whenever its status, progress or message changes",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get("", name="list_jobs")
def jobs(
    settings: Settings,
    dataset: Annotated[str | None, Query(description="only jobs of 'namespace/name'")] = None,
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JobList:
    """Jobs, newest first."""
    found = list_jobs(dataset=dataset, status=status, limit=limit)
    return JobList(jobs=[redact_job(info, settings.data_dirs) for info in found])


@router.get("/events", response_class=StreamingResponse, responses=_EVENTS_DOC)
async def job_events(
    request: Request,
    dataset: Annotated[str | None, Query(description="only jobs of 'namespace/name'")] = None,
) -> StreamingResponse:
    """Server-sent events with job updates, until the client disconnects."""
    stopping: threading.Event = request.app.state.stopping
    return StreamingResponse(
        _job_updates(dataset, stopping, settings_of(request).data_dirs),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/{job_id}", name="get_job")
def job(job_id: str, settings: Settings) -> JobInfo:
    return redact_job(get_job(job_id), settings.data_dirs)


@router.post("/{job_id}/cancel", name="cancel_job", dependencies=[WRITE_ACCESS])
def cancel(job_id: str, settings: Settings) -> JobInfo:
    """Ask the job to stop; it becomes 'cancelled' at its next check."""
    return redact_job(cancel_job(job_id), settings.data_dirs)


async def _job_updates(
    dataset: str | None, stopping: threading.Event, data_dirs: Mapping[str, Path]
) -> AsyncIterator[str]:
    # Polling the database (not an in-process queue) sees jobs of every process: a CLI map in
    # another shell shows up in the browser too. StreamingResponse cancels this generator when
    # the client disconnects; `stopping` ends it when the server shuts down.
    sent: dict[str, tuple[Any, ...]] = {}
    last_write = time.monotonic()
    yield "retry: 2000\n\n"
    while not stopping.is_set():
        found = await anyio.to_thread.run_sync(
            lambda: list_jobs(dataset=dataset, limit=EVENTS_JOB_LIMIT)
        )
        for info in reversed(found):  # oldest first, so a client sees jobs in creation order
            state = (info.status, info.progress, info.total, info.message, info.updated_at)
            if sent.get(info.id) != state:
                sent[info.id] = state
                last_write = time.monotonic()
                yield f"event: job\ndata: {redact_job(info, data_dirs).model_dump_json()}\n\n"
        if time.monotonic() - last_write > EVENTS_KEEPALIVE_S:
            last_write = time.monotonic()
            yield ": keep-alive\n\n"
        await anyio.sleep(EVENTS_POLL_INTERVAL_S)
