"""Turning row values from Arrow into JSON-safe values, so every row serialises."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
from typing import Any


def json_safe(value: Any) -> Any:
    """``value`` with timestamps as ISO text, bytes as base64 and NaN/infinity as None."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return json_safe(float(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def json_safe_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: json_safe(item) for key, item in row.items()} for row in rows]
