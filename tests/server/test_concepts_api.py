"""Concepts over REST: create, examples, train, read-only built-ins, scoring a dataset."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import DATASET_URL, SEED_ROWS, assert_error, start_and_finish

CONCEPTS = "/api/v1/concepts"
MAIL = f"{CONCEPTS}/local/mail"
EXAMPLES = [
    {"text": "Write an email to your boss", "label": True},
    {"text": "Is this email spam or a promotion email?", "label": True},
    {"text": "Reply to the following email politely", "label": True},
    {"text": "Give a subject line for this email", "label": True},
    {"text": "Solve the math problem", "label": False},
    {"text": "Translate the sentence into French", "label": False},
    {"text": "Name three famous painters", "label": False},
    {"text": "Sort the numbers in ascending order", "label": False},
]


def _create_mail_concept(client: TestClient) -> None:
    created = client.post(
        CONCEPTS, json={"namespace": "local", "name": "mail", "description": "about email"}
    )
    assert created.status_code == 201, created.text
    added = client.post(f"{MAIL}/examples", json={"examples": EXAMPLES})
    assert added.status_code == 200, added.text


def test_concept_lifecycle(client: TestClient, fake_embedding: str) -> None:
    created = client.post(
        CONCEPTS, json={"namespace": "local", "name": "mail", "description": "about email"}
    )
    assert created.status_code == 201
    info = created.json()
    assert (info["namespace"], info["name"], info["version"]) == ("local", "mail", 0)
    assert info["builtin"] is False and info["description"] == "about email"
    names = [(c["namespace"], c["name"]) for c in client.get(CONCEPTS).json()["concepts"]]
    assert ("local", "mail") in names and ("gristmill", "profanity") in names
    local = client.get(CONCEPTS, params={"namespace": "local"}).json()["concepts"]
    assert [c["name"] for c in local] == ["mail"]

    added = client.post(f"{MAIL}/examples", json={"examples": EXAMPLES}).json()
    assert len(added["examples"]) == 8 and added["version"] == 1
    detail = client.get(MAIL, params={"embedding": fake_embedding}).json()
    assert detail["info"]["num_positive"] == 4 and detail["info"]["num_negative"] == 4
    assert {x["text"] for x in detail["examples"]} == {x["text"] for x in EXAMPLES}
    assert detail["model"] is None  # a GET never trains

    trained = client.post(f"{MAIL}/train", json={"embedding": fake_embedding}).json()
    assert trained["concept_version"] == 1 and trained["metrics"]["num_examples"] == 8
    detail = client.get(MAIL, params={"embedding": fake_embedding}).json()
    assert detail["model"] == trained

    removed_id = added["examples"][0]["id"]
    removed = client.post(f"{MAIL}/examples/remove", json={"ids": [removed_id, "unknown"]})
    assert removed.json() == {"num_removed": 1, "version": 2}
    detail = client.get(MAIL, params={"embedding": fake_embedding}).json()
    assert len(detail["examples"]) == 7
    assert detail["model"] is None  # the trained model was for version 1

    assert client.delete(MAIL).status_code == 204
    assert_error(client.get(MAIL), 404, "not_found")
    assert client.get(CONCEPTS, params={"namespace": "local"}).json() == {"concepts": []}


def test_concept_errors(client: TestClient, fake_embedding: str) -> None:
    _create_mail_concept(client)
    again = client.post(CONCEPTS, json={"namespace": "local", "name": "mail"})
    assert_error(again, 409, "already_exists")
    bad_name = client.post(CONCEPTS, json={"namespace": "local", "name": "../up"})
    assert_error(bad_name, 400, "invalid_name")
    assert_error(client.get(f"{CONCEPTS}/local/none"), 404, "not_found")
    assert_error(client.delete(f"{CONCEPTS}/local/none"), 404, "not_found")
    assert_error(
        client.post(f"{CONCEPTS}/local/none/examples", json={"examples": EXAMPLES}),
        404,
        "not_found",
    )
    no_examples = client.post(f"{MAIL}/examples", json={"examples": []})
    assert_error(no_examples, 422, "validation_error")
    no_label = client.post(f"{MAIL}/examples", json={"examples": [{"text": "hi"}]})
    assert_error(no_label, 422, "validation_error")
    assert_error(client.get(MAIL, params={"embedding": "nope"}), 404, "not_found")
    client.post(CONCEPTS, json={"namespace": "local", "name": "empty"})
    untrainable = client.post(f"{CONCEPTS}/local/empty/train", json={"embedding": fake_embedding})
    assert_error(untrainable, 400, "invalid_input")


def test_builtin_concepts_are_read_only(client: TestClient) -> None:
    builtin = f"{CONCEPTS}/gristmill/profanity"
    detail = client.get(builtin).json()
    assert detail["info"]["builtin"] is True and detail["examples"]
    if detail["model"] is not None:  # a packaged model ships for the default embedding
        assert detail["model"]["embedding"] == "minilm"
    example = {"examples": [{"text": "darn", "label": True}]}
    assert_error(client.post(f"{builtin}/examples", json=example), 403, "read_only")
    remove = client.post(f"{builtin}/examples/remove", json={"ids": ["x"]})
    assert_error(remove, 403, "read_only")
    assert_error(client.delete(builtin), 403, "read_only")
    create = client.post(CONCEPTS, json={"namespace": "gristmill", "name": "mine"})
    assert_error(create, 403, "read_only")


def test_compute_concept_scores_a_dataset(
    client: TestClient, seed_dataset: None, fake_embedding: str
) -> None:
    _create_mail_concept(client)
    score = {
        "namespace": "local",
        "name": "mail",
        "embedding": fake_embedding,
        "path": "instruction",
    }
    no_embedding = client.post(f"{DATASET_URL}/compute_concept", json=score)
    assert "compute_embedding" in str(assert_error(no_embedding, 404, "missing_embedding")["hint"])
    start_and_finish(
        client,
        f"{DATASET_URL}/compute_embedding",
        {"embedding": fake_embedding, "path": "instruction"},
    )
    unknown = {**score, "name": "none"}
    assert_error(client.post(f"{DATASET_URL}/compute_concept", json=unknown), 404, "not_found")

    job = start_and_finish(client, f"{DATASET_URL}/compute_concept", score)
    assert job["kind"] == "concept" and job["progress"] == SEED_ROWS
    derived = {d["name"]: d for d in client.get(DATASET_URL).json()["derived_columns"]}
    column = "instruction__local_mail"
    assert derived[column]["lineage"]["kind"] == "concept"
    rows = client.post(
        f"{DATASET_URL}/select_rows",
        json={
            "columns": ["instruction", column],
            "sort_by": [f"{column}.score"],
            "sort_order": "DESC",
            "limit": 3,
        },
    ).json()["rows"]
    assert any("email" in row["instruction"] for row in rows)
    assert 0.0 <= rows[0][column]["score"] <= 1.0

    # The same concept as a search ranks rows by its score, with the spans that scored.
    search = {
        "type": "concept",
        "path": "instruction",
        "concept_namespace": "local",
        "concept_name": "mail",
        "embedding": fake_embedding,
    }
    body = client.post(
        f"{DATASET_URL}/select_rows",
        json={"columns": ["instruction"], "searches": [search], "limit": 3},
    ).json()
    result = body["search_columns"][0]
    assert result == f"instruction.local/mail/{fake_embedding}"
    assert [row["instruction"] for row in body["rows"]] == [row["instruction"] for row in rows]
    assert body["rows"][0][result]["spans"]
