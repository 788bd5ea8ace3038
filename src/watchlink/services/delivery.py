"""The dispatcher: takes committed outbox messages to their agencies, and loses none.

A pass has two steps, each safe to run in several processes at once:

1. **Route** due outbox messages. Each is claimed (a lease), then routed in one
   transaction that first marks it routed (a conditional update, so only one
   dispatcher ever routes it): the hit reaches the agency's in-app inbox
   (``hit_recipients.delivered_at``) and one pending webhook delivery is written per
   active endpoint of the agency. After the commit, the agency's live stream hears of
   it. A failure rolls the routing back and retries it with backoff.
2. **Send** due webhook deliveries: each is claimed for this dispatcher, POSTed signed
   with the outbox id as ``Idempotency-Key``, and recorded as delivered, retried with
   backoff and jitter, or given up (dead) after the policy's attempts.

A crash anywhere leaves either a committed outbox row (routed on the next pass) or a
pending delivery whose lease lapses (sent again, with the same idempotency key).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from watchlink.services.clock import Clock, SystemClock
from watchlink.services.delivery_http import (
    HttpxSender,
    SendOutcome,
    WebhookSender,
    message_body,
    signed_headers,
)
from watchlink.services.delivery_retry import RetryPolicy
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.live import LiveEvent, LiveHub
from watchlink.settings import Settings
from watchlink.store.delivery import ClaimedDelivery, DeliveryRepository, Subscription
from watchlink.store.outbox import OutboxMessage
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["Dispatcher", "PassReport", "worker_name"]

log = logging.getLogger(__name__)

LIVE_FIELDS = ("hit_id", "encounter_id", "role", "blind")
"""What a live event carries of a hit message: ids and flags, never content."""


def worker_name() -> str:
    """This dispatcher's name in claims: host, process and a random tag."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(slots=True)
