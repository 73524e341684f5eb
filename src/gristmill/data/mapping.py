"""``Dataset.map``: run a function over rows into a derived column, resumably.

How a crash loses nothing:
- rows are read in one streaming query and cut into chunks sized to take about a second each, so
  a slow function (an LLM call) checkpoints often and a fast one (``len``) is not slowed by I/O;
- each finished chunk is written atomically to ``work/map-<column>/`` with its rowids;
- a rerun of the same computation skips every rowid already in a chunk file. "The same" is
  checked, not assumed: the work folder records the producer, input, filters and parameters and,
  for ``map``, a fingerprint of the function's code and of every value it reads
  (``fingerprint.py``); a run of anything else empties the folder first, so two computations
  never mix. A function that cannot be fingerprinted reuses nothing;
- only when every row is done are the chunks merged into one file and the manifest switched to it,
  so the dataset stays readable (without the new column) the whole time.

One job writes a column at a time, in any process: the column's lock (``locks.hold_column``) is
held from the first check to the last write, and a second writer fails at once, naming the first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.catalog import Catalog
from gristmill.data.engine import cursor
from gristmill.data.files import (
    atomic_write_table,
    claim_work_dir,
    data_files,
    work_dir_signature,
)
from gristmill.data.filters import Filter, PathInput
from gristmill.data.fingerprint import FingerprintError, fingerprint_function
from gristmill.data.locks import FileLock, hold_column
from gristmill.data.query import QueryBuilder
from gristmill.data.store import ROWID, now
from gristmill.errors import AlreadyExistsError, InvalidInputError, JobError, MapFunctionError
from gristmill.project import validate_name
from gristmill.schema import DerivedKind, Lineage

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.dataset import Dataset
    from gristmill.jobs.executors import ExecutionType

logger = logging.getLogger("gristmill.data")

TARGET_CHUNK_SECONDS = 1.0
MIN_CHUNK_ROWS = 16
MAX_CHUNK_ROWS = 50_000
# Start small and grow at most GROWTH-fold per chunk: a slow function (an LLM call, seconds a
# row) checkpoints within its first rows, while a fast one reaches large chunks in a few steps.
FIRST_CHUNK_ROWS = 16
GROWTH = 4


@dataclass
class MapResult:
    """What a map did. Iterating yields the output values in row order."""

    dataset: Dataset
    column: str
    num_computed: int
    num_resumed: int

    def __iter__(self) -> Iterator[Any]:
        for row in self.dataset.select_rows([self.column], sort_by=None):
            yield row[self.column]


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


def _function_name(fn: Callable[[Any], Any]) -> str:
    module = getattr(fn, "__module__", None) or ""
    name = getattr(fn, "__qualname__", None) or type(fn).__name__
    return f"{module}.{name}" if module else name


@dataclass(frozen=True)
class ColumnJob:
    """A resumable computation of one derived column: ``map``, a signal, an embedding.

    ``fn`` maps one input to one output, or with ``batched`` a chunk's list of inputs to the list
    of their outputs (signals and embedding models are much faster on batches). ``finish`` turns
    the merged ``(__rowid__, value)`` table into stored data; by default a dense column.

    ``producer`` and ``params`` name the computation for resuming; ``fingerprint`` adds what they
    cannot (a map's function code), and ``reusable=False`` says nothing identifies it, so an
    interrupted run's chunks are never reused.
    """

    output_column: str
    fn: Callable[[Any], Any]
    producer: str
    kind: DerivedKind = "map"
    input_path: PathInput | None = None
    params: dict[str, Any] = field(default_factory=dict)
    batched: bool = False
    filters: Sequence[Filter] = ()
    include_deleted: bool = False
    finish: Callable[[Dataset, pa.Table, Lineage], None] | None = None
    output_type: pa.DataType | None = None
    fingerprint: str = ""
    reusable: bool = True


def run_map(
    ds: Dataset,
    fn: Callable[[Any], Any],
    *,
    input_path: PathInput | None,
    output_column: str,
    overwrite: bool,
    filters: Sequence[Filter],
    num_jobs: int,
    execution_type: ExecutionType,
    include_deleted: bool,
    show_progress: bool,
) -> MapResult:
    if not callable(fn):
        raise InvalidInputError(f"map needs a function, got {type(fn).__name__}")
    try:
        fingerprint: str | None = fingerprint_function(fn)
    except FingerprintError as exc:
        fingerprint = None
        logger.warning(
            "map into '%s': an interrupted run of this function cannot be resumed, because %s;"
            " it will start from the first row (functions reading only plain values, other"
            " functions and modules can be resumed)",
            output_column,
            exc,
        )
    job = ColumnJob(
        output_column=output_column,
        fn=fn,
        producer=_function_name(fn),
        input_path=input_path,
        filters=filters,
        include_deleted=include_deleted,
        fingerprint=fingerprint or "",
        reusable=fingerprint is not None,
    )
    return run_column_job(
        ds,
        job,
        overwrite=overwrite,
        num_jobs=num_jobs,
        execution_type=execution_type,
        show_progress=show_progress,
    )


def run_column_job(
    ds: Dataset,
    spec: ColumnJob,
    *,
    overwrite: bool,
    num_jobs: int = 1,
    execution_type: ExecutionType = "threads",
    show_progress: bool = True,
) -> MapResult:
    """Compute ``spec`` over the chosen rows, resuming an interrupted run of the same job.

    Fails at once with ``ConflictError`` while another job (in any process) writes the column.
    """
    column = validate_name(spec.output_column, "output column")
    with hold_column(ds.store.root, column, action=f"{spec.kind} into '{column}'") as lock:
        return _run_locked(
            ds, spec, column, overwrite, num_jobs, execution_type, show_progress, lock
        )


def _run_locked(
    ds: Dataset,
    spec: ColumnJob,
    column: str,
    overwrite: bool,
    num_jobs: int,
    execution_type: ExecutionType,
    show_progress: bool,
    lock: FileLock,
) -> MapResult:
    from gristmill.data.curation import chosen_rowids
    from gristmill.jobs import start_job

    catalog = Catalog(ds.store)
    input_name = None
    if spec.input_path is not None:
        input_name = QueryBuilder(catalog).resolve(spec.input_path).name
    signature = {
        "kind": spec.kind,
        "producer": spec.producer,
        "fingerprint": spec.fingerprint,
        "input_path": input_name,
        "input_files": _input_versions(catalog, spec.input_path),
        "params": spec.params,
        "filters": [f.model_dump(mode="json") for f in spec.filters],
        "include_deleted": spec.include_deleted,
    }
    if not spec.reusable:
        signature["run"] = uuid.uuid4().hex  # matches no earlier run: its chunks are dropped
    work = ds.store.work_dir(f"{spec.kind}-{column}")
    target = chosen_rowids(catalog, None, spec.filters, include_deleted=spec.include_deleted)
    _check_output_column(catalog, column, overwrite, work, signature, target)
    done = _prepare_work_dir(work, signature)
    remaining = _without(target, done)
    num_resumed = len(target) - len(remaining)

    with start_job(
        spec.kind,
        description=f"[{ds.full_name}] {spec.kind} {spec.producer} -> {column}",
        dataset=ds.full_name,
        total=len(target),
        params=signature,
        show_progress=show_progress,
    ) as job:
        lock.record(f"{spec.kind} into '{column}'", job.id)
        job.advance(num_resumed)
        if len(remaining):
            fresh = _compute_chunks(catalog, spec, remaining, work, job, num_jobs, execution_type)
        else:
            fresh = {}
        lineage = Lineage(
            kind=spec.kind,
            producer=spec.producer,
            input_path=input_name,
            params={
                **spec.params,
                "filters": signature["filters"],
                "include_deleted": spec.include_deleted,
            },
            created_at=now(),
            num_rows=len(target),
        )
        merged = _merge_chunks(work, column, fresh)
        (spec.finish or write_dense_column)(ds, merged.rename_columns([ROWID, column]), lineage)
        shutil.rmtree(work, ignore_errors=True)
        job.complete(f"{len(remaining)} rows computed, {num_resumed} resumed")
    return MapResult(ds, column, len(remaining), num_resumed)


def _check_output_column(
    catalog: Catalog,
    column: str,
    overwrite: bool,
    work: Path,
    signature: dict[str, Any],
    target: pa.Array,
) -> None:
    existing = catalog.relations.get(column)
    if existing is None:
        return
    if existing.kind != "derived":
        raise InvalidInputError(
            f"'{column}' is a {existing.kind} column and cannot be written by map",
            hint="choose another output_column",
        )
    if overwrite:
        return
    chunks = data_files(work, "chunk-*.parquet")
    if work_dir_signature(work) == signature and not len(_without(target, _chunk_rowids(chunks))):
        return  # this very run, killed between storing the column and removing its chunks
    if chunks:
        raise AlreadyExistsError(
            f"column '{column}' already exists, and a run with overwrite=True that was"
            " recomputing it did not finish",
            hint="pass overwrite=True again to resume it (finished chunks are reused when the"
            " function and its inputs are unchanged), or choose another output_column",
        )
    raise AlreadyExistsError(
        f"column '{column}' already exists",
        hint="pass overwrite=True to recompute it, or choose another output_column",
    )


def _input_versions(catalog: Catalog, input_path: PathInput | None) -> list[str]:
    """The files the input is read from, with their mtimes: a recomputed input column (a new
    file) or a relabelled row (a rewritten file) makes earlier chunks stale."""
    if input_path is None:
        relations = [catalog.relations[name] for name in catalog.visible_columns()]
    else:
        relations = [QueryBuilder(catalog).resolve(input_path).relation]
    files = sorted({file for relation in relations for file in relation.files})
    return [f"{Path(file).name}@{os.stat(file).st_mtime_ns}" for file in files]


def _prepare_work_dir(work: Path, signature: dict[str, Any]) -> pa.Array:
    """Keep an earlier run's chunks when it was the same map; return the rowids they hold."""
    claim_work_dir(work, signature)
    return _chunk_rowids(data_files(work, "chunk-*.parquet"))


def _chunk_rowids(chunks: list[Path]) -> pa.Array:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not chunks:
        return pa.array([], pa.int64())
    return pa.concat_arrays(
        [pq.read_table(c, columns=[ROWID]).column(ROWID).combine_chunks() for c in chunks]
    )


def _without(target: pa.Array, done: pa.Array) -> pa.Array:
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


def _compute_chunks(
    catalog: Catalog,
    spec: ColumnJob,
    rowids: pa.Array,
    work: Path,
    job: Any,
    num_jobs: int,
    execution_type: ExecutionType,
) -> dict[str, pa.Table]:
    from gristmill.jobs.executors import ChunkItemError, run_chunks

    sizer = _ChunkSizer()
    in_flight: dict[int, tuple[list[int], float]] = {}
    written: dict[str, pa.Table] = {}  # this run's chunks, kept so the merge need not re-read

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
    results = run_chunks(spec.fn, chunks(), num_jobs=num_jobs, execution_type=execution_type)
    try:
        with contextlib.closing(results):
            for key, outputs in results:
                ids, started = in_flight.pop(key)
                values = _unbatch(spec, ids, outputs)
                name, table = _write_chunk(work, ids, values, spec.output_type)
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


def _merge_chunks(work: Path, column: str, fresh: dict[str, pa.Table]) -> pa.Table:
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


def write_dense_column(ds: Dataset, table: pa.Table, lineage: Lineage) -> None:
    """Store ``(__rowid__, <column>)`` as a dense column (nulls for rows not computed)."""
    import numpy as np
    import pyarrow as pa

    column = table.column_names[1]
    values = table.column(column).combine_chunks()
    if pa.types.is_null(values.type):
        # All outputs were None: store as text so the column has a usable type.
        values = values.cast(pa.string())
    total = ds.store.read_manifest().num_rows
    positions = np.full(total, -1, dtype=np.int64)
    positions[table.column(ROWID).to_numpy()] = np.arange(table.num_rows)
    dense = values.take(pa.array(positions, mask=positions < 0))
    # Re-entrant: a column job already holds it; a one-shot writer (a concept score) takes it.
    with hold_column(ds.store.root, column, action=f"{lineage.kind} into '{column}'"):
        target = ds.store.new_derived_file(column)
        atomic_write_table(target, pa.table({column: dense}))
        ds.store.commit_derived(column, target, lineage)
