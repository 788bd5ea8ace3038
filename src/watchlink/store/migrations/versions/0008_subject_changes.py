"""Which transaction last wrote each subject, on PostgreSQL: a warm index's catch-up
misses no transaction that commits late.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Set by the database itself, whoever writes (the store, COPY, an operator's SQL).
_FUNCTION = """
CREATE OR REPLACE FUNCTION watchlink_subject_written() RETURNS trigger AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""
_TRIGGER = """
CREATE TRIGGER subjects_written BEFORE INSERT OR UPDATE ON subjects
FOR EACH ROW EXECUTE FUNCTION watchlink_subject_written()
"""


def upgrade() -> None:
    """Add ``subjects.changed_xid`` (indexed); on PostgreSQL a trigger fills it."""
    op.add_column("subjects", sa.Column("changed_xid", sa.BigInteger(), nullable=True))
    op.create_index("ix_subjects_changed_xid", "subjects", ["changed_xid"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_FUNCTION)
        op.execute(_TRIGGER)  # rows written before stay NULL: a build reads them all


def downgrade() -> None:
    """Drop the trigger and ``subjects.changed_xid``."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS subjects_written ON subjects")
        op.execute("DROP FUNCTION IF EXISTS watchlink_subject_written()")
    # In place (SQLite 3.35 and later drop a column so), never by copying the table: on
    # SQLite dropping the old copy would delete every subject's names, documents and
    # values with it (their foreign keys cascade).
    op.drop_index("ix_subjects_changed_xid", table_name="subjects")
    op.drop_column("subjects", "changed_xid")
