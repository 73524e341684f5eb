"""POST .../compute_keyword_index: the keyword index as a background job, searches unchanged."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import DATASET_URL, assert_error, start_and_finish

EMAIL = {"type": "keyword", "path": "instruction", "query": "email"}


def _ranked(client: TestClient) -> list[tuple[int, float]]:
    body = client.post(
        f"{DATASET_URL}/select_rows", json={"columns": ["instruction"], "searches": [EMAIL]}
    ).json()
    return [
        (row["__rowid__"], round(row["instruction.keyword_search"]["score"], 9))
        for row in body["rows"]
    ]


def test_compute_keyword_index_as_a_job(client: TestClient, seed_dataset: None) -> None:
    before = _ranked(client)  # answered by a scan
    assert len(before) == 5
    job = start_and_finish(client, f"{DATASET_URL}/compute_keyword_index", {"path": "instruction"})
    assert job["kind"] == "keyword_index" and job["dataset"] == "local/seed"
    assert sorted(_ranked(client)) == sorted(before)
    again = client.post(f"{DATASET_URL}/compute_keyword_index", json={"path": "instruction"})
    assert again.status_code == 202
    assert again.json() == {"job_id": None, "kind": "keyword_index", "dataset": "local/seed"}
    assert_error(
        client.post(f"{DATASET_URL}/compute_keyword_index", json={"path": "is_classification"}),
        400,
        "invalid_input",
    )
