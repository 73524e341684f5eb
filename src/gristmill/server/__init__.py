"""Gristmill's REST server (FastAPI) and the web UI it serves.

::

    handle = gm.start_server()          # http://127.0.0.1:5480, in a background thread
    ...
    handle.stop()

``gristmill serve`` runs the same server in the foreground. ``create_app`` builds the ASGI app
for tests and embedding; ``python -m gristmill.server.openapi`` regenerates docs/openapi.json.
"""

from __future__ import annotations

from gristmill.server._app import create_app
from gristmill.server._browser_guards import HostCheck
from gristmill.server._runner import (
    ServerHandle,
    bind_socket,
    serve_forever,
    server_url,
    start_server,
)
from gristmill.server._settings import DEFAULT_HOST, DEFAULT_PORT, ServerSettings

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "HostCheck",
    "ServerHandle",
    "ServerSettings",
    "bind_socket",
    "create_app",
    "serve_forever",
    "server_url",
    "start_server",
]
