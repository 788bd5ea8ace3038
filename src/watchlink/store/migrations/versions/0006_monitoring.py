"""The tables of monitoring decisions, review tasks and retention.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision keeps its place in the chain."""


def downgrade() -> None:
    """Nothing yet."""
