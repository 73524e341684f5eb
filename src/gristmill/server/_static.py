"""Serving the web UI (a built single-page app in ``static/``) next to the API.

With ``static/index.html`` present, files are served from the folder and every other non-API
path answers ``index.html``, so the UI's own routes (``/datasets/local/alpaca?...``) survive a
reload. Without it, ``/`` says where the API and its docs are.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException

import gristmill
from gristmill.server._allowed_methods import allowed_methods
from gristmill.server._models import ServiceInfo

STATIC_DIR = Path(__file__).parent / "static"
_RESERVED_PREFIXES = ("api/", "docs", "openapi.json")


def install_static(app: FastAPI, folder: Path | None) -> None:
    index = folder / "index.html" if folder is not None else None
    if folder is None or index is None or not index.is_file():

        @app.get("/", include_in_schema=False)
        def service_info() -> ServiceInfo:
            return ServiceInfo(
                version=gristmill.__version__,
                message="no web UI is installed; the API is under /api/v1 and documented at /docs",
            )

        return

    root = folder.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:
        if path == "api" or path.startswith(_RESERVED_PREFIXES):
            # This route takes every GET, so a GET of a route that has only other methods lands
            # here, and is a 405 (which names them) rather than a 404.
            raise HTTPException(405 if allowed_methods(app, f"/{path}") else 404)
        candidate = (root / path).resolve()
        # resolve() + the containment check stop '../' from reaching files outside the folder.
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(root / "index.html", headers={"Cache-Control": "no-cache"})
