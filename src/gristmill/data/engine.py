"""The process-wide DuckDB engine. Each query runs on its own cursor, so threads (the server,
a background job, the notebook, a load's reader) can query at once."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_lock = threading.Lock()
_connection: duckdb.DuckDBPyConnection | None = None
_pid: int | None = None

# DuckDB defaults to 80% of RAM; a bound keeps 10M-row work inside a few GiB and makes big sorts
# and aggregations spill to disk instead. Override with GRISTMILL_DUCKDB_MEMORY_LIMIT ('8GB').
DEFAULT_MEMORY_LIMIT = "2GB"
MEMORY_LIMIT_ENV = "GRISTMILL_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "GRISTMILL_DUCKDB_THREADS"
TEMP_DIRECTORY_ENV = "GRISTMILL_DUCKDB_TEMP_DIRECTORY"


def temp_directory() -> Path:
    """Where DuckDB spills what does not fit under the memory limit.

    An in-memory DuckDB spills to ``.tmp`` in the current directory by default, which litters
    whatever folder a script runs from with gigabytes at 10M rows; the system's temp folder (one
    subfolder per process, which DuckDB removes when it closes) is where scratch data belongs.
    """
    configured = os.environ.get(TEMP_DIRECTORY_ENV, "").strip()
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"gristmill-duckdb-{os.getpid()}"


def settings() -> dict[str, str | bool | int | float | list[str]]:
    """The engine's configuration, read from the environment when the engine is created."""
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT),
        "threads": int(os.environ.get(THREADS_ENV, os.cpu_count() or 1)),
        "temp_directory": str(temp_directory()),
        # DuckDB's default, stated because loads and un-ordered pages rely on it: rows come out
        # in file order, and row ids are positions.
        "preserve_insertion_order": True,
    }


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor on the shared in-memory engine (re-created after a fork)."""
    global _connection, _pid
    import duckdb

    with _lock:
        if _connection is None or _pid != os.getpid():
            _connection, _pid = duckdb.connect(config=settings()), os.getpid()
        return _connection.cursor()
