"""The ``gristmill_jobs`` table and the conversion of its rows to :class:`JobInfo`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from gristmill.jobs._info import JobInfo, JobStatus
from gristmill.metadata import metadata_obj

# Prefixed so a PostgreSQL database shared with other software cannot already hold a "jobs".
jobs_table = sa.Table(
    "gristmill_jobs",
    metadata_obj,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("dataset", sa.String(300), nullable=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("progress", sa.BigInteger, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=True),
    sa.Column("message", sa.Text, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("cancel_requested", sa.Boolean, nullable=False),
    # Who runs the job, so a reader can tell a live job from one whose process died.
    sa.Column("pid", sa.Integer, nullable=True),
    sa.Column("host", sa.String(255), nullable=True),
    sa.Column("process_token", sa.String(128), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index(None, "dataset", "created_at"),
    sa.Index(None, "status"),
    sa.Index(None, "created_at"),
)

UNFINISHED = (JobStatus.PENDING.value, JobStatus.RUNNING.value)


def utcnow() -> datetime:
    return datetime.now(UTC)


def row_to_info(row: sa.Row[Any]) -> JobInfo:
    values = row._mapping
    return JobInfo(
        id=values["id"],
        kind=values["kind"],
        dataset=values["dataset"],
        description=values["description"],
        status=JobStatus(values["status"]),
        progress=values["progress"],
        total=values["total"],
        message=values["message"],
        error=values["error"],
        params=values["params"] or {},
        cancel_requested=bool(values["cancel_requested"]),
        pid=values["pid"],
        host=values["host"],
        created_at=_aware(values["created_at"]),
        started_at=_aware(values["started_at"]),
        updated_at=_aware(values["updated_at"]),
        finished_at=_aware(values["finished_at"]),
    )


def _aware(moment: Any) -> Any:
    # SQLite hands timestamps back without a zone; every timestamp we write is UTC.
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
