"""Families and display names of Arrow types: one place for every "what kind of column" question."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa


def value_kind(arrow_type: pa.DataType) -> str:
    """The family of a type: string, number, boolean, temporal, list, struct, null or other."""
    import pyarrow as pa

    t = pa.types
    if t.is_string(arrow_type) or t.is_large_string(arrow_type) or t.is_string_view(arrow_type):
        return "string"
    if t.is_boolean(arrow_type):
        return "boolean"
    if t.is_integer(arrow_type) or t.is_floating(arrow_type) or t.is_decimal(arrow_type):
        return "number"
    if t.is_temporal(arrow_type):
        return "temporal"
    if t.is_list(arrow_type) or t.is_large_list(arrow_type):
        return "list"
    if t.is_struct(arrow_type):
        return "struct"
    if t.is_null(arrow_type):
        return "null"
    return "other"


def dtype_name(arrow_type: pa.DataType) -> str:
    """A short, stable dtype name for the schema tree and the UI."""
    import pyarrow as pa

    kind = value_kind(arrow_type)
    if kind in ("string", "boolean", "struct", "list", "null"):
        return kind
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return "binary"
    if pa.types.is_fixed_size_list(arrow_type):
        return "embedding"
    return str(arrow_type)
