"""``compute_keyword_index``: build a text column's BM25 index as an enrichment job.

A keyword query never builds the index itself: it scans while there is none (``_keyword``) and
queues this job in the background (``_keyword_background``). The job holds the column's writer
lock, so two builds of one column never race, and a query meanwhile keeps answering from the
scan (or the previous index) until the staged file is swapped in. A second call finds the index
current and starts no job. ``gm.cancel_job`` stops a build at once (its DuckDB statements are
interrupted), as does the process exiting when the build runs in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from gristmill import jobs  # names load on first use: importing this needs no SQLAlchemy
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import require_text
from gristmill.data.filters import PathInput
from gristmill.data.locks import hold_column
from gristmill.errors import JobCancelledError
from gristmill.search._keyword import build_fts_database, index_is_current

if TYPE_CHECKING:
    from gristmill.jobs import Job


class KeywordIndexInfo(BaseModel):
    """A text column's keyword (BM25) index."""

    path: str = Field(description="the text column indexed")
    num_rows: int | None = Field(
        description="rows indexed by this call (deleted ones included); null when the index"
        " was current already and nothing was built"
    )


def keyword_index_lock(column: str) -> str:
    """The column lock's name: the index, not the text column, is what the job writes."""
    return f"{column}.keyword_index"


def compute_keyword_index(
    ds: BaseDataset, path: PathInput, *, overwrite: bool = False, show_progress: bool = True
) -> KeywordIndexInfo:
    """Build the BM25 index of the text at ``path`` (a ``keyword_index`` job); a no-op when it
    is current, unless ``overwrite``."""
    return build_keyword_index(ds, path, overwrite=overwrite, show_progress=show_progress)


def build_keyword_index(
    ds: BaseDataset,
    path: PathInput,
    *,
    overwrite: bool = False,
    show_progress: bool = False,
    stop: Callable[[], bool] | None = None,
) -> KeywordIndexInfo:
    """``compute_keyword_index``, stopped (JobCancelledError) as soon as ``stop()`` is true."""
    column = require_text(ds, path, needed_by="a keyword index")
    action = f"keyword index of '{column}'"
    with hold_column(ds.store.root, keyword_index_lock(column), action=action) as lock:
        catalog = ds.catalog()
        if not overwrite and index_is_current(ds, catalog, column):
            return KeywordIndexInfo(path=column, num_rows=None)
        with jobs.start_job(
            "keyword_index",
            description=f"Keyword index of {column}",
            dataset=ds.full_name,
            total=1,
            params={"column": column},
            show_progress=show_progress,
        ) as job:
            # A delete or a load replacing the dataset cancels the build (see acquire_replacing).
            lock.record(action, job.id, yields=True)

            def stopping() -> bool:
                return (stop is not None and stop()) or _cancel_requested(job)

            num_rows = build_fts_database(ds, catalog, column, stop=stopping)
            job.advance()
            job.complete(f"{num_rows} rows indexed")
    return KeywordIndexInfo(path=column, num_rows=num_rows)


def _cancel_requested(job: Job) -> bool:
    try:
        job.check_cancelled()
    except JobCancelledError:
        return True
    return False
