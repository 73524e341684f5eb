"""A chunk of a column job that a worker reads for itself: file paths and a row range.

Every file of a dataset is positional: the source shards hold rows 0..n-1 in order, and each
derived or label file holds one row per source row (``catalog.py``). So rows ``first..last`` of
a column are found from the files' row counts alone, and a Ray task on any machine that sees
the project folder reads exactly the values the driver's DuckDB query would have given it,
without the driver reading or pickling them.

Kept free of Gristmill's heavy modules (DuckDB, pydantic): a Ray worker imports this module to
unpickle the first slice it is sent.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gristmill.errors import JobError

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class StoredFile:
    """One Parquet file of a column, as the driver saw it when the job started."""

    path: str
    num_rows: int
    mtime_ns: int


@dataclass(frozen=True)
class ColumnFiles:
    """Where one top-level column is stored: ``field`` in ``files``, which hold rows in order."""

    name: str
    field: str
    files: tuple[StoredFile, ...]


@dataclass(frozen=True)
class RowSlice:
    """Rows ``first..last`` (or only ``offsets`` from ``first``) of ``columns``, as job items.

    With ``rowid_column`` each item is a dict of that name (the rowid) and every column, as a
    ``map`` over whole rows gets it, else the one column's value. ``batched`` makes the chunk's
    list of values the one item, as ``compute_chunks`` does for a batched function.
    """

    columns: tuple[ColumnFiles, ...]
    first: int
    last: int
    count: int
    # int64 offsets from ``first``, when the rows are not contiguous (deleted or filtered out).
    offsets: bytes | None = None
    rowid_column: str | None = None
    batched: bool = False

    def __len__(self) -> int:
        return 1 if self.batched else self.count

    def read(self) -> list[Any]:
        """The chunk's items, read from the files with pyarrow."""
        import numpy as np
        import pyarrow as pa

        arrays = [_read_rows(column, self.first, self.last) for column in self.columns]
        if self.offsets is None:
            positions = np.arange(self.last - self.first + 1, dtype=np.int64)
        else:
            positions = np.frombuffer(self.offsets, dtype=np.int64)
            arrays = [array.take(pa.array(positions)) for array in arrays]
        if self.rowid_column is not None:
            names = [self.rowid_column, *(column.name for column in self.columns)]
            rowids = pa.chunked_array([pa.array(positions + self.first, pa.int64())])
            table = pa.Table.from_arrays([rowids, *arrays], names=names)
            values: list[Any] = table.to_pylist()
        else:
            values = arrays[0].to_pylist()
        if len(values) != self.count:
            raise JobError(
                f"read {len(values)} rows where the driver expected {self.count}",
                hint="the dataset's files changed during the job; rerun it",
            )
        return [values] if self.batched else values


def _read_rows(column: ColumnFiles, first: int, last: int) -> pa.ChunkedArray:
    import pyarrow as pa

    pieces: list[pa.ChunkedArray] = []
    if not column.files or first < 0:
        raise JobError(f"no stored rows {first}..{last} of '{column.name}'")
    start = 0
    for stored in column.files:
        end = start + stored.num_rows
        if end > first and start <= last:
            low = max(first, start) - start
            high = min(last + 1, end) - start
            pieces.append(_read_range(stored, column.field, low, high))
        start = end
    return pa.chunked_array(
        [chunk for piece in pieces for chunk in piece.chunks], type=pieces[0].type
    )


def _read_range(stored: StoredFile, field: str, low: int, high: int) -> pa.ChunkedArray:
    """Rows ``low..high-1`` of one file, decoding only the row groups that hold them."""
    import pyarrow as pa

    try:
        changed = os.stat(stored.path).st_mtime_ns != stored.mtime_ns
    except FileNotFoundError:
        # Gone since the driver saw it, or never visible here: the node mounts the project
        # folder elsewhere, or not at all.
        raise JobError(
            f"{stored.path} is not there on {socket.gethostname()}",
            hint="every node must see the project folder at the same path; if it does, another"
            " write replaced the file during the job: rerun it to resume",
        ) from None
    if changed:
        # A relabel rewrites a file in place and a recompute removes the old one: reading on
        # would mix two versions of the input.
        raise JobError(
            f"{stored.path} changed while the job was reading it",
            hint="another write to the dataset ran during the job; rerun it to resume",
        )
    chunks: list[pa.Array] = []
    offset = 0
    for group, rows in enumerate(_row_group_sizes(stored.path, stored.mtime_ns)):
        if offset + rows > low and offset < high:
            values = _row_group(stored.path, stored.mtime_ns, field, group)
            start = max(low - offset, 0)
            chunks.extend(values.slice(start, min(high - offset, rows) - start).chunks)
        offset += rows
    return pa.chunked_array(chunks)


@functools.lru_cache(maxsize=64)
def _row_group_sizes(path: str, mtime_ns: int) -> tuple[int, ...]:
    import pyarrow.parquet as pq

    metadata = pq.read_metadata(path)
    return tuple(metadata.row_group(i).num_rows for i in range(metadata.num_row_groups))


# A Parquet row group is decoded whole (pyarrow cannot read part of one), and the first chunks
# of a job are far smaller than a row group (16 rows, growing): a Ray worker keeps the row
# groups it decoded last, so consecutive slices of one row group decode it once per worker,
# not once per task. Bounded by size; keyed by the file's mtime, so a rewrite is never served.
ROW_GROUP_CACHE_BYTES = 256 * 1024 * 1024
_decoded: OrderedDict[tuple[str, int, str, int], pa.ChunkedArray] = OrderedDict()
_decoded_lock = threading.Lock()


def _row_group(path: str, mtime_ns: int, field: str, group: int) -> pa.ChunkedArray:
    import pyarrow.parquet as pq

    key = (path, mtime_ns, field, group)
    with _decoded_lock:
        if key in _decoded:
            _decoded.move_to_end(key)
            return _decoded[key]
    values = pq.ParquetFile(path).read_row_group(group, columns=[field]).column(field)
    with _decoded_lock:
        _decoded[key] = values
        while len(_decoded) > 1 and sum(v.nbytes for v in _decoded.values()) > (
            ROW_GROUP_CACHE_BYTES
        ):
            _decoded.popitem(last=False)
    return values
