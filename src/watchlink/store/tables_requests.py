"""Tables around requests for information: history, reminders, escalation, attachments.

``request_events`` is the append-only history of a request (sent, acknowledged,
answered, closed, withdrawn, reminded, escalated); the time to answer is read from it.
``request_reminders`` holds one row per reminder actually sent: its primary key is
what makes a reminder go out once. ``escalation_steps`` is the chain each receiving
agency configures. ``request_shares`` keeps what the sender was allowed to reveal
about the request's subject when it asked. ``request_attachments`` keeps files, their
bytes in the row or under ``WATCHLINK_HOME``.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from watchlink.store.dialect import json_type
from watchlink.store.metadata import metadata
from watchlink.store.tables import CODE, ID
from watchlink.store.types import UtcDateTime

__all__ = [
    "escalation_steps",
    "request_attachments",
    "request_events",
    "request_reminders",
    "request_shares",
]


def _request() -> ForeignKey:
    return ForeignKey("info_requests.id", ondelete="CASCADE")


request_events = Table(
    "request_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(ID), _request(), nullable=False),
    Column("kind", String(CODE), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("by_agency", String(CODE), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("level", Integer),  # escalation level, for escalations
    Column("detail", json_type()),
    Index(None, "request_id", "at"),
    Index(None, "kind", "request_id"),
)

request_reminders = Table(
    "request_reminders",
    metadata,
    Column("request_id", String(ID), _request(), primary_key=True),
    Column("kind", String(CODE), primary_key=True),  # e.g. before_deadline
    Column("sent_at", UtcDateTime, nullable=False),
)

escalation_steps = Table(
    "escalation_steps",
    metadata,
    Column("agency", String(CODE), primary_key=True),  # the receiving agency
    Column("level", Integer, primary_key=True),  # 1, 2, 3 ...
    Column("role", String(CODE), nullable=False),  # desk, supervisor, national_contact_point
    Column("recipient", String(CODE), nullable=False),  # the agency the step notifies
    Column("after_hours", Float, nullable=False),  # hours past the deadline
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

request_shares = Table(
    "request_shares",
    metadata,
    Column("request_id", String(ID), _request(), primary_key=True),
    Column("subject_id", String(ID), nullable=False),
    Column("summary", json_type(), nullable=False),  # what the sender could share onward
    Column("handling", String(2), nullable=False),
    Column("shared_by", String(64), nullable=False),
    Column("shared_at", UtcDateTime, nullable=False),
)

request_attachments = Table(
    "request_attachments",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("request_id", String(ID), _request(), nullable=False, index=True),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("handling", String(2), nullable=False),
    Column("by_agency", String(CODE), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("data", LargeBinary),  # the bytes, when kept in the database
    Column("path", Text),  # else the file under WATCHLINK_HOME, relative to it
)
