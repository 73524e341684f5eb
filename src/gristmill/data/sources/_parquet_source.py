"""Parquet files (paths, globs, directories), read by DuckDB."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import pydantic

from gristmill.data.sources._duckdb_stream import first_line, stream_query
from gristmill.data.sources._filepaths import expand_filepaths, normalise_filepaths
from gristmill.data.sources._source import (
    PANDAS_INDEX_PATTERN,
    Source,
    check_column_names,
    register_source,
)
from gristmill.errors import SourceError

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

_WITHOUT_PANDAS_INDEX = f"COLUMNS(c -> NOT regexp_matches(c, '{PANDAS_INDEX_PATTERN}'))"


@register_source
class ParquetSource(Source):
    """Rows from Parquet files (paths, globs, ``~``, or a directory of ``*.parquet``), in order.

    Files with different columns are combined by column name. ``sample_size`` keeps only the
    first N rows (reading stops there, so it is cheap).
    """

    source_name: ClassVar[str] = "parquet"

    filepaths: Annotated[list[str], pydantic.BeforeValidator(normalise_filepaths)]
    sample_size: Annotated[int, pydantic.Field(gt=0)] | None = None

    def open(self) -> pa.RecordBatchReader:
        files = expand_filepaths(self.filepaths, kind="Parquet", dir_glob="*.parquet")
        sql = f"SELECT {_WITHOUT_PANDAS_INDEX} FROM read_parquet(?, union_by_name = true)"
        params: list[object] = [[str(p) for p in files]]
        if self.sample_size is not None:
            sql += " LIMIT ?"
            params.append(self.sample_size)
        return stream_query(sql, params, _translate, validate=_check_schema)


def _translate(error: duckdb.Error) -> SourceError:
    return SourceError(
        f"cannot read the Parquet data: {first_line(error)}",
        hint="check that every file in filepaths is a complete Parquet file",
    )


def _check_schema(schema: pa.Schema) -> None:
    check_column_names(schema.names, "the Parquet data")
