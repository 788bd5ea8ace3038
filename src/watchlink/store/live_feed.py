"""Routed messages read back for live streams: what any process routed since a time.

A server's live streams hear of messages routed by its own dispatcher at once; messages
routed by another process (a second server worker, a ``watchlink deliver``) reach them
through this read, polled by :class:`watchlink.services.live_relay.LiveRelay`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from watchlink.store.tables_ops import outbox

__all__ = ["RoutedMessage", "routed_since"]


@dataclass(frozen=True, slots=True)
class RoutedMessage:
    """One routed outbox message: id, kind, recipient agency, payload, when routed."""

    id: int
    kind: str
    recipient: str
    payload: dict[str, Any]
    routed_at: datetime


def routed_since(
    conn: Connection, since: datetime, agencies: Collection[str], limit: int
) -> list[RoutedMessage]:
    """Messages to ``agencies`` routed at or after ``since``, oldest first, at most ``limit``."""
    if not agencies:
        return []
    query = (
        select(outbox.c.id, outbox.c.kind, outbox.c.recipient, outbox.c.payload)
        .add_columns(outbox.c.delivered_at)
        .where(outbox.c.delivered_at >= since, outbox.c.recipient.in_(sorted(agencies)))
        .order_by(outbox.c.delivered_at, outbox.c.id)
        .limit(limit)
    )
    return [
        RoutedMessage(row.id, row.kind, row.recipient, dict(row.payload), row.delivered_at)
        for row in conn.execute(query)
    ]
