"""The ``clio`` commands: the static site of conversation insights (write one, serve one).

A password never comes on the command line (the shell's history and ``ps`` would show it): it
is read from an environment variable (``--password-env``) or asked for (``--ask-password``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._errors import handle_errors
from gristmill.errors import InvalidInputError, missing_dependency

clio_app = typer.Typer(
    help="Conversation insights (OpenClio): the static site of a run.", no_args_is_help=True
)
app.add_typer(clio_app, name="clio")

SITE_PORT = 8421


@clio_app.command("site-from-json")
@handle_errors
def site_from_json(
    data: Annotated[Path, typer.Argument(help="A JSON file of site data (docs/clio-site.md).")],
    out_dir: Annotated[Path, typer.Argument(help="The folder to write (empty, or a site).")],
    password_env: Annotated[
        str | None,
        typer.Option(
            "--password-env",
            help="Encrypt the site with the password held in this environment variable.",
            show_default=False,
        ),
    ] = None,
    ask_password: Annotated[
        bool, typer.Option("--ask-password", help="Encrypt the site with a password typed in.")
    ] = False,
    max_file_mb: Annotated[
        float, typer.Option(help="Largest data file, in MiB (the data is split in chunks).")
    ] = 10.0,
) -> None:
    """Write a static site (index.html, the viewer, chunked gzip JSON) from a site-data file."""
    password = _password(password_env, ask_password)
    try:
        # Imported here: the site pulls in the server's guards (FastAPI), off CLI startup.
        from gristmill.site import read_site_data, write_site
    except ImportError as exc:
        raise missing_dependency(exc.name or "cryptography", "clio", "the site") from None
    info = write_site(
        read_site_data(data),
        out_dir,
        password=password,
        max_file_bytes=int(max_file_mb * 2**20),
    )
    locked = ", encrypted" if info.encrypted else ""
    typer.echo(
        f"Wrote {info.conversations} conversations to {info.out_dir} ({info.data_files} data"
        f" files, {info.total_bytes / 2**20:.1f} MiB{locked}); open it with"
        f" `gristmill clio serve-site {info.out_dir}`"
    )


@clio_app.command("serve-site")
@handle_errors
def serve_site(
    out_dir: Annotated[Path, typer.Argument(help="A folder written by site-from-json.")],
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = SITE_PORT,
    host: Annotated[
        str, typer.Option(help="Address to listen on (the loopback one by default).")
    ] = "127.0.0.1",
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Another host name clients reach the site by (repeatable).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve a written site until Ctrl-C, answering only its loopback and allowed host names."""
    try:
        # Imported here: uvicorn and the server's guards stay off CLI startup.
        from gristmill.site import serve_site as serve
    except ImportError as exc:
        raise missing_dependency(exc.name or "uvicorn", "server", "serve-site") from None
    serve(out_dir, port=port, host=host, allowed_hosts=allowed_host or [])


def _password(variable: str | None, ask: bool) -> str | None:
    if variable is not None and ask:
        raise InvalidInputError(
            "--password-env and --ask-password both give a password", hint="use one of them"
        )
    if variable is not None:
        value = os.environ.get(variable)
        if not value:
            raise InvalidInputError(
                f"the environment variable {variable} is not set (or empty)",
                hint=f"export {variable}=... first, or use --ask-password",
            )
        return value
    if ask:
        answer: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return answer
    return None
