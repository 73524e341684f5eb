"""Datasets as a whole: list, load (from a server path or an upload), manifest, delete."""

from __future__ import annotations

import re
import shutil
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile

from gristmill.data.datasets import delete_dataset, list_datasets
from gristmill.project import get_project_dir
from gristmill.schema import DatasetManifest
from gristmill.server._loading import LoadTracker, format_of, source_for
from gristmill.server._models import DatasetList, LoadFormat, LoadRequest, LoadStarted
from gristmill.server._security import WRITE_ACCESS
from gristmill.server.routes._params import DatasetParam, loads_of

router = APIRouter(tags=["datasets"])

UPLOADS_DIRNAME = ".uploads"
_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_COPY_CHUNK_BYTES = 1024 * 1024

Loads = Annotated[LoadTracker, Depends(loads_of)]


@router.get("/datasets", name="list_datasets")
def list_all() -> DatasetList:
    """Every dataset of the project with its row count (deleted rows included)."""
    return DatasetList(datasets=list_datasets())


@router.post("/datasets", name="load_dataset", status_code=202, dependencies=[WRITE_ACCESS])
def load_from_path(body: LoadRequest, loads: Loads) -> LoadStarted:
    """Load a file on the server's disk; answers once the load job runs (202)."""
    source = source_for(body.path, body.format, skip_bad_lines=body.skip_bad_lines)
    return loads.start(body.namespace, body.name, source, overwrite=body.overwrite)


@router.post(
    "/datasets/upload", name="upload_dataset", status_code=202, dependencies=[WRITE_ACCESS]
)
def load_from_upload(
    file: Annotated[UploadFile, File(description="a CSV, JSON, JSONL or Parquet file")],
    namespace: Annotated[str, Form()],
    name: Annotated[str, Form()],
    loads: Loads,
    format: Annotated[LoadFormat | None, Form()] = None,
    overwrite: Annotated[bool, Form()] = False,
    skip_bad_lines: Annotated[bool, Form()] = False,
) -> LoadStarted:
    """Upload a file (multipart) and load it as a background job (202).

    The upload is kept in the project folder only while it loads; the rows live on in the
    dataset, and the manifest's ``source`` records the file as it was uploaded.
    """
    filename = _safe_filename(file.filename)
    chosen = format or format_of(filename)
    folder = get_project_dir() / UPLOADS_DIRNAME / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / filename
    try:
        with target.open("wb") as out:
            shutil.copyfileobj(file.file, out, _COPY_CHUNK_BYTES)
        source = source_for(str(target), chosen, skip_bad_lines=skip_bad_lines)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return loads.start(namespace, name, source, overwrite=overwrite, remove_when_done=folder)


@router.get("/datasets/{namespace}/{name}", name="get_dataset")
def manifest(ds: DatasetParam) -> DatasetManifest:
    """Schema (nested fields), size, source, derived columns with their lineage, labels."""
    return ds.manifest()


@router.delete(
    "/datasets/{namespace}/{name}",
    name="delete_dataset",
    status_code=204,
    dependencies=[WRITE_ACCESS],
)
def delete(ds: DatasetParam) -> Response:
    """Delete the dataset and everything derived from it."""
    delete_dataset(ds.namespace, ds.name)
    return Response(status_code=204)


def _safe_filename(filename: str | None) -> str:
    # Only the extension matters to the loader; the rest is kept readable but never a path.
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_FILENAME_CHARS.sub("_", base).lstrip(".")
    return cleaned or "upload"