class PassReport:
    """What one pass did."""

    routed: int = 0
    routing_failed: int = 0
    sent: int = 0
    accepted: int = 0
    retrying: int = 0
    dead: int = 0

    def add(self, other: PassReport) -> None:
        """Count ``other``'s work in this report too (totals over passes)."""
        for name in ("routed", "routing_failed", "sent", "accepted", "retrying", "dead"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def busy(self) -> bool:
        """Whether the pass found work (the loop then goes again at once)."""
        return bool(self.routed or self.routing_failed or self.sent)


class Dispatcher:
    """Routes outbox messages and sends webhook deliveries (see the module docstring)."""

    def __init__(
        self,
        engine: Engine,
        sender: WebhookSender,
        box: SecretBox,
        *,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        hub: LiveHub | None = None,
        lease: timedelta = timedelta(minutes=2),
        batch: int = 100,
        parallel: int = 8,
        worker: str | None = None,
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.box = box
        self.clock = clock or SystemClock()
        self.retry = retry or RetryPolicy()
        self.hub = hub
        self.lease = lease
        self.batch = batch
        self.parallel = parallel
        self.worker = worker or worker_name()

    @classmethod
    def from_settings(
        cls, settings: Settings, engine: Engine, hub: LiveHub | None = None
    ) -> Dispatcher:
        """A dispatcher as configured: httpx sender, the key file, backoff and lease."""
        if settings.delivery_lease_seconds <= settings.webhook_timeout_seconds:
            raise ValueError("WATCHLINK_DELIVERY_LEASE_SECONDS must exceed the webhook timeout")
        return cls(
            engine,
            HttpxSender(settings.webhook_timeout_seconds),
            SecretBox.load_or_create(settings.effective_webhook_key_path),
            retry=RetryPolicy.from_settings(settings),
            hub=hub,
            lease=timedelta(seconds=settings.delivery_lease_seconds),
            batch=settings.delivery_batch,
        )

    def close(self) -> None:
        """Release the sender's connections (when it holds any)."""
        close = getattr(self.sender, "close", None)
        if callable(close):
            close()

    # one pass -------------------------------------------------------------------
    def run_once(self) -> PassReport:
        """Route what is due, then send what is due."""
        report = PassReport()
        with self.engine.connect() as conn:
            if not DeliveryRepository(conn).anything_due(self.clock.now()):
                return report
        self.route_due(report)
        self.send_due(report)
        return report

    def run(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        """Pass after pass until ``stop`` is set; idle passes wait ``poll_seconds``."""
        while not stop.is_set():
            try:
                busy = self.run_once().busy
            except Exception:  # a database outage must not end the loop: log, wait longer
                log.exception("delivery pass failed; next try in %s s", 30 * poll_seconds)
                stop.wait(30 * poll_seconds)
                continue
            if not busy:
                stop.wait(poll_seconds)

    # routing ----------------------------------------------------------------------
    def route_due(self, report: PassReport) -> None:
        """Claim the due outbox messages and route them: the batch in one transaction
        (in id order, so two dispatchers lock alike), one by one if the batch fails."""
        now = self.clock.now()
        with UnitOfWork(self.engine) as uow:
            claimed = DeliveryRepository(uow.connection).claim_outbox(
                now, now + self.lease, self.batch
            )
        if not claimed:
            return
        try:
            with UnitOfWork(self.engine) as uow:
                routed = self._route_all(uow, claimed)
        except Exception:  # some message is bad: find it, and route the others alone
            for message in claimed:
                self._route(message, report)
            return
        for message in routed:
            self._routed(message, report)

    def _route_all(self, uow: UnitOfWork, claimed: list[OutboxMessage]) -> list[OutboxMessage]:
        """Route the claimed messages in ``uow``; those another dispatcher had not routed.

        A statement for each step rather than for each message: all marked routed first
        (the transaction's lock), then the hits' inboxes, then one pending delivery per
        endpoint of each recipient (its endpoints read once)."""
        now = self.clock.now()
        repo = DeliveryRepository(uow.connection)
        done = repo.route_many((m.id for m in claimed), now)
        routed = [m for m in claimed if m.id in done]
        uow.hits.mark_delivered_many(
            [(str(m.payload["hit_id"]), m.recipient) for m in routed if m.kind == "hit"], now
        )
        endpoints: dict[str, list[Subscription]] = {}
        for message in routed:
            if message.recipient not in endpoints:
                endpoints[message.recipient] = repo.subscriptions(message.recipient)
            subscribed = endpoints[message.recipient]
            repo.fan_out(message, [s.id for s in subscribed if s.receives(message.kind)], now)
        return routed

    def _route(self, message: OutboxMessage, report: PassReport) -> None:
        try:
            with UnitOfWork(self.engine) as uow:
                if not self._route_all(uow, [message]):
                    return
        except Exception as error:  # one bad message must not stop the others
            log.exception("routing outbox message %s failed", message.id)
            retry_at = self.retry.next_attempt(message.attempts + 1, self.clock.now())
            with UnitOfWork(self.engine) as uow:
                DeliveryRepository(uow.connection).outbox_failed(
                    message.id, f"{type(error).__name__}: {error}"[:500], retry_at
                )
            report.routing_failed += 1
            return
        self._routed(message, report)

    def _routed(self, message: OutboxMessage, report: PassReport) -> None:
        """After the commit: count it, and tell the agency's live stream."""
        report.routed += 1
        if self.hub is not None:
            data = {k: message.payload[k] for k in LIVE_FIELDS if k in message.payload}
            self.hub.publish(LiveEvent(message.id, message.kind, message.recipient, data))

    # sending ----------------------------------------------------------------------
    def send_due(self, report: PassReport) -> None:
        """Claim the due webhook deliveries and send them, ``parallel`` at a time."""
        now = self.clock.now()
        with UnitOfWork(self.engine) as uow:
            claimed = DeliveryRepository(uow.connection).claim_deliveries(
                now, now + self.lease, self.worker, self.batch
            )
        if not claimed:
            return
        if self.parallel <= 1 or len(claimed) == 1:
            outcomes = [self._attempt(c) for c in claimed]
        else:
            with ThreadPoolExecutor(min(self.parallel, len(claimed))) as pool:
                outcomes = list(pool.map(self._attempt, claimed))
        with UnitOfWork(self.engine) as uow:
            repo = DeliveryRepository(uow.connection)
            for item, outcome in zip(claimed, outcomes, strict=True):
                self._record(repo, item, outcome, report)

    def _attempt(self, item: ClaimedDelivery) -> SendOutcome:
        body = message_body(item.message)
        try:
            secret = self.box.open(item.secret_sealed, item.delivery.subscription_id)
        except ValueError as error:
            return SendOutcome(None, str(error))
        headers = signed_headers(item.message, secret, body, self.clock.now())
        return self.sender.send(item.url, headers, body)

    def _record(
        self,
        repo: DeliveryRepository,
        item: ClaimedDelivery,
        outcome: SendOutcome,
        report: PassReport,
    ) -> None:
        now = self.clock.now()
        report.sent += 1
        if outcome.accepted:
            assert outcome.status is not None
            repo.delivered(item.delivery.id, self.worker, now, outcome.status)
            report.accepted += 1
            return
        retry_at = self.retry.next_attempt(item.delivery.attempts + 1, now)
        error = outcome.error or "no answer"
        repo.attempt_failed(item.delivery.id, self.worker, outcome.status, error, retry_at)
        if retry_at is None:
            report.dead += 1
            log.warning("webhook delivery %s gave up: %s", item.delivery.id, error)
        else:
            report.retrying += 1
