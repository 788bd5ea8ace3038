"""Webhook secrets at rest: sealed with AES-256-GCM under a key kept outside the database.

A webhook secret signs every delivery, so it must be read back (a hash would not do).
The database holds only the sealed form, bound to its subscription id (associated
data), so a copied database yields no secret and a sealed value moved to another
subscription does not open. The key file is made on first use (mode 0600), like the
audit signing key.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["SECRET_PREFIX", "SecretBox", "new_webhook_secret"]

SECRET_PREFIX = "whsec_"
_VERSION = "v1"
_NONCE = 12


def new_webhook_secret() -> str:
    """A fresh signing secret, shown once to the agency that registers the endpoint."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class SecretBox:
    """Seals and opens webhook secrets with one AES-256-GCM key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the webhook key must be 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def load_or_create(cls, path: Path) -> SecretBox:
        """The key at ``path``, created (mode 0600) when absent."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                pass
            else:
                with os.fdopen(fd, "wb") as out:
                    out.write(base64.b64encode(AESGCM.generate_key(bit_length=256)) + b"\n")
        return cls(base64.b64decode(path.read_bytes().strip()))

    def seal(self, secret: str, subscription_id: str) -> str:
        """The stored form of ``secret`` for this subscription."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, secret.encode("utf-8"), subscription_id.encode())
        return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def open(self, sealed: str, subscription_id: str) -> str:
        """The secret back; ``ValueError`` when the key or the subscription is not its own."""
        version, _, body = sealed.partition(":")
        if version != _VERSION:
            raise ValueError(f"unknown sealed-secret format {version!r}")
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
        try:
            plain = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], subscription_id.encode())
        except InvalidTag as error:
            raise ValueError("the webhook secret does not open with this key") from error
        return plain.decode("utf-8")
