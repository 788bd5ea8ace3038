"""The dispatcher on both databases: inbox, webhooks, retries, dead letters, two at once.

Time is a ``ManualClock`` and the jitter a fixed number, so every retry falls at a
known instant; the receiver is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from delivery_support import AT, DROP, FR_ONLY, Receiver, add_hit, receiver
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.clock import ManualClock
from watchlink.services.delivery import Dispatcher, PassReport
from watchlink.services.delivery_http import HttpxSender
from watchlink.services.delivery_retry import RetryPolicy
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.webhooks import WebhookService
from watchlink.store import Database, UnitOfWork
from watchlink.store import tables as t
from watchlink.store.delivery import DeliveryRepository
from watchlink.store.tables_casework import hit_recipients

AGENCIES = {"FR-INT": "FR", "GR-BORDER": "GR", "BE-POL": "BE"}


@pytest.fixture
def engine(database: Database) -> Engine:
    with database.engine.begin() as conn:
        for code, country in AGENCIES.items():
            conn.execute(
                insert(t.agencies).values(code=code, name=code, country=country, kind="police")
            )
    return database.engine


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(AT)


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(os.urandom(32))


@pytest.fixture
def webhooks(engine: Engine, tmp_path: Path, box: SecretBox, clock: ManualClock) -> WebhookService:
    trail = AuditTrail(SigningKey.load_or_create(tmp_path / "audit.key"), 100)
    trail.ensure_head(engine)
    return WebhookService(trail, box, clock)


@pytest.fixture
def hooks(clock: ManualClock) -> Iterator[Receiver]:
    yield from receiver(now=lambda: clock.now().timestamp())


def dispatcher(
    engine: Engine, box: SecretBox, clock: ManualClock, batch: int = 100, parallel: int = 1
) -> Dispatcher:
    """A dispatcher retrying after 10 s, 20 s, 40 s (the jitter pinned), 4 attempts in all."""
    retry = RetryPolicy(4, timedelta(seconds=10), timedelta(hours=1), random=lambda: 1.0)
    sender = HttpxSender(timeout=5)
    return Dispatcher(engine, sender, box, clock=clock, retry=retry, batch=batch, parallel=parallel)


def subscribe(webhooks: WebhookService, engine: Engine, agency: str, url: str) -> str:
    with engine.begin() as conn:
        return webhooks.create(conn, None, agency, url).secret


def test_a_hit_reaches_every_inbox_and_each_endpoint_once(
    engine: Engine, box: SecretBox, clock: ManualClock, webhooks: WebhookService, hooks: Receiver
) -> None:
    hooks.secret = subscribe(webhooks, engine, "FR-INT", hooks.url)
    with UnitOfWork(engine) as uow:
        fr_message, gr_message = add_hit(uow, "h-1")
    worker = dispatcher(engine, box, clock)

    first = worker.run_once()

    assert (first.routed, first.sent, first.accepted) == (2, 1, 1)
    with engine.connect() as conn:
        delivered = conn.execute(select(hit_recipients.c.agency, hit_recipients.c.delivered_at))
        assert dict(delivered.all()) == {"FR-INT": AT, "GR-BORDER": AT}
    assert hooks.accepted_keys() == [str(fr_message)]
    (request,) = hooks.requests
    assert request.signed and request.body["kind"] == "hit"
    assert request.body["data"] == {
        "hit_id": "h-1", "encounter_id": "e-h-1", "role": "owner", "blind": False,
    }  # fmt: skip
    assert worker.run_once() == PassReport()
    assert len(hooks.requests) == 1 and gr_message != fr_message


def test_a_failing_receiver_is_retried_with_backoff_until_it_accepts_once(
    engine: Engine, box: SecretBox, clock: ManualClock, webhooks: WebhookService, hooks: Receiver
) -> None:
    hooks.secret = subscribe(webhooks, engine, "FR-INT", hooks.url)
    hooks.script.extend([500, DROP])
    with UnitOfWork(engine) as uow:
        add_hit(uow, "h-1", FR_ONLY)
    worker = dispatcher(engine, box, clock)

    assert worker.run_once().retrying == 1  # 500
    assert worker.run_once().sent == 0  # not due before 10 s
    clock.advance(seconds=10)
    assert worker.run_once().retrying == 1  # connection closed unanswered
    clock.advance(seconds=19)
    assert worker.run_once().sent == 0  # the second wait is 20 s
    clock.advance(seconds=1)
    assert worker.run_once().accepted == 1
    clock.advance(hours=2)
    assert worker.run_once().sent == 0

    assert [r.status for r in hooks.requests] == [500, 0, 200]
    assert len({r.key for r in hooks.requests}) == 1  # one idempotency key throughout
    assert list(hooks.acted.values()) == [1]
    with engine.connect() as conn:
        (delivery,) = DeliveryRepository(conn).deliveries("FR-INT")
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 3, 200)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_endpoint_gives_up_dead_and_an_admin_can_retry_it(
    engine: Engine, box: SecretBox, clock: ManualClock, webhooks: WebhookService, hooks: Receiver
) -> None:
    subscribe(webhooks, engine, "FR-INT", f"http://127.0.0.1:{_closed_port()}/refused")
    with UnitOfWork(engine) as uow:
        add_hit(uow, "h-1", FR_ONLY)
    worker = dispatcher(engine, box, clock)
    reports = []
    for _ in range(4):
        reports.append(worker.run_once())
        clock.advance(hours=1)
    assert [r.retrying for r in reports] == [1, 1, 1, 0]
    assert reports[-1].dead == 1
    assert worker.run_once().sent == 0
    with engine.begin() as conn:
        (dead,) = webhooks.deliveries(conn, None, "FR-INT", "dead")
        assert dead.attempts == 4 and "Connect" in (dead.last_error or "")
        webhooks.retry(conn, None, dead.id)
    assert worker.run_once().retrying == 1


def test_a_message_that_cannot_be_routed_is_retried_then_left_dead(
    engine: Engine, box: SecretBox, clock: ManualClock
) -> None:
    with UnitOfWork(engine) as uow:
        broken = uow.outbox.add("hit", "FR-INT", "h-9", {"encounter_id": "e-9"}, AT)
        (good,) = add_hit(uow, "h-1", FR_ONLY)
    worker = dispatcher(engine, box, clock)
    assert (worker.run_once().routed, worker.run_once().routed) == (1, 0)
    for _ in range(3):
        clock.advance(hours=1)
        assert worker.run_once().routing_failed == 1
    clock.advance(days=1)
    assert worker.run_once() == PassReport()
    with UnitOfWork(engine) as uow:
        (dead,) = DeliveryRepository(uow.connection).dead_outbox("FR-INT")
        assert dead.id == broken and dead.attempts == 4 and "KeyError" in (dead.last_error or "")
        message = uow.outbox.get(good)
        assert message is not None and message.delivered_at == AT


def test_a_removed_endpoint_gets_nothing_more(
    engine: Engine, box: SecretBox, clock: ManualClock, webhooks: WebhookService, hooks: Receiver
) -> None:
    hooks.secret = subscribe(webhooks, engine, "FR-INT", hooks.url)
    hooks.script.append(503)
    with UnitOfWork(engine) as uow:
        add_hit(uow, "h-1", FR_ONLY)
    worker = dispatcher(engine, box, clock)
    assert worker.run_once().retrying == 1
    with engine.begin() as conn:
        (endpoint,) = webhooks.subscriptions(conn, None, "FR-INT")
        webhooks.remove(conn, None, endpoint.id)
        assert webhooks.subscriptions(conn, None, "FR-INT") == []
    clock.advance(hours=1)
    with UnitOfWork(engine) as uow:
        add_hit(uow, "h-2", FR_ONLY)
    report = worker.run_once()
    assert (report.routed, report.sent) == (1, 0)
    assert len(hooks.requests) == 1


def test_two_dispatchers_at_once_never_deliver_twice(
    engine: Engine, box: SecretBox, clock: ManualClock, webhooks: WebhookService, hooks: Receiver
) -> None:
    hooks.secret = subscribe(webhooks, engine, "FR-INT", hooks.url)
    second = receiver(now=lambda: clock.now().timestamp())
    gr_hooks = next(second)
    gr_hooks.secret = subscribe(webhooks, engine, "GR-BORDER", gr_hooks.url)
    with UnitOfWork(engine) as uow:
        messages = [m for n in range(40) for m in add_hit(uow, f"h-{n}")]
    workers = [dispatcher(engine, box, clock, batch=7, parallel=3) for _ in range(2)]
    totals = [PassReport(), PassReport()]
    start = threading.Barrier(2)

    def drain(index: int) -> None:
        start.wait()
        while True:
            report = workers[index].run_once()
            totals[index].routed += report.routed
            totals[index].accepted += report.accepted
            if not report.busy:
                return

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    second.close()

    assert sum(r.routed for r in totals) == len(messages) == 80
    assert sum(r.accepted for r in totals) == 80
    seen = [r.key for r in hooks.requests + gr_hooks.requests]
    assert sorted(seen) == sorted(str(m) for m in messages)  # each sent exactly once
    assert all(r.signed for r in hooks.requests + gr_hooks.requests)
    with engine.connect() as conn:
        undelivered = conn.execute(
            select(hit_recipients.c.hit_id).where(hit_recipients.c.delivered_at.is_(None))
        )
        assert undelivered.all() == []


def test_each_endpoint_gets_the_kinds_it_asked_for(
    engine: Engine, box: SecretBox, clock: ManualClock, webhooks: WebhookService, hooks: Receiver
) -> None:
    hooks.secret = subscribe(webhooks, engine, "FR-INT", hooks.url)
    second = receiver(now=lambda: clock.now().timestamp())
    requests_desk = next(second)
    with engine.begin() as conn:
        created = webhooks.create(conn, None, "FR-INT", requests_desk.url, ("request",))
    requests_desk.secret = created.secret
    with UnitOfWork(engine) as uow:
        answer = uow.outbox.add("request.answer", "FR-INT", "r-1", {"request_id": "r-1"}, AT)
        (hit,) = add_hit(uow, "h-1", FR_ONLY)
        uow.outbox.add("review_task", "FR-INT", "t-1", {"task_id": "t-1"}, AT)
    report = dispatcher(engine, box, clock).run_once()
    second.close()
    assert (report.routed, report.accepted) == (3, 2)
    assert [r.key for r in hooks.requests] == [str(hit)]
    assert [(r.key, r.body["kind"]) for r in requests_desk.requests] == [
        (str(answer), "request.answer")
    ]
