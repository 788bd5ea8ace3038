"""Tables of hit delivery: each agency's outgoing webhooks and every attempt to reach one.

An outbox row is routed once (inbox, live stream) and fanned out into one
``webhook_deliveries`` row per active subscription of its recipient: each endpoint then
has its own attempts, backoff and dead state, so a failing receiver never holds back
another. ``(outbox_id, subscription_id)`` is unique: a message reaches an endpoint
through one delivery row only, whatever the number of dispatchers.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from watchlink.store.dialect import json_type
from watchlink.store.metadata import metadata
from watchlink.store.tables import CODE
from watchlink.store.types import UtcDateTime

__all__ = ["webhook_deliveries", "webhook_subscriptions"]

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agency", String(CODE), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("secret_sealed", Text, nullable=False),  # encrypted: needed again to sign
    Column("kinds", json_type(), nullable=False),  # outbox kinds sent, e.g. ["hit"]
    Column("description", String(200)),
    Column("active", Boolean, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outbox_id", Integer, ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False),
    Column(
        "subscription_id",
        String(64),
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("agency", String(CODE), nullable=False),
    Column("state", String(CODE), nullable=False),  # pending, delivered, dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),  # also the claim's lease while sending
    Column("claimed_by", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("last_status", Integer),  # the receiver's HTTP status, when it answered
    Column("last_error", Text),
    UniqueConstraint("outbox_id", "subscription_id"),
    Index(None, "state", "next_attempt_at"),
    Index(None, "agency", "state"),
)
