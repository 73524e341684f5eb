"""Loading datasets from the server: a worker thread per load, tracked as a job.

``create_dataset`` records the ``load`` job itself; the worker observes the jobs it starts
(``gristmill.jobs.observe_jobs``), so the waiting request learns that job's id the moment it
exists. The request answers then, or with the error when the file could not even be opened (a
4xx, not a failed job). Cancelling goes through the job, which the load checks between batches.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from gristmill.data.datasets import DatasetConfig, create_dataset
from gristmill.errors import AlreadyExistsError, InvalidInputError, JobError
from gristmill.jobs import Job, observe_jobs
from gristmill.project import validate_name
from gristmill.server._models import LoadFormat, LoadStarted

if TYPE_CHECKING:
    from gristmill.data.sources import Source

logger = logging.getLogger("gristmill.server")

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

    def run(self) -> None:
        config = DatasetConfig(namespace=self.namespace, name=self.name, source=self.source)
        try:
            with observe_jobs(self._on_job_started):
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

    def _on_job_started(self, job: Job) -> None:
        if job.kind == "load" and self.job_id is None:
            self.job_id = job.id
            self._decided.set()


def _remove(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
