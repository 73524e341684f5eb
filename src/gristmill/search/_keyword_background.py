"""Keyword indexes built in the background: after a load, and when a search had to scan.

``gm.create_dataset`` returns as soon as the rows are stored; it then calls
``index_after_load``, and a daemon thread of the loading process runs ``compute_keyword_index``
(a ``keyword_index`` job in the jobs table, under the column's writer lock) for each column that
reads like prose (``prose_columns``). Until an index is current, keyword searches of its column
scan, with the same scores; a scan asks for the column's index (``index_on_demand``), so a column
searched without one gets it too.

The thread waits ``START_DELAY_S`` before its first job, so a script or CLI command that ends
right after its load records nothing. A process that exits during a build interrupts it (an
``atexit`` hook): the staged file is removed, the job is recorded as cancelled, and the next
search of the column in a later process starts the build again. A build is never read half
written: the staged file has a dot name and is renamed into place only when complete.

Opting out: ``GRISTMILL_KEYWORD_INDEX=off`` (also ``0``, ``false``, ``no``) turns off both the
builds after a load and those on demand; ``gm.create_dataset(..., keyword_index=False)`` skips one
load's. ``ds.compute_keyword_index(path)`` builds an index in the foreground either way.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import deque
from pathlib import Path

from gristmill.data.catalog import Catalog
from gristmill.data.dataset import BaseDataset
from gristmill.errors import GristmillError, JobCancelledError
from gristmill.search._keyword_index import build_keyword_index

logger = logging.getLogger("gristmill.search")

KEYWORD_INDEX_ENV = "GRISTMILL_KEYWORD_INDEX"
_OFF = {"0", "off", "false", "no"}
START_DELAY_S = 1.0
# The prose rule, on the first SAMPLE_ROWS values of each string column: on average at least
# PROSE_MIN_WORDS words (ids, names, URLs and labels have one or two), and at least
# PROSE_MIN_DISTINCT of the values different (categories repeat).
SAMPLE_ROWS = 1_000
PROSE_MIN_WORDS = 4.0
PROSE_MIN_DISTINCT = 0.5
# How long a process that exits waits for its builds to stop (each stops within a second).
_EXIT_WAIT_S = 30.0


def keyword_index_enabled() -> bool:
    """False when ``GRISTMILL_KEYWORD_INDEX`` turns the background builds off."""
    return os.environ.get(KEYWORD_INDEX_ENV, "on").strip().lower() not in _OFF


def prose_columns(ds: BaseDataset, catalog: Catalog | None = None) -> list[str]:
    """The source string columns whose values read like prose (see the rule above)."""
    import pyarrow as pa

    catalog = catalog or ds.catalog()
    strings = [
        rel.name
        for rel in catalog.relations.values()
        if rel.kind == "source"
        and (pa.types.is_string(rel.arrow_type) or pa.types.is_large_string(rel.arrow_type))
    ]
    if not strings:
        return []
    sample = ds.select_rows(strings, limit=SAMPLE_ROWS, include_deleted=True).arrow()
    found = []
    for name in strings:
        values = [v for v in sample.column(name).to_pylist() if v]
        if not values:
            continue
        words = sum(len(v.split()) for v in values) / len(values)
        distinct = len(set(values)) / len(values)
        if words >= PROSE_MIN_WORDS and distinct >= PROSE_MIN_DISTINCT:
            found.append(name)
    return found


class _Builder(threading.Thread):
    """Builds the queued columns' indexes of one dataset, one after another."""

    def __init__(self, ds: BaseDataset, columns: list[str], *, prose: bool = False) -> None:
        super().__init__(name=f"gristmill-keyword-index-{ds.full_name}", daemon=True)
        self.ds = ds
        self.queue: deque[str] = deque(columns)
        self.current: str | None = None
        # After a load: the prose columns are chosen here, so the load returns at once.
        self.prose = prose
        self.stopping = threading.Event()
        self.go = threading.Event()

    def wants(self, column: str) -> bool:
        return column == self.current or column in self.queue

    def run(self) -> None:
        self.go.wait(START_DELAY_S)
        if self.prose and not self.stopping.is_set():
            try:
                chosen = prose_columns(self.ds)
            except GristmillError as exc:  # the dataset was replaced or deleted meanwhile
                logger.info("no keyword indexes for %s: %s", self.ds.full_name, exc)
                chosen = []
            with _lock:
                self.queue.extend(c for c in chosen if not self.wants(c))
        while not self.stopping.is_set():
            with _lock:
                if not self.queue:
                    _builders.pop(self.ds.store.root, None)
                    return
                self.current = self.queue.popleft()
            self._build(self.current)
        with _lock:
            if _builders.get(self.ds.store.root) is self:
                _builders.pop(self.ds.store.root)

    def _build(self, column: str) -> None:
        try:
            build_keyword_index(self.ds, column, stop=self.stopping.is_set)
        except JobCancelledError:
            pass  # stopped (exit, a new load) or cancelled: a later search asks again
        except GristmillError as exc:
            # Another writer has the column or the dataset (a build elsewhere, a new load):
            # that writer's work stands, and a later scan asks again if it is still needed.
            logger.info("keyword index of %s.%s not built: %s", self.ds.full_name, column, exc)
        except Exception:
            logger.exception("keyword index of %s.%s failed", self.ds.full_name, column)
            _failed.add((self.ds.store.root, column))
        finally:
            self.current = None


