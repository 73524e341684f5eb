"""Searches over REST: keyword with highlights, semantic after an embedding job, their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import DATASET_URL, MakeClient, assert_error, start_and_finish

EMAIL = {"type": "keyword", "path": "instruction", "query": "email"}


def test_keyword_search_ranks_rows_with_highlighted_spans(
    client: TestClient, seed_dataset: None
) -> None:
    body = client.post(
        f"{DATASET_URL}/select_rows",
        json={"columns": ["instruction"], "searches": [EMAIL], "limit": 3},
    ).json()
    assert body["search_columns"] == ["instruction.keyword_search"]
    assert body["total_num_rows"] == 5  # five of the tasks mention an email
    scores = [row["instruction.keyword_search"]["score"] for row in body["rows"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    for row in body["rows"]:
        text = row["instruction"]
        spans = row["instruction.keyword_search"]["spans"]
        assert spans, row
        # The spans highlight the matched word in the returned text.
        assert {text[s["start"] : s["end"]].lower() for s in spans} == {"email"}
    count = client.post(f"{DATASET_URL}/count", json={"searches": [EMAIL]}).json()
    assert count == {"count": 5}


def test_keyword_search_combines_with_filters(client: TestClient, seed_dataset: None) -> None:
    classification = {"path": "is_classification", "op": "equals", "value": True}
    body = client.post(
        f"{DATASET_URL}/select_rows",
        json={
            "columns": ["instruction", "is_classification"],
            "searches": [EMAIL],
            "filters": [classification],
        },
    ).json()
    assert body["total_num_rows"] == len(body["rows"]) >= 1
    assert all(row["is_classification"] for row in body["rows"])
    counted = client.post(
        f"{DATASET_URL}/count", json={"searches": [EMAIL], "filters": [classification]}
    ).json()["count"]
    assert counted == body["total_num_rows"]


def test_search_errors(client: TestClient, seed_dataset: None) -> None:
    semantic = {"type": "semantic", "path": "instruction", "query": "a poem", "embedding": "minilm"}
    error = assert_error(
        client.post(f"{DATASET_URL}/select_rows", json={"searches": [semantic]}),
        404,
        "missing_embedding",
    )
    assert "compute_embedding" in str(error["hint"])
    concept = {
        "type": "concept",
        "path": "instruction",
        "concept_namespace": "gristmill",
        "concept_name": "profanity",
    }
    assert_error(
        client.post(f"{DATASET_URL}/count", json={"searches": [concept]}),
        404,
        "missing_embedding",
    )
    bad_type = {"type": "fuzzy", "path": "instruction", "query": "x"}
    assert_error(
        client.post(f"{DATASET_URL}/select_rows", json={"searches": [bad_type]}),
        422,
        "validation_error",
    )
    empty_query = {"type": "keyword", "path": "instruction", "query": ""}
    assert_error(
        client.post(f"{DATASET_URL}/select_rows", json={"searches": [empty_query]}),
        400,
        "invalid_input",
    )
    not_text = {"type": "keyword", "path": "is_classification", "query": "x"}
    assert_error(
        client.post(f"{DATASET_URL}/select_rows", json={"searches": [not_text]}),
        400,
        "invalid_input",
    )
    missing = {"type": "keyword", "path": "nope", "query": "x"}
    assert_error(
        client.post(f"{DATASET_URL}/select_rows", json={"searches": [missing]}),
        400,
        "invalid_path",
    )


def test_semantic_search_after_an_embedding_job(
    client: TestClient, seed_dataset: None, fake_embedding: str
) -> None:
    start_and_finish(
        client,
        f"{DATASET_URL}/compute_embedding",
        {"embedding": fake_embedding, "path": "instruction"},
    )
    search = {
        "type": "semantic",
        "path": "instruction",
        "query": "spam email",
        "embedding": fake_embedding,
    }
    body = client.post(
        f"{DATASET_URL}/select_rows",
        json={"columns": ["instruction"], "searches": [search], "limit": 5},
    ).json()
    column = f"instruction.semantic_search/{fake_embedding}"
    assert body["search_columns"] == [column]
    top = body["rows"][0]
    assert top["instruction"] == "Is the following email spam? Answer yes or no."
    scores = [row[column]["score"] for row in body["rows"]]
    assert scores == sorted(scores, reverse=True)
    span = top[column]["spans"][0]
    assert (span["start"], span["end"]) == (0, len(top["instruction"]))
    # The derived column shows up in the manifest with its lineage.
    derived = client.get(DATASET_URL).json()["derived_columns"]
    assert [(d["name"], d["lineage"]["kind"]) for d in derived] == [
        (f"instruction__{fake_embedding}", "embedding")
    ]


@pytest.mark.slow
def test_semantic_search_with_the_real_minilm(
    make_client: MakeClient, seed_path: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "seed50.jsonl"
    lines = seed_path.read_text(encoding="utf-8").splitlines()[:50]
    rows.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = make_client(data_dirs={str(tmp_path): tmp_path})
    response = client.post(
        "/api/v1/datasets", json={"namespace": "local", "name": "seed50", "path": str(rows)}
    )
    assert response.status_code == 202
    from tests.server.conftest import wait_for_job

    assert wait_for_job(client, response.json()["job_id"])["status"] == "completed"
    url = "/api/v1/datasets/local/seed50"
    start_and_finish(
        client, f"{url}/compute_embedding", {"embedding": "minilm", "path": "instruction"}
    )
    search = {"type": "semantic", "path": "instruction", "query": "what to buy to cook a meal"}
    body = client.post(
        f"{url}/select_rows", json={"columns": ["instruction"], "searches": [search], "limit": 3}
    ).json()
    assert "ingredients" in body["rows"][0]["instruction"]
    json.dumps(body)  # scores are plain floats
