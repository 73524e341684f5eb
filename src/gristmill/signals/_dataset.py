"""Running a signal over a dataset column: ``Dataset.compute_signal`` delegates here.

Row signals run as a resumable column job, chunk by chunk (a crash keeps finished chunks);
dataset signals (duplicates) need every row at once, so they read the column, compute once and
store the result. Either way the output is a derived column with the signal's lineage, named
``<path>__<signal>`` unless told otherwise. Rerunning the same signal with the same settings is a
no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gristmill.errors import AlreadyExistsError, InvalidInputError

if TYPE_CHECKING:
    from gristmill.data.dataset import Dataset
    from gristmill.data.filters import FilterLike, PathInput
    from gristmill.data.mapping import MapResult
    from gristmill.jobs.executors import ExecutionType
    from gristmill.signals._signal import Signal


def default_column_name(path: PathInput, suffix: str) -> str:
    """``'response'`` + ``'pii'`` -> ``'response__pii'``; nested paths join with '_'."""
    parts = path.split(".") if isinstance(path, str) else list(path)
    slug = "_".join(p for p in parts if p != "*")
    return f"{slug}__{suffix}"


def _check_text_path(ds: Dataset, path: PathInput) -> str:
    import pyarrow as pa

    from gristmill.data.query import QueryBuilder

    resolved = QueryBuilder(ds.catalog()).resolve(path)
    leaf = resolved.leaf_type
    if resolved.through_list or not (pa.types.is_string(leaf) or pa.types.is_large_string(leaf)):
        raise InvalidInputError(
            f"signals run on a text column, but '{resolved.name}' is {leaf}"
            + (" inside a list" if resolved.through_list else ""),
            hint="pick a string column, or ds.map() the value to text first",
        )
    return resolved.name


def already_computed(ds: Dataset, column: str, producer: str, overwrite: bool) -> bool:
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


def compute_signal(
    ds: Dataset,
    signal: Signal,
    path: PathInput,
    *,
    output_column: str | None = None,
    filters: Sequence[FilterLike] | None = None,
    include_deleted: bool = False,
    overwrite: bool = False,
    num_jobs: int = 1,
    execution_type: ExecutionType = "threads",
    show_progress: bool = True,
) -> MapResult:
    from gristmill.data.filters import to_filters
    from gristmill.data.mapping import ColumnJob, MapResult, run_column_job
    from gristmill.signals._signal import EmbeddingSignal, Signal

    if not isinstance(signal, Signal):
        raise InvalidInputError(
            f"compute_signal needs a Signal, got {type(signal).__name__}",
            hint="e.g. ds.compute_signal(gm.PIISignal(), 'text')",
        )
    input_name = _check_text_path(ds, path)
    column = output_column or default_column_name(input_name, signal.name)
    producer = signal.key()
    if already_computed(ds, column, producer, overwrite):
        return MapResult(ds, column, 0, ds.count(include_deleted=True))
    if isinstance(signal, EmbeddingSignal):
        from gristmill.signals._embedding_input import compute_embedding_signal

        return compute_embedding_signal(
            ds, signal, input_name, column, to_filters(filters), include_deleted, show_progress
        )
    params: dict[str, Any] = {"signal": signal.name, "config": signal.model_dump(mode="json")}
    if signal.scope == "dataset":
        return _compute_whole_column(
            ds,
            signal,
            input_name,
            column,
            params,
            to_filters(filters),
            include_deleted,
            show_progress,
        )
    spec = ColumnJob(
        output_column=column,
        fn=signal.compute,
        producer=producer,
        kind="signal",
        input_path=input_name,
        params=params,
        batched=True,
        filters=to_filters(filters),
        include_deleted=include_deleted,
        output_type=signal.output_type(),
    )
    return run_column_job(
        ds,
        spec,
        overwrite=True,  # already_computed() decided: replace only a different or stale column
        num_jobs=num_jobs,
        execution_type=execution_type,
        show_progress=show_progress,
    )


def _compute_whole_column(
    ds: Dataset,
    signal: Signal,
    input_name: str,
    column: str,
    params: dict[str, Any],
    filters: Sequence[Any],
    include_deleted: bool,
    show_progress: bool,
) -> MapResult:
    from gristmill.data.store import ROWID
    from gristmill.signals._whole_column import store_whole_column

    table = ds.select_rows(
        [ROWID, input_name], filters=filters, include_deleted=include_deleted
    ).arrow()
    return store_whole_column(
        ds,
        signal,
        input_name=input_name,
        column=column,
        params=params,
        rowids=table.column(ROWID).combine_chunks(),
        compute=lambda: signal.compute(table.column(1).to_pylist()),
        show_progress=show_progress,
    )
