"""Changing rows: labels, soft deletion and restoring (all write routes)."""

from __future__ import annotations

from fastapi import APIRouter

from gristmill.server._model_catalog import check_searches
from gristmill.server._models import (
    AddLabelsRequest,
    RemoveLabelsRequest,
    RowsChanged,
    RowSelection,
)
from gristmill.server._security import WRITE_ACCESS
from gristmill.server.routes._params import DatasetParam

router = APIRouter(
    prefix="/datasets/{namespace}/{name}", tags=["curation"], dependencies=[WRITE_ACCESS]
)


@router.post("/labels")
def add_labels(ds: DatasetParam, body: AddLabelsRequest) -> RowsChanged:
    """Label the chosen rows ``name = value`` (e.g. good = true)."""
    check_searches(body.searches, ds)
    changed = ds.add_labels(
        body.name,
        row_ids=body.row_ids,
        searches=body.searches,
        filters=body.filters,
        value=body.value,
        include_deleted=body.include_deleted,
    )
    return RowsChanged(num_rows=changed)


@router.post("/labels/remove")
def remove_labels(ds: DatasetParam, body: RemoveLabelsRequest) -> RowsChanged:
    check_searches(body.searches, ds)
    changed = ds.remove_labels(
        body.name,
        row_ids=body.row_ids,
        searches=body.searches,
        filters=body.filters,
        include_deleted=body.include_deleted,
    )
    return RowsChanged(num_rows=changed)


@router.post("/delete_rows")
def delete_rows(ds: DatasetParam, body: RowSelection) -> RowsChanged:
    """Soft-delete the chosen rows; restore_rows brings them back."""
    check_searches(body.searches, ds)
    changed = ds.delete_rows(row_ids=body.row_ids, searches=body.searches, filters=body.filters)
    return RowsChanged(num_rows=changed)


@router.post("/restore_rows")
def restore_rows(ds: DatasetParam, body: RowSelection) -> RowsChanged:
    check_searches(body.searches, ds)
    changed = ds.restore_rows(row_ids=body.row_ids, searches=body.searches, filters=body.filters)
    return RowsChanged(num_rows=changed)
