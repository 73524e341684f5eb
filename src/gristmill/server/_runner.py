"""Running the server: in a background thread of this process, or in the foreground (CLI).

The socket is bound before uvicorn starts, so a port in use fails at once with a clear error
(and ``port=0`` picks a free port whose number the handle reports).
"""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass, field

import uvicorn

from gristmill.errors import GristmillError, InvalidInputError
from gristmill.server._app import create_app
from gristmill.server._browser_guards import host_name
from gristmill.server._data_dirs import resolve_data_dirs
from gristmill.server._settings import (
    AUTH_TOKEN_ENV,
    DEFAULT_HOST,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_PORT,
    ServerSettings,
    is_loopback,
    token_from_env,
)

STARTUP_TIMEOUT_S = 20.0
SHUTDOWN_GRACE_S = 2


@dataclass
class ServerHandle:
    """A server running in a background thread: ``url``, and ``stop()`` to end it."""

    url: str
    host: str
    port: int
    settings: ServerSettings
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _stopping: threading.Event = field(repr=False)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread to end (open event streams are closed)."""
        self._stopping.set()
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def server_settings(
    host: str,
    port: int,
    *,
    read_only: bool,
    auth_token: str | None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    data_dirs: Sequence[str | os.PathLike[str]] = (),
    allowed_hosts: Sequence[str] = (),
) -> ServerSettings:
    """Checked settings: a public host needs a token; data folders and hosts must be valid."""
    token = token_from_env(auth_token)
    if not is_loopback(host) and token is None:
        raise InvalidInputError(
            f"refusing to serve on {host} without an auth token: anyone on the network could"
            " read and change your datasets",
            hint=f"pass --auth-token (or set {AUTH_TOKEN_ENV}), or bind to 127.0.0.1",
        )
    if not 0 <= port <= 65535:
        raise InvalidInputError(f"port must be 0-65535, got {port}", hint=f"e.g. {DEFAULT_PORT}")
    # One folder or host given as a plain string is one, not a sequence of characters.
    if isinstance(data_dirs, str | os.PathLike):
        data_dirs = [data_dirs]
    if isinstance(allowed_hosts, str):
        allowed_hosts = [allowed_hosts]
    for allowed in allowed_hosts:
        if host_name(allowed) is None:
            raise InvalidInputError(
                f"--allowed-host {allowed!r} is not a host name or address",
                hint="pass the name clients put in the URL, e.g. --allowed-host gristmill.lan",
            )
    return ServerSettings(
        host=host,
        port=port,
        read_only=read_only,
        auth_token=token,
        max_upload_bytes=max_upload_bytes,
        data_dirs=resolve_data_dirs(data_dirs),
        allowed_hosts=tuple(allowed_hosts),
    )


def start_server(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    read_only: bool = False,
    auth_token: str | None = None,
    open_browser: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    data_dirs: Sequence[str | os.PathLike[str]] = (),
    allowed_hosts: Sequence[str] = (),
) -> ServerHandle:
    """Serve the API and UI from a background thread of this process; returns once it answers.

    Sharing the process means sharing its caches and open datasets with your notebook.
    Clients may load files by path only inside ``data_dirs`` (none by default: they upload);
    the server answers the loopback host names, ``host``, and ``allowed_hosts``.
    """
    settings = server_settings(
        host,
        port,
        read_only=read_only,
        auth_token=auth_token,
        max_upload_bytes=max_upload_bytes,
        data_dirs=data_dirs,
        allowed_hosts=allowed_hosts,
    )
    sock = bind_socket(host, port)
    server, stopping = _uvicorn_server(settings)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="gristmill-server", daemon=True
    )
    thread.start()
    bound_port = sock.getsockname()[1]
    handle = ServerHandle(
        url=server_url(host, bound_port),
        host=host,
        port=bound_port,
        settings=settings,
        _server=server,
        _thread=thread,
        _stopping=stopping,
    )
    _wait_until_answering(handle)
    print(f"Gristmill is serving at {handle.url}")
    if open_browser:
        webbrowser.open(handle.url)
    return handle


def serve_forever(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    read_only: bool = False,
    auth_token: str | None = None,
    open_browser: bool = True,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    data_dirs: Sequence[str | os.PathLike[str]] = (),
    allowed_hosts: Sequence[str] = (),
) -> None:
    """Serve in the foreground until Ctrl-C (``gristmill serve``); see ``start_server``."""
    settings = server_settings(
        host,
        port,
        read_only=read_only,
        auth_token=auth_token,
        max_upload_bytes=max_upload_bytes,
        data_dirs=data_dirs,
        allowed_hosts=allowed_hosts,
    )
    sock = bind_socket(host, port)
    server, _ = _uvicorn_server(settings, own_logging=True)
    url = server_url(host, sock.getsockname()[1])

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            print(f"Gristmill is serving at {url} (Ctrl-C stops it)", flush=True)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])


def bind_socket(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InvalidInputError(
            f"cannot resolve the host {host!r}: {exc.strerror}", hint="use e.g. 127.0.0.1"
        ) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InvalidInputError(
                f"port {port} on {host} is already in use (another Gristmill server?)",
                hint=f"stop the other server, or pass another port, e.g. --port {port + 1}",
            ) from None
        raise InvalidInputError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="choose another host or port",
        ) from None
    return sock


def server_url(host: str, port: int) -> str:
    # A wildcard address is not something a browser can open; the loopback one works locally.
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _uvicorn_server(
    settings: ServerSettings, *, own_logging: bool = False
) -> tuple[uvicorn.Server, threading.Event]:
    app = create_app(settings)
    # uvicorn's default log_config runs logging.config.dictConfig, which closes every handler
    # the host process has (a notebook's, a test runner's). Inside someone else's process we
    # leave logging alone; only the foreground `gristmill serve` owns the process and its logs.
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
        log_config=uvicorn.config.LOGGING_CONFIG if own_logging else None,
    )
    stopping: threading.Event = app.state.stopping
    return uvicorn.Server(config), stopping


def _wait_until_answering(handle: ServerHandle) -> None:
    import httpx

    headers = {}
    if handle.settings.auth_token:
        headers["Authorization"] = f"Bearer {handle.settings.auth_token}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not handle.running:
            raise GristmillError(
                f"the server on {handle.url} stopped while starting",
                hint="see the log above for the reason",
            )
        try:
            # trust_env=False: a proxy from the environment must not intercept a local call.
            response = httpx.get(
                f"{handle.url}/api/v1/health", headers=headers, timeout=1.0, trust_env=False
            )
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    handle.stop()
    raise GristmillError(
        f"the server on {handle.url} did not answer within {STARTUP_TIMEOUT_S:.0f} s",
        hint="check that nothing blocks the port, and see the log",
    )
