"""Streaming a DuckDB query over files into an Arrow ``RecordBatchReader``.

DuckDB parses JSON, CSV and Parquet in parallel and in C++, which keeps a 1M-row load to seconds;
``to_arrow_reader`` hands its result over batch by batch, so memory stays bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from gristmill.data.engine import cursor
from gristmill.data.sources._source import QuickReadError
from gristmill.errors import SourceError

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

BATCH_ROWS = 65_536

ErrorTranslator = Callable[["duckdb.Error"], SourceError]


def stream_query(
    sql: str,
    params: list[Any],
    translate: ErrorTranslator,
    *,
    on_close: Callable[[], None] | None = None,
    validate: Callable[[pa.Schema], None] | None = None,
) -> pa.RecordBatchReader:
    """Run ``sql`` on a cursor of the shared engine and stream its rows.

    Errors at planning time (DuckDB infers the schema then, and with ``sample_size=-1`` that
    means it has parsed every file) and while streaming are both turned into ``SourceError`` by
    ``translate``. ``validate`` may reject the schema before any row is read. The connection (and
    whatever ``on_close`` releases) lives until the reader is exhausted or dropped.

    The shared engine rather than a connection of its own: it carries the memory limit and the
    spill folder (a private connection may take 80% of RAM to infer a 10 GB file's schema), keeps
    rows in file order, and saves the tens of milliseconds a new DuckDB instance costs.
    """
    import duckdb
    import pyarrow as pa

    connection = cursor()

    def close() -> None:
        connection.close()
        if on_close is not None:
            on_close()

    try:
        reader = connection.execute(sql, params).to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as error:
        close()
        raise translate(error) from None
    if validate is not None:
        try:
            validate(reader.schema)
        except BaseException:
            close()
            raise

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
        except duckdb.Error as error:
            raise translate(error) from None
        finally:
            close()

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def stream_checked(
    sql: str,
    check_sql: str,
    params: list[Any],
    *,
    validate: Callable[[pa.Schema], None] | None = None,
) -> pa.RecordBatchReader:
    """Stream ``sql`` while another thread plans ``check_sql``; both must give one schema.

    ``sql`` reads with a schema guessed from a sample, ``check_sql`` is the same read with the
    schema inferred from every row. Planning the check is a full pass over the data of its own;
    run beside the read rather than before it, the two take the longer of their times instead of
    their sum. Any error of the read, and a check that fails or disagrees, end the stream with
    ``QuickReadError`` (after the last batch, at worst): the caller then reads the careful way.
    """
    import duckdb
    import pyarrow as pa

    checker = cursor()
    inferred: list[pa.Schema | BaseException] = []

    def infer() -> None:
        try:
            planned = checker.execute(f"{check_sql} LIMIT 0", params)
            inferred.append(planned.to_arrow_table().schema)
        except BaseException as error:
            inferred.append(error)  # for the reading thread to see

    checking = threading.Thread(target=infer, name="gristmill-schema-check", daemon=True)
    checking.start()
    connection = cursor()

    def close() -> None:
        connection.close()
        if checking.is_alive():
            checker.interrupt()  # a stream given up early: the check has nothing left to say
        checking.join()
        checker.close()

    try:
        reader = connection.execute(sql, params).to_arrow_reader(BATCH_ROWS)
        if validate is not None:
            validate(reader.schema)
    except duckdb.Error:
        close()
        raise QuickReadError(sql) from None
    except BaseException:
        close()
        raise

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
            checking.join()
            found = inferred[0]
            if isinstance(found, BaseException) or not found.equals(reader.schema):
                raise QuickReadError(sql)
        except duckdb.Error:
            raise QuickReadError(sql) from None
        finally:
            close()

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def first_line(error: BaseException) -> str:
    """DuckDB messages end with the SQL text; the first line is the part a user needs."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
