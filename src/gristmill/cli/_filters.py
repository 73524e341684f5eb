"""Reading ``--filter 'path op value'`` from the shell, typed by the column it names."""

from __future__ import annotations

from typing import Any

from gristmill.data.filters import FILTER_OPS, Filter
from gristmill.data.query import QueryBuilder
from gristmill.data.types import value_kind
from gristmill.dataset import Dataset
from gristmill.errors import InvalidFilterError

_NO_VALUE = ("exists", "not_exists")


def parse_filter(text: str, ds: Dataset) -> Filter:
    """``'score greater 3'`` -> Filter(path='score', op='greater', value=3)."""
    parts = text.strip().split(maxsplit=2)
    if len(parts) < 2:
        raise InvalidFilterError(
            f"cannot read the filter {text!r}",
            hint="write --filter 'PATH OP VALUE', e.g. --filter 'output length_longer 2000'",
        )
    path, op = parts[0], parts[1]
    if op not in FILTER_OPS:
        raise InvalidFilterError(
            f"unknown filter op {op!r} in {text!r}", hint=f"use one of: {', '.join(FILTER_OPS)}"
        )
    if op in _NO_VALUE:
        if len(parts) > 2:
            raise InvalidFilterError(f"'{op}' takes no value, got {parts[2]!r}")
        return Filter(path=path, op=op)
    if len(parts) < 3:
        raise InvalidFilterError(f"filter {text!r} needs a value after '{op}'")
    leaf = QueryBuilder(ds.catalog()).resolve(path).leaf_type
    kind = value_kind(leaf)
    if kind == "list":
        kind = value_kind(leaf.value_type)
    raw = _unquote(parts[2])
    value: Any
    if op == "in":
        value = [_coerce(_unquote(item.strip()), kind, text) for item in raw.split(",")]
    elif op in ("length_longer", "length_shorter"):
        value = _coerce(raw, "number", text)
    elif op in ("regex_matches", "not_regex_matches", "ilike"):
        value = raw
    else:
        value = _coerce(raw, kind, text)
    return Filter(path=path, op=op, value=value)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _coerce(raw: str, kind: str, text: str) -> Any:
    if kind == "number":
        try:
            return int(raw)
        except ValueError:
            pass
        try:
            return float(raw)
        except ValueError:
            raise InvalidFilterError(
                f"{raw!r} in filter {text!r} is not a number", hint="that column holds numbers"
            ) from None
    if kind == "boolean":
        lowered = raw.lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise InvalidFilterError(
            f"{raw!r} in filter {text!r} is not true or false", hint="that column holds booleans"
        )
    return raw
