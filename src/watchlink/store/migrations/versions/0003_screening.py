"""Screening on ingest: indexes for catching up with changed subjects and for hit inboxes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index ``subjects.updated_at`` and ``hits.created_at``."""
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.create_index("ix_subjects_updated_at", ["updated_at"], unique=False)
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.create_index("ix_hits_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    """Drop the two indexes."""
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.drop_index("ix_hits_created_at")
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_index("ix_subjects_updated_at")
