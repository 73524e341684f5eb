"""Creating, opening, listing and deleting datasets in the project folder."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from gristmill.data.dataset import Dataset
from gristmill.data.files import INTERNAL_COMPRESSION, fsync_dir, locked
from gristmill.data.prefetch import prefetched
from gristmill.data.store import (
    MANIFEST_FILENAME,
    ROWID,
    DatasetStore,
    StoredManifest,
    dataset_dir,
    datasets_root,
    now,
)
from gristmill.errors import AlreadyExistsError, JobCancelledError, NotFoundError, SourceError
from gristmill.project import validate_name

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.sources import Source
    from gristmill.jobs import Job

SHARD_ROWS = 1_000_000
ROW_GROUP_ROWS = 65_536


class DatasetConfig(BaseModel):
    """What to create: ``namespace/name`` loaded from ``source`` (Lilac's shape)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    namespace: str
    name: str
    source: Any


class DatasetInfo(BaseModel):
    namespace: str
    name: str
    num_rows: int
    created_at: str


def create_dataset(
    config: DatasetConfig, *, overwrite: bool = False, show_progress: bool = True
) -> Dataset:
    """Load ``config.source`` into a new dataset. Nothing is replaced until the load succeeds."""
    from gristmill.jobs import start_job

    namespace = validate_name(config.namespace, "namespace")
    name = validate_name(config.name, "dataset name")
    source: Source = config.source
    final = dataset_dir(namespace, name)
    if (final / MANIFEST_FILENAME).exists() and not overwrite:
        raise AlreadyExistsError(
            f"dataset '{namespace}/{name}' already exists",
            hint="pass overwrite=True to replace it, or choose another name",
        )
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".staging-{name}-{uuid.uuid4().hex}"
    # Opening validates the source (missing or malformed files fail here), before any progress.
    reader = source.open()
    with start_job(
        "load",
        description=f"load {namespace}/{name}",
        dataset=f"{namespace}/{name}",
        params={"source": source.to_dict()},
        show_progress=show_progress,
    ) as job:
        try:
            files, num_rows = _write_shards(reader, staging / "source", job)
            if num_rows == 0:
                raise SourceError(
                    f"the source of '{namespace}/{name}' has no rows",
                    hint="check the file is not empty and the filter/split is right",
                )
            manifest = StoredManifest(
                namespace=namespace,
                name=name,
                source=source.to_dict(),
                created_at=now(),
                num_rows=num_rows,
                source_files=[str(Path(f).relative_to(staging)) for f in files],
            )
            DatasetStore(staging).write_manifest(manifest)
            _swap_in(staging, final)
        except JobCancelledError as cancelled:
            shutil.rmtree(staging, ignore_errors=True)
            raise JobCancelledError(
                f"the load of '{namespace}/{name}' was cancelled",
                hint="load it again to retry; nothing was written",
            ) from cancelled
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        job.complete(f"{num_rows} rows")
    return Dataset(namespace, name)


def _write_shards(reader: pa.RecordBatchReader, folder: Path, job: Job) -> tuple[list[str], int]:
    """Stream batches into Parquet shards, numbering rows with a dense ``__rowid__``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if ROWID in reader.schema.names:
        raise SourceError(
            f"the source has a column named '{ROWID}', which Gristmill reserves",
            hint="rename that column before loading",
        )
    folder.mkdir(parents=True)
    schema = pa.schema([pa.field(ROWID, pa.int64()), *reader.schema])
    files: list[str] = []
    writer: pq.ParquetWriter | None = None
    rows_in_shard = 0
    next_rowid = 0
    # The next batch is parsed while this one is encoded and compressed.
    batches = prefetched(reader)
    try:
        for batch in batches:
            if batch.num_rows == 0:
                continue
            if writer is None or rows_in_shard >= SHARD_ROWS:
                if writer is not None:
                    writer.close()
                path = folder / f"part-{len(files):05d}.parquet"
                files.append(str(path))
                writer = pq.ParquetWriter(path, schema, compression=INTERNAL_COMPRESSION)
                rows_in_shard = 0
            rowids = pa.array(range(next_rowid, next_rowid + batch.num_rows), pa.int64())
            table = pa.Table.from_batches([batch]).add_column(0, ROWID, rowids)
            writer.write_table(table.cast(schema), row_group_size=ROW_GROUP_ROWS)
            next_rowid += batch.num_rows
            rows_in_shard += batch.num_rows
            job.advance(batch.num_rows)
            job.check_cancelled()
    finally:
        batches.close()  # stops the reader thread at once if writing failed
        if writer is not None:
            writer.close()
    return files, next_rowid


def _swap_in(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` so that a crash leaves either the old or the new one."""
    with locked(final.parent.parent / ".locks" / f"{final.parent.name}.{final.name}"):
        trash = None
        if final.exists():
            trash = final.parent / f".trash-{final.name}-{uuid.uuid4().hex}"
            final.rename(trash)
        staging.rename(final)
        fsync_dir(final.parent)
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)


def get_dataset(namespace: str, name: str) -> Dataset:
    """Open an existing dataset."""
    root = dataset_dir(namespace, name)
    if not (root / MANIFEST_FILENAME).exists():
        known = ", ".join(f"{d.namespace}/{d.name}" for d in list_datasets()) or "none yet"
        raise NotFoundError(
            f"no dataset '{namespace}/{name}' in this project",
            hint=f"datasets here: {known}; create one with gm.create_dataset(...)",
        )
    return Dataset(namespace, name)


def list_datasets() -> list[DatasetInfo]:
    root = datasets_root()
    found: list[DatasetInfo] = []
    if not root.exists():
        return found
    for manifest_path in sorted(root.glob(f"*/*/{MANIFEST_FILENAME}")):
        folder = manifest_path.parent
        if folder.name.startswith("."):
            continue
        manifest = DatasetStore(folder).read_manifest()
        found.append(
            DatasetInfo(
                namespace=manifest.namespace,
                name=manifest.name,
                num_rows=manifest.num_rows,
                created_at=manifest.created_at.isoformat(),
            )
        )
    return found


def delete_dataset(namespace: str, name: str) -> None:
    """Remove a dataset and everything derived from it."""
    root = get_dataset(namespace, name).store.root
    trash = root.parent / f".trash-{validate_name(name)}-{uuid.uuid4().hex}"
    root.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)
