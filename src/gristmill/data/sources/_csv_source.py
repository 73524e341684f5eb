"""CSV (and other delimited text) files, read by DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import pydantic

from gristmill.data.sources._duckdb_stream import stream_checked, stream_query
from gristmill.data.sources._filepaths import (
    check_not_empty,
    expand_filepaths,
    normalise_filepaths,
)
from gristmill.data.sources._source import Source, check_column_names, register_source
from gristmill.errors import SourceError

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

# sample_size=-1: the type sniffer sees every row, so a column that turns from numbers to text
# late in the file is read as text instead of failing after rows were handed out.
_SNIFF_ALL = "sample_size = -1, union_by_name = true"
# A load's quick read sniffs DuckDB's default sample, checked against _SNIFF_ALL's types.
_SNIFF_SAMPLE = "sample_size = 20480, union_by_name = true"
_MESSAGE_LINES = 3


@register_source
class CSVSource(Source):
    """Rows from CSV files (paths, globs and ``~`` accepted), in file order.

    ``delim`` is the field separator (``None`` lets DuckDB detect it); ``header`` says whether
    the first line names the columns (if not, they are named ``column0``, ``column1``...).
    Column types are detected from every row.
    """

    source_name: ClassVar[str] = "csv"

    filepaths: Annotated[list[str], pydantic.BeforeValidator(normalise_filepaths)]
    delim: str | None = ","
    header: bool = True

    def open(self) -> pa.RecordBatchReader:
        files = expand_filepaths(self.filepaths, kind="CSV")
        for path in files:
            check_not_empty(path)
        sql, params = self._read_sql(files, _SNIFF_ALL)
        names = ", ".join(f"'{p}'" for p in files[:3]) + (" ..." if len(files) > 3 else "")

        def translate(error: duckdb.Error) -> SourceError:
            return self._read_failure(names, error)

        return stream_query(sql, params, translate, validate=_check_schema)

    def open_for_load(self) -> pa.RecordBatchReader:
        """One parse with the types sniffed from a sample, checked against every row's types
        (sniffed at the same time); any difference or error and the load reads ``open()``."""
        files = expand_filepaths(self.filepaths, kind="CSV")
        for path in files:
            check_not_empty(path)
        sql, params = self._read_sql(files, _SNIFF_SAMPLE)
        check_sql, _ = self._read_sql(files, _SNIFF_ALL)
        return stream_checked(sql, check_sql, params, validate=_check_schema)

    def _read_sql(self, files: list[Path], sniff: str) -> tuple[str, list[object]]:
        options = [sniff, "header = ?"]
        params: list[object] = [[str(p) for p in files], self.header]
        if self.delim is not None:
            options.append("delim = ?")
            params.append(self.delim)
        return f"SELECT * FROM read_csv(?, {', '.join(options)})", params

    def _read_failure(self, names: str, error: duckdb.Error) -> SourceError:
        return SourceError(
            f"cannot read the CSV {names}: {_summary(str(error))}",
            hint=f"check that the file is UTF-8 CSV with delim={self.delim!r} and "
            f"header={self.header}; set delim/header to match the file",
        )


def _summary(message: str) -> str:
    """The opening lines of DuckDB's CSV message (what and where), without its long fix list."""
    lines: list[str] = []
    for line in message.strip().splitlines():
        if not line.strip() or line.startswith(("Possible", "The search space", "LINE ")):
            break
        lines.append(line.strip())
    return " / ".join(lines[:_MESSAGE_LINES]) or message.strip()


def _check_schema(schema: pa.Schema) -> None:
    check_column_names(schema.names, "the CSV data")
