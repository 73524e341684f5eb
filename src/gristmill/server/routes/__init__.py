"""The ``/api/v1`` routes, one module per resource, all behind the bearer-token check."""

from __future__ import annotations

from fastapi import APIRouter

from gristmill.server._errors import ERROR_RESPONSES
from gristmill.server._security import TOKEN_ACCESS
from gristmill.server.routes import (
    _clio,
    _clusters,
    _concepts,
    _curation,
    _datasets,
    _enrichment,
    _experiments,
    _export,
    _health,
    _jobs,
    _models,
    _projection,
    _rows,
)

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX, dependencies=[TOKEN_ACCESS], responses=ERROR_RESPONSES)
    for module in (
        _health,
        _datasets,
        _rows,
        _curation,
        _export,
        _enrichment,
        _clusters,
        _projection,
        _clio,
        _concepts,
        _experiments,
        _models,
        _jobs,
    ):
        router.include_router(module.router)
    return router


__all__ = ["API_PREFIX", "api_router"]
