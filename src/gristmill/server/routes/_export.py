"""``GET .../export``: the current view (format, columns, filters) as a file download.

The core writes the file (streaming from DuckDB) into a temporary folder; the response streams
it from disk and removes the folder once sent, so no export is ever held in memory.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from gristmill.data.export import ExportFormat
from gristmill.server.routes._params import DatasetParam, parse_filters

router = APIRouter(prefix="/datasets/{namespace}/{name}", tags=["export"])

MEDIA_TYPES: dict[str, str] = {
    "jsonl": "application/x-ndjson",
    "json": "application/json",
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
}
_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The exported file, as an attachment",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in MEDIA_TYPES.values()
        },
    }
}


@router.get("/export", name="export_rows", response_class=FileResponse, responses=_DOWNLOAD)
def export(
    ds: DatasetParam,
    format: ExportFormat = "jsonl",
    columns: Annotated[
        list[str] | None, Query(description="column paths (repeat the parameter); default all")
    ] = None,
    filters: Annotated[
        str | None,
        Query(description='a JSON list of filters, e.g. [{"path":"a","op":"exists"}]'),
    ] = None,
    include_deleted: bool = False,
) -> FileResponse:
    view: dict[str, Any] = {
        "columns": columns,
        "filters": parse_filters(filters),
        "include_deleted": include_deleted,
    }
    folder = Path(tempfile.mkdtemp(prefix="gristmill-export-"))
    target = folder / f"{ds.namespace}-{ds.name}.{format}"
    try:
        if format in ("jsonl", "json"):
            ds.to_json(target, jsonl=format == "jsonl", **view)
        elif format == "csv":
            ds.to_csv(target, **view)
        else:
            ds.to_parquet(target, **view)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        target,
        media_type=MEDIA_TYPES[format],
        filename=target.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
