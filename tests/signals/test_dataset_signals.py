"""Signals run on datasets: derived columns with lineage, queryable, resumable, idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa
import pytest

import gristmill as gm
from gristmill.errors import AlreadyExistsError, InvalidInputError

TEXTS = [
    "Contact me at jane.doe@example.com or +44 20 7946 0958.",
    "The quick brown fox jumps over the lazy dog.",
    "the quick brown fox jumps over the lazy dog!",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    None,
    "",
    "My card is 4111 1111 1111 1111, keep it safe.",
]


@pytest.fixture
def ds() -> gm.Dataset:
    frame = pd.DataFrame({"text": TEXTS, "n": range(len(TEXTS))})
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="sig", source=gm.PandasSource(frame)),
        show_progress=False,
    )


def test_pii_column_is_queryable_with_lineage(ds: gm.Dataset) -> None:
    result = ds.compute_signal(gm.PIISignal(), "text", show_progress=False)
    assert result.column == "text__pii"
    found = ds.select_rows(["n", "text__pii.spans"], filters=[("text__pii.total", "greater", 0)])
    rows = found.to_list()
    assert [r["n"] for r in rows] == [0, 6]
    types = {span["type"] for span in rows[0]["text__pii.spans"]}
    assert "email" in types
    lineage = ds.manifest().derived_columns[0].lineage
    assert lineage.kind == "signal" and lineage.input_path == "text"
    assert lineage.producer.startswith("pii@")
    assert ds.count(filters=[("text__pii", "not_exists")]) == 2  # None and "" are skipped


def test_rerun_is_a_noop_and_other_settings_need_overwrite(ds: gm.Dataset) -> None:
    first = ds.compute_signal(gm.NearDuplicateSignal(threshold=0.8), "text", show_progress=False)
    assert first.num_computed == 7
    again = ds.compute_signal(gm.NearDuplicateSignal(threshold=0.8), "text", show_progress=False)
    assert again.num_computed == 0
    with pytest.raises(AlreadyExistsError, match="overwrite=True"):
        ds.compute_signal(gm.NearDuplicateSignal(threshold=0.5), "text", show_progress=False)
    ds.compute_signal(
        gm.NearDuplicateSignal(threshold=0.5), "text", overwrite=True, show_progress=False
    )
    dup = ds.select_rows(["n"], filters=[("text__near_duplicates.cluster_size", "greater", 1)])
    assert [r["n"] for r in dup] == [1, 2]


def test_row_and_dataset_signals_side_by_side(ds: gm.Dataset) -> None:
    ds.compute_signal(gm.TextStatisticsSignal(), "text", show_progress=False)
    ds.compute_signal(gm.LangDetectionSignal(), "text", show_progress=False)
    ds.compute_signal(gm.ExactDuplicateSignal(), "text", show_progress=False)
    german = ds.select_rows(["n"], filters=[("text__lang_detection.language", "equals", "de")])
    assert [r["n"] for r in german] == [3]
    fox = ds.select_rows(["text__text_statistics.num_words"], filters=[("n", "equals", 1)])
    assert fox.to_list() == [{"text__text_statistics.num_words": 9}]
    firsts = ds.count(filters=[("text__exact_duplicates.is_first", "equals", False)])
    assert firsts == 1  # "the quick brown fox..." repeats, once


def test_signal_respects_filters_and_deleted_rows(ds: gm.Dataset) -> None:
    ds.delete_rows(row_ids=[0])
    ds.compute_signal(gm.PIISignal(), "text", filters=[("n", "less", 5)], show_progress=False)
    rows = ds.select_rows(["n", "text__pii.total"], include_deleted=True).to_list()
    assert rows[0]["text__pii.total"] is None  # deleted: not computed
    assert rows[6]["text__pii.total"] is None  # filtered out


class ShoutSignal(gm.Signal):
    name: ClassVar[str] = "shout"
    scope: ClassVar[str] = "row"  # type: ignore[misc]

    def output_type(self) -> pa.DataType:
        return pa.bool_()

    def compute(self, texts: Any) -> list[Any]:
        return [None if not t else t.isupper() for t in texts]


def test_users_own_signal(ds: gm.Dataset, tmp_path: Path) -> None:
    gm.register_signal(ShoutSignal)
    ds.compute_signal(ShoutSignal(), "text", output_column="loud", show_progress=False)
    assert ds.count(filters=[("loud", "equals", False)]) == 5


def test_bad_signal_calls(ds: gm.Dataset) -> None:
    with pytest.raises(InvalidInputError, match="needs a Signal"):
        ds.compute_signal("pii", "text")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="text column"):
        ds.compute_signal(gm.PIISignal(), "n")
