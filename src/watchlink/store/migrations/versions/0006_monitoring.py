"""The tables of monitoring decisions, review tasks and retention.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the review tasks, review extensions and retention tables."""
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("evidence_key", sa.String(length=400), nullable=False),
        sa.Column(
            "evidence", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_tasks")),
        sa.UniqueConstraint(
            "subject_id", "evidence_key", name=op.f("uq_review_tasks_subject_id_evidence_key")
        ),
    )
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_tasks_agency_state_priority"),
            ["agency", "state", "priority"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_review_tasks_subject_id_state"), ["subject_id", "state"], unique=False
        )

    op.create_table(
        "review_extensions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("by_user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("previous_date", sa.Date(), nullable=True),
        sa.Column("new_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_extensions")),
    )
    with op.batch_alter_table("review_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_extensions_subject_id_at"), ["subject_id", "at"], unique=False
        )

    op.create_table(
        "subject_retention",
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("delete_after", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subject_retention")),
    )
    with op.batch_alter_table("subject_retention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_retention_deleted_at_delete_after"),
            ["deleted_at", "delete_after"],
            unique=False,
        )


def downgrade() -> None:
    """Drop the review tables."""
    with op.batch_alter_table("subject_retention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_retention_deleted_at_delete_after"))
    op.drop_table("subject_retention")
    with op.batch_alter_table("review_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_extensions_subject_id_at"))
    op.drop_table("review_extensions")
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_tasks_subject_id_state"))
        batch_op.drop_index(batch_op.f("ix_review_tasks_agency_state_priority"))
    op.drop_table("review_tasks")
