"""Fixtures for the REST server tests: an in-process client on a project with real rows."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from gristmill.server import ServerSettings, create_app
from tests.fixtures import CLASSIFICATION_TASKS, TASK_ROWS, TASKS

# local/seed: the instruction tasks of tests/fixtures/tasks.jsonl.
SEED_ROWS = TASK_ROWS
CLASSIFICATION_ROWS = CLASSIFICATION_TASKS  # rows with is_classification = true
DATASET_URL = "/api/v1/datasets/local/seed"
# The in-process client calls the app by a loopback name, as a browser on this machine does; the
# server answers no other Host unless told to (see test_host_check.py).
LOCAL_URL = "http://127.0.0.1:5480"
# What the web UI sends with every request; uploads need it (see test_cross_site.py).
UI_HEADERS = {"X-Gristmill-Request": "1"}


@pytest.fixture
def seed_path() -> Path:
    return TASKS


@pytest.fixture
def seed_dataset(seed_path: Path) -> None:
    import gristmill as gm

    gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="seed", source=gm.JSONSource(filepaths=[str(seed_path)])
        ),
        show_progress=False,
    )


MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    clients: list[TestClient] = []

    def make(**settings: object) -> TestClient:
        app = create_app(ServerSettings(**settings), static_dir=None)  # type: ignore[arg-type]
        client = TestClient(app, base_url=LOCAL_URL)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def wait_for_job(client: httpx.Client, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """Poll GET /jobs/{id} until the job finishes; return its last state."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] not in ("pending", "running"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} did not finish: {job}")
        time.sleep(0.05)


def assert_error(response: Any, status: int, code: str) -> dict[str, object]:
    """The response is an error in the API's one shape, with this status and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert set(error) == {"code", "message", "hint"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


FAKE_EMBEDDING = "fake_words"


@pytest.fixture
def fake_embedding() -> Iterator[str]:
    """A fast registered embedding, so enrichment tests need no real model."""
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(FAKE_EMBEDDING, FakeEmbedding(), replace=True)
    yield FAKE_EMBEDDING
    unregister_embedding(FAKE_EMBEDDING)


def start_and_finish(client: TestClient, url: str, body: dict[str, Any]) -> dict[str, object]:
    """POST an enrichment, check the 202 answer, wait for its job and return the job."""
    response = client.post(url, json=body)
    assert response.status_code == 202, response.text
    started = response.json()
    assert isinstance(started["job_id"], str), started
    job = wait_for_job(client, started["job_id"], timeout=120.0)
    assert job["status"] == "completed", job
    return job
