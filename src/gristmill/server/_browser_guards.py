"""Stopping web pages from using a visitor's browser against this server.

Two ASGI middlewares, checked before any route runs or any body is read:

- ``HostCheck`` answers only ``Host`` names the server knows: the loopback names, the address it
  is bound to, and ``--allowed-host`` ones. A page that rebinds its own DNS name to 127.0.0.1
  (DNS rebinding) reaches the server with its own name in ``Host``, so it is refused. The port
  is not checked: a forwarded port (``ssh -L 9000:127.0.0.1:5480``) shows another one, and the
  name alone already tells a rebinding page apart.
- ``CrossSiteCheck`` refuses a request that changes something when the browser says it comes
  from another site (``Sec-Fetch-Site``) or another origin (``Origin``). A form-encoded,
  multipart or plain-text body, the only kinds a cross-site form can send, must also carry
  ``X-Gristmill-Request``, a header such a form cannot set (older browsers send neither of the
  other two). Scripts and ``curl`` send no ``Origin``, so JSON calls from them pass unchanged.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from gristmill.server._errors import error_response
from gristmill.server._settings import ServerSettings

CUSTOM_HEADER = "X-Gristmill-Request"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The content types a cross-site <form> (or a no-CORS fetch) may send without a preflight.
FORM_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)
_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


def host_name(value: str) -> str | None:
    """The host name of a ``Host`` header or an ``--allowed-host`` value, lowercased, no port.

    ``None`` when it is not a plain host name or address (a Host header can be anything).
    """
    text = value.strip().lower()
    if text.startswith("["):
        address, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
        return address if _is_ip(address) else None
    if text.count(":") > 1:
        return text if _is_ip(text) else None  # an IPv6 address without a port
    name, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None
    name = name.rstrip(".")
    if not name or not all(char.isalnum() or char in "-._" for char in name):
        return None
    return name


def allowed_host_names(settings: ServerSettings) -> frozenset[str]:
    names = {"localhost"}
    for given in (settings.host, *settings.allowed_hosts):
        name = host_name(given)
        if name is not None and name not in _WILDCARD_HOSTS:
            names.add(name)
    return frozenset(names)


def is_allowed_host(header: str | None, names: frozenset[str]) -> bool:
    name = host_name(header) if header is not None else None
    if name is None:
        return False
    if name in names:
        return True
    # Any loopback address names this machine (127.0.0.2 as much as 127.0.0.1).
    return _is_ip(name) and ipaddress.ip_address(name).is_loopback


class HostCheck:
    """ASGI middleware: answer only requests whose ``Host`` is one this server goes by."""

    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.names = allowed_host_names(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if is_allowed_host(host, self.names):
            await self.app(scope, receive, send)
            return
        response = error_response(
            421,
            "host_not_allowed",
            f"this server does not answer for the host {host!r}",
            "open it by its loopback address (e.g. http://127.0.0.1:<port>), or restart it with"
            " --allowed-host NAME for each name clients use to reach it",
        )
        await response(scope, receive, send)


class CrossSiteCheck:
    """ASGI middleware: refuse cross-site requests that would change something."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        problem = cross_site_problem(scope)
        if problem is None:
            await self.app(scope, receive, send)
            return
        # Answered without reading the body: a refused upload is never stored.
        response = error_response(
            403,
            "cross_site_request",
            f"{scope['method']} {scope['path']} refused: {problem}",
            "use the web UI this server serves, or call the API from a script; a form or"
            f" multipart body needs the header '{CUSTOM_HEADER}: 1'",
        )
        await response(scope, receive, send)


def cross_site_problem(scope: Scope) -> str | None:
    """Why this request looks like it was sent by a page of another site; ``None`` if not."""
    fetch_site = _header(scope, b"sec-fetch-site")
    # 'same-site' is still another origin: another port of localhost, for one.
    if fetch_site is not None and fetch_site.lower() not in ("same-origin", "none"):
        return f"the browser says it comes from another site (Sec-Fetch-Site: {fetch_site})"
    origin = _header(scope, b"origin")
    if origin is not None and not _same_origin(origin, _header(scope, b"host")):
        return f"it comes from the page of another origin ({origin})"
    content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    marked = _header(scope, CUSTOM_HEADER.lower().encode()) is not None
    if content_type in FORM_CONTENT_TYPES and not marked:
        return f"a {content_type} body without the {CUSTOM_HEADER} header"
    return None


def _same_origin(origin: str, host: str | None) -> bool:
    # Browsers leave a default port out of both Origin and Host, so comparing the authority
    # as sent is exact; 'null' (a sandboxed or file: page) never matches.
    if host is None:
        return False
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    return parts.netloc.lower() == host.strip().lower()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_port(text: str) -> bool:
    return text.startswith(":") and text[1:].isdigit()