_lock = threading.Lock()
_builders: dict[Path, _Builder] = {}
# Columns whose build failed with an unexpected error: not retried on demand in this process
# (a search would otherwise start a failing job every time).
_failed: set[tuple[Path, str]] = set()


def _queue(ds: BaseDataset, columns: list[str], *, prose: bool = False) -> None:
    with _lock:
        builder = _builders.get(ds.store.root)
        if builder is not None and builder.is_alive() and not builder.stopping.is_set():
            builder.queue.extend(c for c in columns if not builder.wants(c))
            builder.prose = builder.prose or prose
            return
        builder = _Builder(ds, columns, prose=prose)
        _builders[ds.store.root] = builder
        builder.start()


def index_after_load(ds: BaseDataset, *, enabled: bool | None = None) -> None:
    """Build the keyword index of each prose column of a dataset just loaded, in the background.

    ``enabled`` None follows ``GRISTMILL_KEYWORD_INDEX``.
    """
    if keyword_index_enabled() if enabled is None else enabled:
        _queue(ds, [], prose=True)


def index_on_demand(ds: BaseDataset, column: str) -> None:
    """Queue ``column``'s index (a search scanned it): at most one build per column at once."""
    if not keyword_index_enabled() or (ds.store.root, column) in _failed:
        return
    _queue(ds, [column])


def stop_background_indexes(root: Path, *, wait: float = _EXIT_WAIT_S) -> None:
    """Stop the builds of the dataset at ``root`` in this process and wait for them to end
    (a load replacing the dataset needs the lock they hold)."""
    with _lock:
        builder = _builders.pop(root, None)
    if builder is not None:
        builder.stopping.set()
        builder.go.set()
        builder.join(wait)


def wait_for_background_indexes(ds: BaseDataset, timeout: float | None = None) -> None:
    """Start the dataset's queued builds now (no delay) and wait until they are done."""
    with _lock:
        builder = _builders.get(ds.store.root)
    if builder is not None:
        builder.go.set()
        builder.join(timeout)


def _stop_all() -> None:
    with _lock:
        roots = list(_builders)
    for root in roots:
        stop_background_indexes(root)


# Runs before the interpreter tears down: a daemon thread still inside DuckDB at that point
# could crash the exit. Interrupted, the build removes its staged file and records the job.
atexit.register(_stop_all)
