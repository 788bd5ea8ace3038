"""The access layer's tables: users, roles, tokens, sessions and the audit trail.

Each table is created only when missing: the access services create their tables on
start (``create_all``), so a database served before ``watchlink init`` already has them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    """Create the access tables that do not exist yet."""
    if _missing("access_audit_checkpoints"):
        op.create_table(
            "access_audit_checkpoints",
            sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
            sa.Column("signature", sa.String(length=128), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("seq"),
        )

    if _missing("access_audit_events"):
        op.create_table(
            "access_audit_events",
            sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("actor", sa.String(length=64), nullable=True),
            sa.Column("agency", sa.String(length=32), nullable=True),
            sa.Column("role", sa.String(length=200), nullable=True),
            sa.Column("action", sa.String(length=32), nullable=True),
            sa.Column("records", sa.Text(), nullable=True),
            sa.Column("query", sa.Text(), nullable=True),
            sa.Column("purpose", sa.Text(), nullable=True),
            sa.Column("digest", sa.String(length=64), nullable=False),
            sa.Column("prev_hash", sa.String(length=64), nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
            sa.Column("purged_at", sa.DateTime(), nullable=True),
            sa.PrimaryKeyConstraint("seq"),
        )
        with op.batch_alter_table("access_audit_events", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_access_audit_events_at"), ["at"], unique=False)

    if _missing("access_audit_head"):
        op.create_table(
            "access_audit_head",
            sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("seq", sa.Integer(), nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
            sa.Column("signature", sa.String(length=128), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )

    if _missing("access_users"):
        op.create_table(
            "access_users",
            sa.Column("username", sa.String(length=64), nullable=False),
            sa.Column("agency", sa.String(length=32), nullable=False),
            sa.Column("display_name", sa.String(length=200), nullable=True),
            sa.Column("password_hash", sa.String(length=255), nullable=True),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("failed_logins", sa.Integer(), nullable=False),
            sa.Column("locked_until", sa.DateTime(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("username"),
        )
        with op.batch_alter_table("access_users", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_access_users_agency"), ["agency"], unique=False)

    if _missing("access_api_tokens"):
        op.create_table(
            "access_api_tokens",
            sa.Column("id", sa.String(length=32), nullable=False),
            sa.Column("username", sa.String(length=64), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("scopes", sa.Text(), nullable=False),
            sa.Column("label", sa.String(length=200), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.Column("revoked_at", sa.DateTime(), nullable=True),
            sa.Column("last_used_at", sa.DateTime(), nullable=True),
            sa.ForeignKeyConstraint(
                ["username"],
                ["access_users.username"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )

    if _missing("access_sessions"):
        op.create_table(
            "access_sessions",
            sa.Column("id_hash", sa.String(length=64), nullable=False),
            sa.Column("username", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("last_seen_at", sa.DateTime(), nullable=False),
            sa.Column("ended_at", sa.DateTime(), nullable=True),
            sa.ForeignKeyConstraint(
                ["username"],
                ["access_users.username"],
            ),
            sa.PrimaryKeyConstraint("id_hash"),
        )

    if _missing("access_user_roles"):
        op.create_table(
            "access_user_roles",
            sa.Column("username", sa.String(length=64), nullable=False),
            sa.Column("role", sa.String(length=32), nullable=False),
            sa.ForeignKeyConstraint(["username"], ["access_users.username"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("username", "role"),
        )


def downgrade() -> None:
    """Drop the access tables."""
    for table in (
        "access_user_roles",
        "access_sessions",
        "access_api_tokens",
        "access_users",
        "access_audit_head",
        "access_audit_events",
        "access_audit_checkpoints",
    ):
        op.drop_table(table)
