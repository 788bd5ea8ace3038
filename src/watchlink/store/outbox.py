"""The durable outbox: messages written in the act's transaction, delivered afterwards.

A hit and its outbox rows commit together, so a crash after the commit loses nothing:
the dispatcher finds the undelivered rows on its next pass. Each row is one message to
one recipient agency; ``id`` doubles as the idempotency key a receiver sees. A call
that makes many messages (a screening batch) queues them with ``add_many``: one
executemany, so the cost of the transaction does not grow a round trip per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from watchlink.store.chunks import chunked
from watchlink.store.dialect import bulk_chunk_size
from watchlink.store.tables_ops import outbox

__all__ = ["NewMessage", "OutboxMessage", "OutboxRepository"]


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A message to queue: what ``add`` takes, as one value for ``add_many``."""

    kind: str
    recipient: str
    reference: str | None
    payload: dict[str, Any]
    at: datetime


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message waiting for (or done with) delivery to one agency."""

    id: int
    kind: str
    recipient: str
    reference: str | None
    payload: dict[str, Any]
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None


class OutboxRepository:
    """Outbox rows on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(
        self,
        kind: str,
        recipient: str,
        reference: str | None,
        payload: dict[str, Any],
        at: datetime,
    ) -> int:
        """Queue one message for ``recipient``; returns its id."""
        result = self._conn.execute(
            insert(outbox)
            .values(
                kind=kind,
                recipient=recipient,
                reference=reference,
                payload=payload,
                created_at=at,
                attempts=0,
                next_attempt_at=at,
            )
            .returning(outbox.c.id)
        )
        return int(result.scalar_one())

    def add_many(self, messages: Iterable[NewMessage]) -> int:
        """Queue many messages in one executemany (per chunk); returns how many."""
        count = 0
        for chunk in chunked(messages, bulk_chunk_size(self._conn.dialect.name)):
            rows = [
                {
                    "kind": m.kind,
                    "recipient": m.recipient,
                    "reference": m.reference,
                    "payload": m.payload,
                    "created_at": m.at,
                    "attempts": 0,
                    "next_attempt_at": m.at,
                }
                for m in chunk
            ]
            self._conn.execute(insert(outbox), rows)
            count += len(rows)
        return count

    def due(self, now: datetime, limit: int = 100) -> list[OutboxMessage]:
        """Undelivered messages whose next attempt is due, oldest first."""
        rows = self._conn.execute(
            select(outbox)
            .where(outbox.c.delivered_at.is_(None), outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.id)
            .limit(limit)
        ).mappings()
        return [OutboxMessage(**dict(row)) for row in rows]

    def get(self, message_id: int) -> OutboxMessage | None:
        """One message by id."""
        row = self._conn.execute(select(outbox).where(outbox.c.id == message_id)).mappings()
        found = row.first()
        return None if found is None else OutboxMessage(**dict(found))

    def mark_delivered(self, message_id: int, at: datetime) -> bool:
        """Record delivery once; False when it was already delivered."""
        done = self._conn.execute(
            update(outbox)
            .where(outbox.c.id == message_id, outbox.c.delivered_at.is_(None))
            .values(delivered_at=at)
        )
        return done.rowcount == 1

    def mark_failed(self, message_id: int, error: str, retry_at: datetime) -> None:
        """Count a failed attempt and schedule the next one."""
        self._conn.execute(
            update(outbox)
            .where(outbox.c.id == message_id)
            .values(attempts=outbox.c.attempts + 1, last_error=error, next_attempt_at=retry_at)
        )
