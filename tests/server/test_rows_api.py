"""Reading rows over REST: select_rows (filters, sort, paging), count, stats, histograms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import CLASSIFICATION_ROWS, DATASET_URL, SEED_ROWS, assert_error

CLASSIFICATION = {"path": "is_classification", "op": "equals", "value": True}


def test_first_page_has_rowids_and_total(client: TestClient, seed_dataset: None) -> None:
    body = client.post(f"{DATASET_URL}/select_rows", json={"limit": 3}).json()
    assert body["total_num_rows"] == SEED_ROWS
    assert body["limit"] == 3 and body["offset"] == 0
    assert [row["__rowid__"] for row in body["rows"]] == [0, 1, 2]
    assert set(body["rows"][0]) == {
        "__rowid__",
        "id",
        "name",
        "instruction",
        "instances",
        "is_classification",
    }
    assert body["rows"][0]["instances"][0]["output"].startswith("OK, I'll think it through")


def test_filters_sort_and_paging(client: TestClient, seed_dataset: None) -> None:
    body = client.post(
        f"{DATASET_URL}/select_rows",
        json={
            "columns": ["name", "is_classification"],
            "filters": [CLASSIFICATION],
            "sort_by": ["name"],
            "sort_order": "ASC",
            "limit": 5,
            "offset": 5,
        },
    ).json()
    assert body["total_num_rows"] == CLASSIFICATION_ROWS
    names = [row["name"] for row in body["rows"]]
    assert names == sorted(names) and len(names) == 5
    assert all(row["is_classification"] for row in body["rows"])
    first_five = client.post(
        f"{DATASET_URL}/select_rows",
        json={
            "columns": ["name"],
            "filters": [CLASSIFICATION],
            "sort_by": ["name"],
            "sort_order": "ASC",
            "limit": 5,
        },
    ).json()["rows"]
    assert max(r["name"] for r in first_five) <= names[0]


def test_nested_list_path(client: TestClient, seed_dataset: None) -> None:
    rows = client.post(
        f"{DATASET_URL}/select_rows", json={"columns": ["instances.*.input"], "limit": 10}
    ).json()["rows"]
    assert rows[1] == {"__rowid__": 1, "instances.*.input": [""]}
    assert rows[9] == {
        "__rowid__": 9,
        "instances.*.input": [
            "The plot dragged and the jokes never landed.",
            "A warm, funny film with a cast that clearly enjoyed every scene.",
        ],
    }


@pytest.mark.parametrize(
    "bad_filter",
    [
        {"path": "missing_column", "op": "equals", "value": 1},
        {"path": "is_classification", "op": "equals", "value": "yes"},
        {"path": "name", "op": "regex_matches", "value": "(unclosed"},
    ],
)
def test_bad_filter_is_400(client: TestClient, seed_dataset: None, bad_filter: object) -> None:
    response = client.post(f"{DATASET_URL}/select_rows", json={"filters": [bad_filter]})
    error = assert_error(response, 400, str(response.json()["error"]["code"]))
    assert error["code"] in ("invalid_filter", "invalid_path")
    assert error["hint"] is not None or error["code"] == "invalid_filter"


@pytest.mark.parametrize(
    "body",
    [
        # Numbers out of range are 400s naming the range (tests/server/test_bad_input_api.py).
        {"limit": "many"},
        {"filters": [{"path": "name", "op": "is_like"}]},
        {"sort_order": "UP"},
        {"filter": []},
    ],
)
def test_invalid_bodies_are_422(client: TestClient, seed_dataset: None, body: object) -> None:
    assert_error(client.post(f"{DATASET_URL}/select_rows", json=body), 422, "validation_error")


def test_malformed_json_is_422(client: TestClient, seed_dataset: None) -> None:
    response = client.post(
        f"{DATASET_URL}/select_rows",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 422, "validation_error")


def test_json_body_over_the_limit_is_413(make_client: object, seed_dataset: None) -> None:
    client = make_client(max_json_bytes=200)  # type: ignore[operator]
    body = {"columns": ["name"] * 50}
    assert_error(client.post(f"{DATASET_URL}/select_rows", json=body), 413, "payload_too_large")


def test_rows_are_json_safe(client: TestClient, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import gristmill as gm

    path = tmp_path / "typed.parquet"
    pq.write_table(
        pa.table(
            {
                "at": pa.array([dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)]),
                "day": pa.array([dt.date(2024, 5, 1)]),
                "score": pa.array([float("nan")]),
                "blob": pa.array([b"\x00\x01"]),
            }
        ),
        path,
    )
    gm.create_dataset(
        gm.DatasetConfig(namespace="t", name="typed", source=gm.ParquetSource(filepaths=[path])),
        show_progress=False,
    )
    row = client.post("/api/v1/datasets/t/typed/select_rows", json={}).json()["rows"][0]
    assert row == {
        "__rowid__": 0,
        "at": "2024-05-01T12:30:00+00:00",
        "day": "2024-05-01",
        "score": None,
        "blob": "AAE=",
    }


def test_count(client: TestClient, seed_dataset: None) -> None:
    assert client.post(f"{DATASET_URL}/count", json={}).json() == {"count": SEED_ROWS}
    assert client.post(f"{DATASET_URL}/count", json={"filters": [CLASSIFICATION]}).json() == {
        "count": CLASSIFICATION_ROWS
    }
    assert_error(client.post(f"{DATASET_URL}/count", json={"limit": 3}), 422, "validation_error")


def test_stats(client: TestClient, seed_dataset: None) -> None:
    stats = client.get(f"{DATASET_URL}/stats", params={"path": "instruction"}).json()
    assert stats["path"] == "instruction"
    assert stats["total_count"] == SEED_ROWS and stats["null_count"] == 0
    assert 0 < stats["min_length"] <= stats["avg_length"] <= stats["max_length"]
    assert_error(client.get(f"{DATASET_URL}/stats", params={"path": "nope"}), 400, "invalid_path")
    assert_error(client.get(f"{DATASET_URL}/stats"), 422, "validation_error")


def test_select_groups(client: TestClient, seed_dataset: None) -> None:
    groups = client.post(f"{DATASET_URL}/select_groups", json={"path": "is_classification"})
    assert groups.json()["kind"] == "boolean"
    assert groups.json()["counts"] == [
        [False, SEED_ROWS - CLASSIFICATION_ROWS],
        [True, CLASSIFICATION_ROWS],
    ]
    lengths = client.post(
        f"{DATASET_URL}/select_groups", json={"path": "instruction", "bins": 4}
    ).json()
    assert lengths["kind"] == "length"
    assert sum(count for _, count in lengths["counts"]) == SEED_ROWS
    assert_error(
        client.post(f"{DATASET_URL}/select_groups", json={"path": "nope"}), 400, "invalid_path"
    )


def test_a_clicked_length_bar_still_shows_length_bins(
    client: TestClient, seed_dataset: None
) -> None:
    url = f"{DATASET_URL}/select_groups"
    whole = client.post(url, json={"path": "instruction"}).json()
    assert whole["kind"] == "length"
    # A bar of at most 100 texts: once filtered by it, the old code listed them one by one.
    index = next(i for i, (_, count) in enumerate(whole["counts"]) if 0 < count <= 100)
    label, low, high = whole["bins"][index]
    # The filters the UI sends for a click on that bar.
    shorter = int(high) + (1 if label.endswith("]") else 0)
    clicked_filters = [{"path": "instruction", "op": "length_shorter", "value": shorter}]
    if low > 0:
        clicked_filters.append(
            {"path": "instruction", "op": "length_longer", "value": int(low) - 1}
        )
    in_bar = client.post(f"{DATASET_URL}/count", json={"filters": clicked_filters}).json()
    assert 0 < in_bar["count"] <= 100
    clicked = client.post(url, json={"path": "instruction", "filters": clicked_filters}).json()
    assert clicked["kind"] == "length"
    assert clicked["bins"] == whole["bins"]
    assert clicked["counts"][index] == [label, in_bar["count"]]
    assert sum(count for _, count in clicked["counts"]) == in_bar["count"]
