"""Loading datasets from the server: a worker thread per load, tracked as a job.

``create_dataset`` records the ``load`` job itself. The server wraps the source so that, when
the rows start to flow (inside that job), the wrapper finds the job's id for the waiting request
and checks between batches whether someone cancelled it. The request answers once the job exists,
or with the error when the file could not even be opened (a 4xx, not a failed job).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.datasets import DatasetConfig, create_dataset
from gristmill.errors import AlreadyExistsError, InvalidInputError, JobCancelledError, JobError
from gristmill.jobs import JobStatus, get_job, list_jobs
from gristmill.project import validate_name
from gristmill.server._models import LoadFormat, LoadStarted

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.sources import Source

logger = logging.getLogger("gristmill.server")

CANCEL_CHECK_INTERVAL_S = 0.5
_SUFFIX_FORMATS: dict[str, LoadFormat] = {
    "json": "json",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "gz": "jsonl",
    "csv": "csv",
    "parquet": "parquet",
}


def source_for(path: str, fmt: LoadFormat | None, *, skip_bad_lines: bool = False) -> Source:
    """The source reading ``path`` in ``fmt`` (by default told from the extension)."""
    from gristmill.data.sources import CSVSource, JSONSource, ParquetSource

    chosen = fmt or format_of(path)
    if chosen == "csv":
        return CSVSource(filepaths=[path])
    if chosen == "parquet":
        return ParquetSource(filepaths=[path])
    return JSONSource(filepaths=[path], on_error="skip" if skip_bad_lines else "raise")


def format_of(filename: str) -> LoadFormat:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    found = _SUFFIX_FORMATS.get(suffix)
    if found is None:
        raise InvalidInputError(
            f"cannot tell the format of '{filename}'",
            hint="use a .json, .jsonl, .csv or .parquet file, or pass format explicitly",
        )
    return found


class LoadTracker:
    """The loads this server started; at most one per dataset name at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[str] = set()

    def start(
        self,
        namespace: str,
        name: str,
        source: Source,
        *,
        overwrite: bool,
        remove_when_done: Path | None = None,
    ) -> LoadStarted:
        """Start loading in a worker thread; return once its job exists (or raise its error)."""
        ref = f"{validate_name(namespace, 'namespace')}/{validate_name(name, 'dataset name')}"
        with self._lock:
            if ref in self._running:
                _remove(remove_when_done)
                raise AlreadyExistsError(
                    f"a load of '{ref}' is already running",
                    hint="wait for it to finish (GET /api/v1/jobs) or cancel it",
                )
            self._running.add(ref)
        load = _Load(namespace, name, source, overwrite=overwrite)

        def run() -> None:
            try:
                load.run()
            finally:
                with self._lock:
                    self._running.discard(ref)
                _remove(remove_when_done)

        threading.Thread(target=run, name=f"gristmill-load-{ref}", daemon=True).start()
        return load.wait_until_started()


class _Load:
    def __init__(self, namespace: str, name: str, source: Source, *, overwrite: bool) -> None:
        self.ref = f"{namespace}/{name}"
        self.namespace = namespace
        self.name = name
        self.source = source
        self.overwrite = overwrite
        self.job_id: str | None = None
        self.error: BaseException | None = None
        self._decided = threading.Event()
        self._last_cancel_check = 0.0

    def run(self) -> None:
        config = DatasetConfig(
            namespace=self.namespace, name=self.name, source=_WatchedSource(self.source, self)
        )
        try:
            create_dataset(config, overwrite=self.overwrite, show_progress=False)
        except BaseException as exc:
            self.error = exc
            if self.job_id is not None:
                # The job row records the failure; the request has long been answered.
                logger.info("load of %s ended: %s", self.ref, exc)
        finally:
            self._decided.set()

    def wait_until_started(self) -> LoadStarted:
        self._decided.wait()
        if self.job_id is not None:
            return LoadStarted(job_id=self.job_id, dataset=self.ref)
        if self.error is not None:
            raise self.error
        raise JobError(f"the load of '{self.ref}' ended before its job started")

    def on_rows_start(self) -> None:
        """Called inside ``create_dataset``'s job: find that job and wake the request."""
        for info in list_jobs(dataset=self.ref, status=JobStatus.RUNNING, limit=50):
            if info.kind == "load" and info.pid == os.getpid():
                self.job_id = info.id
                break
        self._decided.set()

    def check_cancelled(self) -> None:
        now = time.monotonic()
        if self.job_id is None or now - self._last_cancel_check < CANCEL_CHECK_INTERVAL_S:
            return
        self._last_cancel_check = now
        if get_job(self.job_id).cancel_requested:
            raise JobCancelledError(
                f"the load of '{self.ref}' was cancelled",
                hint="start the load again to retry; nothing was written",
            )


class _WatchedSource:
    """Delegates to a real source, reporting the start of rows and honouring cancellation."""

    def __init__(self, inner: Source, load: _Load) -> None:
        self.inner = inner
        self.load = load

    def to_dict(self) -> dict[str, Any]:
        return self.inner.to_dict()

    def open(self) -> pa.RecordBatchReader:
        import pyarrow as pa

        reader = self.inner.open()
        return pa.RecordBatchReader.from_batches(reader.schema, self._batches(reader))

    def _batches(self, reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
        self.load.on_rows_start()
        for batch in reader:
            self.load.check_cancelled()
            yield batch


def _remove(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
