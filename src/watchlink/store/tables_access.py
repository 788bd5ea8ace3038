"""Tables of the access layer: users, API tokens, console sessions and the audit trail.

Times are stored as naive UTC. The audit trail keeps, for each line, the digest of its
content and its chained hash; a purge clears the content columns only. ``audit_head``
holds one row: the signed latest position of the chain, locked by each writer so that
sequence numbers never fork.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

__all__ = [
    "access_metadata",
    "api_tokens",
    "audit_checkpoints",
    "audit_events",
    "audit_head",
    "clock_column",
    "clock_value",
    "database_now",
    "sessions",
    "user_roles",
    "users",
]

access_metadata = MetaData()

users = Table(
    "access_users",
    access_metadata,
    Column("username", String(64), primary_key=True),
    Column("agency", String(32), nullable=False, index=True),
    Column("display_name", String(200)),
    Column("password_hash", String(255)),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
)

user_roles = Table(
    "access_user_roles",
    access_metadata,
    Column(
        "username",
        String(64),
        ForeignKey("access_users.username", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role", String(32), primary_key=True),
)

api_tokens = Table(
    "access_api_tokens",
    access_metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(64), ForeignKey("access_users.username"), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("scopes", Text, nullable=False),  # space-separated permissions
    Column("label", String(200)),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("last_used_at", DateTime),
)

sessions = Table(
    "access_sessions",
    access_metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("username", String(64), ForeignKey("access_users.username"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
)

audit_events = Table(
    "access_audit_events",
    access_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(64)),
    Column("agency", String(32)),
    Column("role", String(200)),
    Column("action", String(32)),
    Column("records", Text),  # JSON list of record ids
    Column("query", Text),
    Column("purpose", Text),
    Column("digest", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("purged_at", DateTime),
)

audit_head = Table(
    "access_audit_head",
    access_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signature", String(128)),
)

audit_checkpoints = Table(
    "access_audit_checkpoints",
    access_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
    Column("at", DateTime, nullable=False),
)


def clock_column(dialect: str) -> ColumnElement[Any]:
    """The database's clock as a column, for a statement that reads it in passing (naive
    UTC on PostgreSQL, text on SQLite: :func:`clock_value` reads either)."""
    if dialect == "postgresql":
        return func.timezone("UTC", func.now())
    return func.strftime("%Y-%m-%d %H:%M:%f", "now")


def clock_value(value: object) -> datetime:
    """A :func:`clock_column` value as naive UTC."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(at, datetime):
        raise TypeError(f"the database returned {value!r} for the time")
    return at.replace(tzinfo=None)


def database_now(conn: Connection) -> datetime:
    """The database's clock, as naive UTC: lockouts and audit times never trust the app host."""
    return clock_value(conn.execute(select(clock_column(conn.dialect.name))).scalar_one())
