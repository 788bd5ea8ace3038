"""Tables of agencies, partner groups, subjects (with their values) and links.

A subject is one row of scalar fields and sharing, plus statement-style child rows:
each name, document and other value (birth date, birth place, nationality, phone,
email, address) is a row with its provenance (agency, first seen, last seen), its own
optional handling code and its position in the subject's list. Normalised keys
(``full_key`` of a name, ``number_key`` of a document) carry the lookup indexes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
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

from watchlink.store.metadata import metadata
from watchlink.store.types import UtcDateTime

__all__ = [
    "VALUE_PROPS",
    "agencies",
    "links",
    "metadata",
    "partner_group_members",
    "partner_groups",
    "subject_documents",
    "subject_names",
    "subject_values",
    "subjects",
]

ID = 200  # imported ids are kept as they come; FtM ids run to about 80 characters
CODE = 32  # agency, country, enum codes

#: The ``prop`` of a ``subject_values`` row, and the Subject list it fills.
VALUE_PROPS = ("birth_date", "birth_place", "nationality", "phone", "email", "address")

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(CODE), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("kind", String(CODE), nullable=False),
    Column("contact", String(200)),
    Column("officers", Integer),  # staff available for monitoring, when known
)

partner_groups = Table(
    "partner_groups",
    metadata,
    Column("code", String(CODE), primary_key=True),
    Column("name", String(200), nullable=False),
)

partner_group_members = Table(
    "partner_group_members",
    metadata,
    Column(
        "group_code",
        String(CODE),
        ForeignKey("partner_groups.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("agency_code", String(CODE), primary_key=True, index=True),
)

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("agency", String(CODE), nullable=False),  # owner; imports may precede the agency
    Column("gender", String(CODE)),
    Column("concern", Integer, nullable=False),
    Column("action_on_hit", String(CODE), nullable=False),
    Column("status", String(CODE), nullable=False),
    Column("legal_basis", Text),
    Column("review_date", Date),
    Column("distribution", String(CODE), nullable=False),
    Column("partner_group", String(CODE)),
    Column("handling", String(2), nullable=False),
    Column("notes", Text),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # The transaction that last wrote the row (PostgreSQL's 64-bit id, set by a trigger;
    # NULL on SQLite): a warm index catches up by it (services/screening_sync.py).
    Column("changed_xid", BigInteger),
    Index(None, "agency", "status"),
    Index(None, "distribution", "partner_group"),
)


def _owned_by_subject() -> Column[str]:
    return Column(
        "subject_id",
        String(ID),
        ForeignKey("subjects.id", ondelete="CASCADE"),
        nullable=False,
    )


def _provenance() -> list[Column[Any]]:
    return [
        Column("agency", String(CODE)),  # NULL: the value has no provenance
        Column("first_seen", UtcDateTime),
        Column("last_seen", UtcDateTime),
        Column("handling", String(2)),  # stricter than the subject's, when set
    ]


subject_names = Table(
    "subject_names",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owned_by_subject(),
    Column("position", Integer, nullable=False),
    Column("full", Text, nullable=False),
    Column("full_key", String(400), nullable=False),  # case-folded, spaces collapsed
    Column("kind", String(CODE), nullable=False),
    Column("given", Text),
    Column("family", Text),
    *_provenance(),
    Index(None, "subject_id", "position"),
    Index(None, "full_key"),
)

subject_documents = Table(
    "subject_documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owned_by_subject(),
    Column("position", Integer, nullable=False),
    Column("number", String(200), nullable=False),
    Column("number_key", String(200), nullable=False),  # normalised document number
    Column("type", String(CODE), nullable=False),
    Column("country", String(2)),
    Column("status", String(CODE), nullable=False),
    *_provenance(),
    Index(None, "subject_id", "position"),
    Index(None, "number_key"),
)

subject_values = Table(
    "subject_values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owned_by_subject(),
    Column("prop", String(CODE), nullable=False),  # one of VALUE_PROPS
    Column("position", Integer, nullable=False),
    Column("value", Text, nullable=False),  # birth dates as YYYY, YYYY-MM or YYYY-MM-DD
    *_provenance(),
    Index(None, "subject_id", "prop", "position"),
    Index(None, "prop", "value"),
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_subject", String(ID), nullable=False, index=True),
    Column("target_subject", String(ID), nullable=False, index=True),
    Column("kind", String(CODE), nullable=False),
    Column("source", String(200), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("note", Text),
    Column("created_at", UtcDateTime),
)
