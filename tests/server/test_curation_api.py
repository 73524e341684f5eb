"""Curation over REST: labels by ids or filter, soft delete and restore."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import CLASSIFICATION_ROWS, DATASET_URL, SEED_ROWS, assert_error

CLASSIFICATION = {"path": "is_classification", "op": "equals", "value": True}


def _count(client: TestClient, **body: object) -> int:
    count: int = client.post(f"{DATASET_URL}/count", json=body).json()["count"]
    return count


def test_label_by_ids_and_by_filter(client: TestClient, seed_dataset: None) -> None:
    by_ids = client.post(f"{DATASET_URL}/labels", json={"name": "good", "row_ids": [0, 1, 2]})
    assert by_ids.json() == {"num_rows": 3}
    by_filter = client.post(
        f"{DATASET_URL}/labels", json={"name": "bad", "value": "yes", "filters": [CLASSIFICATION]}
    )
    assert by_filter.json() == {"num_rows": CLASSIFICATION_ROWS}
    rows = client.post(f"{DATASET_URL}/select_rows", json={"columns": ["good"], "limit": 4}).json()[
        "rows"
    ]
    assert [row["good"] is not None for row in rows] == [True, True, True, False]
    assert _count(client, filters=[{"path": "bad", "op": "exists"}]) == CLASSIFICATION_ROWS

    removed = client.post(f"{DATASET_URL}/labels/remove", json={"name": "good", "row_ids": [1]})
    assert removed.json() == {"num_rows": 1}
    assert _count(client, filters=[{"path": "good", "op": "exists"}]) == 2


def test_selection_must_be_explicit(client: TestClient, seed_dataset: None) -> None:
    for route in ("labels", "labels/remove", "delete_rows", "restore_rows"):
        body = {"name": "x"} if route.startswith("labels") else {}
        assert_error(client.post(f"{DATASET_URL}/{route}", json=body), 422, "validation_error")


def test_bad_label_name_and_row_ids_are_400(client: TestClient, seed_dataset: None) -> None:
    assert_error(
        client.post(f"{DATASET_URL}/labels", json={"name": "../x", "row_ids": [0]}),
        400,
        "invalid_name",
    )
    assert_error(
        client.post(f"{DATASET_URL}/labels", json={"name": "good", "row_ids": [SEED_ROWS + 5]}),
        400,
        "invalid_input",
    )


def test_delete_and_restore_rows(client: TestClient, seed_dataset: None) -> None:
    deleted = client.post(f"{DATASET_URL}/delete_rows", json={"filters": [CLASSIFICATION]})
    assert deleted.json() == {"num_rows": CLASSIFICATION_ROWS}
    assert _count(client) == SEED_ROWS - CLASSIFICATION_ROWS
    assert _count(client, include_deleted=True) == SEED_ROWS
    assert client.get(DATASET_URL).json()["num_deleted"] == CLASSIFICATION_ROWS

    restored = client.post(f"{DATASET_URL}/restore_rows", json={"filters": []})
    assert restored.json() == {"num_rows": CLASSIFICATION_ROWS}
    assert _count(client) == SEED_ROWS


def test_a_keyword_search_chooses_the_rows_to_curate(
    client: TestClient, seed_dataset: None
) -> None:
    email = {"type": "keyword", "path": "instruction", "query": "email"}
    matching = _count(client, searches=[email])
    assert 0 < matching < SEED_ROWS
    labelled = client.post(f"{DATASET_URL}/labels", json={"name": "mail", "searches": [email]})
    assert labelled.json() == {"num_rows": matching}
    assert _count(client, filters=[{"path": "mail", "op": "exists"}]) == matching
    # Searches and filters together choose the rows meeting both.
    both = {"searches": [email], "filters": [CLASSIFICATION]}
    expected = _count(client, **both)
    deleted = client.post(f"{DATASET_URL}/delete_rows", json=both)
    assert deleted.json() == {"num_rows": expected}
    assert _count(client) == SEED_ROWS - expected
    restored = client.post(f"{DATASET_URL}/restore_rows", json={"searches": [email]})
    assert restored.json() == {"num_rows": expected}
    removed = client.post(
        f"{DATASET_URL}/labels/remove", json={"name": "mail", "searches": [email]}
    )
    assert removed.json() == {"num_rows": matching}


def test_curation_of_unknown_dataset_is_404(client: TestClient) -> None:
    response = client.post("/api/v1/datasets/local/nope/delete_rows", json={"row_ids": [0]})
    assert_error(response, 404, "not_found")
