"""Tables of monitoring review: review tasks, review extensions and retention.

A review task is one piece of evidence put before the owning desk (a hit on a dormant
subject, a new link, a partner list match, a partner request, a review date coming up);
``(subject_id, evidence_key)`` is unique, so the same evidence never makes two tasks.
Extensions are append-only. A retention row records when a subject was closed for a
missed review and when it may be deleted; it outlives the subject as a tombstone.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Index, Integer, String, Table, Text, UniqueConstraint

from watchlink.store.dialect import json_type
from watchlink.store.metadata import metadata
from watchlink.store.tables import CODE, ID
from watchlink.store.types import UtcDateTime

__all__ = ["review_extensions", "review_tasks", "subject_retention"]

review_tasks = Table(
    "review_tasks",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), nullable=False),
    Column("agency", String(CODE), nullable=False),  # the owning desk
    Column("trigger", String(CODE), nullable=False),  # hit, link, import_match, request, ...
    Column("evidence_key", String(400), nullable=False),
    Column("evidence", json_type(), nullable=False),
    Column("weight", Integer, nullable=False),  # what this evidence adds to the subject
    Column("priority", Integer, nullable=False),  # the subject's standing while open
    Column("state", String(CODE), nullable=False),  # open, resolved
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolved_by", String(64)),
    Column("resolution", Text),
    Column("decision_id", String(ID)),
    UniqueConstraint("subject_id", "evidence_key"),
    Index(None, "agency", "state", "priority"),
    Index(None, "subject_id", "state"),
)

review_extensions = Table(
    "review_extensions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", String(ID), nullable=False),
    Column("agency", String(CODE), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("previous_date", Date),
    Column("new_date", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Index(None, "subject_id", "at"),
)

subject_retention = Table(
    "subject_retention",
    metadata,
    Column("subject_id", String(ID), primary_key=True),
    Column("agency", String(CODE), nullable=False),
    Column("review_date", Date),  # the review date that passed without an extension
    Column("closed_at", UtcDateTime, nullable=False),
    Column("delete_after", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime),
    Index(None, "deleted_at", "delete_after"),
)
