"""What every answer of the API must be, whatever was sent: checks shared by the fuzz tests."""

from __future__ import annotations

import json
from typing import Any

# Sent with every fuzzed request: the server refuses cross-site writes, and multipart ones
# without this header (a browser cannot add it to a cross-site form post).
REQUEST_HEADERS = {"X-Gristmill-Request": "1"}


def error_shape_problem(status: int, content_type: str, body: bytes) -> str | None:
    """Why an answer breaks the API's contract, or None: no 5xx, and every 4xx in the one
    error shape ``{"error": {"code", "message", "hint"}}``."""
    if status >= 500:
        return f"server error {status}: {body[:300]!r}"
    if status < 400:
        return None
    if not content_type.startswith("application/json"):
        return f"{status} answered as {content_type!r}, not the JSON error shape: {body[:300]!r}"
    try:
        payload: Any = json.loads(body)
    except ValueError:
        return f"{status} body is not JSON: {body[:300]!r}"
    error = payload.get("error") if isinstance(payload, dict) else None
    if not (isinstance(payload, dict) and set(payload) == {"error"} and isinstance(error, dict)):
        return f"{status} body is not {{'error': {{...}}}}: {body[:300]!r}"
    if set(error) != {"code", "message", "hint"}:
        return f"{status} error has the keys {sorted(error)}, not code, message, hint"
    if not (isinstance(error["code"], str) and error["code"]):
        return f"{status} error has no code: {error!r}"
    if not (isinstance(error["message"], str) and error["message"]):
        return f"{status} error has no message: {error!r}"
    if not (error["hint"] is None or isinstance(error["hint"], str)):
        return f"{status} error hint is not text: {error!r}"
    return None
