"""Which top-level columns a dataset has, where each is stored, and its Arrow type.

Columns come from four places: the source shards, derived column files, label files, and the
``__deleted__`` flag. Every file other than the source is *dense*: one row per source row, in
rowid order (missing values are nulls), so queries join them with DuckDB's POSITIONAL JOIN — no
hashing and no sort, and the source order is kept. Parquet footers are read once per file
version and cached.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gristmill.data.store import ROWID, DatasetStore
from gristmill.data.types import dtype_name
from gristmill.errors import JobError
from gristmill.schema import Schema, SchemaField

if TYPE_CHECKING:
    import pyarrow as pa

DELETED = "__deleted__"
RelationKind = Literal["source", "derived", "label", "deleted", "rowid"]


@dataclass(frozen=True)
class Relation:
    """One top-level column and the Parquet files that hold it."""

    name: str
    kind: RelationKind
    files: tuple[str, ...]
    arrow_type: pa.DataType


@functools.lru_cache(maxsize=4096)
def _read_metadata(path: str, mtime_ns: int) -> tuple[pa.Schema, int]:
    import pyarrow.parquet as pq

    metadata = pq.read_metadata(path)
    return metadata.schema.to_arrow_schema(), metadata.num_rows


def read_parquet_schema(path: str, expected_rows: int | None = None) -> pa.Schema:
    """The file's schema; with ``expected_rows``, also check it is aligned with the source."""
    schema, num_rows = _read_metadata(path, os.stat(path).st_mtime_ns)
    if expected_rows is not None and num_rows != expected_rows:
        raise JobError(
            f"{path} has {num_rows} rows but the dataset has {expected_rows}",
            hint="the file is not aligned with the source rows; recompute or remove that column",
        )
    return schema


def label_type() -> pa.DataType:
    import pyarrow as pa

    return pa.struct([("label", pa.string()), ("created", pa.timestamp("us", tz="UTC"))])


class Catalog:
    """The dataset's columns at one moment (build a new one after a write)."""

    def __init__(self, store: DatasetStore) -> None:
        import pyarrow as pa

        self.store = store
        manifest = store.read_manifest()
        self.relations: dict[str, Relation] = {}
        source_files = tuple(store.source_paths())
        source_schema = read_parquet_schema(source_files[0])
        for field in source_schema:
            if field.name != ROWID:
                self.relations[field.name] = Relation(
                    field.name, "source", source_files, field.type
                )
        n = manifest.num_rows
        for name in manifest.derived:
            path = store.derived_path(name)
            arrow_type = read_parquet_schema(path, n).field(name).type
            self.relations[name] = Relation(name, "derived", (path,), arrow_type)
        for label in store.label_names():
            path = str(store.label_path(label))
            read_parquet_schema(path, n)
            self.relations[label] = Relation(label, "label", (path,), label_type())
        deleted = store.deleted_path
        self.deleted_files: tuple[str, ...] = (str(deleted),) if deleted.exists() else ()
        self.relations[DELETED] = Relation(DELETED, "deleted", self.deleted_files, pa.bool_())
        self.relations[ROWID] = Relation(ROWID, "rowid", source_files, pa.int64())
        self.source_files = source_files
        self.num_rows = manifest.num_rows

    def visible_columns(self) -> list[str]:
        """What ``'*'`` means: every column but ``__deleted__`` and ``__rowid__``."""
        return [
            name for name, rel in self.relations.items() if rel.kind not in ("deleted", "rowid")
        ]

    def schema(self) -> Schema:
        return Schema(
            fields={
                name: field_from_arrow(rel.arrow_type, derived=rel.kind != "source")
                for name, rel in self.relations.items()
                if rel.kind not in ("deleted", "rowid")
            }
        )


def field_from_arrow(arrow_type: pa.DataType, *, derived: bool = False) -> SchemaField:
    import pyarrow as pa

    if pa.types.is_struct(arrow_type):
        return SchemaField(
            dtype="struct",
            fields={
                arrow_type.field(i).name: field_from_arrow(arrow_type.field(i).type)
                for i in range(arrow_type.num_fields)
            },
            derived=derived,
        )
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return SchemaField(
            dtype="list", repeated_field=field_from_arrow(arrow_type.value_type), derived=derived
        )
    return SchemaField(dtype=dtype_name(arrow_type), derived=derived)
