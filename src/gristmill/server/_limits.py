"""Request body size limits, enforced while the body streams in (before it is parsed).

A declared ``Content-Length`` over the limit is refused at once; a body without one (chunked)
is counted as it arrives and refused when it passes the limit, so no client can make the server
buffer more than the limit.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gristmill.server._errors import error_response
from gristmill.server._settings import ServerSettings

UPLOAD_PATH_SUFFIX = "/datasets/upload"


class BodySizeLimit:
    """ASGI middleware: JSON bodies up to ``max_json_bytes``, uploads up to ``max_upload_bytes``."""

    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        if path.rstrip("/").endswith(UPLOAD_PATH_SUFFIX):
            return self.settings.max_upload_bytes
        return self.settings.max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            response = error_response(
                413,
                "payload_too_large",
                f"the request body has {declared} bytes; this route accepts at most {limit}",
                "send a smaller body; uploads may be larger (see the server's max upload size)",
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException passes through FastAPI's body parsing unchanged, so the
                    # error handlers render it as a 413 in the one error shape.
                    raise HTTPException(
                        413, f"the request body passed {limit} bytes, the most this route accepts"
                    )
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
