"""The owner's consents to onward use of H2 subjects.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``subject_consents``."""
    op.create_table(
        "subject_consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name="fk_subject_consents_subject_id_subjects",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subject_consents"),
    )
    op.create_index(
        "ix_subject_consents_subject_id_agency_revoked_at",
        "subject_consents",
        ["subject_id", "agency", "revoked_at"],
    )


def downgrade() -> None:
    """Drop ``subject_consents``."""
    op.drop_index("ix_subject_consents_subject_id_agency_revoked_at", table_name="subject_consents")
    op.drop_table("subject_consents")
