"""Labels and soft deletion.

Both are dense, rowid-aligned files (see ``catalog``): a label file holds one nullable
``{label, created}`` per row, ``deleted.parquet`` one boolean per row. Each call computes the
chosen rows in DuckDB, updates the column with a vectorised mask, and writes one file atomically
(never one write per row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gristmill.data.catalog import Catalog, label_type
from gristmill.data.engine import cursor
from gristmill.data.files import atomic_write_table
from gristmill.data.filters import Filter
from gristmill.data.query import QueryBuilder
from gristmill.data.store import ROWID, now
from gristmill.errors import InvalidInputError
from gristmill.project import validate_name

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from gristmill.data.dataset import BaseDataset
    from gristmill.data.query import Ranking

_IDS_TABLE = "gm_requested_ids"


def chosen_rowids(
    catalog: Catalog,
    row_ids: Sequence[int] | None,
    filters: Sequence[Filter],
    *,
    include_deleted: bool,
    only_deleted: bool = False,
    rankings: Sequence[Ranking] = (),
) -> pa.Array:
    """The rowids picked by ``row_ids``, ``filters`` and ``rankings`` (rows meeting all), sorted.

    A ranking (from a search) keeps only the rows it scored, as in ``select_rows``.
    """
    import pyarrow as pa

    builder = QueryBuilder(catalog, rankings=rankings)
    extra: list[str] = []
    cur = cursor()
    if row_ids is not None:
        cur.register(_IDS_TABLE, pa.table({"id": _checked_ids(row_ids, catalog.num_rows)}))
        extra.append(f"src.{ROWID} IN (SELECT id FROM {_IDS_TABLE})")
    if only_deleted:
        if not catalog.deleted_files:
            return pa.array([], pa.int64())
        extra.append(builder.column_ref(catalog.relations["__deleted__"]))
    statement = builder.select(
        [(ROWID, f"src.{ROWID}")],
        filters,
        include_deleted=include_deleted or only_deleted,
        extra_where=extra,
    )
    table = statement.execute(cur).to_arrow_table()
    return table.column(ROWID).combine_chunks()


def _checked_ids(row_ids: Sequence[int], num_rows: int) -> pa.Array:
    import numpy as np
    import pyarrow as pa

    try:
        ids = np.asarray(row_ids, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(
            "row_ids must be whole numbers (the __rowid__ values)",
            hint="select them with ds.select_rows(['__rowid__', ...])",
        ) from None
    if ids.ndim != 1:
        raise InvalidInputError("row_ids must be a flat list of whole numbers")
    bad = ids[(ids < 0) | (ids >= num_rows)]
    if bad.size:
        raise InvalidInputError(
            f"unknown row ids: {bad[:5].tolist()}",
            hint=f"row ids of this dataset run from 0 to {num_rows - 1}",
        )
    return pa.array(ids, pa.int64())


def _mask(ids: pa.Array, num_rows: int) -> npt.NDArray[np.bool_]:
    import numpy as np

    mask = np.zeros(num_rows, dtype=bool)
    mask[ids.to_numpy()] = True
    return mask


def _read_column(path: str, column: str) -> pa.Array:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[column]).column(column).combine_chunks()


def add_labels(
    ds: BaseDataset,
    name: str,
    row_ids: Sequence[int] | None,
    filters: Sequence[Filter],
    value: str,
    include_deleted: bool,
    rankings: Sequence[Ranking] = (),
) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc

    validate_name(name, "label name")
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"a label value must be a non-empty string, got {value!r}")
    with ds.store.lock():
        catalog = Catalog(ds.store)
        existing = catalog.relations.get(name)
        if existing is not None and existing.kind != "label":
            raise InvalidInputError(
                f"'{name}' is already a {existing.kind} column", hint="choose another label name"
            )
        ids = chosen_rowids(
            catalog, row_ids, filters, include_deleted=include_deleted, rankings=rankings
        )
        n = catalog.num_rows
        struct_type = label_type()
        if existing is not None:
            current = _read_column(existing.files[0], "value")
            labels, created = current.field("label"), current.field("created")
        else:
            labels = pa.nulls(n, pa.string())
            created = pa.nulls(n, struct_type.field("created").type)
        mask = pa.array(_mask(ids, n))
        labels = pc.if_else(mask, pa.scalar(value, pa.string()), labels)
        created = pc.if_else(mask, pa.scalar(now(), struct_type.field("created").type), created)
        column = pa.StructArray.from_arrays(
            [labels, created], fields=list(struct_type), mask=pc.is_null(labels)
        )
        atomic_write_table(ds.store.label_path(name), pa.table({"value": column}))
    return len(ids)


def remove_labels(
    ds: BaseDataset,
    name: str,
    row_ids: Sequence[int] | None,
    filters: Sequence[Filter],
    include_deleted: bool,
    rankings: Sequence[Ranking] = (),
) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc

    path = ds.store.label_path(name)
    with ds.store.lock():
        if not path.exists():
            raise InvalidInputError(
                f"no label named '{name}'",
                hint=f"labels here: {', '.join(ds.store.label_names()) or 'none'}",
            )
        catalog = Catalog(ds.store)
        ids = chosen_rowids(
            catalog, row_ids, filters, include_deleted=include_deleted, rankings=rankings
        )
        current = _read_column(str(path), "value")
        mask = pa.array(_mask(ids, catalog.num_rows))
        removed = pc.sum(pc.and_(mask, pc.is_valid(current))).as_py() or 0
        labels = pc.if_else(mask, pa.scalar(None, pa.string()), current.field("label"))
        if labels.null_count == len(labels):
            path.unlink()
        else:
            column = pa.StructArray.from_arrays(
                [labels, current.field("created")],
                fields=list(label_type()),
                mask=pc.is_null(labels),
            )
            atomic_write_table(path, pa.table({"value": column}))
    return int(removed)


def _deleted_mask(catalog: Catalog) -> npt.NDArray[np.bool_]:
    import numpy as np

    if not catalog.deleted_files:
        return np.zeros(catalog.num_rows, dtype=bool)
    column = _read_column(catalog.deleted_files[0], "deleted")
    mask: npt.NDArray[np.bool_] = column.to_numpy(zero_copy_only=False).astype(bool)
    return mask


def _write_deleted(ds: BaseDataset, deleted: npt.NDArray[np.bool_]) -> None:
    import pyarrow as pa

    if not deleted.any():
        ds.store.deleted_path.unlink(missing_ok=True)
    else:
        atomic_write_table(ds.store.deleted_path, pa.table({"deleted": pa.array(deleted)}))


def delete_rows(
    ds: BaseDataset,
    row_ids: Sequence[int] | None,
    filters: Sequence[Filter],
    rankings: Sequence[Ranking] = (),
) -> int:
    with ds.store.lock():
        catalog = Catalog(ds.store)
        newly = chosen_rowids(catalog, row_ids, filters, include_deleted=False, rankings=rankings)
        if len(newly):
            _write_deleted(ds, _deleted_mask(catalog) | _mask(newly, catalog.num_rows))
    return len(newly)


def restore_rows(
    ds: BaseDataset,
    row_ids: Sequence[int] | None,
    filters: Sequence[Filter],
    rankings: Sequence[Ranking] = (),
) -> int:
    with ds.store.lock():
        catalog = Catalog(ds.store)
        restored = chosen_rowids(
            catalog, row_ids, filters, include_deleted=True, only_deleted=True, rankings=rankings
        )
        if len(restored):
            _write_deleted(ds, _deleted_mask(catalog) & ~_mask(restored, catalog.num_rows))
    return len(restored)


def count_deleted(catalog: Catalog) -> int:
    return int(_deleted_mask(catalog).sum())
