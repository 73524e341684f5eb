"""Labels, soft deletion and restore, as a curator uses them."""

from __future__ import annotations

import pytest

import gristmill as gm
from gristmill.errors import InvalidInputError, InvalidNameError


def test_labels_are_queryable_columns(small_ds: gm.Dataset) -> None:
    assert small_ds.add_labels("good", filters=[("meta.source", "equals", "alpaca")]) == 2
    assert small_ds.add_labels("good", row_ids=[4], value="maybe") == 1
    assert small_ds.get_label_names() == ["good"]
    assert small_ds.count(filters=[("good", "exists")]) == 3
    assert small_ds.count(filters=[("good.label", "equals", "maybe")]) == 1
    row = small_ds.select_rows(["good"], limit=1).to_list()[0]
    assert row["good"]["label"] == "true"
    assert row["good"]["created"] is not None
    assert "good:\n  label: string\n  created: timestamp" in str(small_ds.manifest().data_schema)
    # relabelling keeps other rows and replaces the value
    small_ds.add_labels("good", row_ids=[0], value="great")
    labels = [r["good"] and r["good"]["label"] for r in small_ds.select_rows(["good"])]
    assert labels == ["great", None, "true", None, "maybe"]


def test_remove_labels(small_ds: gm.Dataset) -> None:
    small_ds.add_labels("bad", row_ids=[1, 2, 3])
    assert small_ds.remove_labels("bad", row_ids=[2, 4]) == 1
    assert small_ds.count(filters=[("bad", "exists")]) == 2
    assert small_ds.remove_labels("bad", filters=[("score", "less", 10)]) == 2
    assert small_ds.get_label_names() == []
    with pytest.raises(InvalidInputError, match="no label named 'bad'"):
        small_ds.remove_labels("bad", row_ids=[0])


def test_label_bad_input(small_ds: gm.Dataset) -> None:
    with pytest.raises(InvalidNameError):
        small_ds.add_labels("../escape", row_ids=[0])
    with pytest.raises(InvalidInputError, match="already a source column"):
        small_ds.add_labels("score", row_ids=[0])
    with pytest.raises(InvalidInputError, match="unknown row ids"):
        small_ds.add_labels("good", row_ids=[99])
    with pytest.raises(InvalidInputError, match="whole numbers"):
        small_ds.add_labels("good", row_ids=["a"])  # type: ignore[list-item]
    assert small_ds.get_label_names() == []


def test_delete_and_restore(small_ds: gm.Dataset) -> None:
    assert small_ds.delete_rows(filters=[("output", "length_longer", 30)]) == 2
    assert small_ds.count() == 3
    assert small_ds.manifest().num_deleted == 2
    assert small_ds.count(include_deleted=True) == 5
    ids = [r["__rowid__"] for r in small_ds.select_rows(["__rowid__"])]
    assert ids == [0, 2, 3]
    flagged = small_ds.select_rows(["__deleted__"], include_deleted=True).to_list()
    assert [r["__deleted__"] for r in flagged] == [False, True, False, False, True]
    # deleting again what is already deleted deletes nothing new
    assert small_ds.delete_rows(row_ids=[1]) == 0
    assert small_ds.delete_rows(row_ids=[0]) == 1
    assert small_ds.restore_rows(filters=[("score", "greater", 2)]) == 2
    assert [r["__rowid__"] for r in small_ds.select_rows(["__rowid__"])] == [0, 1, 2, 3]
    assert small_ds.restore_rows() == 1
    assert small_ds.count() == 5
    assert small_ds.manifest().num_deleted == 0


def test_labels_by_filter_skip_deleted_rows_unless_asked(small_ds: gm.Dataset) -> None:
    small_ds.delete_rows(row_ids=[0])
    assert small_ds.add_labels("poem", filters=[("instruction", "ilike", "poem")]) == 1
    assert (
        small_ds.add_labels(
            "poem2", filters=[("instruction", "ilike", "poem")], include_deleted=True
        )
        == 2
    )


def test_searches_choose_rows_to_curate(small_ds: gm.Dataset) -> None:
    # Lilac's curation calls take searches= (issue 12): the rows a search matches, with filters.
    search = gm.KeywordSearch(path="instruction", query="poem")
    assert small_ds.add_labels("poems", searches=[search]) == small_ds.count(searches=[search])
    assert small_ds.count(filters=[("poems", "exists")]) == small_ds.count(searches=[search]) > 0
    assert small_ds.remove_labels("poems", searches=[search]) > 0
    deleted = small_ds.delete_rows(searches=[search], filters=[("score", "equals", 5)])
    assert deleted == 1
    assert (
        small_ds.count(searches=[search])
        == small_ds.count(searches=[search], include_deleted=True) - 1
    )
    assert small_ds.restore_rows(searches=[search]) == 1
    assert small_ds.manifest().num_deleted == 0


def test_count_without_filters_or_deletions_reads_no_data(
    small_ds: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The manifest knows how many rows there are: a plain count() opens no DuckDB cursor.
    import gristmill.data.dataset as data_dataset

    def no_query() -> None:
        raise AssertionError("count() ran a query")

    with monkeypatch.context() as patched:
        patched.setattr(data_dataset, "cursor", no_query)
        assert small_ds.count() == 5
        assert small_ds.count(include_deleted=True) == 5
    small_ds.delete_rows(row_ids=[1, 3])
    assert small_ds.count() == 3  # with rows deleted the flags are read
    assert small_ds.count(include_deleted=True) == 5
    small_ds.restore_rows()
    with monkeypatch.context() as patched:
        patched.setattr(data_dataset, "cursor", no_query)
        assert small_ds.count() == 5
