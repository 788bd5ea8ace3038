"""The tables of requests between agencies (escalation chains, attachments, reminders).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _request_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["request_id"],
        ["info_requests.id"],
        name=f"fk_{table}_request_id_info_requests",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Request history, reminders sent, escalation chains, subject shares, attachments."""
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_agency", sa.String(length=32), nullable=False),
        sa.Column("by_user", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("detail", _JSON, nullable=True),
        _request_fk("request_events"),
        sa.PrimaryKeyConstraint("id", name="pk_request_events"),
    )
    op.create_index("ix_request_events_request_id_at", "request_events", ["request_id", "at"])
    op.create_index("ix_request_events_kind_request_id", "request_events", ["kind", "request_id"])
    op.create_table(
        "request_reminders",
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        _request_fk("request_reminders"),
        sa.PrimaryKeyConstraint("request_id", "kind", name="pk_request_reminders"),
    )
    op.create_table(
        "escalation_steps",
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("after_hours", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("agency", "level", name="pk_escalation_steps"),
    )
    op.create_table(
        "request_shares",
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("summary", _JSON, nullable=False),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.Column("shared_by", sa.String(length=64), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        _request_fk("request_shares"),
        sa.PrimaryKeyConstraint("request_id", name="pk_request_shares"),
    )
    op.create_table(
        "request_attachments",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.Column("by_agency", sa.String(length=32), nullable=False),
        sa.Column("by_user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        _request_fk("request_attachments"),
        sa.PrimaryKeyConstraint("id", name="pk_request_attachments"),
    )
    op.create_index("ix_request_attachments_request_id", "request_attachments", ["request_id"])


def downgrade() -> None:
    """Drop the request tables."""
    op.drop_index("ix_request_attachments_request_id", table_name="request_attachments")
    op.drop_table("request_attachments")
    op.drop_table("request_shares")
    op.drop_table("escalation_steps")
    op.drop_table("request_reminders")
    op.drop_index("ix_request_events_kind_request_id", table_name="request_events")
    op.drop_index("ix_request_events_request_id_at", table_name="request_events")
    op.drop_table("request_events")
