"""The Host check (DNS rebinding) and the serve flags that configure the server's guards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from gristmill.errors import InvalidInputError
from gristmill.server import ServerHandle, ServerSettings, start_server
from gristmill.server._browser_guards import allowed_host_names, host_name, is_allowed_host
from tests.server.conftest import assert_error


@pytest.fixture
def server(project_dir: Path) -> Iterator[ServerHandle]:
    with start_server(port=0) as handle:
        yield handle


def get(server: ServerHandle, path: str, host: str) -> httpx.Response:
    # Connects to the server's own address while the Host header names another: what a page
    # whose DNS name was rebound to 127.0.0.1 makes its visitor's browser send.
    return httpx.get(f"{server.url}{path}", headers={"Host": host}, trust_env=False)


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/datasets", "/", "/docs"])
def test_another_host_name_is_refused_everywhere(server: ServerHandle, path: str) -> None:
    for host in (f"attacker.example:{server.port}", "attacker.example", "127.0.0.1.nip.io"):
        error = assert_error(get(server, path, host), 421, "host_not_allowed")
        assert "--allowed-host" in str(error["hint"])


def test_refused_before_any_write(server: ServerHandle, project_dir: Path) -> None:
    body = {"namespace": "local", "name": "x", "path": "/etc/passwd", "format": "csv"}
    response = httpx.post(
        f"{server.url}/api/v1/datasets",
        json=body,
        headers={"Host": f"attacker.example:{server.port}"},
        trust_env=False,
    )
    assert_error(response, 421, "host_not_allowed")


def test_the_loopback_names_are_answered(server: ServerHandle) -> None:
    port = server.port
    for host in (
        f"127.0.0.1:{port}",
        f"localhost:{port}",
        f"[::1]:{port}",
        "LOCALHOST",
        "127.0.0.2",
    ):
        assert get(server, "/api/v1/health", host).status_code == 200, host


def test_allowed_host_admits_another_name(project_dir: Path) -> None:
    with start_server(port=0, allowed_hosts=["gristmill.lan", "10.0.0.7"]) as server:
        for host in (f"gristmill.lan:{server.port}", "GRISTMILL.LAN", "10.0.0.7:80"):
            assert get(server, "/api/v1/health", host).status_code == 200, host
        assert_error(get(server, "/api/v1/health", "other.lan"), 421, "host_not_allowed")


def test_malformed_host_headers_are_refused() -> None:
    names = allowed_host_names(ServerSettings())
    for header in (None, "", "localhost:abc", "local host", "user@localhost", "[::1", "[x]:1"):
        assert not is_allowed_host(header, names), header


def test_a_public_bind_answers_its_own_name_and_the_allowed_ones() -> None:
    settings = ServerSettings(host="192.168.1.5", auth_token="t", allowed_hosts=("box.lan",))
    assert allowed_host_names(settings) == {"localhost", "192.168.1.5", "box.lan"}
    # A wildcard address is not a name anyone reaches the server by.
    assert allowed_host_names(ServerSettings(host="0.0.0.0", auth_token="t")) == {"localhost"}
    assert allowed_host_names(ServerSettings(host="::", auth_token="t")) == {"localhost"}


def test_host_names_are_read_without_port_case_or_brackets() -> None:
    assert host_name("LocalHost:5480") == "localhost"
    assert host_name("[::1]:5480") == "::1"
    assert host_name("::1") == "::1"
    assert host_name("example.com.") == "example.com"
    assert host_name("bad/name") is None


def test_an_allowed_host_that_is_not_a_name_stops_the_start(project_dir: Path) -> None:
    with pytest.raises(InvalidInputError, match="is not a host name or address"):
        start_server(port=0, allowed_hosts=["http://x/"])


def test_cli_serve_passes_data_dirs_and_allowed_hosts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gristmill.server
    from gristmill.cli._app import app

    calls: list[dict[str, Any]] = []

    def serve_forever(host: str, port: int, **options: Any) -> None:
        calls.append({"host": host, "port": port, **options})

    monkeypatch.setattr(gristmill.server, "serve_forever", serve_forever)
    args = ["serve", "--no-browser", "--data-dir", "A", "--data-dir", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--allowed-host", "h.lan"])
    assert result.exit_code == 0, result.output
    assert calls[0]["data_dirs"] == ["A", str(tmp_path)]
    assert calls[0]["allowed_hosts"] == ["h.lan"]
    result = CliRunner().invoke(app, ["serve", "--no-browser"])
    assert calls[1]["data_dirs"] == [] and calls[1]["allowed_hosts"] == []


def test_cli_serve_refuses_a_missing_data_dir_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from gristmill.cli._app import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["serve", "--no-browser", "--data-dir", "missing"])
    assert result.exit_code == 2
    assert "the data folder 'missing' does not exist or is not a folder" in result.output
    assert "Traceback" not in result.output
