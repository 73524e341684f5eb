"""``gristmill demo``: the main job on the embedded sample, then the UI on it."""

from __future__ import annotations

from typing import Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._errors import handle_errors


@app.command()
@handle_errors
def demo(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the UI on the result at the end.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port for the UI.")] = 5480,
) -> None:
    """Load the shipped sample, query, map, curate, enrich and export it; then serve the UI."""
    # Imported here so the demo and the source readers it uses stay off CLI startup.
    from gristmill.demo import run_demo

    report = run_demo(typer.echo)
    if serve:
        # Imported here: the server pulls FastAPI and uvicorn, which CLI startup must not load.
        from gristmill.server import serve_forever

        typer.echo(
            f"\n7. Explore it in the browser: http://127.0.0.1:{port}/datasets/"
            f"{report.dataset.namespace}/{report.dataset.name} (Ctrl-C stops the server)"
        )
        serve_forever(port=port, open_browser=False)
