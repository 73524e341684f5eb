"""The one JSON error shape of the API, and the handlers that render every error in it.

Every failure, whether raised by Gristmill, by request validation, by routing or by a bug,
answers ``{"error": {"code", "message", "hint"}}`` with a fitting status, so a client needs a
single error path.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gristmill.errors import GristmillError, UserError
from gristmill.server._allowed_methods import allowed_methods
from gristmill.server._redaction import redact

logger = logging.getLogger("gristmill.server")


class ErrorDetail(BaseModel):
    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

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
        (
            403,
            "Refused: a write on a read-only server, a path outside the data folders, or a"
            " cross-site request",
        ),
        (404, "No such dataset, job or route"),
        (409, "Name taken, or a load of it is already running"),
        (413, "Request body too large"),
        (421, "The Host header names a host this server does not answer for"),
        (422, "Request failed validation"),
        (500, "Unexpected server error"),
    )
}


class UnauthorizedError(UserError):
    """A request without the bearer token the server was started with."""

    status_code = 401
    code = "unauthorized"


class PathNotAllowedError(UserError):
    """A server path outside the folders the operator allowed (or none were allowed)."""

    status_code = 403
    code = "path_not_allowed"


def error_response(
    status: int,
    code: str,
    message: str,
    hint: str | None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(
        error=ErrorDetail(
            code=code,
            message=_encodable(message),
            hint=_encodable(hint) if hint is not None else None,
        )
    )
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body.model_dump(), status_code=status, headers=headers or None)


def _encodable(text: str) -> str:
    # A JSON string may carry an unpaired surrogate ("\ud800"), which no UTF-8 body can hold;
    # echoed into a message it would turn a 4xx into a 500, so it is shown escaped.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GristmillError, _gristmill_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _gristmill_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GristmillError)
    if exc.status_code >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc)
    hint = _redacted(request, exc.hint) if exc.hint is not None else None
    return error_response(exc.status_code, exc.code, _redacted(request, exc.message), hint)


def _redacted(request: Request, text: str) -> str:
    settings = getattr(request.app.state, "settings", None)
    return redact(text, getattr(settings, "data_dirs", None))


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
        # Every method of the path (a 405 must list them); Starlette's names one route's only.
        allowed = allowed_methods(request.app, request.scope["path"])
        return error_response(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.url.path}",
            "see /docs for the methods each route accepts",
            headers={"Allow": ", ".join(allowed)} if allowed else exc.headers,
        )
    if exc.status_code == 413:
        return error_response(
            413,
            "payload_too_large",
            str(exc.detail),
            "send a smaller body; uploads may be larger (see the server's max upload size)",
        )
    return error_response(exc.status_code, "http_error", _redacted(request, str(exc.detail)), None)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log only: internals must not leak to clients.
    logger.error("%s %s raised", request.method, request.url.path, exc_info=exc)
    return _internal_error()


def _internal_error() -> JSONResponse:
    return error_response(
        500,
        "internal_error",
        "the server hit an unexpected error",
        "the server log has the details; please report it if it repeats",
    )


class UnexpectedErrorGuard:
    """ASGI middleware: answer a bug with the JSON 500 and keep the connection open.

    Starlette's outermost handler answers an unexpected exception and then raises it again, and
    uvicorn closes the connection on an exception, so a client's next request on a keep-alive
    connection was reset. Here the error is logged and answered, and the request ends normally.
    An exception after the response has started cannot be answered and still propagates.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            logger.error("%s %s raised", scope["method"], scope["path"], exc_info=exc)
            await _internal_error()(scope, receive, send)
