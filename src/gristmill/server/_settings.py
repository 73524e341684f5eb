"""How one server instance is configured: where it listens, who may call it, what it allows."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
# Not 5432 (PostgreSQL's port, which Lilac's default collided with) and not a common dev port.
DEFAULT_PORT = 5480
AUTH_TOKEN_ENV = "GRISTMILL_AUTH_TOKEN"

MIB = 1024 * 1024
DEFAULT_MAX_JSON_BYTES = 1 * MIB
DEFAULT_MAX_UPLOAD_BYTES = 512 * MIB


@dataclass(frozen=True)
class ServerSettings:
    """Settings of one app. ``auth_token=None`` means no token is asked for (loopback only).

    ``data_dirs`` maps each folder the server may load files from, by the name the operator gave
    (what clients see), to its resolved path; empty means no loading from the server's disk.
    ``allowed_hosts`` are the ``Host`` names answered besides the loopback ones and ``host``.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    read_only: bool = False
    auth_token: str | None = None
    max_json_bytes: int = DEFAULT_MAX_JSON_BYTES
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    data_dirs: Mapping[str, Path] = field(default_factory=dict)
    allowed_hosts: tuple[str, ...] = ()


def token_from_env(explicit: str | None) -> str | None:
    """The token given, else ``$GRISTMILL_AUTH_TOKEN``; empty strings count as no token."""
    token = explicit if explicit is not None else os.environ.get(AUTH_TOKEN_ENV)
    return token or None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (``127.0.0.0/8``, ``::1``, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        # A host name other than localhost may resolve to a public interface.
        return False
