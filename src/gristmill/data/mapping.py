"""``Dataset.map``: run a user's function over rows into a derived column, resumably.

The column engine (``derived``) does the chunking, resuming and storing; this module adds what only
``map`` needs: a fingerprint of the function's code, so an interrupted run resumes only when the
function is unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gristmill.data.derived import ColumnJob, MapResult, function_name, run_column_job
from gristmill.data.filters import Filter, PathInput
from gristmill.data.fingerprint import FingerprintError, fingerprint_function
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    from gristmill.data.dataset import BaseDataset
    from gristmill.jobs.executors import ExecutionType

logger = logging.getLogger("gristmill.data")


def run_map(
    ds: BaseDataset,
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
    part_of: str | None = None,
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
        producer=function_name(fn),
        input_path=input_path,
        filters=filters,
        include_deleted=include_deleted,
        fingerprint=fingerprint or "",
        reusable=fingerprint is not None,
        part_of=part_of,
    )
    return run_column_job(
        ds,
        job,
        overwrite=overwrite,
        num_jobs=num_jobs,
        execution_type=execution_type,
        show_progress=show_progress,
    )
