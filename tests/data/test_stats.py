"""Column statistics and histograms for the UI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def test_distinct_count_is_never_more_than_the_values(tmp_path: Path) -> None:
    # DuckDB's HyperLogLog counts these 100 distinct texts as 108.
    rows: list[dict[str, Any]] = [{"text": f"text number {i}"} for i in range(100)]
    rows.append({"text": None})
    stats = _dataset(tmp_path, rows).stats("text")
    assert (stats.total_count, stats.null_count) == (101, 1)
    assert stats.approx_count_distinct == 100


def test_text_lengths_count_characters_of_list_items_and_skip_nulls(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"tags": ["日本語", "ab", None]},
        {"tags": ["été"]},
        {"tags": None},
    ]
    stats = _dataset(tmp_path, rows).stats("tags")
    assert (stats.min_length, stats.max_length) == (2, 3)
    assert stats.avg_length == pytest.approx((3 + 2 + 3) / 3)


def _dataset(tmp_path: Path, rows: list[dict[str, Any]]) -> gm.Dataset:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    source = gm.JSONSource(filepaths=[str(path)])
    config = gm.DatasetConfig(namespace="local", name="stats", source=source)
    return gm.create_dataset(config, show_progress=False)


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


def test_a_filtered_text_histogram_keeps_the_whole_columns_length_bins(tmp_path: object) -> None:
    import pandas as pd

    texts = [f"row number {i} " + "x" * (i % 50) for i in range(500)]
    frame = pd.DataFrame({"text": texts, "n": range(500)})
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="text", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    whole = ds.select_groups("text")
    assert whole.kind == "length" and whole.bins is not None
    # What a click on the first bar asks for: its rows number fewer than 100 distinct texts.
    label, low, high = whole.bins[0]
    assert low is not None and high is not None
    in_bar = [t for t in texts if low <= len(t) < high]
    assert 0 < len(set(in_bar)) <= 100
    clicked = ds.select_groups("text", filters=[("text", "length_shorter", int(high))])
    assert clicked.kind == "length"
    assert clicked.bins == whole.bins
    assert clicked.counts[0] == (label, len(in_bar))
    assert sum(count for _, count in clicked.counts) == len(in_bar)

    # Whole numbers: bins stay bins (not one category per number) and keep their edges.
    numbers = ds.select_groups("n")
    assert numbers.kind == "numeric" and numbers.bins is not None
    few = ds.select_groups("n", filters=[("n", "less", 50)])
    assert few.kind == "numeric" and few.bins == numbers.bins
    assert few.counts[0][1] == 50 and sum(c for _, c in few.counts) == 50

    # A filter that keeps no row leaves the bins, every one empty.
    none = ds.select_groups("text", filters=[("n", "greater", 10_000)])
    assert none.kind == "length" and none.bins == whole.bins
    assert all(count == 0 for _, count in none.counts)


def test_a_categorical_column_stays_categorical_under_a_filter(small_ds: gm.Dataset) -> None:
    filtered = small_ds.select_groups("score", filters=[("meta.source", "equals", "alpaca")])
    assert filtered.kind == "categorical"
    assert sorted(filtered.counts) == [(4, 1), (5, 1)]


def test_few_unique_texts_are_binned_by_length_and_short_or_repeated_ones_are_categories(
    tmp_path: object,
) -> None:
    import pandas as pd

    paragraphs = [f"Paragraph {i}: " + "a sentence that goes on. " * (1 + i % 7) for i in range(50)]
    frame = pd.DataFrame(
        {
            "text": paragraphs,
            "source": [f"site-{i}" for i in range(50)],
            "answer": ["I cannot help with that request, sorry.", "Here is the answer."] * 25,
        }
    )
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="few", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    # 50 distinct paragraphs: not 50 categories of one row each.
    text = ds.select_groups("text")
    assert text.kind == "length" and sum(c for _, c in text.counts) == 50
    # Short values read as categories even when each is unique; long ones when they repeat.
    assert ds.select_groups("source").kind == "categorical"
    answers = ds.select_groups("answer")
    assert answers.kind == "categorical" and sorted(c for _, c in answers.counts) == [25, 25]
