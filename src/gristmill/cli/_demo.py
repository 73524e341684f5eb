"""``gristmill demo``: the main job on the embedded sample."""

from __future__ import annotations

import typer

from gristmill.cli._app import app
from gristmill.cli._errors import handle_errors


@app.command()
@handle_errors
def demo() -> None:
    """Load the shipped sample dataset, query, map, curate and export it."""
    from gristmill.demo import run_demo

    run_demo(typer.echo)
