"""Building SQL text in which user input can only ever be a value.

Identifiers are quoted. Values are collected under generated names (``$p0``) and, when the
statement runs, written into its text as typed literals (``sql_literal``): a string becomes a
quoted literal with its quotes doubled, a number its exact decimal form, so no value can end
its literal. Not bound as parameters: DuckDB's Python client imports pandas (about half a
second) on the first statement that binds any, which a process's first filtered count or search
should not pay. A value with no safe literal (a control character, an integer beyond 64 bits, a
date) is still bound. Patterns that DuckDB must see as constants to compile once (regexes)
travel as session variables (``SET VARIABLE gm_v0 = ...`` then ``getvariable('gm_v0')``), which
DuckDB constant-folds: a regex in a parameter is otherwise recompiled per row, ten times slower.
"""

from __future__ import annotations

import math
import re
import sys
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


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
# Characters kept out of literals: DuckDB reads SQL text as a C string, so a NUL would end it;
# other control characters are rare enough that binding them costs nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sql_literal(value: Any) -> str | None:
    """``value`` as a SQL literal of the type a bound parameter would have, or None when it
    has no literal here (the caller binds it instead)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"CAST({value} AS BIGINT)" if _INT64_MIN <= value <= _INT64_MAX else None
    if isinstance(value, float):
        # From its shortest round-tripping text: the same double, NaN and infinities included.
        text = repr(value) if math.isfinite(value) else str(value)
        return f"('{text}'::DOUBLE)"
    if isinstance(value, str):
        if _CONTROL.search(value):
            return None
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | tuple):
        items = [sql_literal(item) for item in value]
        if not items or any(item is None for item in items):
            return None
        return "[" + ", ".join(item for item in items if item is not None) + "]"
    return None


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
        # Imported here: table_literals builds on this module's sql_literal.
        from gristmill.data.table_literals import table_select_sql

        # Registering a table imports pandas (half a second): until something else has, a small
        # table goes in as literal rows instead. After, registering is the cheaper (~10 ms a
        # page of a few hundred rows less to parse), so a long-lived server registers.
        as_literals = "pandas" not in sys.modules
        for name, table in self.params.tables.items():
            select = table_select_sql(table) if as_literals else None
            if select is None:
                cursor.register(name, table)
            else:
                cursor.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
        for name, value in self.params.variables.items():
            literal = sql_literal(value)
            if literal is None:
                cursor.execute(f"SET VARIABLE {name} = $value", {"value": value})
            else:
                cursor.execute(f"SET VARIABLE {name} = {literal}")
        sql, bound = _inline_values(self.sql, self.params.values)
        return cursor.execute(sql, bound) if bound else cursor.execute(sql)


# A generated parameter name, where it stands in the SQL: outside string literals and quoted
# identifiers (which this pattern skips whole, so a '$p1' typed in a quoted value is left as is).
_PLACEHOLDER = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(p\d+)\b""")


def _inline_values(sql: str, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``sql`` with each ``$pN`` replaced by its value's literal; the values left to bind."""
    if not values:
        return sql, {}
    literals = {name: sql_literal(value) for name, value in values.items()}
    bound = {name: values[name] for name, literal in literals.items() if literal is None}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        literal = literals.get(name) if name is not None else None
        return match.group(0) if literal is None else literal

    return _PLACEHOLDER.sub(replace, sql), bound
