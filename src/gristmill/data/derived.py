"""Derived columns: one engine computes every column that is not a source column.

``map``, signals, embeddings, concept scores, cluster assignments, classifier predictions and model
outputs are all derived columns: stored apart from the source rows, keyed by ``__rowid__``, and
recorded in the manifest with their lineage. This module is what they share:

- ``ColumnJob`` + ``run_column_job``: a resumable, chunked computation of one column;
- ``write_dense_column``: store a finished ``(__rowid__, value)`` table as the column;
- ``require_text``, ``default_column_name``, ``already_computed``, ``function_name``: checking the
  input, naming the output, and knowing when a rerun has nothing to do.

How a crash loses nothing:
- rows are read in one streaming query and cut into chunks sized to take about a second each, so
  a slow function (an LLM call) checkpoints often and a fast one (``len``) is not slowed by I/O;
- each finished chunk is written atomically to ``work/<kind>-<column>/`` with its rowids;
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

import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill import jobs  # its names load on first use: opening a dataset needs no SQLAlchemy
from gristmill.data._chunks import chunk_rowids, compute_chunks, merge_chunks, without
from gristmill.data.catalog import Catalog
from gristmill.data.curation import chosen_rowids
from gristmill.data.files import atomic_write_table, claim_work_dir, data_files, work_dir_signature
from gristmill.data.filters import Filter, PathInput
from gristmill.data.locks import FileLock, hold_column
from gristmill.data.query import QueryBuilder
from gristmill.data.store import ROWID, now
from gristmill.errors import AlreadyExistsError, InvalidInputError
from gristmill.project import validate_name
from gristmill.schema import DerivedKind, Lineage

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.dataset import BaseDataset
    from gristmill.jobs.executors import ExecutionType


@dataclass
class MapResult:
    """What a map did. Iterating yields the output values in row order."""

    dataset: BaseDataset
    column: str
    num_computed: int
    num_resumed: int

    def __iter__(self) -> Iterator[Any]:
        for row in self.dataset.select_rows([self.column], sort_by=None):
            yield row[self.column]


@dataclass(frozen=True)
class ColumnJob:
    """A resumable computation of one derived column: ``map``, a signal, an embedding.

    ``fn`` maps one input to one output, or with ``batched`` a chunk's list of inputs to the list
    of their outputs (signals and embedding models are much faster on batches). ``finish`` turns
    the merged ``(__rowid__, value)`` table into stored data; by default a dense column.

    ``producer`` and ``params`` name the computation for resuming; ``fingerprint`` adds what they
    cannot (a map's function code), and ``reusable=False`` says nothing identifies it, so an
    interrupted run's chunks are never reused. ``part_of`` names the column this one is an
    internal step of (recorded in the lineage, so the UI can fold it away).
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
    finish: Callable[[BaseDataset, pa.Table, Lineage], None] | None = None
    # Instead of ``finish``: gets the finished chunk files (by first rowid) unmerged, for
    # outputs too large to hold at once (an embedding's vectors: 10 GB at 10M rows).
    finish_files: Callable[[BaseDataset, list[Path], Lineage], None] | None = None
    output_type: pa.DataType | None = None
    fingerprint: str = ""
    reusable: bool = True
    # The job's description in the words a person used ('Text statistics of prompt'), for
    # the activity list and the CLI; by default '<kind> <producer> -> <column>'.
    title: str = ""
    part_of: str | None = None


def function_name(fn: Callable[..., Any]) -> str:
    """``module.qualname`` of a function: the producer recorded for a ``map``."""
    module = getattr(fn, "__module__", None) or ""
    name = getattr(fn, "__qualname__", None) or type(fn).__name__
    return f"{module}.{name}" if module else name


def default_column_name(path: PathInput, suffix: str) -> str:
    """``'response'`` + ``'pii'`` -> ``'response__pii'``; nested paths join with '_'."""
    parts = path.split(".") if isinstance(path, str) else list(path)
    slug = "_".join(p for p in parts if p != "*")
    return f"{slug}__{suffix}"


def require_text(
    ds: BaseDataset,
    path: PathInput,
    *,
    needed_by: str,
    hint: str | None = None,
    catalog: Catalog | None = None,
) -> str:
    """The resolved name of ``path``, which must be a text column (not text inside a list).

    ``needed_by`` names the computation in the error (``compute_embedding``, ``a keyword
    search``, ``the pii signal``), so the user learns which step wanted text. A query passes
    its ``catalog`` so the check reads the same snapshot as the query.
    """
    import pyarrow as pa

    resolved = QueryBuilder(catalog or ds.catalog()).resolve(path)
    leaf = resolved.leaf_type
    if resolved.through_list or not (pa.types.is_string(leaf) or pa.types.is_large_string(leaf)):
        raise InvalidInputError(
            f"{needed_by} needs a text column, but '{resolved.name}' is {leaf}"
            + (" inside a list" if resolved.through_list else ""),
            hint=hint or "pick a string column, or ds.map() the value to text first",
        )
    return resolved.name


def already_computed(ds: BaseDataset, column: str, producer: str, overwrite: bool) -> bool:
    """True when ``column`` holds exactly this producer's output (so rerunning is a no-op)."""
    derived = ds.store.read_manifest().derived.get(column)
    if derived is None or overwrite:
        return False
    if derived.lineage.producer == producer:
        return True
    raise AlreadyExistsError(
        f"column '{column}' already holds {derived.lineage.producer}",
        hint="pass overwrite=True to replace it, or output_column= to keep both",
    )


def run_column_job(
    ds: BaseDataset,
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
    ds: BaseDataset,
    spec: ColumnJob,
    column: str,
    overwrite: bool,
    num_jobs: int,
    execution_type: ExecutionType,
    show_progress: bool,
    lock: FileLock,
) -> MapResult:
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
    remaining = without(target, done)
    num_resumed = len(target) - len(remaining)

    with jobs.start_job(
        spec.kind,
        description=spec.title or f"{spec.kind} {spec.producer} -> {column}",
        dataset=ds.full_name,
        total=len(target),
        params=signature,
        show_progress=show_progress,
    ) as job:
        lock.record(f"{spec.kind} into '{column}'", job.id)
        job.advance(num_resumed)
        if len(remaining):
            fresh = compute_chunks(catalog, spec, remaining, work, job, num_jobs, execution_type)
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
            part_of=spec.part_of,
        )
        if spec.finish_files is not None:
            spec.finish_files(ds, data_files(work, "chunk-*.parquet"), lineage)
        else:
            merged = merge_chunks(work, column, fresh)
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
    if work_dir_signature(work) == signature and not len(without(target, chunk_rowids(chunks))):
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
    return chunk_rowids(data_files(work, "chunk-*.parquet"))


def write_dense_column(
    ds: BaseDataset, table: pa.Table, lineage: Lineage, *, index: Path | None = None
) -> None:
    """Store ``(__rowid__, <column>)`` as a dense column (nulls for rows not computed).

    ``index`` is a staged vector-index folder (``DatasetStore.new_index_dir``) to switch in with
    the column, in the same manifest write.
    """
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
        ds.store.commit_derived(column, target, lineage, index=index)
