"""The tables of requests between agencies (escalation chains, attachments, reminders).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision keeps its place in the chain."""


def downgrade() -> None:
    """Nothing yet."""
