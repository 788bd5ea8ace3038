"""Claims of the outbox and of webhook deliveries keep their limit and their order, on both
databases, however stale the statistics the planner reads.

On PostgreSQL the statistics are taken while the tables are empty, then messages pile up:
the state of a fresh system, or of one whose receivers were down for an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select, text

from watchlink.store import Database
from watchlink.store import tables as t
from watchlink.store.delivery import DeliveryRepository, DeliveryState
from watchlink.store.tables_delivery import webhook_deliveries, webhook_subscriptions
from watchlink.store.tables_ops import outbox

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LEASE = AT + timedelta(minutes=1)
PILED = 300  # due messages
LIMIT = 100  # claimed at once


@pytest.fixture
def engine(database: Database) -> Engine:
    engine = database.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # statistics of the empty tables
            conn.execute(text("ANALYZE outbox, webhook_deliveries"))
            conn.commit()
    return engine


def _messages(engine: Engine, count: int, due: datetime = AT) -> list[int]:
    rows = [
        {
            "kind": "hit",
            "recipient": "FR-INT",
            "reference": f"h-{n}",
            "payload": {"hit_id": f"h-{n}"},
            "created_at": AT,
            "attempts": 0,
            "next_attempt_at": due,
        }
        for n in range(count)
    ]
    with engine.begin() as conn:
        conn.execute(insert(outbox), rows)
        return [int(i) for i in conn.execute(select(outbox.c.id).order_by(outbox.c.id)).scalars()]


def test_an_outbox_claim_takes_its_limit_oldest_first_and_leaves_the_rest_due(
    engine: Engine,
) -> None:
    ids = _messages(engine, PILED)
    with engine.begin() as conn:
        first = DeliveryRepository(conn).claim_outbox(AT, LEASE, LIMIT)
    with engine.begin() as conn:
        second = DeliveryRepository(conn).claim_outbox(AT, LEASE, LIMIT)
        assert DeliveryRepository(conn).anything_due(AT)

    assert [m.id for m in first] == ids[:LIMIT]
    assert [m.id for m in second] == ids[LIMIT : 2 * LIMIT]
    assert {m.next_attempt_at for m in first + second} == {LEASE}
    with engine.connect() as conn:
        leased = select(outbox.c.id).where(outbox.c.next_attempt_at == LEASE)
        assert len(conn.execute(leased).all()) == 2 * LIMIT


def test_a_claim_leaves_what_is_not_yet_due_or_already_delivered(engine: Engine) -> None:
    later = _messages(engine, 3, due=AT + timedelta(hours=1))
    due = _messages(engine, 3)[3:]
    with engine.begin() as conn:
        conn.execute(outbox.update().where(outbox.c.id == due[0]).values(delivered_at=AT))
    with engine.begin() as conn:
        claimed = DeliveryRepository(conn).claim_outbox(AT, LEASE, LIMIT)

    assert [m.id for m in claimed] == due[1:]
    assert not set(later) & {m.id for m in claimed}


def test_a_delivery_claim_takes_its_limit_oldest_first_for_its_worker(engine: Engine) -> None:
    ids = _messages(engine, PILED)
    with engine.begin() as conn:
        conn.execute(
            insert(t.agencies).values(code="FR-INT", name="FR-INT", country="FR", kind="police")
        )
        conn.execute(
            insert(webhook_subscriptions).values(
                id="sub-1",
                agency="FR-INT",
                url="http://127.0.0.1:9/hook",
                secret_sealed="sealed",
                kinds=["hit"],
                description=None,
                active=True,
                created_by="fr-admin",
                created_at=AT,
            )
        )
        conn.execute(
            insert(webhook_deliveries),
            [
                {
                    "outbox_id": i,
                    "subscription_id": "sub-1",
                    "agency": "FR-INT",
                    "state": DeliveryState.PENDING,
                    "attempts": 0,
                    "next_attempt_at": AT,
                    "created_at": AT,
                }
                for i in ids
            ],
        )
    with engine.begin() as conn:
        claimed = DeliveryRepository(conn).claim_deliveries(AT, LEASE, "worker-1", LIMIT)

    assert [c.message.id for c in claimed] == ids[:LIMIT]
    assert {c.delivery.claimed_by for c in claimed} == {"worker-1"}
    with engine.connect() as conn:
        taken = select(webhook_deliveries.c.id).where(webhook_deliveries.c.claimed_by.is_not(None))
        assert len(conn.execute(taken).all()) == LIMIT
