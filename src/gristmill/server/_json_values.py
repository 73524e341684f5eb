"""Turning row values from Arrow into JSON-safe values, so every row serialises; and finding
the text in a request that no UTF-8 file, database or answer can hold."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
import re
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


# Half of a UTF-16 surrogate pair: JSON may escape one alone ("\ud800"), and Python then reads
# it into a str that cannot be encoded as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unpaired_surrogate(value: Any) -> str | None:
    """The first text in ``value`` (nested lists and dicts, keys too) holding a lone surrogate."""
    pending = [value]
    while pending:  # a loop, not recursion: a request may nest 1,000 levels deep
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return None


def check_unicode(value: Any) -> None:
    """ValueError when ``value`` holds text with a lone surrogate (pydantic makes it a 422)."""
    found = unpaired_surrogate(value)
    if found is not None:
        shown = found[:60].encode("utf-8", "backslashreplace").decode("utf-8")
        raise ValueError(f"the text '{shown}' holds half of a surrogate pair, not valid Unicode")
