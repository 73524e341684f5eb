"""A small Arrow table written as SQL: ``SELECT ... FROM (VALUES ...)``, typed like the table.

A statement reads the rows a search ranked (a page's few hundred) from an Arrow table. Handing
DuckDB's Python client any Python object (``register``, a replacement scan) makes it import
pandas to check the object's kind: half a second of a fresh process's first search. The same
rows as literals cost DuckDB a parse of a few milliseconds. Only tables of plain types (numbers,
booleans, strings, lists and structs of them) and of modest size are written out; any other
table is registered as before. Values become literals through ``sql_literal``, so a string can
never end its quotes; one that has no literal (a control character) sends the table the other way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gristmill.data.sql import quote_identifier, sql_literal

if TYPE_CHECKING:
    import pyarrow as pa

# Beyond these, registering the table is cheaper than DuckDB parsing its literals.
MAX_ROWS = 4096
MAX_SQL_CHARS = 2_000_000


def table_select_sql(table: pa.Table) -> str | None:
    """``table`` as a SELECT of typed literal rows, or None when it should be registered."""
    if table.num_rows > MAX_ROWS:
        return None
    types = [_duckdb_type(field.type) for field in table.schema]
    if any(t is None for t in types):
        return None
    names = [f"c{i}" for i in range(table.num_columns)]
    columns = ", ".join(
        f"CAST({name} AS {kind}) AS {quote_identifier(field.name)}"
        for name, kind, field in zip(names, types, table.schema, strict=True)
    )
    if table.num_rows == 0:
        nulls = ", ".join(f"NULL AS {name}" for name in names)
        return f"SELECT {columns} FROM (SELECT {nulls}) WHERE false"
    rows: list[str] = []
    size = 0
    for row in table.to_pylist():
        values = [_literal(row[field.name]) for field in table.schema]
        if any(v is None for v in values):
            return None
        text = "(" + ", ".join(v for v in values if v is not None) + ")"
        size += len(text)
        if size > MAX_SQL_CHARS:
            return None
        rows.append(text)
    return f"SELECT {columns} FROM (VALUES {', '.join(rows)}) AS v({', '.join(names)})"


_SCALARS = {
    "bool": "BOOLEAN",
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "string": "VARCHAR",
    "large_string": "VARCHAR",
}


def _duckdb_type(arrow_type: pa.DataType) -> str | None:
    import pyarrow as pa

    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        item = _duckdb_type(arrow_type.value_type)
        return None if item is None else f"{item}[]"
    if pa.types.is_struct(arrow_type):
        fields = [arrow_type.field(i) for i in range(arrow_type.num_fields)]
        kinds = [_duckdb_type(f.type) for f in fields]
        if not fields or any(k is None for k in kinds):
            return None
        inner = ", ".join(
            f"{quote_identifier(f.name)} {k}" for f, k in zip(fields, kinds, strict=True)
        )
        return f"STRUCT({inner})"
    return _SCALARS.get(str(arrow_type))


def _literal(value: Any) -> str | None:
    """A literal of a value read from a table of the types above (their casts type it)."""
    if isinstance(value, dict):
        items = [(sql_literal(str(k)), _literal(v)) for k, v in value.items()]
        if any(k is None or v is None for k, v in items):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, list):
        listed = [_literal(item) for item in value]
        if any(item is None for item in listed):
            return None
        return "[" + ", ".join(item for item in listed if item is not None) + "]"
    return sql_literal(value)
