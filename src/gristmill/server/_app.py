"""Building the FastAPI application: routes, error shape, limits, access control, the UI."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI

import gristmill
from gristmill.server._browser_guards import CrossSiteCheck, HostCheck
from gristmill.server._enrichment_jobs import EnrichmentTracker
from gristmill.server._errors import UnexpectedErrorGuard, install_error_handlers
from gristmill.server._limits import BodySizeLimit
from gristmill.server._loading import LoadTracker
from gristmill.server._settings import ServerSettings
from gristmill.server._static import STATIC_DIR, install_static
from gristmill.server._uploads import remove_stale_uploads
from gristmill.server.routes import api_router

DESCRIPTION = """\
Gristmill's REST API: datasets (list, load, schema, rows, stats, histograms), keyword, semantic
and concept search, curation (labels, delete and restore rows), export, enrichment jobs
(embeddings, signals, concept scores, clusters), cluster hierarchies, concepts, experiments
(results with confidence intervals, best and worst rows, model comparisons), and jobs with
live updates (server-sent events).

Every error answers `{"error": {"code", "message", "hint"}}` with its HTTP status. When the
server was started with an auth token, every `/api` request needs
`Authorization: Bearer <token>`; on a read-only server every write route answers 403.

The server answers only the host names it goes by (loopback ones, plus `--allowed-host`), and
refuses write requests from another site or origin. An upload (or any form-encoded body) needs
the header `X-Gristmill-Request: 1`. Loading a file by its path works only inside the folders
the server was started with (`--data-dir`, listed by `GET /api/v1/data_dirs`).
"""


def create_app(
    settings: ServerSettings | None = None, *, static_dir: Path | None = STATIC_DIR
) -> FastAPI:
    """The ASGI app; ``start_server`` runs it, tests call it in-process."""
    settings = settings or ServerSettings()
    app = FastAPI(
        title="Gristmill",
        version=gristmill.__version__,
        description=DESCRIPTION,
        redoc_url=None,
        # operationId = the route's name ('select_rows'), so generated UI clients read well.
        generate_unique_id_function=lambda route: route.name,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.loads = LoadTracker()
    app.state.enrichments = EnrichmentTracker()
    # Set when the server shuts down, so endless event streams end instead of holding it open.
    app.state.stopping = threading.Event()
    install_error_handlers(app)
    # The last added runs first: an unknown Host is refused before anything else is looked at,
    # and a cross-site request before its body is counted or read.
    app.add_middleware(UnexpectedErrorGuard)
    app.add_middleware(BodySizeLimit, settings=settings)
    app.add_middleware(CrossSiteCheck)
    app.add_middleware(HostCheck, settings=settings)
    app.include_router(api_router())
    install_static(app, static_dir)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Uploads of a server that died mid-load would stay for ever; live servers' are kept.
    await anyio.to_thread.run_sync(remove_stale_uploads)
    yield
