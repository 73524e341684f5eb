"""Building SQL text that never contains user input.

Identifiers are quoted; values travel as named parameters (``$p0``), and patterns that DuckDB
must see as constants to compile once (regexes) travel as session variables set by parameter
(``SET VARIABLE gm_v0 = $value`` then ``getvariable('gm_v0')``), which DuckDB constant-folds:
a parameterised regex is otherwise recompiled per row, ten times slower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb


def file_list_literal(paths: Sequence[str]) -> str:
    """A SQL list of our own file paths (never user input), quoted as string literals.

    Literals rather than parameters: DuckDB's Python client imports pandas (about half a second)
    on the first statement that has any parameter, which a plain count or page should not pay.
    """
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class SqlParams:
    """Collects the values a statement needs; fragments refer to them by generated names."""

    values: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)  # Arrow tables registered by name

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"

    def table(self, table: Any) -> str:
        """Register an Arrow table for the statement; returns its generated name."""
        name = f"gm_t{len(self.tables)}"
        self.tables[name] = table
        return name

    def constant(self, value: Any) -> str:
        name = f"gm_v{len(self.variables)}"
        self.variables[name] = value
        return f"getvariable('{name}')"


@dataclass
class Statement:
    sql: str
    params: SqlParams

    def execute(self, cursor: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
        for name, table in self.params.tables.items():
            cursor.register(name, table)
        for name, value in self.params.variables.items():
            cursor.execute(f"SET VARIABLE {name} = $value", {"value": value})
        return cursor.execute(self.sql, self.params.values)
