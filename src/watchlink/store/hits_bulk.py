"""Hits written by one screening call, a statement per table rather than one per row.

A screening call makes its hits, their recipients and the co-travel flags of a whole
batch at once: ``add_many`` inserts every hit and every recipient row with one
executemany each, ``group_members`` reads the encounters of all the batch's bookings in
one query, and ``flag_co_travellers`` adds the call's encounters to the earlier hits of
their bookings with one read and one executemany update. Like every repository: no
decisions, only rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, bindparam, insert, select, update

from watchlink.model import Hit
from watchlink.store.chunks import chunked
from watchlink.store.dialect import bulk_chunk_size
from watchlink.store.mapping_casework import hit_rows
from watchlink.store.tables_casework import encounters, hit_recipients, hit_reviews, hits

__all__ = ["HitWriter"]

_IN = 500  # ids per IN (...) list

_FLAG = (
    update(hits).where(hits.c.id == bindparam("hit")).values(co_travellers=bindparam("travellers"))
)


class HitWriter:
    """Bulk writes of new hits and co-travel flags on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add_many(self, new: Iterable[Hit]) -> int:
        """Store hits with their recipients (and reviews, if any); returns how many hits."""
        size = bulk_chunk_size(self._conn.dialect.name)
        count = 0
        for chunk in chunked(new, size):
            rows, recipients, reviews = [], [], []
            for hit in chunk:
                row, routed, reviewed = hit_rows(hit)
                rows.append(row)
                recipients += routed
                reviews += reviewed
            self._conn.execute(insert(hits), rows)
            for part in chunked(recipients, size):
                self._conn.execute(insert(hit_recipients), part)
            for part in chunked(reviews, size):
                self._conn.execute(insert(hit_reviews), part)
            count += len(chunk)
        return count

    def group_members(self, group_refs: Iterable[str]) -> dict[str, list[str]]:
        """The stored encounters of each booking or group, by time then id."""
        refs = sorted(set(group_refs))
        found: dict[str, list[str]] = {ref: [] for ref in refs}
        for chunk in chunked(refs, _IN):
            query = (
                select(encounters.c.id, encounters.c.group_ref)
                .where(encounters.c.group_ref.in_(chunk))
                .order_by(encounters.c.occurred_at, encounters.c.id)
            )
            for encounter_id, ref in self._conn.execute(query):
                found[ref].append(encounter_id)
        return found

    def flag_co_travellers(self, added: Mapping[str, Sequence[str]]) -> int:
        """Append co-travellers to stored hits: ``added`` maps an encounter id to the
        encounter ids to flag on its hits, in order (each at most once per hit).
        Returns how many hits changed."""
        targets = sorted(e for e, travellers in added.items() if travellers)
        changes: list[dict[str, object]] = []
        for chunk in chunked(targets, _IN):
            query = (
                select(hits.c.id, hits.c.encounter_id, hits.c.co_travellers)
                .where(hits.c.encounter_id.in_(chunk))
                .order_by(hits.c.id)
            )
            for hit_id, encounter_id, current in self._conn.execute(query):
                known = list(current or [])
                fresh = [t for t in dict.fromkeys(added[encounter_id]) if t not in known]
                if fresh:
                    changes.append({"hit": hit_id, "travellers": [*known, *fresh]})
        for part in chunked(changes, bulk_chunk_size(self._conn.dialect.name)):
            self._conn.execute(_FLAG, part)
        return len(changes)
