"""The Typer application: global options and the entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gristmill.project import set_project_dir

app = typer.Typer(
    name="gristmill",
    help="Gristmill: load, explore, enrich, curate and export LLM datasets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _options(
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            envvar="GRISTMILL_PROJECT_DIR",
            help="Project folder (default: ./gristmill_project).",
        ),
    ] = None,
) -> None:
    if project is not None:
        set_project_dir(project)


def _register_commands() -> None:
    # Importing the command modules attaches their commands to `app`. Run once `app` exists, since
    # each of them imports `app` from this module (a real cycle: _app <-> the command modules).
    from gristmill.cli import (  # noqa: F401
        _classify,
        _clio,
        _cluster,
        _datasets,
        _demo,
        _enrich,
        _eval,
        _projection,
        _serve,
    )


_register_commands()


def main() -> None:
    app()
