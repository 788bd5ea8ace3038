"""The wire side of a webhook: the signed request, its headers, and the HTTP client.

Each POST carries a JSON body and four headers:

- ``Idempotency-Key``: the outbox message id, the same on every retry, so a receiver
  that already acted on it answers 2xx and does nothing again;
- ``X-Watchlink-Timestamp``: seconds since the epoch when the attempt was signed;
- ``X-Watchlink-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``"{timestamp}.{body}"``
  with the endpoint's secret, so a receiver can tell the request is ours and fresh;
- ``X-Watchlink-Event``: the message kind (``hit``, ...).

``verify_signature`` is the receiver's check, shipped for partners and used by the tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from watchlink.store.outbox import OutboxMessage

if TYPE_CHECKING:
    import httpx

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "HttpxSender",
    "SendOutcome",
    "WebhookSender",
    "message_body",
    "sign",
    "signed_headers",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Watchlink-Signature"
TIMESTAMP_HEADER = "X-Watchlink-Timestamp"


def message_body(message: OutboxMessage) -> bytes:
    """The JSON body of a message: the same bytes on every attempt."""
    document = {
        "id": str(message.id),
        "kind": message.kind,
        "agency": message.recipient,
        "reference": message.reference,
        "created_at": message.created_at.isoformat(),
        "data": message.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str, timestamp: str, body: bytes, signature: str, now: float, tolerance: float = 300
) -> bool:
    """Whether a received request is signed with ``secret`` and at most ``tolerance`` s old."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


def signed_headers(
    message: OutboxMessage, secret: str, body: bytes, at: datetime
) -> dict[str, str]:
    """The headers of one attempt, signed at ``at``."""
    timestamp = int(at.timestamp())
    return {
        "Content-Type": "application/json",
        "Idempotency-Key": str(message.id),
        "X-Watchlink-Event": message.kind,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What one attempt came to: the receiver's status, or why there was none."""

    status: int | None
    error: str | None = None

    @property
    def accepted(self) -> bool:
        """A 2xx answer: the receiver has the message."""
        return self.status is not None and 200 <= self.status < 300


class WebhookSender(Protocol):
    """Sends one POST and reports the outcome; never raises for network failures."""

    def send(self, url: str, headers: dict[str, str], body: bytes) -> SendOutcome:
        """POST ``body`` to ``url``."""
        ...


class HttpxSender:
    """Sends with an ``httpx.Client`` (redirects are not followed: a receiver answers itself)."""

    def __init__(self, timeout: float = 10.0, client: httpx.Client | None = None) -> None:
        try:
            import httpx
        except ImportError as error:  # pragma: no cover - depends on the installation
            raise RuntimeError("webhook delivery needs httpx: pip install httpx") from error
        self._httpx = httpx
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)

    def send(self, url: str, headers: dict[str, str], body: bytes) -> SendOutcome:
        """POST once; a network failure or timeout is an outcome without a status."""
        try:
            response = self._client.post(url, content=body, headers=headers)
        except self._httpx.HTTPError as error:
            return SendOutcome(None, f"{type(error).__name__}: {error}"[:500])
        if 200 <= response.status_code < 300:
            return SendOutcome(response.status_code)
        return SendOutcome(response.status_code, f"HTTP {response.status_code}")

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()
