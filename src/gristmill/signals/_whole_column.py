"""Dataset-scope signals (duplicates) see every chosen row at once: one job, one dense column.

Row signals go through the resumable column job; these cannot be split into chunks (a duplicate
group spans the whole column), so they compute in one step and store the column in one write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gristmill import jobs  # names load on first use: importing this needs no SQLAlchemy
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import MapResult, write_dense_column
from gristmill.data.store import ROWID, now
from gristmill.schema import Lineage
from gristmill.signals._signal import Signal

if TYPE_CHECKING:
    import pyarrow as pa


def store_whole_column(
    ds: BaseDataset,
    signal: Signal,
    *,
    input_name: str,
    column: str,
    params: dict[str, Any],
    rowids: pa.Array,
    compute: Callable[[], Sequence[Any]],
    show_progress: bool,
) -> MapResult:
    """Run ``compute()`` (the outputs for ``rowids``, in order) as a job, then store them."""
    import pyarrow as pa

    num_rows = len(rowids)
    with jobs.start_job(
        "signal",
        description=signal.job_title(input_name),
        dataset=ds.full_name,
        total=num_rows,
        params=params,
        show_progress=show_progress,
    ) as job:
        values = pa.array(compute(), type=signal.output_type())
        lineage = Lineage(
            kind="signal",
            producer=signal.key(),
            input_path=input_name,
            params=params,
            created_at=now(),
            num_rows=num_rows,
        )
        write_dense_column(ds, pa.table({ROWID: rowids, column: values}), lineage)
        job.advance(num_rows)
    return MapResult(ds, column, num_rows, 0)
