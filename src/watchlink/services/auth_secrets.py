"""Secrets at rest: argon2 password hashes, and API tokens and session ids stored hashed.

A token is shown once, when made; the database keeps only its SHA-256, so a copy of
the database does not yield usable tokens. Tokens carry a short public prefix so a
lookup needs no scan.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "TOKEN_PREFIX",
    "Passwords",
    "hash_secret",
    "new_secret",
    "new_token",
    "split_token",
]

TOKEN_PREFIX = "wlk"


class Passwords:
    """argon2id hashing with given costs (the library's defaults unless told otherwise)."""

    def __init__(self, time_cost: int | None = None, memory_kib: int | None = None) -> None:
        defaults = PasswordHasher()
        self._hasher = PasswordHasher(
            time_cost=time_cost or defaults.time_cost,
            memory_cost=memory_kib or defaults.memory_cost,
        )
        # A hash of nothing anyone knows: checking against it costs what a real check
        # costs, so a missing user and a wrong password take the same time.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        """The argon2id hash of a password."""
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; a missing hash still spends the work."""
        try:
            return self._hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """Whether the hash was made with other parameters than today's."""
        return self._hasher.check_needs_rehash(stored)


def new_secret() -> str:
    """A random URL-safe secret (session ids, token bodies)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret (enough: it cannot be guessed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A new API token: (the token to show once, its public id, the hash to store)."""
    token_id = secrets.token_hex(6)
    secret = new_secret()
    return f"{TOKEN_PREFIX}_{token_id}_{secret}", token_id, hash_secret(secret)


def split_token(token: str) -> tuple[str, str] | None:
    """(public id, secret) of a presented token, or None when it is not one of ours."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
