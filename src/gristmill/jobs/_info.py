"""What a job looks like from outside: its status and the record the UI, CLI and API show."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class JobStatus(StrEnum):
    """Where a job is in its life. Only ``pending`` and ``running`` can still change."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_finished(self) -> bool:
        return self not in (JobStatus.PENDING, JobStatus.RUNNING)


class JobInfo(BaseModel):
    """One job as stored in the metadata database."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    id: str
    kind: str = Field(description="what produced the job: 'map', 'embedding', 'signal', ...")
    dataset: str | None = Field(default=None, description="'namespace/name' the job works on")
    description: str
    status: JobStatus
    progress: int = Field(description="items done so far")
    total: int | None = Field(default=None, description="items to do, when known")
    message: str | None = None
    error: str | None = Field(default=None, description="why it failed or was cancelled")
    params: dict[str, Any] = Field(default_factory=dict)
    cancel_requested: bool = Field(
        default=False, description="cancel_job() was called; the job stops at its next check"
    )
    pid: int | None = Field(default=None, description="process running the job")
    host: str | None = Field(default=None, description="machine running the job")
    created_at: datetime
    started_at: datetime | None = None
    updated_at: datetime
    finished_at: datetime | None = None

    @property
    def fraction_done(self) -> float | None:
        """Progress as 0..1 when the total is known."""
        if not self.total:
            return None
        return min(1.0, self.progress / self.total)
