"""Bad numbers, bad request models and oversized JSON values, through the Python API.

Each mistake is an InvalidInputError (or SourceError) of one line that says what was wrong and
what is allowed, never a DuckDB or pydantic report.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import gristmill as gm
from gristmill.bounds import MAX_BIGINT, ROW_OFFSET, Bound, check_bins
from gristmill.errors import InvalidInputError, InvalidNameError, SourceError
from gristmill.project import validate_name

BIGINT_RANGE = f"an integer from 0 to {MAX_BIGINT}"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"offset": 2**63}, f"offset must be {BIGINT_RANGE}, got {2**63}"),
        ({"limit": 10**20}, f"limit must be {BIGINT_RANGE}, got {10**20}"),
        ({"offset": -1}, f"offset must be {BIGINT_RANGE}, got -1"),
        ({"limit": 2.5}, f"limit must be {BIGINT_RANGE}, got 2.5"),
        ({"limit": True}, f"limit must be {BIGINT_RANGE}, got True"),
        ({"offset": "10"}, f"offset must be {BIGINT_RANGE}, got '10'"),
    ],
)
def test_paging_out_of_range_names_the_range(
    small_ds: gm.Dataset, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        small_ds.select_rows(["score"], **kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_the_largest_offset_and_limit_are_answered(small_ds: gm.Dataset) -> None:
    # DuckDB takes up to BIGINT's maximum; an offset past the last row returns no rows.
    assert small_ds.select_rows(["score"], offset=MAX_BIGINT).to_list() == []
    everything = small_ds.select_rows(["score"], limit=MAX_BIGINT, offset=3).to_list()
    assert [row["score"] for row in everything] == [1, 2]
    assert small_ds.select_rows(["score"], limit=np.int64(2)).df()["score"].tolist() == [5, 3]


def test_searches_check_paging_before_they_run(small_ds: gm.Dataset) -> None:
    search = gm.KeywordSearch(path="instruction", query="poem")
    with pytest.raises(InvalidInputError, match="offset must be"):
        small_ds.select_rows(["score"], searches=[search], limit=5, offset=2**64)
    # One search on its own is taken as a list of one.
    rows = small_ds.select_rows(["score"], searches=search, limit=5).to_list()
    assert [row["score"] for row in rows] == [5, 4]


def test_histogram_bins_and_limit_are_bounded(small_ds: gm.Dataset) -> None:
    # Each bin is a row of the answer: a REST caller could otherwise ask for a billion.
    with pytest.raises(InvalidInputError, match="bins must be an integer from 1 to 1000, got 5000"):
        small_ds.select_groups("score", bins=5000)
    with pytest.raises(InvalidInputError, match="2 to 1001 edges, got 5000 edges"):
        small_ds.select_groups("score", bins=list(range(5000)))
    with pytest.raises(InvalidInputError, match="each bin edge must be a finite number, got nan"):
        small_ds.select_groups("score", bins=[0.0, float("nan")])
    with pytest.raises(InvalidInputError, match="limit must be an integer from 1 to"):
        small_ds.select_groups("instruction", limit=0)
    assert len(small_ds.select_groups("score", bins=2).counts) == 2


def test_a_bound_takes_numpy_integers_and_refuses_the_rest() -> None:
    assert ROW_OFFSET.check(np.int32(7)) == 7
    assert check_bins(np.int64(3)) == 3
    ratio = Bound("ratio", 0.0, 1.0, integer=False)
    assert ratio.check(0.5) == 0.5
    for bad in (float("inf"), "0.5", None, 1.5):
        with pytest.raises(InvalidInputError, match=r"ratio must be a number from 0\.0 to 1\.0"):
            ratio.check(bad)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: gm.KeywordSearch(path="text", query=""),
            InvalidInputError,
            "KeywordSearch.query must be a non-empty string, got ''",
        ),
        (
            lambda: gm.SemanticSearch(path="text", query=5),
            InvalidInputError,
            "SemanticSearch.query must be a string, got 5",
        ),
        (
            lambda: gm.KeywordSearch(path="text", qeury="x"),
            InvalidInputError,
            "KeywordSearch.query is required; KeywordSearch has no field 'qeury'",
        ),
        (
            lambda: gm.DatasetConfig(namespace="local", name=5, source=None),
            InvalidInputError,
            "DatasetConfig.name must be a string, got 5",
        ),
        (
            lambda: gm.JSONSource(filepaths=["a.jsonl"], on_error="ignore"),
            SourceError,
            "JSONSource.on_error must be 'raise' or 'skip', got 'ignore'",
        ),
        (
            lambda: gm.ClusterSettings(min_cluster_size=1),
            InvalidInputError,
            "ClusterSettings.min_cluster_size must be >= 2, got 1",
        ),
    ],
)
def test_request_models_speak_our_errors(build: object, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        build()  # type: ignore[operator]
    assert str(info.value).split(" (")[0] == message


def test_a_misspelt_field_is_answered_with_the_fields() -> None:
    with pytest.raises(InvalidInputError) as info:
        gm.KeywordSearch(path="text", qeury="x")  # type: ignore[call-arg]
    assert info.value.hint == "KeywordSearch takes path, query"


def test_searches_given_as_dicts_speak_our_errors(small_ds: gm.Dataset) -> None:
    empty = {"type": "keyword", "path": "instruction", "query": ""}
    with pytest.raises(InvalidInputError, match=r"KeywordSearch\.query must be a non-empty string"):
        small_ds.select_rows(searches=[empty])


def test_a_name_that_is_not_text_is_named_as_such() -> None:
    with pytest.raises(InvalidNameError, match="dataset name must be a string, got 5"):
        validate_name(5, "dataset name")  # type: ignore[arg-type]
    with pytest.raises(InvalidNameError, match="dataset name must be a string, got 5"):
        gm.get_dataset("local", 5)  # type: ignore[arg-type]


# DuckDB reads one JSON value of at most 16 MB (in buffers of twice that) unless told otherwise.
BIG_VALUE = 40 * 1024 * 1024


def _big_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": 1, "text": "small"}) + "\n")
        handle.write(json.dumps({"id": 2, "text": "x" * BIG_VALUE}) + "\n")
    return path


@pytest.mark.parametrize("on_error", ["raise", "skip"])
def test_a_line_over_duckdbs_object_size_loads(tmp_path: Path, on_error: str) -> None:
    source = gm.JSONSource(filepaths=[str(_big_jsonl(tmp_path))], on_error=on_error)  # type: ignore[arg-type]
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="big", source=source), show_progress=False
    )
    lengths = [len(row["text"]) for row in ds.select_rows(["text"]).to_list()]
    assert lengths == [5, BIG_VALUE]


def test_a_value_over_the_row_limit_says_where_and_how_big(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.data.sources import _json_source

    monkeypatch.setattr(_json_source, "MAX_VALUE_BYTES", 1024 * 1024)
    path = _big_jsonl(tmp_path)
    with pytest.raises(SourceError) as info:
        gm.JSONSource(filepaths=[str(path)]).open()
    assert str(info.value).startswith(f"{path}:2 holds a JSON value of 40 MB; one row may hold")
    # Not the old advice to check the file's format: the file is fine, one value is too big.
    assert "JSON Lines or a JSON array" not in str(info.value)
    assert "split that value" in (info.value.hint or "")


@pytest.mark.timeout(180)
def test_a_pretty_printed_object_over_duckdbs_object_size_loads(tmp_path: Path) -> None:
    # Every line of an indented .json file is short, so measuring lines found no large value and
    # the retry went on for ever; the whole file now bounds the room given.
    path = tmp_path / "big.json"
    document = {
        "title": "one object",
        "items": [{"text": "x" * 60, "n": i} for i in range(250_000)],
    }
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    assert path.stat().st_size > 16 * 1024 * 1024
    source = gm.JSONSource(filepaths=[str(path)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="pretty", source=source), show_progress=False
    )
    assert [row["title"] for row in ds.select_rows(["title"])] == ["one object"]
