"""Reading rows: select_rows (paged, searched), count, column stats and histograms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gristmill.data.store import ROWID
from gristmill.schema import ColumnStats, GroupsResult
from gristmill.search import result_column
from gristmill.server._json_values import json_safe_rows
from gristmill.server._model_catalog import check_searches
from gristmill.server._models import (
    CountRequest,
    CountResponse,
    SelectGroupsRequest,
    SelectRowsRequest,
    SelectRowsResponse,
)
from gristmill.server.routes._params import DatasetParam

router = APIRouter(prefix="/datasets/{namespace}/{name}", tags=["rows"])


@router.post("/select_rows")
def select_rows(ds: DatasetParam, body: SelectRowsRequest) -> SelectRowsResponse:
    """One page of rows matching the filters (ranked by the searches), with the total count."""
    check_searches(body.searches, ds)
    columns = body.columns if body.columns else ["*"]
    if ROWID not in columns:
        # Every row carries its id, so the UI can label, delete or link to it.
        columns = [ROWID, *columns]
    result = ds.select_rows(
        columns=columns,
        searches=body.searches,
        filters=body.filters,
        sort_by=body.sort_by or None,
        sort_order=body.sort_order,
        limit=body.limit,
        offset=body.offset,
        include_deleted=body.include_deleted,
    )
    return SelectRowsResponse(
        rows=json_safe_rows(result.to_list()),
        total_num_rows=result.total_num_rows,
        limit=body.limit,
        offset=body.offset,
        search_columns=[result_column(search) for search in body.searches],
    )


@router.post("/count", name="count_rows")
def count(ds: DatasetParam, body: CountRequest) -> CountResponse:
    check_searches(body.searches, ds)
    found = ds.count(
        filters=body.filters, include_deleted=body.include_deleted, searches=body.searches
    )
    return CountResponse(count=found)


@router.get("/stats", name="column_stats")
def stats(
    ds: DatasetParam,
    path: Annotated[str, Query(description="a leaf column path, e.g. 'meta.score'")],
) -> ColumnStats:
    return ds.stats(path)


@router.post("/select_groups")
def select_groups(ds: DatasetParam, body: SelectGroupsRequest) -> GroupsResult:
    """A histogram of one column: counts per value, numeric bin or text-length bin.

    The grouping and the bins come from the whole column; the filters only change the counts,
    so clicking a bar narrows the rows without turning the histogram into a list of values.
    """
    return ds.select_groups(
        body.path,
        filters=body.filters,
        limit=body.limit,
        bins=body.bins,
        include_deleted=body.include_deleted,
    )
