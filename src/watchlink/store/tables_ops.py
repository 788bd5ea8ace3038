"""Tables of the machinery: the delivery outbox, scheduled jobs and labelled pairs.

The outbox holds messages written in the same transaction as the change they announce
and delivered afterwards; jobs are claimed by a worker (``locked_by`` / ``locked_until``)
so two never run the same one; labelled pairs are reviewed match decisions kept to
train and evaluate the matching model.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from watchlink.store.dialect import json_type
from watchlink.store.metadata import metadata
from watchlink.store.tables import CODE, ID
from watchlink.store.types import UtcDateTime

__all__ = ["jobs", "labelled_pairs", "outbox"]

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),  # e.g. hit, request, escalation
    Column("recipient", String(CODE), nullable=False),  # agency code
    Column("reference", String(ID)),  # the record the message is about
    Column("payload", json_type(), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime),
    Column("delivered_at", UtcDateTime),
    Column("last_error", Text),
    Index(None, "delivered_at", "next_attempt_at"),
    Index(None, "recipient", "created_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("payload", json_type(), nullable=False),
    Column("locked_by", String(200)),
    Column("locked_until", UtcDateTime),
    Column("done_at", UtcDateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Index(None, "done_at", "due_at"),
    Index(None, "kind", "due_at"),
)

labelled_pairs = Table(
    "labelled_pairs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("left_id", String(ID), nullable=False),
    Column("right_id", String(ID), nullable=False),
    Column("left_record", json_type()),  # the records as judged, when kept
    Column("right_record", json_type()),
    Column("is_match", Boolean, nullable=False),
    Column("source", String(200), nullable=False),  # reviewer, hit review or data set
    Column("labelled_by", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "left_id", "right_id"),
)
