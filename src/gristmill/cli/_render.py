"""Printing rows and records on the terminal: readable tables, or JSON lines for scripts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import typer

CELL_WIDTH = 60


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else to_json(value)
    text = text.replace("\n", "⏎ ")
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def print_rows(rows: Iterable[Mapping[str, Any]], as_json: bool) -> int:
    """Print rows as JSON lines or as a table; returns how many were printed."""
    if as_json:
        count = 0
        for row in rows:
            typer.echo(to_json(dict(row)))
            count += 1
        return count
    from rich.console import Console
    from rich.table import Table

    materialised = list(rows)
    if not materialised:
        typer.echo("(no rows)")
        return 0
    table = Table(show_lines=False)
    for name in materialised[0]:
        table.add_column(name, overflow="fold")
    for row in materialised:
        table.add_row(*(_cell(v) for v in row.values()))
    Console().print(table)
    return len(materialised)


def print_record(record: Mapping[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(to_json(dict(record)))
        return
    width = max((len(k) for k in record), default=0)
    for key, value in record.items():
        typer.echo(f"{key.ljust(width)}  {_cell(value) if value is not None else '-'}")
