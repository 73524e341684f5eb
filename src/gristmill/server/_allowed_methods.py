"""Which methods the app answers at a path: what a 405's ``Allow`` header lists (RFC 9110).

Starlette's own 405 names the methods of the first route whose path matches, and a path may have
several routes (GET and POST /concepts); the UI's catch-all GET route (hidden from the schema)
is not an API method.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp

_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def allowed_methods(app: ASGIApp, path: str) -> list[str]:
    """The methods that some documented route of ``app`` fully matches at ``path``."""
    routes = getattr(getattr(app, "router", None), "routes", [])
    allowed = []
    for method in _METHODS:
        scope = {"type": "http", "path": path, "method": method, "root_path": ""}
        for route in routes:
            documented = getattr(route, "include_in_schema", True)
            if documented and route.matches(scope)[0] is Match.FULL:
                allowed.append(method)
                break
    return allowed
