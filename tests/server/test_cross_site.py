"""Cross-site requests change nothing, and a refused or failed upload leaves nothing behind.

Through the real HTTP server, with the headers a browser sends for a page of another site.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

import gristmill as gm
from gristmill.server import ServerHandle, start_server
from gristmill.server._browser_guards import CrossSiteCheck
from gristmill.server._uploads import UploadFolder
from tests.server.conftest import UI_HEADERS, assert_error, wait_for_job

ROWS = b'{"text": "a"}\n{"text": "b"}\n'
EVIL = "http://evil.example"


@pytest.fixture
def server(project_dir: Path) -> Iterator[ServerHandle]:
    with start_server(port=0) as handle:
        yield handle


@pytest.fixture
def http(server: ServerHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, trust_env=False) as client:
        yield client


@pytest.fixture
def dataset(project_dir: Path, tmp_path: Path) -> str:
    """local/kept, made in-process; its URL."""
    rows = tmp_path / "rows.jsonl"
    rows.write_bytes(ROWS)
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="kept", source=gm.JSONSource(filepaths=[rows])),
        show_progress=False,
    )
    return "/api/v1/datasets/local/kept"


def upload(
    http: httpx.Client,
    headers: dict[str, str],
    *,
    fields: dict[str, str] | None = None,
    content: bytes = ROWS,
    filename: str = "rows.jsonl",
) -> httpx.Response:
    return http.post(
        "/api/v1/datasets/upload",
        data={"namespace": "local", "name": "up", "overwrite": "true", **(fields or {})},
        files={"file": (filename, content, "application/x-ndjson")},
        headers=headers,
    )


def uploads_left(project_dir: Path) -> list[str]:
    root = project_dir / ".uploads"
    return sorted(entry.name for entry in root.iterdir()) if root.exists() else []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},  # a <form> on another site, in any browser that sends Origin
        {"Origin": EVIL, "Sec-Fetch-Site": "cross-site", **UI_HEADERS},
        {"Sec-Fetch-Site": "same-site", **UI_HEADERS},  # another port of localhost, say
        {"Origin": "http://localhost:3000", **UI_HEADERS},
        {"Origin": "null", **UI_HEADERS},  # a sandboxed frame or a file: page
        {},  # an old browser: neither Origin nor Sec-Fetch-Site, and no custom header
    ],
    ids=["origin", "fetch-site", "same-site", "other-port", "null-origin", "no-header"],
)
def test_a_cross_site_upload_is_refused_and_leaves_nothing(
    http: httpx.Client, project_dir: Path, headers: dict[str, str]
) -> None:
    assert_error(upload(http, headers), 403, "cross_site_request")
    assert uploads_left(project_dir) == []
    assert http.get("/api/v1/datasets").json() == {"datasets": []}


def test_the_ui_upload_loads_and_names_only_the_uploaded_file(
    http: httpx.Client, server: ServerHandle, project_dir: Path
) -> None:
    headers = {"Origin": server.url, "Sec-Fetch-Site": "same-origin", **UI_HEADERS}
    response = upload(http, headers)
    assert response.status_code == 202, response.text
    job = wait_for_job(http, response.json()["job_id"])
    assert job["status"] == "completed", job
    assert job["params"]["source"]["filepaths"] == ["rows.jsonl"]
    manifest = http.get("/api/v1/datasets/local/up").json()
    assert manifest["source"]["filepaths"] == ["rows.jsonl"]
    # The folder goes when the load's worker ends, just after the job is marked completed.
    deadline = time.monotonic() + 10
    while uploads_left(project_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uploads_left(project_dir) == []


@pytest.mark.parametrize(
    ("fields", "content", "filename", "status", "code"),
    [
        ({}, b'{"text": "a"}\n{not json\n', "bad.jsonl", 400, "invalid_source"),
        ({}, b"", "empty.jsonl", 400, "invalid_source"),
        ({"name": "../escape"}, ROWS, "rows.jsonl", 400, "invalid_name"),
        ({}, ROWS, "notes.txt", 400, "invalid_input"),
        ({"overwrite": "false"}, ROWS, "rows.jsonl", 409, "already_exists"),
    ],
    ids=["malformed", "empty", "bad-name", "unknown-format", "name-taken"],
)
def test_a_failed_upload_leaves_nothing_and_names_only_the_file(
    http: httpx.Client,
    project_dir: Path,
    dataset: str,
    fields: dict[str, str],
    content: bytes,
    filename: str,
    status: int,
    code: str,
) -> None:
    fields = {"name": "kept", **fields}
    response = upload(http, UI_HEADERS, fields=fields, content=content, filename=filename)
    error = assert_error(response, status, code)
    if code == "invalid_source":
        assert filename in str(error["message"])
    assert ".uploads" not in response.text
    assert str(project_dir) not in response.text
    assert uploads_left(project_dir) == []


def test_another_origin_cannot_change_or_delete(
    http: httpx.Client, server: ServerHandle, dataset: str
) -> None:
    label = {"name": "good", "row_ids": [0]}
    for headers in ({"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        refused = http.post(f"{dataset}/labels", json=label, headers=headers)
        assert_error(refused, 403, "cross_site_request")
        assert_error(http.delete(dataset, headers=headers), 403, "cross_site_request")
    assert http.get(dataset).json()["labels"] == []
    # The UI's own origin, and scripts that send no Origin at all, go through.
    same = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
    assert http.post(f"{dataset}/labels", json=label, headers=same).is_success
    assert http.get(dataset).json()["labels"] == ["good"]
    assert http.delete(dataset).status_code == 204


def test_a_form_post_cannot_cancel_a_job(http: httpx.Client) -> None:
    from gristmill.jobs import start_job

    # Cancelling takes no body, so a plain cross-site <form method=post> could do it.
    job = start_job("map", description="long", dataset="local/x", show_progress=False)
    url = f"/api/v1/jobs/{job.id}/cancel"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for headers in ({**form, "Origin": EVIL}, form, {"Content-Type": "text/plain"}):
        assert_error(http.post(url, content=b"", headers=headers), 403, "cross_site_request")
    assert http.get(f"/api/v1/jobs/{job.id}").json()["status"] == "running"
    assert http.post(url).status_code == 200
    job.complete("done")


def test_a_refused_request_is_answered_before_its_body_is_read() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("a refused request reached the app")

    async def receive() -> Message:
        raise AssertionError("the body of a refused request was read")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/datasets/upload",
        "headers": [
            (b"host", b"127.0.0.1:5480"),
            (b"origin", EVIL.encode()),
            (b"content-type", b"multipart/form-data; boundary=x"),
            (b"content-length", b"536870912"),
        ],
    }
    anyio.run(CrossSiteCheck(app), scope, receive, send)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 403


def test_a_starting_server_removes_dead_uploads_and_keeps_live_ones(project_dir: Path) -> None:
    stale = project_dir / ".uploads" / ("0" * 32)
    stale.mkdir(parents=True)
    (stale / "big.jsonl").write_bytes(ROWS)
    (project_dir / ".uploads" / f"{'1' * 32}.lock").touch()  # a crash between lock and folder
    live = UploadFolder()  # the upload of another server, still loading
    with start_server(port=0):
        assert uploads_left(project_dir) == sorted([live.id, f"{live.id}.lock"])
    live.remove()
    assert uploads_left(project_dir) == []
