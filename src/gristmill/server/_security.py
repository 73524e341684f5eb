"""Access control as dependencies: the bearer token on every API route, and read-only mode.

Write routes declare :data:`WRITE_ACCESS` once; no route checks the mode itself, so a new write
route cannot forget a branch (a test lists every route not declaring it).
"""

from __future__ import annotations

import hmac

from fastapi import Depends, Request

from gristmill.errors import ReadOnlyError
from gristmill.server._errors import UnauthorizedError
from gristmill.server._settings import ServerSettings


def settings_of(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


def require_token(request: Request) -> None:
    """Refuse a request without ``Authorization: Bearer <token>`` when a token is configured."""
    expected = settings_of(request).auth_token
    if expected is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # compare_digest: the time taken does not reveal how much of the token matched.
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        raise UnauthorizedError(
            "this server needs a bearer token",
            hint="send the header 'Authorization: Bearer <token>' with the server's auth token",
        )


def forbid_in_read_only(request: Request) -> None:
    if settings_of(request).read_only:
        raise ReadOnlyError(
            f"{request.method} {request.url.path} changes data, and this server is read-only",
            hint="restart the server without --read-only to make changes",
        )


TOKEN_ACCESS = Depends(require_token)
WRITE_ACCESS = Depends(forbid_in_read_only)
