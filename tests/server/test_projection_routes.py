"""The data map's routes: compute a projection (a job), list them, read one with colours."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import (
    DATASET_URL,
    SEED_ROWS,
    assert_error,
    start_and_finish,
)

MAP = {"path": "instruction"}


@pytest.fixture
def embedded(seed_dataset: None, fake_embedding: str) -> str:
    import gristmill as gm

    gm.get_dataset("local", "seed").compute_embedding(
        fake_embedding, "instruction", show_progress=False
    )
    return fake_embedding


def test_compute_list_and_read_a_projection(client: TestClient, embedded: str) -> None:
    assert client.get(f"{DATASET_URL}/projections").json() == {"projections": []}
    job = start_and_finish(client, f"{DATASET_URL}/compute_projection", MAP)
    assert job["kind"] == "projection" and job["dataset"] == "local/seed"
    # The job is in the jobs table, like every enrichment.
    listed = client.get("/api/v1/jobs", params={"dataset": "local/seed"}).json()["jobs"]
    assert [j["id"] for j in listed if j["kind"] == "projection"] == [job["id"]]
    column = f"instruction__{embedded}__projection"
    assert client.get(f"{DATASET_URL}/projections").json() == {
        "projections": [
            {
                "path": "instruction",
                "embedding": embedded,
                "column": column,
                "num_points": SEED_ROWS,
                "sampled": False,
            }
        ]
    }
    # Stored already: nothing to do, no job.
    again = client.post(f"{DATASET_URL}/compute_projection", json=MAP)
    assert again.status_code == 202
    assert again.json() == {"job_id": None, "kind": "projection", "dataset": "local/seed"}
    body = client.post(f"{DATASET_URL}/projection", json=MAP).json()
    assert set(body) == {
        "path", "embedding", "num_points", "sampled", "rowids", "x", "y", "color", "included"
    }  # fmt: skip
    assert body["embedding"] == embedded and body["num_points"] == SEED_ROWS
    assert body["rowids"] == list(range(SEED_ROWS))
    assert len(body["x"]) == len(body["y"]) == SEED_ROWS
    assert all(0.0 <= v <= 1.0 for v in body["x"] + body["y"])
    assert body["color"] is None and body["included"] is None


@pytest.fixture
def mapped(client: TestClient, embedded: str) -> str:
    start_and_finish(client, f"{DATASET_URL}/compute_projection", MAP)
    return embedded


def test_colour_by_a_category_a_number_and_a_label(client: TestClient, mapped: str) -> None:
    url = f"{DATASET_URL}/projection"
    rows = client.post(
        f"{DATASET_URL}/select_rows", json={"columns": ["is_classification"], "limit": 1000}
    ).json()["rows"]
    flags = {row["__rowid__"]: row["is_classification"] for row in rows}
    body = client.post(url, json={**MAP, "color_by": "is_classification"}).json()
    color = body["color"]
    assert color["kind"] == "categorical" and color["field"] == "is_classification"
    assert color["categories"] == ["false", "true"]  # 149 false, 26 true
    assert [color["categories"][v] == "true" for v in color["values"]] == [
        flags[rowid] for rowid in body["rowids"]
    ]
    client.post(f"{DATASET_URL}/labels", json={"name": "keep", "row_ids": [0, 1, 2]})
    label = client.post(url, json={**MAP, "color_by": "keep"}).json()["color"]
    assert label["field"] == "keep.label" and label["categories"] == ["true"]
    assert label["values"][:4] == [0, 0, 0, None]
    import gristmill as gm

    gm.get_dataset("local", "seed").map(
        len, input_path="instruction", output_column="size", show_progress=False
    )
    sizes = client.post(f"{DATASET_URL}/select_rows", json={"columns": ["size"], "limit": 1000})
    numeric = client.post(url, json={**MAP, "color_by": "size"}).json()["color"]
    assert numeric["kind"] == "numeric" and numeric["categories"] == []
    assert numeric["values"] == [row["size"] for row in sizes.json()["rows"]]


def test_included_marks_the_points_that_pass_the_filters(client: TestClient, mapped: str) -> None:
    url = f"{DATASET_URL}/projection"
    lasso = {"path": "__rowid__", "op": "in", "value": [3, 4, 5]}
    body = client.post(url, json={**MAP, "filters": [lasso]}).json()
    assert [rowid for rowid, ok in zip(body["rowids"], body["included"], strict=True) if ok] == [
        3,
        4,
        5,
    ]
    # The same lasso filters the rows view and counts.
    rows = client.post(f"{DATASET_URL}/select_rows", json={"filters": [lasso]}).json()
    assert sorted(row["__rowid__"] for row in rows["rows"]) == [3, 4, 5]
    assert client.post(f"{DATASET_URL}/count", json={"filters": [lasso]}).json() == {"count": 3}
    searched = client.post(
        url,
        json={**MAP, "searches": [{"type": "keyword", "path": "instruction", "query": "sentence"}]},
    ).json()
    assert 0 < sum(searched["included"]) < SEED_ROWS


def test_errors_are_json_with_a_hint(
    client: TestClient, seed_dataset: None, fake_embedding: str
) -> None:
    compute = f"{DATASET_URL}/compute_projection"
    read = f"{DATASET_URL}/projection"
    error = assert_error(client.post(compute, json=MAP), 404, "missing_embedding")
    assert "compute_embedding" in str(error["hint"])
    assert_error(client.post(read, json=MAP), 404, "not_found")
    assert_error(client.post(compute, json={"path": "nope"}), 400, "invalid_path")
    assert_error(client.post(compute, json={"path": "is_classification"}), 400, "invalid_input")
    too_few = {**MAP, "max_points": 500}
    assert_error(client.post(compute, json=too_few), 400, "invalid_input")
    assert_error(client.post(compute, json={**MAP, "color_by": "x"}), 422, "validation_error")
    import gristmill as gm

    gm.get_dataset("local", "seed").compute_embedding(
        fake_embedding, "instruction", show_progress=False
    )
    start_and_finish(client, compute, MAP)
    assert_error(client.post(read, json={**MAP, "color_by": "nope"}), 400, "invalid_path")
    listed = {**MAP, "color_by": "instances.output"}
    assert_error(client.post(read, json=listed), 400, "invalid_input")
    bad_lasso = {**MAP, "filters": [{"path": "__rowid__", "op": "in", "value": ["a"]}]}
    assert_error(client.post(read, json=bad_lasso), 400, "invalid_filter")
    assert client.get("/api/v1/jobs", params={"status": "failed"}).json() == {"jobs": []}
