"""How a column job cuts its rows into chunks, runs them and keeps what finished (``derived``)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data._row_slices import ColumnFiles, RowSlice, StoredFile
from gristmill.data.catalog import Catalog
from gristmill.data.engine import cursor
from gristmill.data.files import atomic_write_table, data_files
from gristmill.data.filters import PathInput
from gristmill.data.query import QueryBuilder
from gristmill.data.store import ROWID
from gristmill.errors import JobError, MapFunctionError
from gristmill.jobs.executors import ChunkItemError, run_chunks

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.derived import ColumnJob
    from gristmill.jobs.executors import ExecutionType

TARGET_CHUNK_SECONDS = 1.0
MIN_CHUNK_ROWS = 16
MAX_CHUNK_ROWS = 50_000
# Start small and grow at most GROWTH-fold per chunk: a slow function (an LLM call, seconds a
# row) checkpoints within its first rows, while a fast one reaches large chunks in a few steps.
FIRST_CHUNK_ROWS = 16
GROWTH = 4


@dataclass
class _ChunkSizer:
    """Sizes chunks from the observed rate so each takes about TARGET_CHUNK_SECONDS."""

    rows_per_second: float | None = None
    last_size: int = FIRST_CHUNK_ROWS
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, rows: int, seconds: float) -> None:
        rate = rows / max(seconds, 1e-6)
        with self._lock:
            self.rows_per_second = (
                rate if self.rows_per_second is None else 0.5 * (self.rows_per_second + rate)
            )

    def next_size(self) -> int:
        with self._lock:
            if self.rows_per_second is None:
                return FIRST_CHUNK_ROWS
            wanted = int(self.rows_per_second * TARGET_CHUNK_SECONDS)
            return max(MIN_CHUNK_ROWS, min(MAX_CHUNK_ROWS, wanted, self.last_size * GROWTH))


def chunk_rowids(chunks: list[Path]) -> pa.Array:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not chunks:
        return pa.array([], pa.int64())
    return pa.concat_arrays(
        [pq.read_table(c, columns=[ROWID]).column(ROWID).combine_chunks() for c in chunks]
    )


def without(target: pa.Array, done: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    if len(done) == 0:
        return target
    return target.filter(pc.invert(pc.is_in(target, value_set=done)))


def _input_batches(
    catalog: Catalog, input_path: PathInput | None, rowids: pa.Array
) -> Iterator[pa.RecordBatch]:
    """Stream (``__rowid__``, input) for the given rows in rowid order."""
    import pyarrow as pa

    builder = QueryBuilder(catalog)
    if input_path is None:
        projections = [(ROWID, f"src.{ROWID}")] + [
            (name, builder.column_ref(catalog.relations[name]))
            for name in catalog.visible_columns()
        ]
    else:
        projections = [
            (ROWID, f"src.{ROWID}"),
            ("value", builder.value_sql(builder.resolve(input_path))),
        ]
    cur = cursor()
    first, last = (int(rowids[0].as_py()), int(rowids[-1].as_py())) if len(rowids) else (0, -1)
    if len(rowids) == catalog.num_rows:
        where: list[str] = []  # every row: a plain scan, no join
    elif len(rowids) == last - first + 1:
        where = [f"src.{ROWID} BETWEEN {first} AND {last}"]  # a contiguous run (resumes)
    else:
        cur.register("gm_map_rows", pa.table({"id": rowids}))
        where = [f"src.{ROWID} IN (SELECT id FROM gm_map_rows)"]
    statement = builder.select(projections, [], include_deleted=True, extra_where=where)
    yield from statement.execute(cur).to_arrow_reader(8192)


def worker_readable_columns(
    catalog: Catalog, input_path: PathInput | None
) -> tuple[ColumnFiles, ...] | None:
    """Where a Ray task finds the job's input itself; None when only the driver's query can
    produce it (a nested path such as ``messages.*.content``: DuckDB's list_transform)."""
    import pyarrow.parquet as pq

    if input_path is None:
        names = catalog.visible_columns()
    else:
        resolved = QueryBuilder(catalog).resolve(input_path)
        if resolved.steps:
            return None
        names = [resolved.relation.name]
    fields = {"source": None, "derived": None, "label": "value"}
    columns: list[ColumnFiles] = []
    for name in names:
        relation = catalog.relations[name]
        if relation.kind not in fields:
            return None
        files = tuple(
            StoredFile(path, pq.read_metadata(path).num_rows, os.stat(path).st_mtime_ns)
            for path in relation.files
        )
        columns.append(ColumnFiles(name, fields[relation.kind] or name, files))
    return tuple(columns)


def _row_slice(columns: tuple[ColumnFiles, ...], ids: pa.Array, spec: ColumnJob) -> RowSlice:
    import numpy as np

    first, last = int(ids[0].as_py()), int(ids[-1].as_py())
    offsets = None
    if last - first + 1 != len(ids):
        offsets = (ids.to_numpy() - first).astype(np.int64).tobytes()
    return RowSlice(
        columns,
        first,
        last,
        len(ids),
        offsets=offsets,
        rowid_column=ROWID if spec.input_path is None else None,
        batched=spec.batched,
    )


def compute_chunks(
    catalog: Catalog,
    spec: ColumnJob,
    rowids: pa.Array,
    work: Path,
    job: Any,
    num_jobs: int,
    execution_type: ExecutionType,
) -> dict[str, pa.Table]:
    sizer = _ChunkSizer()
    in_flight: dict[int, tuple[list[int], float]] = {}
    written: dict[str, pa.Table] = {}  # this run's chunks, kept so the merge need not re-read

    readable = None
    if execution_type == "ray":
        readable = worker_readable_columns(catalog, spec.input_path)

    def slices(columns: tuple[ColumnFiles, ...]) -> Iterator[tuple[int, RowSlice]]:
        # The driver only cuts the rowids: each task reads its own rows from the files.
        start = 0
        while start < len(rowids):
            job.check_cancelled()
            size = sizer.next_size()
            part = rowids[start : start + size]
            start += len(part)
            ids = part.to_pylist()
            sizer.last_size = len(ids)
            in_flight[ids[0]] = (ids, time.perf_counter())
            yield ids[0], _row_slice(columns, part, spec)

    def chunks() -> Iterator[tuple[int, list[Any]]]:
        ids: list[int] = []
        items: list[Any] = []
        for batch in _input_batches(catalog, spec.input_path, rowids):
            ids.extend(batch.column(ROWID).to_pylist())
            if spec.input_path is None:
                items.extend(batch.to_pylist())
            else:
                items.extend(batch.column(1).to_pylist())
            while len(ids) >= sizer.next_size():
                size = sizer.next_size()
                yield _emit(ids[:size], items[:size])
                del ids[:size], items[:size]
        if ids:
            yield _emit(ids, items)

    def _emit(ids: list[int], items: list[Any]) -> tuple[int, list[Any]]:
        job.check_cancelled()
        sizer.last_size = len(ids)
        in_flight[ids[0]] = (ids, time.perf_counter())
        # A batched function gets the whole chunk as its one item.
        return ids[0], [items] if spec.batched else items

    # closing(): if anything below raises (a cancel, a write error), the worker pool shuts down
    # now rather than when the generator is garbage-collected.
    pieces: Iterator[tuple[int, Any]] = chunks() if readable is None else slices(readable)
    results = run_chunks(spec.fn, pieces, num_jobs=num_jobs, execution_type=execution_type)
    try:
        with contextlib.closing(results):
            for key, outputs in results:
                ids, started = in_flight.pop(key)
                values = _unbatch(spec, ids, outputs)
                name, table = _write_chunk(work, ids, values, spec.output_type)
                if spec.finish_files is None:  # else merged from the files, not memory
                    written[name] = table
                elapsed = time.perf_counter() - started
                parallel = 1 if execution_type == "threads" and num_jobs == 1 else num_jobs
                sizer.observe(len(ids) * max(parallel, 1), elapsed)
                job.advance(len(ids))
    except ChunkItemError as err:
        ids, _ = in_flight[err.key]
        row_id = ids[0] if spec.batched else ids[err.position]
        where = f"the chunk starting at row {row_id}" if spec.batched else f"row {row_id}"
        cause = err.__cause__
        # From another process the cause arrives without its traceback: carry the worker's text.
        remote = cause is None or cause.__traceback__ is None
        raise MapFunctionError(
            f"{spec.kind} {spec.producer} raised on {where}: {err.summary}",
            row_id=row_id,
            remote_traceback=err.traceback_text if remote else None,
        ) from cause
    return written


def _unbatch(spec: ColumnJob, ids: list[int], outputs: list[Any]) -> list[Any]:
    if not spec.batched:
        return outputs
    values = outputs[0]
    if not isinstance(values, list) or len(values) != len(ids):
        got = len(values) if isinstance(values, list) else type(values).__name__
        raise JobError(
            f"{spec.producer} returned {got} outputs for a chunk of {len(ids)} rows",
            hint="a batched function must return a list with one output per input",
        )
    return values


def _write_chunk(
    work: Path, ids: list[int], outputs: list[Any], output_type: pa.DataType | None = None
) -> tuple[str, pa.Table]:
    """Write one finished chunk atomically; returns its file name and table."""
    import pyarrow as pa

    try:
        values = pa.array(outputs, type=output_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise JobError(
            f"outputs for rows {ids[0]}..{ids[-1]} cannot be stored: {exc}",
            hint="return str, numbers, bools, None, or dicts/lists of them with consistent types",
        ) from exc
    table = pa.table({ROWID: pa.array(ids, pa.int64()), "value": values})
    name = f"chunk-{ids[0]:012d}.parquet"
    atomic_write_table(work / name, table)
    return name, table


def merge_chunks(work: Path, column: str, fresh: dict[str, pa.Table]) -> pa.Table:
    """All finished chunks as one ``(__rowid__, value)`` table, sorted by rowid.

    Chunks written by this run are taken from memory; only an earlier run's are read back.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [
        fresh[p.name] if p.name in fresh else pq.read_table(p)
        for p in data_files(work, "chunk-*.parquet")
    ]
    if not tables:
        return pa.table({ROWID: pa.array([], pa.int64()), "value": pa.array([], pa.string())})
    try:
        merged = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise JobError(
            f"outputs for '{column}' have conflicting types: {exc}",
            hint="make the function return the same type for every row (None is fine)",
        ) from exc
    return merged.sort_by(ROWID)
