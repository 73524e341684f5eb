"""Access control and the error shape: read-only mode, bearer tokens, every error's form."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gristmill.errors import InvalidInputError
from gristmill.server import ServerSettings, create_app
from tests.server.conftest import DATASET_URL, LOCAL_URL, SEED_ROWS, MakeClient, assert_error

# Routes that only read. Every other /api route must declare WRITE_ACCESS; a new route has to be
# added here on purpose to be served on a read-only server.
READ_ROUTES = {
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/datasets"),
    ("GET", "/api/v1/datasets/{namespace}/{name}"),
    ("POST", "/api/v1/datasets/{namespace}/{name}/select_rows"),
    ("POST", "/api/v1/datasets/{namespace}/{name}/count"),
    ("GET", "/api/v1/datasets/{namespace}/{name}/stats"),
    ("POST", "/api/v1/datasets/{namespace}/{name}/select_groups"),
    ("GET", "/api/v1/datasets/{namespace}/{name}/export"),
    ("GET", "/api/v1/datasets/{namespace}/{name}/clusters"),
    ("GET", "/api/v1/datasets/{namespace}/{name}/projections"),
    ("POST", "/api/v1/datasets/{namespace}/{name}/projection"),
    ("GET", "/api/v1/datasets/{namespace}/{name}/clio"),
    ("GET", "/api/v1/datasets/{namespace}/{name}/clio/{column}/{facet}"),
    ("GET", "/api/v1/jobs"),
    ("GET", "/api/v1/jobs/events"),
    ("GET", "/api/v1/jobs/{job_id}"),
    ("GET", "/api/v1/signals"),
    ("GET", "/api/v1/embeddings"),
    ("GET", "/api/v1/models"),
    ("GET", "/api/v1/concepts"),
    ("GET", "/api/v1/concepts/{namespace}/{name}"),
    ("GET", "/api/v1/experiments"),
    ("GET", "/api/v1/experiments/{name}"),
    ("GET", "/api/v1/experiments/{name}/best_worst"),
    ("GET", "/api/v1/experiments/{name}/rows"),
    ("GET", "/api/v1/experiments/{name}/compare"),
}
CONCEPT_URL = "/api/v1/concepts/local/demo"
WRITE_REQUESTS = [
    ("GET", "/api/v1/data_dirs", None),
    ("POST", "/api/v1/datasets", {"namespace": "a", "name": "b", "path": "c.jsonl"}),
    ("POST", "/api/v1/datasets/upload", None),
    ("DELETE", DATASET_URL, None),
    ("POST", f"{DATASET_URL}/labels", {"name": "good", "row_ids": [0]}),
    ("POST", f"{DATASET_URL}/labels/remove", {"name": "good", "row_ids": [0]}),
    ("POST", f"{DATASET_URL}/delete_rows", {"row_ids": [0]}),
    ("POST", f"{DATASET_URL}/restore_rows", {"row_ids": [0]}),
    ("POST", "/api/v1/jobs/abc/cancel", None),
    ("POST", f"{DATASET_URL}/compute_embedding", {"embedding": "minilm", "path": "name"}),
    ("POST", f"{DATASET_URL}/compute_signal", {"signal": "pii", "path": "name"}),
    (
        "POST",
        f"{DATASET_URL}/compute_concept",
        {"namespace": "gristmill", "name": "profanity", "path": "name"},
    ),
    ("POST", f"{DATASET_URL}/cluster", {"path": "instruction"}),
    ("POST", f"{DATASET_URL}/compute_projection", {"path": "instruction"}),
    ("POST", f"{DATASET_URL}/compute_keyword_index", {"path": "instruction"}),
    ("POST", f"{DATASET_URL}/compute_clio", {"path": "instruction"}),
    ("DELETE", f"{DATASET_URL}/columns/name__pii", None),
    ("POST", "/api/v1/concepts", {"namespace": "local", "name": "demo"}),
    ("POST", f"{CONCEPT_URL}/examples", {"examples": [{"text": "hi", "label": True}]}),
    ("POST", f"{CONCEPT_URL}/examples/remove", {"ids": ["x"]}),
    ("POST", f"{CONCEPT_URL}/train", {"embedding": "minilm"}),
    ("DELETE", CONCEPT_URL, None),
    (
        "POST",
        "/api/v1/experiments",
        {"dataset": "local/seed", "input_column": "instruction", "models": ["fake"]},
    ),
]


def _api_operations() -> set[tuple[str, str]]:
    """(METHOD, path template) of every /api operation, as the OpenAPI spec lists them."""
    spec = create_app(static_dir=None).openapi()
    return {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if path.startswith("/api/")
    }


def _template(path: str) -> str:
    return (
        path.replace(DATASET_URL, "/api/v1/datasets/{namespace}/{name}")
        .replace(CONCEPT_URL, "/api/v1/concepts/{namespace}/{name}")
        .replace("/jobs/abc/", "/jobs/{job_id}/")
        .replace("/columns/name__pii", "/columns/{column}")
    )


def test_every_route_is_classified_as_read_or_write() -> None:
    writes = {(method, _template(path)) for method, path, _ in WRITE_REQUESTS}
    assert not writes & READ_ROUTES
    assert _api_operations() == READ_ROUTES | writes, "classify new routes as read or write"


def test_read_only_refuses_every_write_route(make_client: MakeClient, seed_dataset: None) -> None:
    client = make_client(read_only=True)
    for method, path, body in WRITE_REQUESTS:
        response = client.request(method, path, json=body)
        assert_error(response, 403, "read_only")
    # Nothing changed, and reads still work.
    assert client.get("/api/v1/health").json()["read_only"] is True
    assert client.get(DATASET_URL).json()["labels"] == []
    assert client.post(f"{DATASET_URL}/count", json={}).json()["count"] == SEED_ROWS
    assert client.post(f"{DATASET_URL}/select_rows", json={"limit": 1}).status_code == 200
    assert client.get(f"{DATASET_URL}/export").status_code == 200
    assert client.get("/api/v1/jobs").status_code == 200
    assert [job["kind"] for job in client.get("/api/v1/jobs").json()["jobs"]] == ["load"]
    assert client.get("/api/v1/concepts", params={"namespace": "local"}).json()["concepts"] == []
    assert client.get("/api/v1/concepts/gristmill/profanity").status_code == 200


def test_token_is_required_on_every_api_route(make_client: MakeClient, seed_dataset: None) -> None:
    client = make_client(auth_token="s3cret-token")
    for method, template in _api_operations():
        path = template.format(namespace="local", name="seed", job_id="x", column="x", facet="x")
        assert_error(client.request(method, path), 401, "unauthorized")
    wrong = client.get("/api/v1/datasets", headers={"Authorization": "Bearer s3cret-tokeN"})
    assert_error(wrong, 401, "unauthorized")
    assert wrong.headers["www-authenticate"] == "Bearer"
    basic = client.get("/api/v1/datasets", headers={"Authorization": "Basic s3cret-token"})
    assert_error(basic, 401, "unauthorized")
    good = client.get("/api/v1/datasets", headers={"Authorization": "Bearer s3cret-token"})
    assert good.status_code == 200
    assert good.json()["datasets"][0]["name"] == "seed"


def test_without_a_token_configured_no_header_is_needed(client: TestClient) -> None:
    assert client.get("/api/v1/health").status_code == 200


def test_unknown_routes_and_methods_use_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/api/v1/nothing"), 404, "not_found")
    assert_error(client.get("/elsewhere"), 404, "not_found")
    assert_error(client.put("/api/v1/datasets"), 405, "method_not_allowed")


def test_unexpected_errors_are_500_without_internals(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(ServerSettings(), static_dir=None)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    client = TestClient(app, base_url=LOCAL_URL, raise_server_exceptions=False)
    error = assert_error(client.get("/api/v1/boom"), 500, "internal_error")
    assert "secret" not in str(error)
    assert "secret internal detail" in caplog.text


def test_service_info_at_root_without_a_ui(client: TestClient) -> None:
    body = client.get("/").json()
    assert body["api"] == "/api/v1" and body["docs"] == "/docs"


def test_errors_never_name_the_servers_folders(project_dir: Path, tmp_path: Path) -> None:
    upload = project_dir / ".uploads" / ("a" * 32) / "rows.jsonl"
    data = tmp_path / "corpora"
    app = create_app(ServerSettings(data_dirs={"corpora": data}), static_dir=None)

    @app.get("/api/v1/leaky")
    def leaky() -> None:
        raise InvalidInputError(
            f"cannot read '{upload}', '{data}/a.csv' or '{project_dir}/datasets/x'",
            hint=f"relative paths start from {os.getcwd()}; see {Path.home()}/notes",
        )

    error = assert_error(
        TestClient(app, base_url=LOCAL_URL).get("/api/v1/leaky"), 400, "invalid_input"
    )
    assert error == {
        "code": "invalid_input",
        "message": "cannot read 'rows.jsonl', 'corpora/a.csv' or '<project>/datasets/x'",
        "hint": "relative paths start from .; see ~/notes",
    }


def test_jobs_never_show_the_servers_folders(client: TestClient, project_dir: Path) -> None:
    from gristmill.jobs import start_job

    # A CLI load names its file as typed there; a bug's traceback names the source files.
    params = {"source": {"filepaths": [f"{os.getcwd()}/data/train.jsonl"]}}
    job = start_job("load", description="load", params=params, show_progress=False)
    job.fail(RuntimeError(f"broke on {project_dir}/datasets/local/x"))
    for info in (
        client.get(f"/api/v1/jobs/{job.id}").json(),
        client.get("/api/v1/jobs").json()["jobs"][0],
    ):
        assert info["params"] == {"source": {"filepaths": ["./data/train.jsonl"]}}
        assert info["error"].startswith("RuntimeError: broke on <project>/datasets/local/x")
        for private in (str(project_dir), os.getcwd()):
            assert private not in json.dumps(info)
