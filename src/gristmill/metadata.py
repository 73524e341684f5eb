"""The metadata database: jobs, experiments, registries — everything that is not a column.

SQLite in the project folder (``<project>/gristmill.db``) by default, PostgreSQL when
``$GRISTMILL_DATABASE_URL`` is set. Features declare their tables on :data:`metadata_obj`;
:func:`get_engine` creates any table it has not created yet, so a feature imported after the
first call still gets its tables.

SQLite runs in WAL mode with a busy timeout: readers never block the writer, and writers from
several threads and processes (job progress from a map, a signal and the server at once) wait
for each other instead of failing with "database is locked".
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gristmill.errors import InvalidInputError, ProviderError, missing_dependency
from gristmill.project import get_project_dir

DATABASE_URL_ENV = "GRISTMILL_DATABASE_URL"
DATABASE_FILENAME = "gristmill.db"

# How long a SQLite writer waits for another writer before giving up. Progress writes are tiny,
# so only a stuck process could hold the lock this long.
SQLITE_BUSY_TIMEOUT_S = 30.0

# Explicit constraint names keep migrations and error messages readable on both backends.
metadata_obj = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


@dataclass
class _CachedEngine:
    engine: sa.Engine
    pid: int
    created_tables: frozenset[str]


_lock = threading.Lock()
_engines: dict[str, _CachedEngine] = {}


def database_url() -> str:
    """The URL of the metadata database for the current project."""
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return _with_default_postgres_driver(configured)
    return f"sqlite:///{get_project_dir() / DATABASE_FILENAME}"


def get_engine() -> sa.Engine:
    """The engine of the current project's metadata database, with every declared table created."""
    url = database_url()
    with _lock:
        cached = _engines.get(url)
        if cached is not None and cached.pid != os.getpid():
            # A forked child must not reuse the parent's pooled connections; leave them to the
            # parent (close=False) and open its own.
            cached.engine.dispose(close=False)
            cached = None
        if cached is None:
            cached = _CachedEngine(_create_engine(url), os.getpid(), frozenset())
            _engines[url] = cached
        declared = frozenset(metadata_obj.tables)
        if not declared <= cached.created_tables:
            _create_tables(cached.engine)
            cached.created_tables = declared
        return cached.engine


def reset_engines() -> None:
    """Close every cached engine (tests, a switch of project or database URL)."""
    with _lock:
        cached_engines = list(_engines.values())
        _engines.clear()
    for cached in cached_engines:
        cached.engine.dispose(close=cached.pid == os.getpid())


def _with_default_postgres_driver(url: str) -> str:
    # psycopg (3) is the driver we ship in the 'postgres' extra; SQLAlchemy's default for a bare
    # 'postgresql://' URL is psycopg2, which users rarely have.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _create_engine(url: str) -> sa.Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise InvalidInputError(
            f"{DATABASE_URL_ENV} is not a valid database URL: {exc}",
            hint="use e.g. 'postgresql+psycopg://user:password@host:5432/dbname', or unset it to"
            " use SQLite in the project folder",
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        return _create_sqlite_engine(url)
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise missing_dependency(
            exc.name or "psycopg", "postgres", "a PostgreSQL metadata database"
        ) from exc
    except sa.exc.NoSuchModuleError as exc:
        raise InvalidInputError(
            f"{DATABASE_URL_ENV} names an unsupported database: {parsed.drivername}",
            hint="use 'postgresql+psycopg://...' or unset it to use SQLite in the project folder",
        ) from exc


def _create_sqlite_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # WAL lets readers (the UI polling jobs) run while a job writes its progress;
            # synchronous=NORMAL is durable against process crashes, which is what WAL needs.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    return engine


def _create_tables(engine: sa.Engine) -> None:
    # Two processes opening a fresh database at once can both see a table missing and race to
    # create it; the loser's "already exists" is harmless and a second pass finds the table.
    for attempt in range(3):
        try:
            metadata_obj.create_all(engine, checkfirst=True)
            return
        except sa.exc.DBAPIError as exc:
            detail = str(exc.orig)
            racing = "already exists" in detail or "locked" in detail
            if racing and attempt < 2:
                continue
            if racing or not isinstance(exc, sa.exc.OperationalError):
                raise
            raise _cannot_open(engine, detail) from exc


def _cannot_open(engine: sa.Engine, detail: str) -> Exception:
    if engine.dialect.name == "sqlite":
        return InvalidInputError(
            f"cannot open the metadata database {engine.url.database}: {detail}",
            hint="check that the project folder exists and is writable",
        )
    shown = engine.url.render_as_string(hide_password=True)
    return ProviderError(
        f"cannot open the metadata database at {shown}: {detail}",
        hint=f"check {DATABASE_URL_ENV} and that the database server is running, or unset it to"
        " use SQLite in the project folder",
    )
