"""The server as it really runs: a uvicorn thread on a free port, its guards, and live events."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from typer.testing import CliRunner

import gristmill as gm
from gristmill.errors import InvalidInputError
from gristmill.jobs import start_job
from gristmill.server import ServerHandle, start_server


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    handle = start_server(port=0)
    yield handle
    handle.stop()


def test_start_server_in_a_thread_answers_health(capsys: pytest.CaptureFixture[str]) -> None:
    server = start_server(port=0)
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.url in capsys.readouterr().out
    response = httpx.get(f"{server.url}/api/v1/health", trust_env=False)
    assert response.json()["status"] == "ok"
    server.stop()
    assert not server.running


def test_top_level_start_server_is_the_same_function() -> None:
    assert gm.start_server is start_server


def test_refuses_a_public_host_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRISTMILL_AUTH_TOKEN", raising=False)
    with pytest.raises(InvalidInputError, match="without an auth token") as caught:
        start_server(host="0.0.0.0", port=0)
    assert caught.value.hint is not None and "--auth-token" in caught.value.hint


def test_public_host_with_a_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRISTMILL_AUTH_TOKEN", "env-token")
    with start_server(host="0.0.0.0", port=0) as handle:
        url = f"http://127.0.0.1:{handle.port}/api/v1/health"
        assert httpx.get(url, trust_env=False).status_code == 401
        headers = {"Authorization": "Bearer env-token"}
        assert httpx.get(url, headers=headers, trust_env=False).status_code == 200


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InvalidInputError, match=f"port {port} on 127.0.0.1 is already in use"):
            start_server(port=port)


def test_job_events_stream_a_job_update(server: ServerHandle) -> None:
    with httpx.stream(
        "GET", f"{server.url}/api/v1/jobs/events", timeout=10, trust_env=False
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        job = start_job("map", description="streamed", dataset="local/x", show_progress=False)
        job.complete("done")
        seen = []
        event = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "job":
                info = json.loads(line.removeprefix("data: "))
                seen.append((info["id"], info["status"]))
                if info["id"] == job.id and info["status"] == "completed":
                    break
        assert (job.id, "completed") in seen


def test_cli_serve_refuses_a_public_host_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from gristmill.cli._app import app

    monkeypatch.delenv("GRISTMILL_AUTH_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "without an auth token" in result.output
