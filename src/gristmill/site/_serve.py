"""Serving a written site over HTTP, by the server's rules: loopback by default, ``Host`` checked.

A static site needs no API, so this is a plain file server; it answers only the ``Host`` names
Gristmill's server answers (the same middleware), which stops a DNS-rebinding page from reading
the site through a visitor's browser. The site's files are read-only, so there is nothing for a
cross-site request to change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gristmill.errors import GristmillError, InvalidInputError
from gristmill.server import HostCheck, ServerSettings, bind_socket, server_url
from gristmill.site._write import MANIFEST

DEFAULT_SITE_PORT = 8421
DEFAULT_SITE_HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 20.0
# The viewer loads only its own files; data files are fetched from the same origin.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
        b" img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-cache"),
]


@dataclass
class SiteServer:
    """A site served from a background thread: ``url``, and ``stop()`` to end it."""

    url: str
    port: int
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> SiteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def site_app(
    out_dir: str | Path, *, host: str = DEFAULT_SITE_HOST, allowed_hosts: Sequence[str] = ()
) -> ASGIApp:
    """The ASGI app serving the site in ``out_dir`` (for tests and embedding)."""
    folder = Path(out_dir)
    if not (folder / MANIFEST).is_file():
        raise InvalidInputError(
            f"{folder} holds no site (no {MANIFEST})",
            hint="write one first: gristmill clio site-from-json DATA.json OUT_DIR",
        )
    files = Starlette(routes=[])
    files.mount("/", StaticFiles(directory=folder, html=True))
    settings = ServerSettings(host=host, allowed_hosts=tuple(allowed_hosts))
    return HostCheck(_SecurityHeaders(files), settings=settings)


def start_site_server(
    out_dir: str | Path,
    port: int = DEFAULT_SITE_PORT,
    host: str = DEFAULT_SITE_HOST,
    *,
    allowed_hosts: Sequence[str] = (),
) -> SiteServer:
    """Serve the site from a background thread; returns once it answers (``port=0``: any)."""
    app = site_app(out_dir, host=host, allowed_hosts=allowed_hosts)
    sock = bind_socket(host, port)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, log_config=None)
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="gristmill-site", daemon=True
    )
    thread.start()
    bound = sock.getsockname()[1]
    handle = SiteServer(url=server_url(host, bound), port=bound, _server=server, _thread=thread)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            handle.stop()
            raise GristmillError(
                f"the site server on {handle.url} did not start", hint="see the log above"
            )
        time.sleep(0.02)
    return handle


def serve_site(
    out_dir: str | Path,
    port: int = DEFAULT_SITE_PORT,
    host: str = DEFAULT_SITE_HOST,
    *,
    allowed_hosts: Sequence[str] = (),
) -> None:
    """Serve the site in the foreground until Ctrl-C (``gristmill clio serve-site``)."""
    app = site_app(out_dir, host=host, allowed_hosts=allowed_hosts)
    sock = bind_socket(host, port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    url = server_url(host, sock.getsockname()[1])
    print(f"Serving the site in {out_dir} at {url} (Ctrl-C stops it)", flush=True)
    server.run(sockets=[sock])


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
