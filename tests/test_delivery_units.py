"""The pieces of delivery on their own: backoff, signatures and sealed secrets."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watchlink.services.delivery_http import message_body, sign, signed_headers, verify_signature
from watchlink.services.delivery_retry import RetryPolicy
from watchlink.services.delivery_secrets import SecretBox, new_webhook_secret
from watchlink.store.outbox import OutboxMessage

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SECONDS = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("attempts", "jitter", "wait"),
    [
        (1, 1.0, 10),
        (2, 1.0, 20),
        (3, 1.0, 40),
        (3, 0.0, 20),  # the jitter takes off at most half
        (9, 1.0, 2560),
        (10, 1.0, 3600),  # capped
        (500, 1.0, 3600),
    ],
)
def test_backoff_doubles_with_jitter_up_to_the_cap(attempts: int, jitter: float, wait: int) -> None:
    policy = RetryPolicy(600, 10 * SECONDS, 3600 * SECONDS, random=lambda: jitter)
    assert policy.delay(attempts) == wait * SECONDS
    assert policy.next_attempt(attempts, AT) == AT + wait * SECONDS


def test_the_last_attempt_gives_up() -> None:
    policy = RetryPolicy(3, 10 * SECONDS, 3600 * SECONDS, random=lambda: 0.5)
    assert policy.next_attempt(2, AT) is not None
    assert policy.next_attempt(3, AT) is None


def _message() -> OutboxMessage:
    payload = {"hit_id": "h-1", "encounter_id": "e-1", "role": "reporter", "blind": True}
    return OutboxMessage(7, "hit", "GR-BORDER", "h-1", payload, AT, 0, AT, None, None)


def test_a_signature_checks_body_secret_and_age() -> None:
    secret, body = new_webhook_secret(), message_body(_message())
    headers = signed_headers(_message(), secret, body, AT)
    assert headers["Idempotency-Key"] == "7" and headers["X-Watchlink-Event"] == "hit"
    stamp, signature = headers["X-Watchlink-Timestamp"], headers["X-Watchlink-Signature"]
    now = AT.timestamp()
    assert signature == sign(secret, int(AT.timestamp()), body)
    assert verify_signature(secret, stamp, body, signature, now + 60)
    assert not verify_signature(secret, stamp, body.replace(b"true", b"false"), signature, now)
    assert not verify_signature(new_webhook_secret(), stamp, body, signature, now)
    assert not verify_signature(secret, stamp, body, signature, now + 3600)  # replayed late
    assert not verify_signature(secret, "soon", body, signature, now)


def test_the_body_is_the_same_bytes_on_every_attempt_and_names_ids_only() -> None:
    assert message_body(_message()) == message_body(_message())
    assert message_body(_message()) == (
        b'{"agency":"GR-BORDER","created_at":"2026-11-30T09:00:00+00:00","data":{"blind":true,'
        b'"encounter_id":"e-1","hit_id":"h-1","role":"reporter"},"id":"7","kind":"hit",'
        b'"reference":"h-1"}'
    )


def test_a_sealed_secret_opens_only_with_its_key_and_its_subscription(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "webhook.key"
    box = SecretBox.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = box.seal("whsec_abc", "wh_1")
    assert "whsec_abc" not in sealed and sealed != box.seal("whsec_abc", "wh_1")  # fresh nonce
    assert SecretBox.load_or_create(path).open(sealed, "wh_1") == "whsec_abc"
    with pytest.raises(ValueError, match="does not open"):
        box.open(sealed, "wh_2")
    with pytest.raises(ValueError, match="does not open"):
        SecretBox(os.urandom(32)).open(sealed, "wh_1")
