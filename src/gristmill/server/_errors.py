"""The one JSON error shape of the API, and the handlers that render every error in it.

Every failure, whether raised by Gristmill, by request validation, by routing or by a bug,
answers ``{"error": {"code", "message", "hint"}}`` with a fitting status, so a client needs a
single error path.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from gristmill.errors import GristmillError, UserError

logger = logging.getLogger("gristmill.server")


class ErrorDetail(BaseModel):
    code: str
    message: str
    hint: str | None = None


class ErrorResponse(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


# Documented on every route so the OpenAPI spec (and the UI's generated types) know the shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (400, "Invalid input (name, path, filter, file)"),
        (401, "Missing or wrong bearer token"),
        (403, "Write refused: the server is read-only"),
        (404, "No such dataset, job or route"),
        (409, "Name taken, or a load of it is already running"),
        (413, "Request body too large"),
        (422, "Request failed validation"),
        (500, "Unexpected server error"),
    )
}


class UnauthorizedError(UserError):
    """A request without the bearer token the server was started with."""

    status_code = 401
    code = "unauthorized"


def error_response(status: int, code: str, message: str, hint: str | None) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(code=code, message=message, hint=hint))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GristmillError, _gristmill_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _gristmill_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GristmillError)
    if exc.status_code >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc)
    return error_response(exc.status_code, exc.code, exc.message, exc.hint)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [_describe(error) for error in exc.errors()]
    return error_response(
        422,
        "validation_error",
        "; ".join(problems) or "the request is not valid",
        "see the request schema at /docs",
    )


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_response(
            404,
            "not_found",
            f"no route {request.method} {request.url.path}",
            "the API lives under /api/v1; see /docs for its routes",
        )
    if exc.status_code == 405:
        return error_response(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.url.path}",
            "see /docs for the methods each route accepts",
        )
    if exc.status_code == 413:
        return error_response(
            413,
            "payload_too_large",
            str(exc.detail),
            "send a smaller body; uploads may be larger (see the server's max upload size)",
        )
    return error_response(exc.status_code, "http_error", str(exc.detail), None)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log only: internals must not leak to clients.
    logger.error("%s %s raised", request.method, request.url.path, exc_info=exc)
    return error_response(
        500,
        "internal_error",
        "the server hit an unexpected error",
        "the server log has the details; please report it if it repeats",
    )
