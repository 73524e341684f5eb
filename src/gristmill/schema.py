"""Pydantic models shared by disk manifests, the Python API, REST bodies and the UI's types."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DerivedKind = Literal[
    "map",
    "signal",
    "embedding",
    "concept",
    "cluster",
    "prediction",
    "metric",
    "projection",
    "clio",
]


class SchemaField(BaseModel):
    """One node of a dataset's schema: a leaf with a dtype, a struct with fields, or a list."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    dtype: str
    fields: dict[str, SchemaField] | None = None
    repeated_field: SchemaField | None = None
    derived: bool = False

    def render(self, name: str, indent: int = 0) -> list[str]:
        pad = "  " * indent
        if self.fields is not None:
            lines = [f"{pad}{name}:"]
            for child_name, child in self.fields.items():
                lines.extend(child.render(child_name, indent + 1))
            return lines
        if self.repeated_field is not None:
            item = self.repeated_field
            if item.fields is None and item.repeated_field is None:
                return [f"{pad}{name}: list of {item.dtype}"]
            lines = [f"{pad}{name}: list of"]
            if item.fields is not None:
                for child_name, child in item.fields.items():
                    lines.extend(child.render(child_name, indent + 1))
            else:
                lines.extend(item.render("[]", indent + 1))
            return lines
        return [f"{pad}{name}: {self.dtype}"]


class Schema(BaseModel):
    """A dataset's columns as a tree; ``print(schema)`` shows it as Lilac does."""

    fields: dict[str, SchemaField]

    def __str__(self) -> str:
        lines: list[str] = []
        for name, field in self.fields.items():
            lines.extend(field.render(name))
        return "\n".join(lines)

    def leafs(self) -> dict[str, SchemaField]:
        """Every leaf by its dotted path (``'*'`` marks list items)."""
        out: dict[str, SchemaField] = {}

        def walk(prefix: str, field: SchemaField) -> None:
            if field.fields is not None:
                for child_name, child in field.fields.items():
                    walk(f"{prefix}.{child_name}", child)
            elif field.repeated_field is not None:
                walk(f"{prefix}.*", field.repeated_field)
            else:
                out[prefix] = field

        for name, field in self.fields.items():
            walk(name, field)
        return out


class Lineage(BaseModel):
    """What produced a derived column, from what, with which parameters, and when."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    kind: DerivedKind
    producer: str
    input_path: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    num_rows: int = 0
    part_of: str | None = Field(
        default=None,
        description="the derived column this one was computed as a step of (the text a"
        " clustering embeds): an internal, not something a person asked for",
    )


class DerivedColumn(BaseModel):
    """A column stored apart from the source rows, keyed by ``__rowid__``."""

    name: str
    lineage: Lineage


class DatasetManifest(BaseModel):
    """What ``Dataset.manifest()`` returns: identity, schema, size and lineage."""

    namespace: str
    dataset_name: str
    data_schema: Schema
    num_items: int
    num_deleted: int
    source: dict[str, Any]
    created_at: datetime
    derived_columns: list[DerivedColumn]
    labels: list[str]


class ColumnStats(BaseModel):
    """Summary of one leaf column (``Dataset.stats``)."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    path: str
    dtype: str
    total_count: int
    null_count: int
    approx_count_distinct: int
    min_length: int | None = None
    max_length: int | None = None
    avg_length: float | None = None
    min_value: Any = None
    max_value: Any = None
    avg_value: float | None = None


class GroupsResult(BaseModel):
    """Histogram of one leaf (``Dataset.select_groups``), ready for the UI to draw.

    ``kind`` says how values were grouped: by value (``categorical``/``boolean``), by numeric bin
    (``numeric``), or by string length bin (``length``, for free text: many distinct values, or
    long ones that rarely repeat). The kind and the bins are read from the whole column; filters
    change only the counts. Each group is ``(value or bin label, count)``; bins carry their
    bounds in ``bins``.
    """

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    path: str
    kind: Literal["categorical", "boolean", "numeric", "length"]
    counts: list[tuple[Any, int]]
    bins: list[tuple[str, float | None, float | None]] | None = None
    too_many_distinct: bool = False
