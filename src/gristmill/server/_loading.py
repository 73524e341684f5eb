"""Loading datasets from the server: a worker thread per load, tracked as a job.

``create_dataset`` records the ``load`` job itself; the worker observes the jobs it starts
(``gristmill.jobs.observe_jobs``), so the waiting request learns that job's id the moment it
exists. The request answers then, or with the error when the file could not even be opened (a
4xx, not a failed job). Cancelling goes through the job, which the load checks between batches.

The files are named to clients, in errors, the job and the manifest, as the client knows them
(``data/train.jsonl``, ``upload.csv``), never by the server's paths (``ShownSource``).
"""

from __future__ import annotations

import glob
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pydantic

from gristmill.data.datasets import DatasetConfig
from gristmill.data.sources import CSVSource, JSONSource, ParquetSource, Source
from gristmill.dataset import create_dataset
from gristmill.errors import (
    AlreadyExistsError,
    GristmillError,
    InvalidInputError,
    JobError,
    SourceError,
)
from gristmill.jobs import Job, observe_jobs
from gristmill.project import validate_name
from gristmill.server._data_dirs import NamedFile
from gristmill.server._models import LoadFormat, LoadStarted

if TYPE_CHECKING:
    import pyarrow as pa

logger = logging.getLogger("gristmill.server")

_SUFFIX_FORMATS: dict[str, LoadFormat] = {
    "json": "json",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "gz": "jsonl",
    "csv": "csv",
    "parquet": "parquet",
}


def source_for(
    files: Sequence[NamedFile], fmt: LoadFormat, *, skip_bad_lines: bool = False
) -> Source:
    """The source reading ``files`` in ``fmt``, naming them as clients know them."""
    # Escaped: the files are already chosen, so a '[' in a name must not make the loader glob.
    real = [glob.escape(str(file.path)) for file in files]
    inner: Source
    if fmt == "csv":
        inner = CSVSource(filepaths=real)
    elif fmt == "parquet":
        inner = ParquetSource(filepaths=real)
    else:
        inner = JSONSource(filepaths=real, on_error="skip" if skip_bad_lines else "raise")
    names = {str(file.path): file.shown for file in files}
    names.update({escaped: file.shown for escaped, file in zip(real, files, strict=True)})
    return ShownSource.wrapping(inner, names)


def format_of(filename: str) -> LoadFormat:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    found = _SUFFIX_FORMATS.get(suffix)
    if found is None:
        raise InvalidInputError(
            f"cannot tell the format of '{filename}'",
            hint="use a .json, .jsonl, .csv or .parquet file, or pass format explicitly",
        )
    return found


class ShownSource(Source):
    """A file source whose files are named, wherever they show, as the client named them.

    Its ``to_dict`` is the wrapped source's settings with those names, so the manifest and the
    job record ``data/train.jsonl`` (what the operator's folder name makes of it), not the
    server's absolute path or an upload's private folder; errors name the files the same way.
    """

    source_name: ClassVar[str] = "shown"

    _inner: Source = pydantic.PrivateAttr()
    _names: dict[str, str] = pydantic.PrivateAttr(default_factory=dict)

    @classmethod
    def wrapping(cls, inner: Source, names: Mapping[str, str]) -> ShownSource:
        source = cls()
        source._inner = inner
        source._names = dict(names)
        return source

    def open(self) -> pa.RecordBatchReader:
        import pyarrow as pa

        try:
            reader = self._inner.open()
        except (GristmillError, OSError) as error:
            raise self._renamed(error) from None

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                yield from reader
            except (GristmillError, OSError) as error:
                raise self._renamed(error) from None
            finally:
                reader.close()

        return pa.RecordBatchReader.from_batches(reader.schema, batches())

    def to_dict(self) -> dict[str, Any]:
        settings = self._inner.to_dict()
        files = settings.get("filepaths")
        if isinstance(files, list):
            settings["filepaths"] = [self._names.get(str(f), str(f)) for f in files]
        return settings

    def _renamed(self, error: GristmillError | OSError) -> GristmillError:
        if isinstance(error, OSError):
            shown = self._names.get(str(error.filename), "the file")
            return SourceError(
                f"cannot read '{shown}': {error.strerror or type(error).__name__}",
                hint="check that the server may read the file",
            )
        error.message = self._rename(error.message)
        error.hint = self._rename(error.hint) if error.hint is not None else None
        error.args = (error.message,)
        return error

    def _rename(self, text: str) -> str:
        # The longest path first, so a path is never half-replaced by a shorter one it starts with.
        for real in sorted(self._names, key=len, reverse=True):
            text = text.replace(real, self._names[real])
        return text


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
        when_done: Callable[[], None] | None = None,
    ) -> LoadStarted:
        """Start loading in a worker thread; return once its job exists (or raise its error).

        ``when_done`` runs once the load has ended, however it ended, or at once when the load
        cannot even start (that is how an upload's folder never outlives its load).
        """
        try:
            ref = f"{validate_name(namespace, 'namespace')}/{validate_name(name, 'dataset name')}"
            with self._lock:
                if ref in self._running:
                    raise AlreadyExistsError(
                        f"a load of '{ref}' is already running",
                        hint="wait for it to finish (GET /api/v1/jobs) or cancel it",
                    )
                self._running.add(ref)
        except BaseException:
            if when_done is not None:
                when_done()
            raise
        load = _Load(namespace, name, source, overwrite=overwrite)

        def run() -> None:
            try:
                load.run()
            finally:
                with self._lock:
                    self._running.discard(ref)
                if when_done is not None:
                    when_done()

        worker = threading.Thread(target=run, name=f"gristmill-load-{ref}", daemon=True)
        worker.start()
        try:
            return load.wait_until_started()
        except BaseException:
            # It failed before its job began, so the worker is ending: wait for it, so that
            # ``when_done`` has run by the time the client hears of the failure.
            worker.join()
            raise


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
