"""Helpers for the delivery tests: a real webhook receiver, hits with their outbox rows.

``Receiver`` is a ``http.server`` on 127.0.0.1 in a thread, acting as a partner's
system would: it checks each request's signature, and acts on an ``Idempotency-Key``
only the first time (answering 200 again for a repeat). It can be told to fail the next
requests (a status to answer, or a closed connection), to exercise retries.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from watchlink.model import Hit, HitRecipient, HitRecipientRole
from watchlink.services.delivery_http import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from watchlink.store import UnitOfWork

__all__ = ["AT", "DROP", "FR_ONLY", "HOLD", "Receiver", "add_hit", "receiver"]

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DROP = -1  # a scripted answer: close the connection without answering
HOLD = -2  # a scripted answer: act on the request, then hold the answer until released
FR_ONLY = (("FR-INT", HitRecipientRole.OWNER, False),)  # a hit for its owner alone


@dataclass
class Received:
    """One request as the receiver saw it."""

    key: str
    body: dict[str, Any]
    signed: bool
    status: int


@dataclass
class Receiver:
    """A partner's webhook endpoint (see the module docstring)."""

    now: Callable[[], float] = time.time
    secret: str = ""
    script: deque[int] = field(default_factory=deque)
    requests: list[Received] = field(default_factory=list)
    acted: Counter[str] = field(default_factory=Counter)
    url: str = ""
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted_keys(self) -> list[str]:
        """The idempotency keys acted on, in order (each at most once by construction)."""
        return list(self.acted)

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", "0"))
        raw = handler.rfile.read(length)
        key = handler.headers.get("Idempotency-Key", "")
        signed = verify_signature(
            self.secret,
            handler.headers.get(TIMESTAMP_HEADER, ""),
            raw,
            handler.headers.get(SIGNATURE_HEADER, ""),
            self.now(),
        )
        with self._lock:
            status = self.script.popleft() if self.script else (200 if signed else 401)
            if status == DROP:
                self.requests.append(Received(key, json.loads(raw), signed, 0))
                handler.close_connection = True
                handler.connection.close()
                return
            acts = (200 <= status < 300 or status == HOLD) and signed
            if acts and key not in self.acted:
                self.acted[key] += 1
            self.requests.append(Received(key, json.loads(raw), signed, status))
        if status == HOLD:  # acted, but the sender may be gone before it hears so
            self.held.set()
            self.release.wait(60)
            status = 200
        try:
            handler.send_response(status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        except OSError:
            pass


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver.handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def receiver(now: Callable[[], float] = time.time) -> Generator[Receiver, None, None]:
    """Serve a receiver until the generator is closed (use as a fixture body)."""
    found = Receiver(now=now)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(found))
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/watchlink"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


def add_hit(
    uow: UnitOfWork,
    hit_id: str,
    recipients: tuple[tuple[str, HitRecipientRole, bool], ...] = (
        ("FR-INT", HitRecipientRole.OWNER, False),
        ("GR-BORDER", HitRecipientRole.REPORTER, True),
    ),
    at: datetime = AT,
) -> list[int]:
    """A hit and one outbox row per recipient, in the caller's transaction; the row ids."""
    encounter = f"e-{hit_id}"
    uow.hits.add(
        Hit(
            hit_id, encounter, "s-1", 0.93, ["same passport"], at,
            recipients=[HitRecipient(agency, role, blind) for agency, role, blind in recipients],
        )
    )  # fmt: skip
    return [
        uow.outbox.add(
            "hit",
            agency,
            hit_id,
            {"hit_id": hit_id, "encounter_id": encounter, "role": role.value, "blind": blind},
            at,
        )
        for agency, role, blind in recipients
    ]
