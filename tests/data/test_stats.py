"""Column statistics and histograms for the UI."""

from __future__ import annotations

import pytest

import gristmill as gm
from gristmill.errors import InvalidInputError


def test_string_stats(small_ds: gm.Dataset) -> None:
    stats = small_ds.stats("output")
    assert stats.dtype == "string"
    assert stats.total_count == 5
    assert stats.null_count == 1
    assert stats.min_length == len("Leaves fall.")
    assert stats.max_length == len("A Japanese text. " * 20)
    assert stats.approx_count_distinct == 4


def test_numeric_and_nested_stats(small_ds: gm.Dataset) -> None:
    stats = small_ds.stats("score")
    assert (stats.min_value, stats.max_value, stats.avg_value) == (1, 5, 3.0)
    tags = small_ds.stats("meta.tags")
    assert tags.total_count == 6  # list items are counted one by one
    with pytest.raises(InvalidInputError, match="not a leaf"):
        small_ds.stats("meta")


def test_groups_categorical_boolean_numeric_and_length(small_ds: gm.Dataset) -> None:
    sources = small_ds.select_groups("meta.source")
    assert sources.kind == "categorical"
    assert sources.counts == [("alpaca", 2), ("other", 2), ("code", 1)]
    ok = small_ds.select_groups("ok")
    assert ok.kind == "boolean"
    assert dict(ok.counts) == {True: 3, False: 1, None: 1}
    scores = small_ds.select_groups("score")
    assert scores.kind == "categorical"
    binned = small_ds.select_groups("score", bins=[0, 2.5, 5])
    assert binned.kind == "numeric"
    assert binned.counts == [("[0, 2.5)", 2), ("[2.5, 5]", 3)]
    equal = small_ds.select_groups("score", bins=2)
    assert [c for _, c in equal.counts] == [2, 3]
    filtered = small_ds.select_groups("meta.source", filters=[("score", "greater", 3)])
    assert filtered.counts == [("alpaca", 2)]


def test_free_text_is_grouped_by_length(tmp_path: object) -> None:
    import pandas as pd

    frame = pd.DataFrame({"text": [f"row number {i} " + "x" * (i % 50) for i in range(500)]})
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="text", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    groups = ds.select_groups("text")
    assert groups.kind == "length"
    assert groups.too_many_distinct
    assert sum(c for _, c in groups.counts) == 500
    assert groups.bins is not None and len(groups.bins) == 10
