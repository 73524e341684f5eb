"""Encrypting a site's data files: AES-256-GCM under a key derived from the password.

The key is derived once per site (PBKDF2-HMAC-SHA256, :data:`ITERATIONS` rounds, one random salt
stored in the site's manifest); each file gets a fresh random 96-bit nonce, written before the
ciphertext, and its own name as associated data, so a file swapped for another fails to decrypt.
The browser does the same with WebCrypto (``web/site/viewer.ts``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gristmill.errors import InvalidInputError, missing_dependency

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# OWASP's 2023 floor for PBKDF2-HMAC-SHA256.
ITERATIONS = 600_000
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32


@dataclass(frozen=True)
class SiteKey:
    """The derived key of one site, and what the browser needs to derive it again."""

    key: bytes
    salt: bytes
    iterations: int = ITERATIONS

    def encrypt(self, plain: bytes, name: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + _aesgcm(self.key).encrypt(nonce, plain, name.encode())

    def decrypt(self, sealed: bytes, name: str) -> bytes:
        from cryptography.exceptions import InvalidTag

        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return _aesgcm(self.key).decrypt(nonce, body, name.encode())
        except InvalidTag:
            raise InvalidInputError(
                f"{name} does not decrypt with this password",
                hint="check the password; the site's files must be the ones written with it",
            ) from None


def derive_key(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> SiteKey:
    """The site key for ``password``; a new random salt unless one is given (to open a site)."""
    if not password:
        raise InvalidInputError("the password is empty", hint="give a non-empty password")
    if iterations < ITERATIONS:
        raise InvalidInputError(
            f"{iterations} PBKDF2 iterations is too few", hint=f"use at least {ITERATIONS}"
        )
    try:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    except ImportError as exc:
        raise missing_dependency(exc.name or "cryptography", "clio", "a password") from None
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, iterations=iterations)
    return SiteKey(key=kdf.derive(password.encode("utf-8")), salt=salt, iterations=iterations)


def _aesgcm(key: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)
