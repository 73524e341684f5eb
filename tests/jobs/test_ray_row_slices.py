"""What a Ray task reads for itself (``RowSlice``) equals what the driver's query would send.

No Ray here: the slices are read in-process and compared, value for value, with the rows the
local path streams from DuckDB, over several shards and row groups, a derived column, a label,
deleted rows and a filter.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gristmill as gm
from gristmill.data import _chunks, datasets
from gristmill.data._row_slices import RowSlice
from gristmill.data.catalog import Catalog
from gristmill.data.curation import chosen_rowids
from gristmill.data.derived import ColumnJob
from gristmill.data.filters import to_filters
from gristmill.errors import JobError

ROWS = 50


def _row(i: int) -> dict[str, Any]:
    return {
        "text": None if i % 7 == 3 else f"row {i} " + "é" * (i % 5),
        "score": i * 1.5,
        "count": i,
        "ok": None if i % 4 == 0 else i % 2 == 0,
        "meta": {"source": f"s{i % 3}", "tags": [f"t{j}" for j in range(i % 3)]},
        "messages": [{"role": "user", "content": f"hi {i}"}] * (i % 2),
    }


@pytest.fixture
def sharded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> gm.Dataset:
    """50 rows in shards of 16+ rows and row groups of 5, with a map column, a label and
    deleted rows: every kind of file a slice reads, and ranges crossing every boundary."""
    monkeypatch.setattr(datasets, "SHARD_ROWS", 16)
    monkeypatch.setattr(datasets, "ROW_GROUP_ROWS", 5)
    whole_batches = datasets.prefetched

    def small_batches(reader: Any) -> Any:
        # A shard starts only between batches: cut the source's batches to 3 rows.
        inner = whole_batches(reader)

        def cut() -> Iterator[pa.RecordBatch]:
            try:
                for batch in inner:
                    for start in range(0, batch.num_rows, 3):
                        yield batch.slice(start, 3)
            finally:
                inner.close()

        return cut()

    monkeypatch.setattr(datasets, "prefetched", small_batches)
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(_row(i)) + "\n" for i in range(ROWS)), "utf-8")
    config = gm.DatasetConfig(
        namespace="local", name="sharded", source=gm.JSONSource(filepaths=[str(path)])
    )
    ds = gm.create_dataset(config, show_progress=False)
    assert len(ds.store.source_paths()) == 3  # 18, 18 and 14 rows
    ds.map(lambda row: (row["count"] or 0) % 3, output_column="bucket", show_progress=False)
    ds.add_labels("keep", row_ids=[1, 2, 17, 33, 48])
    ds.delete_rows(row_ids=[5, 6, 20, 49])
    return ds


def _driver_items(catalog: Catalog, input_path: Any, rowids: pa.Array) -> dict[int, Any]:
    # The local path: the driver's one streaming query (compute_chunks' item source), which
    # need not return the rows in rowid order.
    items: dict[int, Any] = {}
    for batch in _chunks._input_batches(catalog, input_path, rowids):
        ids = batch.column(0).to_pylist()
        values = batch.to_pylist() if input_path is None else batch.column(1).to_pylist()
        items.update(zip(ids, values, strict=True))
    return items


def _slice_items(catalog: Catalog, input_path: Any, rowids: pa.Array) -> dict[int, Any]:
    columns = _chunks.worker_readable_columns(catalog, input_path)
    assert columns is not None
    spec = ColumnJob(output_column="x", fn=len, producer="t", input_path=input_path)
    row_slice = _chunks._row_slice(columns, rowids, spec)
    # What a Ray task gets: the slice after a trip through pickle, never the values.
    sent = pickle.loads(pickle.dumps(row_slice))
    assert len(pickle.dumps(row_slice)) < 4096
    return dict(zip(rowids.to_pylist(), sent.read(), strict=True))


def test_a_slice_reads_exactly_the_rows_the_driver_would_send(sharded: gm.Dataset) -> None:
    catalog = Catalog(sharded.store)
    everything = chosen_rowids(catalog, None, [], include_deleted=True)
    live = chosen_rowids(catalog, None, [], include_deleted=False)  # gaps where rows are deleted
    filtered = chosen_rowids(
        catalog, None, to_filters([("count", "greater", 12)]), include_deleted=False
    )
    for input_path in (None, "text", "score", "ok", "meta", "messages", "bucket", "keep"):
        for rowids in (everything, live, filtered, live[3:30], everything[17:19], everything[49:]):
            assert _slice_items(catalog, input_path, rowids) == _driver_items(
                catalog, input_path, rowids
            ), (input_path, rowids.to_pylist())


def test_a_batched_slice_is_one_item_holding_the_chunk(sharded: gm.Dataset) -> None:
    catalog = Catalog(sharded.store)
    rowids = chosen_rowids(catalog, None, [], include_deleted=False)[10:20]
    columns = _chunks.worker_readable_columns(catalog, "text")
    assert columns is not None
    spec = ColumnJob(output_column="x", fn=len, producer="t", input_path="text", batched=True)
    [values] = _chunks._row_slice(columns, rowids, spec).read()
    assert dict(zip(rowids.to_pylist(), values, strict=True)) == _driver_items(
        catalog, "text", rowids
    )


def test_nested_paths_are_left_to_the_driver(sharded: gm.Dataset) -> None:
    catalog = Catalog(sharded.store)
    assert _chunks.worker_readable_columns(catalog, "messages.content") is None
    assert _chunks.worker_readable_columns(catalog, "meta.source") is None
    assert _chunks.worker_readable_columns(catalog, "meta") is not None


def test_a_slice_refuses_a_file_rewritten_after_the_job_started(sharded: gm.Dataset) -> None:
    catalog = Catalog(sharded.store)
    columns = _chunks.worker_readable_columns(catalog, "keep")
    assert columns is not None
    rowids = chosen_rowids(catalog, None, [], include_deleted=False)
    row_slice = _chunks._row_slice(columns, rowids, ColumnJob("x", len, "t", input_path="keep"))
    sharded.add_labels("keep", row_ids=[3])  # rewrites the label file in place
    with pytest.raises(JobError, match="changed while the job was reading it"):
        row_slice.read()
    moved = sharded.store.label_path("keep")
    moved.rename(moved.with_name("elsewhere.parquet"))  # as seen by a node without the folder
    with pytest.raises(JobError, match=r"keep\.parquet is not there on "):
        row_slice.read()
    assert isinstance(row_slice, RowSlice)


def test_a_worker_decodes_a_row_group_once_for_its_consecutive_slices(
    sharded: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first chunks of a job are a few rows of a 65,536-row row group: decoding the group
    # for each of them made a cheap map on Ray several times slower than it needed to be.
    decoded: list[int] = []
    real = pq.ParquetFile.read_row_group

    def counting(self: pq.ParquetFile, group: int, *args: Any, **kwargs: Any) -> pa.Table:
        decoded.append(group)
        return real(self, group, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counting)
    catalog = Catalog(sharded.store)
    columns = _chunks.worker_readable_columns(catalog, "text")
    assert columns is not None
    spec = ColumnJob("x", len, "t", input_path="text")
    everything = chosen_rowids(catalog, None, [], include_deleted=True)
    first_group = pq.read_metadata(sharded.store.source_paths()[0]).row_group(0).num_rows
    assert first_group > 1
    for start in range(first_group):  # one-row slices of the first row group
        _chunks._row_slice(columns, everything[start : start + 1], spec).read()
    assert decoded == [0]
