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

from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import (
    ColumnJob,
    MapResult,
    already_computed,
    default_column_name,
    require_text,
    run_column_job,
)
from gristmill.data.filters import FilterLike, PathInput, to_filters
from gristmill.data.store import ROWID
from gristmill.errors import InvalidInputError
from gristmill.signals._embedding_input import compute_embedding_signal
from gristmill.signals._signal import EmbeddingSignal, Signal
from gristmill.signals._whole_column import store_whole_column

if TYPE_CHECKING:
    from gristmill.jobs.executors import ExecutionType


def compute_signal(
    ds: BaseDataset,
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
    """Add the signal's output for the text at ``path`` as a derived column, resumably."""
    if not isinstance(signal, Signal):
        raise InvalidInputError(
            f"compute_signal needs a Signal, got {type(signal).__name__}",
            hint="e.g. ds.compute_signal(gm.PIISignal(), 'text')",
        )
    input_name = require_text(ds, path, needed_by=f"the {signal.name} signal")
    column = output_column or default_column_name(input_name, signal.name)
    producer = signal.key()
    if already_computed(ds, column, producer, overwrite):
        return MapResult(ds, column, 0, ds.count(include_deleted=True))
    if isinstance(signal, EmbeddingSignal):
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
        title=signal.job_title(input_name),
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
    ds: BaseDataset,
    signal: Signal,
    input_name: str,
    column: str,
    params: dict[str, Any],
    filters: Sequence[Any],
    include_deleted: bool,
    show_progress: bool,
) -> MapResult:
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
