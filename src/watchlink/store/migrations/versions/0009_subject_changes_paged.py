"""The catch-up's indexes take the subject id after the stamp or the transaction: the
subjects written since a mark are read a page at a time by (mark, id), each page found in
the index rather than by sorting every row since the mark again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (("ix_subjects_updated_at", "updated_at"), ("ix_subjects_changed_xid", "changed_xid"))


def upgrade() -> None:
    """Each index of a mark made again on (mark, id), in place."""
    for name, column in _INDEXES:
        op.drop_index(name, table_name="subjects")
        op.create_index(name, "subjects", [column, "id"], unique=False)


def downgrade() -> None:
    """Each index of a mark made again on the mark alone."""
    for name, column in _INDEXES:
        op.drop_index(name, table_name="subjects")
        op.create_index(name, "subjects", [column], unique=False)
