"""The owner's consents to onward use of an H2 subject by another agency.

Append-only, like every decision: a grant is a row (who, when, why); revoking it sets
``revoked_at`` and ``revoked_by`` and nothing else; granting again is a new row. An
agency holds consent while it has a row for the subject that is not revoked. The rows
go with their subject when it is deleted (the audit trail keeps the history).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from watchlink.store.metadata import metadata
from watchlink.store.tables import CODE, ID
from watchlink.store.types import UtcDateTime

__all__ = ["subject_consents"]

subject_consents = Table(
    "subject_consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subject_id",
        String(ID),
        ForeignKey("subjects.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("agency", String(CODE), nullable=False),  # the agency the owner consented to
    Column("granted_by", String(64), nullable=False),
    Column("granted_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("revoked_by", String(64)),
    Index(None, "subject_id", "agency", "revoked_at"),
)
