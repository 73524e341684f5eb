"""``gristmill serve``: the REST API and web UI in the foreground (Ctrl-C stops it)."""

from __future__ import annotations

from typing import Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._errors import handle_errors
from gristmill.errors import missing_dependency


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; other than 127.0.0.1 needs --auth-token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 5480,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Serve without any write route (they answer 403).")
    ] = False,
    auth_token: Annotated[
        str | None,
        typer.Option(
            envvar="GRISTMILL_AUTH_TOKEN",
            help="Require 'Authorization: Bearer TOKEN' on every API request.",
            show_default=False,
        ),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser tab.")
    ] = False,
    max_upload_mb: Annotated[int, typer.Option(help="Largest accepted upload, in MiB.")] = 512,
    data_dir: Annotated[
        list[str] | None,
        typer.Option(
            "--data-dir",
            help="A folder whose files clients may load by path (repeatable). Without one,"
            " clients can only upload files.",
            show_default=False,
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Another host name clients reach the server by (repeatable); the loopback"
            " names and --host are always answered.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the REST API (/api/v1, docs at /docs) and the web UI, printing the URL."""
    try:
        # Imported here: FastAPI and uvicorn stay off CLI startup, and may not be installed.
        from gristmill.server import serve_forever
    except ImportError as exc:
        raise missing_dependency(exc.name or "fastapi", "server", "gristmill serve") from None
    serve_forever(
        host,
        port,
        read_only=read_only,
        auth_token=auth_token,
        open_browser=not no_browser,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        data_dirs=data_dir or [],
        allowed_hosts=allowed_host or [],
    )
