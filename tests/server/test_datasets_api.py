"""Datasets as a whole: list, load from a path or an upload (as jobs), manifest, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gristmill.server._data_dirs import resolve_data_dirs
from tests.server.conftest import (
    DATASET_URL,
    SEED_ROWS,
    UI_HEADERS,
    MakeClient,
    assert_error,
    wait_for_job,
)


@pytest.fixture
def seed_folder_client(make_client: MakeClient, seed_path: Path) -> TestClient:
    """A client of a server that may load the files of the seed file's folder."""
    return make_client(data_dirs=resolve_data_dirs([seed_path.parent]))


def test_list_shows_datasets_with_row_counts(client: TestClient, seed_dataset: None) -> None:
    body = client.get("/api/v1/datasets").json()
    assert [(d["namespace"], d["name"], d["num_rows"]) for d in body["datasets"]] == [
        ("local", "seed", SEED_ROWS)
    ]


def test_list_is_empty_in_a_new_project(client: TestClient) -> None:
    assert client.get("/api/v1/datasets").json() == {"datasets": []}


def test_manifest_has_schema_and_labels(client: TestClient, seed_dataset: None) -> None:
    client.post(f"{DATASET_URL}/labels", json={"name": "good", "row_ids": [0]})
    body = client.get(DATASET_URL).json()
    assert body["namespace"] == "local" and body["dataset_name"] == "seed"
    assert body["num_items"] == SEED_ROWS
    fields = body["data_schema"]["fields"]
    assert fields["instruction"]["dtype"] == "string"
    assert set(fields["instances"]["repeated_field"]["fields"]) == {"input", "output"}
    assert body["labels"] == ["good"]
    assert body["source"]["source_name"] == "json"


def test_unknown_dataset_is_404(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/datasets/local/missing"), 404, "not_found")
    assert "local/missing" in str(error["message"])


def test_unsafe_dataset_name_is_refused(client: TestClient) -> None:
    assert_error(client.get("/api/v1/datasets/local/..evil"), 422, "validation_error")
    # An encoded '/' splits the path, so it matches no route at all.
    assert_error(client.get("/api/v1/datasets/local/..%2F..%2Fetc"), 404, "not_found")


def test_load_from_path_runs_as_a_job(seed_folder_client: TestClient, seed_path: Path) -> None:
    client = seed_folder_client
    response = client.post(
        "/api/v1/datasets", json={"namespace": "local", "name": "loaded", "path": str(seed_path)}
    )
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["dataset"] == "local/loaded"
    job = wait_for_job(client, started["job_id"])
    assert job["status"] == "completed" and job["kind"] == "load"
    assert job["progress"] == SEED_ROWS
    count = client.post("/api/v1/datasets/local/loaded/count", json={}).json()
    assert count == {"count": SEED_ROWS}


def test_load_refuses_an_existing_name_unless_overwrite(
    seed_folder_client: TestClient, seed_dataset: None, seed_path: Path
) -> None:
    client = seed_folder_client
    body = {"namespace": "local", "name": "seed", "path": str(seed_path)}
    assert_error(client.post("/api/v1/datasets", json=body), 409, "already_exists")
    response = client.post("/api/v1/datasets", json={**body, "overwrite": True})
    assert wait_for_job(client, response.json()["job_id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("path", "code"),
    [("data/missing.jsonl", "invalid_source"), ("data/notes.xyz", "invalid_input")],
)
def test_load_bad_files_fail_before_any_job(
    make_client: MakeClient, tmp_path: Path, path: str, code: str
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.xyz").write_text("hello\n")
    client = make_client(data_dirs={"data": tmp_path / "data"})
    body = {"namespace": "local", "name": "bad", "path": path}
    assert_error(client.post("/api/v1/datasets", json=body), 400, code)
    assert client.get("/api/v1/jobs").json() == {"jobs": []}


def test_load_with_bad_name_is_400(seed_folder_client: TestClient, seed_path: Path) -> None:
    body = {"namespace": "local", "name": "../escape", "path": str(seed_path)}
    assert_error(seed_folder_client.post("/api/v1/datasets", json=body), 400, "invalid_name")


def test_load_body_is_validated(client: TestClient) -> None:
    assert_error(
        client.post("/api/v1/datasets", json={"namespace": "local", "name": "x"}),
        422,
        "validation_error",
    )
    assert_error(
        client.post(
            "/api/v1/datasets",
            json={"namespace": "local", "name": "x", "path": "a.csv", "colour": "blue"},
        ),
        422,
        "validation_error",
    )


def test_upload_jsonl_loads_and_removes_the_upload(
    client: TestClient, seed_path: Path, project_dir: Path
) -> None:
    with seed_path.open("rb") as handle:
        response = client.post(
            "/api/v1/datasets/upload",
            data={"namespace": "up", "name": "seed"},
            files={"file": ("seed_tasks.jsonl", handle, "application/x-ndjson")},
            headers=UI_HEADERS,
        )
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["job_id"])
    assert job["status"] == "completed", job
    rows = client.post(
        "/api/v1/datasets/up/seed/select_rows", json={"columns": ["name"], "limit": 1}
    ).json()
    assert rows["rows"] == [{"__rowid__": 0, "name": "ultrafeedback_206"}]
    assert rows["total_num_rows"] == SEED_ROWS
    assert list((project_dir / ".uploads").iterdir()) == []


def test_upload_csv_with_explicit_format(client: TestClient) -> None:
    response = client.post(
        "/api/v1/datasets/upload",
        data={"namespace": "up", "name": "table", "format": "csv"},
        files={"file": ("table.txt", b"a,b\n1,x\n2,y\n", "text/plain")},
        headers=UI_HEADERS,
    )
    assert response.status_code == 202, response.text
    assert wait_for_job(client, response.json()["job_id"])["status"] == "completed"
    rows = client.post("/api/v1/datasets/up/table/select_rows", json={}).json()["rows"]
    assert rows == [{"__rowid__": 0, "a": 1, "b": "x"}, {"__rowid__": 1, "a": 2, "b": "y"}]


def test_upload_of_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/v1/datasets/upload",
        data={"namespace": "up", "name": "bad"},
        files={"file": ("bad.jsonl", b'{"a": 1}\n{not json\n', "application/x-ndjson")},
        headers=UI_HEADERS,
    )
    assert_error(response, 400, "invalid_source")


def test_upload_over_the_limit_is_413(make_client: MakeClient) -> None:
    client = make_client(max_upload_bytes=1000)
    response = client.post(
        "/api/v1/datasets/upload",
        data={"namespace": "up", "name": "big"},
        files={"file": ("big.jsonl", b'{"a": 1}\n' * 500, "application/x-ndjson")},
        headers=UI_HEADERS,
    )
    assert_error(response, 413, "payload_too_large")


def test_delete_dataset(client: TestClient, seed_dataset: None) -> None:
    assert client.delete(DATASET_URL).status_code == 204
    assert client.get("/api/v1/datasets").json() == {"datasets": []}
    assert_error(client.delete(DATASET_URL), 404, "not_found")
