"""The tables of screening on ingest (hits, routing, labelled pairs).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision keeps its place in the chain."""


def downgrade() -> None:
    """Nothing yet."""
