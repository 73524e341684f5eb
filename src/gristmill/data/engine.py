"""The process-wide DuckDB engine. Each query runs on its own cursor, so threads (the server,
a background job, the notebook) can query at once."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_lock = threading.Lock()
_connection: duckdb.DuckDBPyConnection | None = None
_pid: int | None = None

# DuckDB defaults to 80% of RAM; a bound keeps 1M-row work inside a few GiB and makes big sorts
# spill to disk instead. Override with GRISTMILL_DUCKDB_MEMORY_LIMIT (e.g. '8GB').
DEFAULT_MEMORY_LIMIT = "2GB"


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor on the shared in-memory engine (re-created after a fork)."""
    global _connection, _pid
    import duckdb

    with _lock:
        if _connection is None or _pid != os.getpid():
            connection = duckdb.connect(
                config={
                    "memory_limit": os.environ.get(
                        "GRISTMILL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT
                    ),
                    "threads": int(os.environ.get("GRISTMILL_DUCKDB_THREADS", os.cpu_count() or 1)),
                }
            )
            _connection, _pid = connection, os.getpid()
        return _connection.cursor()
