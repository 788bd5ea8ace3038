"""The store's figures that ``GET /metrics`` reports, counted at scrape time.

Read from the database rather than counted in the process, so they are right across
restarts and across the server's workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from watchlink.store.tables_casework import encounters, hits
from watchlink.store.tables_ops import outbox

__all__ = ["StoreCounts", "store_counts"]


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """Encounters stored (each screened on ingest), hits created, outbox messages undelivered."""

    encounters: int
    hits: int
    outbox_backlog: int


def store_counts(conn: Connection) -> StoreCounts:
    """The three counts, read in ``conn``."""
    count = func.count()
    stored = conn.execute(select(count).select_from(encounters)).scalar_one()
    created = conn.execute(select(count).select_from(hits)).scalar_one()
    backlog = conn.execute(
        select(count).select_from(outbox).where(outbox.c.delivered_at.is_(None))
    ).scalar_one()
    return StoreCounts(int(stored), int(created), int(backlog))
