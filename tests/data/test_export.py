"""Exports in every format, with columns, filters and deleted rows handled."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import gristmill as gm
from gristmill.errors import InvalidInputError


def test_to_pandas_excludes_deleted(small_ds: gm.Dataset) -> None:
    small_ds.delete_rows(row_ids=[1])
    df = small_ds.to_pandas()
    assert len(df) == 4
    assert list(df.columns) == ["instruction", "output", "score", "ok", "messages", "meta"]
    assert len(small_ds.to_pandas(include_deleted=True)) == 5
    assert df.iloc[0]["meta"]["source"] == "alpaca"
    assert list(df.iloc[0]["meta"]["tags"]) == ["poetry", "sea"]


def test_to_jsonl_and_json(small_ds: gm.Dataset, tmp_path: Path) -> None:
    small_ds.add_labels("good", row_ids=[0])
    out = small_ds.to_json(tmp_path / "out.jsonl", columns=["instruction", "meta", "good"])
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == 5
    assert lines[0]["meta"]["tags"] == ["poetry", "sea"]
    assert lines[0]["good"]["label"] == "true"
    assert lines[1]["good"] is None
    array = small_ds.to_json(tmp_path / "out.json", jsonl=False, filters=[("score", "greater", 3)])
    rows = json.loads(array.read_text("utf-8"))
    assert [r["score"] for r in rows] == [5, 4]
    assert rows[1]["instruction"] == "Write a Poem on autumn"
    empty = small_ds.to_json(tmp_path / "none.json", jsonl=False, filters=[("score", "greater", 9)])
    assert json.loads(empty.read_text("utf-8")) == []


def test_to_csv_writes_nested_as_json(small_ds: gm.Dataset, tmp_path: Path) -> None:
    out = small_ds.to_csv(tmp_path / "out.csv", columns=["instruction", "messages", "score"])
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5
    assert json.loads(rows[0]["messages"])[1] == {"role": "assistant", "content": "hi"}
    assert rows[0]["score"] == "5"


def test_to_parquet_roundtrips(small_ds: gm.Dataset, tmp_path: Path) -> None:
    small_ds.delete_rows(filters=[("score", "less", 3)])
    out = small_ds.to_parquet(tmp_path / "out.parquet")
    table = pq.read_table(out)
    assert table.num_rows == 3
    again = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="again", source=gm.ParquetSource(filepaths=[str(out)])
        ),
        show_progress=False,
    )
    assert again.select_rows(["meta.tags"]).to_list()[0]["meta.tags"] == ["poetry", "sea"]


def test_export_errors_leave_no_partial_file(small_ds: gm.Dataset, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="is a folder"):
        small_ds.to_csv(tmp_path)
    with pytest.raises(InvalidInputError):
        small_ds.to_json(tmp_path / "x.jsonl", columns=["missing"])
    assert not (tmp_path / "x.jsonl").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
