"""Streaming a DuckDB query over files into an Arrow ``RecordBatchReader``.

DuckDB parses JSON, CSV and Parquet in parallel and in C++, which keeps a 1M-row load to seconds;
``to_arrow_reader`` hands its result over batch by batch, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

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
    """Run ``sql`` on a private in-memory connection and stream its rows.

    Errors at planning time (DuckDB infers the schema then, and with ``sample_size=-1`` that
    means it has parsed every file) and while streaming are both turned into ``SourceError`` by
    ``translate``. ``validate`` may reject the schema before any row is read. The connection (and
    whatever ``on_close`` releases) lives until the reader is exhausted or dropped.
    """
    import duckdb
    import pyarrow as pa

    connection = duckdb.connect()
    # Rows must come out in file order; this is DuckDB's default, set here because the
    # guarantee matters (row ids are positions).
    connection.execute("SET preserve_insertion_order = true")

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


def first_line(error: BaseException) -> str:
    """DuckDB messages end with the SQL text; the first line is the part a user needs."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
