"""Request and response bodies of the REST API (the contract the web UI's types come from).

Shapes the core already defines are reused as they are: ``DatasetManifest``, ``ColumnStats``,
``GroupsResult`` (``gristmill.schema``), ``Filter`` (``gristmill.data.filters``), ``JobInfo``
(``gristmill.jobs``) and ``DatasetInfo`` (``gristmill.data.datasets``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gristmill.data.datasets import DatasetInfo
from gristmill.data.filters import Filter
from gristmill.jobs._info import JobInfo

MAX_PAGE_ROWS = 1000
MAX_GROUPS = 1000

LoadFormat = Literal["json", "jsonl", "csv", "parquet"]


class Body(BaseModel):
    # Unknown fields are refused, so a typo ('filter' for 'filters') fails loudly with a 422
    # instead of silently selecting every row.
    model_config = ConfigDict(extra="forbid")


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    read_only: bool


class ServiceInfo(BaseModel):
    """What ``/`` answers when no web UI is installed."""

    name: Literal["gristmill"] = "gristmill"
    version: str
    api: str = "/api/v1"
    docs: str = "/docs"
    message: str


class DatasetList(BaseModel):
    datasets: list[DatasetInfo]


class LoadRequest(Body):
    """Load a file that is on the server's disk into a new dataset, as a background job."""

    namespace: str = Field(examples=["local"])
    name: str = Field(examples=["alpaca"])
    path: str = Field(description="a file or glob on the server's disk", examples=["data.jsonl"])
    format: LoadFormat | None = Field(
        default=None, description="the file format; by default told from the file extension"
    )
    overwrite: bool = Field(default=False, description="replace a dataset of the same name")
    skip_bad_lines: bool = Field(
        default=False, description="JSON Lines: drop malformed lines instead of failing"
    )


class LoadStarted(BaseModel):
    """A load accepted and running: follow it with ``GET /jobs/{job_id}`` or ``/jobs/events``."""

    job_id: str
    dataset: str = Field(description="'namespace/name' being created")


class SelectRowsRequest(Body):
    columns: list[str] | None = Field(
        default=None,
        description="column paths ('a.b', 'messages.*.content'); null or ['*'] for all."
        " '__rowid__' is always included.",
    )
    filters: list[Filter] = Field(default_factory=list, description="combined with AND")
    sort_by: list[str] = Field(default_factory=list)
    sort_order: Literal["ASC", "DESC"] = "DESC"
    limit: int = Field(default=100, ge=1, le=MAX_PAGE_ROWS)
    offset: int = Field(default=0, ge=0)
    include_deleted: bool = False


class SelectRowsResponse(BaseModel):
    rows: list[dict[str, Any]] = Field(
        description="JSON-safe rows keyed by column path: timestamps as ISO 8601 text, bytes"
        " as base64, NaN and infinities as null"
    )
    total_num_rows: int = Field(description="rows matching the filters, ignoring paging")
    limit: int
    offset: int


class CountRequest(Body):
    filters: list[Filter] = Field(default_factory=list)
    include_deleted: bool = False


class CountResponse(BaseModel):
    count: int


class SelectGroupsRequest(Body):
    path: str
    filters: list[Filter] = Field(default_factory=list)
    limit: int | None = Field(default=100, ge=1, le=MAX_GROUPS)
    bins: int | list[float] | None = Field(
        default=None, description="a number of bins, or their edges, for numeric values"
    )
    include_deleted: bool = False


class RowSelection(Body):
    """Rows chosen by ``row_ids``, ``filters`` or both (rows meeting both).

    At least one must be given: ``filters: []`` is how to choose every row on purpose.
    """

    row_ids: list[int] | None = Field(default=None, description="__rowid__ values")
    filters: list[Filter] | None = None

    @model_validator(mode="after")
    def _something_chosen(self) -> RowSelection:
        if self.row_ids is None and self.filters is None:
            raise ValueError("choose rows with row_ids or filters (filters: [] means all rows)")
        return self


class AddLabelsRequest(RowSelection):
    name: str = Field(examples=["good"])
    value: str = "true"
    include_deleted: bool = False


class RemoveLabelsRequest(RowSelection):
    name: str = Field(examples=["good"])
    include_deleted: bool = False


class RowsChanged(BaseModel):
    num_rows: int = Field(description="how many rows the request changed")


class JobList(BaseModel):
    jobs: list[JobInfo]
