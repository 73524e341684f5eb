"""Datasets as a whole: list, load (from a data folder or an upload), manifest, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile

from gristmill.data.datasets import delete_dataset, list_datasets
from gristmill.schema import DatasetManifest
from gristmill.server._data_dirs import NamedFile, files_to_load, locate
from gristmill.server._loading import LoadTracker, format_of, source_for
from gristmill.server._models import DataDirList, DatasetList, LoadFormat, LoadRequest, LoadStarted
from gristmill.server._security import WRITE_ACCESS, settings_of
from gristmill.server._settings import ServerSettings
from gristmill.server._uploads import UploadFolder, safe_filename
from gristmill.server.routes._params import DatasetParam, loads_of

router = APIRouter(tags=["datasets"])

Loads = Annotated[LoadTracker, Depends(loads_of)]
Settings = Annotated[ServerSettings, Depends(settings_of)]


@router.get("/datasets", name="list_datasets")
def list_all() -> DatasetList:
    """Every dataset of the project with its row count (deleted rows included)."""
    return DatasetList(datasets=list_datasets())


@router.get("/data_dirs", name="list_data_dirs", dependencies=[WRITE_ACCESS])
def list_data_dirs(settings: Settings) -> DataDirList:
    """The folders ``POST /datasets`` may load from, named as the operator gave them.

    Empty unless the server was started with ``--data-dir``; refused on a read-only server,
    which loads nothing.
    """
    return DataDirList(data_dirs=list(settings.data_dirs))


@router.post("/datasets", name="load_dataset", status_code=202, dependencies=[WRITE_ACCESS])
def load_from_path(body: LoadRequest, loads: Loads, settings: Settings) -> LoadStarted:
    """Load a file from one of the server's data folders; answers once the load job runs (202).

    ``path`` is relative to a data folder (``data/train.jsonl``, or ``train.jsonl``) or absolute
    inside one; globs (``data/*.jsonl``) match inside the folders only. Without ``--data-dir``
    this answers 403: upload the file instead.
    """
    # The path is judged before anything else, so a refused one reveals nothing about the disk.
    locate(body.path, settings.data_dirs)
    chosen = body.format or format_of(body.path)
    files = files_to_load(
        body.path,
        settings.data_dirs,
        folder_glob="*.parquet" if chosen == "parquet" else None,
    )
    source = source_for(files, chosen, skip_bad_lines=body.skip_bad_lines)
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

    Send the header ``X-Gristmill-Request: 1``: a form on another site cannot, so this is how
    the server knows the upload is not a cross-site form post. The file is kept in the project
    folder only while it loads (a refused or failed upload leaves nothing); the manifest's
    ``source`` names it by its uploaded file name.
    """
    filename = safe_filename(file.filename)
    chosen = format or format_of(filename)
    folder = UploadFolder()
    try:
        saved = folder.save(filename, file.file)
        source = source_for([NamedFile(saved, filename)], chosen, skip_bad_lines=skip_bad_lines)
    except BaseException:
        folder.remove()
        raise
    return loads.start(namespace, name, source, overwrite=overwrite, when_done=folder.remove)


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
