"""Streaming export to JSON/JSONL, CSV and Parquet.

Rows flow from DuckDB in record batches straight to the file, so a 1M-row export never holds the
dataset in memory; the file appears atomically when complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gristmill.data.engine import cursor
from gristmill.data.files import atomic_write
from gristmill.data.filters import FilterLike
from gristmill.data.sql import Statement, quote_identifier
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.dataset import BaseDataset, ColumnsInput

ExportFormat = Literal["jsonl", "json", "csv", "parquet"]
EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "json", "csv", "parquet")
BATCH_ROWS = 16_384


def export(
    ds: BaseDataset,
    filepath: str | Path,
    fmt: str,
    columns: ColumnsInput,
    filters: Sequence[FilterLike] | None,
    include_deleted: bool,
) -> Path:
    if fmt not in EXPORT_FORMATS:
        raise InvalidInputError(
            f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(EXPORT_FORMATS)}"
        )
    path = Path(filepath).expanduser()
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder", hint="give a file path to export to")
    statement = ds.select_rows(columns, filters=filters, include_deleted=include_deleted)._statement
    writer = {"jsonl": _write_json, "json": _write_json, "csv": _write_csv}.get(fmt, _write_parquet)
    atomic_write(path, lambda tmp: writer(statement, tmp, fmt))
    return path


def _schema(statement: Statement) -> pa.Schema:
    limited = Statement(f"SELECT * FROM ({statement.sql}) LIMIT 0", statement.params)
    return limited.execute(cursor()).to_arrow_table().schema


def _write_json(statement: Statement, tmp: Path, fmt: str) -> None:
    wrapped = Statement(
        f"SELECT to_json(gm_row) FROM ({statement.sql}) AS gm_row", statement.params
    )
    reader = wrapped.execute(cursor()).to_arrow_reader(BATCH_ROWS)
    first = True
    with open(tmp, "w", encoding="utf-8") as out:
        if fmt == "json":
            out.write("[")
        for batch in reader:
            lines: list[Any] = batch.column(0).to_pylist()
            if fmt == "json":
                out.write(("" if first else ",") + ",\n".join(lines))
                first = first and not lines
            else:
                out.write("\n".join(lines))
                out.write("\n" if lines else "")
        if fmt == "json":
            out.write("]\n")


def _write_csv(statement: Statement, tmp: Path, fmt: str) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # CSV has no nesting: structs and lists are written as JSON text.
    schema = _schema(statement)
    select = ", ".join(
        f"to_json({quote_identifier(f.name)}) AS {quote_identifier(f.name)}"
        if pa.types.is_nested(f.type)
        else quote_identifier(f.name)
        for f in schema
    )
    wrapped = Statement(f"SELECT {select} FROM ({statement.sql})", statement.params)
    reader = wrapped.execute(cursor()).to_arrow_reader(BATCH_ROWS)
    with pacsv.CSVWriter(str(tmp), reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


def _write_parquet(statement: Statement, tmp: Path, fmt: str) -> None:
    import pyarrow.parquet as pq

    reader = statement.execute(cursor()).to_arrow_reader(BATCH_ROWS)
    with pq.ParquetWriter(str(tmp), reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
