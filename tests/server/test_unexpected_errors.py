"""A bug in a route is a JSON 500 in the one error shape, and the connection stays usable."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from gristmill.server._app import create_app
from gristmill.server._settings import ServerSettings


@pytest.fixture
def buggy_server() -> Iterator[int]:
    app = create_app(ServerSettings(), static_dir=None)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("a bug in a route, with /secret/path in its message")

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="critical", access_log=False, log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(10)


def _exchange(conn: socket.socket, path: str) -> bytes:
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data  # the server closed the connection
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_a_bug_answers_500_and_the_next_request_on_the_connection_is_answered(
    buggy_server: int,
) -> None:
    with socket.create_connection(("127.0.0.1", buggy_server), timeout=10) as conn:
        first = _exchange(conn, "/api/v1/boom")
        assert first.startswith(b"HTTP/1.1 500")
        assert b'"code":"internal_error"' in first
        assert b"/secret/path" not in first
        # On the same keep-alive connection: starlette re-raised the bug and uvicorn closed it.
        second = _exchange(conn, "/api/v1/health")
        assert second.startswith(b"HTTP/1.1 200"), second[:200]
