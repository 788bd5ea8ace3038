"""Tables of encounters and the casework they start: hits, requests, decisions.

Hit reviews and monitoring decisions are append-only: a new row supersedes the last,
nothing is updated. An encounter keeps the person and the document as presented, in
columns, with the normalised document number indexed for the stolen-document check.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from watchlink.store.dialect import json_type
from watchlink.store.metadata import metadata
from watchlink.store.tables import CODE, ID
from watchlink.store.types import UtcDateTime

__all__ = [
    "decisions",
    "encounters",
    "hit_recipients",
    "hit_reviews",
    "hits",
    "info_requests",
    "request_messages",
]

encounters = Table(
    "encounters",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("kind", String(CODE), nullable=False),
    Column("agency", String(CODE), nullable=False),  # reporting agency
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("country", String(2), nullable=False),
    Column("site", String(200)),
    Column("origin_country", String(2)),
    Column("destination_country", String(2)),
    Column("group_ref", String(200), index=True),  # booking or group, for co-travel
    Column("person_names", json_type(), nullable=False),  # list of names as presented
    Column("person_given", Text),
    Column("person_family", Text),
    Column("person_birth_date", String(10)),  # YYYY, YYYY-MM or YYYY-MM-DD
    Column("person_nationality", String(2)),
    Column("person_gender", String(CODE)),
    Column("person_birth_place", Text),
    Column("document_number", String(200)),
    Column("document_number_key", String(200), index=True),
    Column("document_type", String(CODE)),
    Column("document_country", String(2)),
    Column("document_status", String(CODE)),
    Column("document_handling", String(2)),
    Column("document_agency", String(CODE)),
    Column("document_first_seen", UtcDateTime),
    Column("document_last_seen", UtcDateTime),
    Index(None, "agency", "occurred_at"),
)

hits = Table(
    "hits",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("encounter_id", String(ID), nullable=False, index=True),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("explanation", json_type(), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("state", String(CODE), nullable=False),  # latest review's state, for queues
    Column("co_travellers", json_type(), nullable=False),  # encounter ids
)

hit_recipients = Table(
    "hit_recipients",
    metadata,
    Column("hit_id", String(ID), ForeignKey("hits.id", ondelete="CASCADE"), primary_key=True),
    Column("agency", String(CODE), primary_key=True),
    Column("role", String(CODE), primary_key=True),
    Column("blind", Boolean, nullable=False),
    Column("delivered_at", UtcDateTime),
    Index(None, "agency", "delivered_at"),
)

hit_reviews = Table(
    "hit_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hit_id", String(ID), ForeignKey("hits.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(CODE), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("agency", String(CODE), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("reason", Text),
    Column("action_taken", Text),
    Index(None, "hit_id", "at"),
)

info_requests = Table(
    "info_requests",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("from_agency", String(CODE), nullable=False, index=True),
    Column("to_agency", String(CODE), nullable=False),
    Column("subject", Text, nullable=False),  # the question's title
    Column("priority", String(CODE), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("deadline", UtcDateTime, nullable=False),
    Column("state", String(CODE), nullable=False),
    Column("subject_id", String(ID), index=True),
    Column("hit_id", String(ID)),
    Column("escalation_level", Integer, nullable=False),
    Index(None, "to_agency", "state", "deadline"),
)

request_messages = Table(
    "request_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "request_id",
        String(ID),
        ForeignKey("info_requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("by_agency", String(CODE), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("body", Text, nullable=False),
    Column("handling", String(2), nullable=False),
    Index(None, "request_id", "position"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), nullable=False),
    Column("kind", String(CODE), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(64), nullable=False),
    Column("agency", String(CODE), nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("level", Integer),
    Column("legal_basis", Text),
    Column("review_date", Date),
    Column("supersedes", String(ID), ForeignKey("decisions.id")),
    Index(None, "subject_id", "decided_at"),
)
