"""Creating, opening, listing and deleting datasets in the project folder.

A load writes into ``<namespace>/.staging-<name>-<uuid>/`` and renames it into place; a delete
renames the folder to ``.trash-<name>-<uuid>/`` before removing it. Both hold the dataset's lock
(``locks.hold_dataset``) throughout, so two loads of one name never both succeed and neither swaps
a folder under a running job. What a killed load or delete leaves is cleared under that same lock
by the next load or open of the name (:func:`_clear_leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from gristmill import jobs  # its names load on first use: opening a dataset needs no SQLAlchemy
from gristmill.data.dataset import BaseDataset
from gristmill.data.files import (
    data_files,
    fsync_dir,
    locked,
    remove_temp_files,
)
from gristmill.data.locks import (
    FileLock,
    acquire_replacing,
    busy_dataset_error,
    dataset_lock,
    hold_dataset,
    try_hold_dataset,
)
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
from gristmill.errors import (
    AlreadyExistsError,
    InvalidInputError,
    JobCancelledError,
    NotFoundError,
    SourceError,
)
from gristmill.project import validate_name
from gristmill.validation import InputModel

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.sources import Source
    from gristmill.jobs import Job

SHARD_ROWS = 1_000_000
ROW_GROUP_ROWS = 65_536
# The source shards are stored uncompressed. lz4 took half a 100k-row load's CPU time (0.31 s of
# ~0.65 s) and every scan of a text column pays to decompress it again (a regex count 0.11 ->
# 0.07 s CPU, a length average 0.08 -> 0.05 s at 100k); the price is ~1.7x the disk (82 MB
# instead of 49 MB at 100k). Derived columns and exports keep their own codecs.
SOURCE_COMPRESSION = "none"
# A dataset opened again within this time is not swept again for leftovers by this process.
SWEEP_INTERVAL_SECONDS = 300.0
_LEFTOVER_RE = re.compile(r"^\.(?:staging|trash)-(?P<name>.+)-[0-9a-f]{32}$")
_last_sweep: dict[Path, float] = {}


class DatasetConfig(InputModel):
    """What to create: ``namespace/name`` loaded from ``source`` (Lilac's shape)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    namespace: str
    name: str
    if TYPE_CHECKING:
        source: Source
    else:
        # Checked by create_dataset instead: validating it here would load every source reader
        # whenever this module is imported (the CLI's startup).
        source: Any


class DatasetInfo(BaseModel):
    namespace: str
    name: str
    num_rows: int
    created_at: str


def create_dataset(
    config: DatasetConfig, *, overwrite: bool = False, show_progress: bool = True
) -> BaseDataset:
    """Load ``config.source`` into a new dataset. Nothing is replaced until the load succeeds.

    Two loads of one name never both succeed: the second waits a moment for the first, then
    fails with ``AlreadyExistsError`` (or, with ``overwrite=True``, with ``ConflictError`` while
    the first still runs).
    """
    namespace = validate_name(config.namespace, "namespace")
    name = validate_name(config.name, "dataset name")
    source = config.source
    if not callable(getattr(source, "open", None)) or not callable(
        getattr(source, "to_dict", None)
    ):
        raise InvalidInputError(
            f"DatasetConfig.source must be a source, got {type(source).__name__}",
            hint="e.g. gm.JSONSource(filepaths=['rows.jsonl']), gm.CSVSource(...),"
            " gm.ParquetSource(...), gm.PandasSource(frame) or gm.HuggingFaceSource(...)",
        )
    final = dataset_dir(namespace, name)
    if (final / MANIFEST_FILENAME).exists() and not overwrite:
        raise _already_exists(namespace, name)
    lock = dataset_lock(final)
    if not acquire_replacing(final):
        raise _refusal(final, overwrite, lock)
    try:
        lock.record("load")
        # Checked again under the lock: another process may have loaded it since.
        if (final / MANIFEST_FILENAME).exists() and not overwrite:
            raise _already_exists(namespace, name)
        _clear_leftovers(final)
        return _load(source, final, overwrite, lock, show_progress)
    except BaseException:
        _remove_if_empty(final.parent)  # a failed first load of a namespace leaves no folder
        raise
    finally:
        lock.release()


def _already_exists(namespace: str, name: str) -> AlreadyExistsError:
    return AlreadyExistsError(
        f"dataset '{namespace}/{name}' already exists",
        hint="pass overwrite=True to replace it, or choose another name",
    )


def _refusal(final: Path, overwrite: bool, lock: FileLock) -> Exception:
    holder = lock.holder()
    if overwrite or holder is None or holder.action != "load":
        return busy_dataset_error(final)
    return AlreadyExistsError(
        f"dataset '{final.parent.name}/{final.name}' is being loaded by another process"
        f" ({holder.describe()})",
        hint="choose another name, or wait for that load and pass overwrite=True to replace it",
    )


def _load(
    source: Source, final: Path, overwrite: bool, lock: FileLock, show_progress: bool
) -> BaseDataset:
    # Imported here: the source readers load when a load runs, not when the CLI starts.
    from gristmill.data.sources import QuickReadError

    namespace, name = final.parent.name, final.name
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".staging-{name}-{uuid.uuid4().hex}"
    # Opening validates the source (missing or malformed files fail here), before any progress.
    try:
        reader = source.open_for_load()
    except QuickReadError:
        reader = source.open()
    with jobs.start_job(
        "load",
        description=f"load {namespace}/{name}",
        dataset=f"{namespace}/{name}",
        params={"source": source.to_dict()},
        show_progress=show_progress,
    ) as job:
        lock.record("load", job.id)
        try:
            shards = DatasetStore(staging).source_dir()
            try:
                files, num_rows = _write_shards(reader, shards, job)
            except QuickReadError:
                # Rare (a type that changes or a field first seen after the sampled rows, a
                # malformed line): what the quick read wrote goes, and the careful read, with
                # its exact errors, is written in its place.
                shutil.rmtree(shards)
                job.restart_progress()
                job.set_message("reading again with the types of every row")
                files, num_rows = _write_shards(source.open(), shards, job)
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
            _swap_in(staging, final, overwrite)
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
    return BaseDataset(namespace, name)


def _write_shards(reader: pa.RecordBatchReader, folder: Path, job: Job) -> tuple[list[str], int]:
    """Stream batches into Parquet shards, numbering rows with a dense ``__rowid__``."""
    import numpy as np
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
                writer = pq.ParquetWriter(path, schema, compression=SOURCE_COMPRESSION)
                rows_in_shard = 0
            # From numpy, not a Python range: that one converts int by int (seconds per 1M rows).
            rowids = pa.array(np.arange(next_rowid, next_rowid + batch.num_rows, dtype=np.int64))
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


def _swap_in(staging: Path, final: Path, overwrite: bool) -> None:
    """Replace ``final`` by ``staging`` so that a crash leaves either the old or the new one.

    Called under the dataset's lock. A crash between the two renames leaves no ``final`` and a
    complete staging folder, which :func:`_clear_leftovers` renames into place.
    """
    trash = None
    if final.exists():
        if (final / MANIFEST_FILENAME).exists() and not overwrite:
            raise _already_exists(final.parent.name, final.name)
        # Without a manifest it is an empty shell (a lock's folder), nobody's data.
        trash = final.parent / f".trash-{final.name}-{uuid.uuid4().hex}"
        final.rename(trash)
    try:
        # Fails rather than merging if a folder appeared there (a writer that took no lock).
        staging.rename(final)
    except OSError as exc:
        if trash is not None:
            trash.rename(final)
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise _already_exists(final.parent.name, final.name) from exc
        raise
    fsync_dir(final.parent)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def _leftovers(final: Path) -> list[Path]:
    """The staging and trash folders of ``final``'s name in its namespace folder."""
    if not final.parent.is_dir():
        return []
    found = []
    for path in final.parent.iterdir():
        match = _LEFTOVER_RE.match(path.name)
        if match is not None and match.group("name") == final.name:
            found.append(path)
    return found


def _clear_leftovers(final: Path) -> None:
    """Finish or undo what a killed load or delete of this dataset left behind.

    Only under the dataset's exclusive lock: then no writer of the dataset is alive, and every
    temp file, staging and trash folder of its name is a dead writer's.
    """
    leftovers = _leftovers(final)
    if not (final / MANIFEST_FILENAME).exists():
        # A load killed between its two renames: its staging folder is complete (the manifest
        # is written last), so finish the swap rather than lose both versions.
        complete = [
            p
            for p in leftovers
            if p.name.startswith(".staging-") and (p / MANIFEST_FILENAME).exists()
        ]
        if complete:
            newest = max(complete, key=lambda p: (p / MANIFEST_FILENAME).stat().st_mtime_ns)
            if final.exists():
                shutil.rmtree(final)  # an empty shell, see _swap_in
            newest.rename(final)
            fsync_dir(final.parent)
            leftovers.remove(newest)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    if (final / MANIFEST_FILENAME).exists():
        with locked(final):  # the short lock of labels, deletions and manifest writes
            remove_temp_files(final)
    elif not final.exists():
        _remove_if_empty(final.parent)


def _sweep(root: Path, *, always: bool = False) -> None:
    """Clear a dataset's leftovers on open, unless a writer is busy with it right now."""
    now = time.monotonic()
    if not always and now - _last_sweep.get(root, float("-inf")) < SWEEP_INTERVAL_SECONDS:
        return
    if not root.exists() and not _leftovers(root):
        return  # a name never used: no lock file made for it
    with try_hold_dataset(root, action="sweep of temp files") as free:
        if free:
            _clear_leftovers(root)
            _last_sweep[root] = now


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def get_dataset(namespace: str, name: str) -> BaseDataset:
    """Open an existing dataset (clearing what killed writers left in it)."""
    root = dataset_dir(namespace, name)
    _sweep(root, always=not (root / MANIFEST_FILENAME).exists())
    if not (root / MANIFEST_FILENAME).exists():
        known = ", ".join(f"{d.namespace}/{d.name}" for d in list_datasets()) or "none yet"
        raise NotFoundError(
            f"no dataset '{namespace}/{name}' in this project",
            hint=f"datasets here: {known}; create one with gm.create_dataset(...)",
        )
    ds = BaseDataset(namespace, name)
    # Opening reads the manifest (kept until the file changes): a broken one fails here, and
    # a first count() or schema lookup need not parse it.
    ds.store.read_manifest()
    return ds


def list_datasets() -> list[DatasetInfo]:
    found: list[DatasetInfo] = []
    # Staging, trash, lock and upload folders all start with a dot and are never listed.
    folders = [
        folder
        for namespace in data_files(datasets_root())
        for folder in data_files(namespace)
        if (folder / MANIFEST_FILENAME).is_file()
    ]
    for folder in folders:
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
    """Remove a dataset and everything derived from it (refused while a job writes it)."""
    root = get_dataset(namespace, name).store.root
    with hold_dataset(root, action="delete"):
        trash = root.parent / f".trash-{validate_name(name)}-{uuid.uuid4().hex}"
        root.rename(trash)
        fsync_dir(root.parent)
        shutil.rmtree(trash, ignore_errors=True)
        _remove_if_empty(root.parent)
