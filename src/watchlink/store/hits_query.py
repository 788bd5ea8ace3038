"""Queries of hit screening and review beyond the plain ``HitRepository``.

An agency's inbox rows, a review appended with the state it leaves the hit in, the
co-travel flag spread to earlier hits of a group, the earlier hits of a document (the
document trail) and labelled pairs from reviews. Like every repository: no decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select, update

from watchlink.model import HitRecipientRole, HitReview, HitState, Link
from watchlink.store.chunks import chunked
from watchlink.store.mapping import document_key, link_from_row
from watchlink.store.mapping_casework import review_row
from watchlink.store.tables import links
from watchlink.store.tables_casework import encounters, hit_recipients, hit_reviews, hits
from watchlink.store.tables_ops import labelled_pairs

__all__ = ["HitQueries", "InboxRow", "TrailHit"]

_CHUNK = 500  # ids or keys in one IN (...) list


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One hit as delivered to one agency."""

    hit_id: str
    role: HitRecipientRole
    blind: bool
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class TrailHit:
    """An earlier hit of an encounter that presented the same document."""

    hit_id: str
    encounter_id: str
    subject_id: str
    score: float
    occurred_at: datetime


# A trail is read in steps, each by its index: the encounters that presented the numbers
# (the call's own, stored just before, left out), then their hits, then when those
# encounters took place. As one join, the planner of a PostgreSQL server that had seen the
# two tables small (a statement prepared then, or statistics not yet taken again as they
# grew) scanned the whole of both for each screening call: 5 ms and 5,000 pages a call at
# 20,000 hits. Most calls present numbers no earlier encounter did: one statement.
_TRAIL_ENCOUNTERS = select(encounters.c.id, encounters.c.document_number_key).where(
    encounters.c.document_number_key.in_(bindparam("keys", expanding=True))
)
_TRAIL_HITS = select(hits.c.id, hits.c.encounter_id, hits.c.subject_id, hits.c.score).where(
    hits.c.encounter_id.in_(bindparam("ids", expanding=True)),
    hits.c.state != HitState.REJECTED.value,
)
_TRAIL_TIMES = select(encounters.c.id, encounters.c.occurred_at).where(
    encounters.c.id.in_(bindparam("ids", expanding=True))
)


class HitQueries:
    """Hit queries on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def inbox(
        self,
        agency: str,
        since: datetime | None = None,
        blind: bool | None = None,
        limit: int = 500,
        offset: int = 0,
    ) -> list[InboxRow]:
        """The agency's recipient rows, newest hit first (``since`` on the hit's creation)."""
        query = (
            select(
                hit_recipients.c.hit_id,
                hit_recipients.c.role,
                hit_recipients.c.blind,
                hit_recipients.c.delivered_at,
                hits.c.created_at,
            )
            .join(hits, hits.c.id == hit_recipients.c.hit_id)
            .where(hit_recipients.c.agency == agency)
            .order_by(hits.c.created_at.desc(), hits.c.id)
            .limit(limit)
            .offset(offset)
        )
        if since is not None:
            query = query.where(hits.c.created_at >= since)
        if blind is not None:
            query = query.where(hit_recipients.c.blind == blind)
        return [
            InboxRow(
                r.hit_id, HitRecipientRole(r.role), bool(r.blind), r.created_at, r.delivered_at
            )
            for r in self._conn.execute(query)
        ]

    def recipient(self, hit_id: str, agency: str) -> InboxRow | None:
        """How one agency received one hit, or None when it did not."""
        query = (
            select(
                hit_recipients.c.hit_id,
                hit_recipients.c.role,
                hit_recipients.c.blind,
                hit_recipients.c.delivered_at,
                hits.c.created_at,
            )
            .join(hits, hits.c.id == hit_recipients.c.hit_id)
            .where(hit_recipients.c.hit_id == hit_id, hit_recipients.c.agency == agency)
        )
        r = self._conn.execute(query).first()
        if r is None:
            return None
        return InboxRow(
            r.hit_id, HitRecipientRole(r.role), bool(r.blind), r.created_at, r.delivered_at
        )

    def append_review(self, hit_id: str, review: HitReview, state: HitState) -> None:
        """Append a review (never updated afterwards) and set the hit's current state."""
        self._conn.execute(insert(hit_reviews), [review_row(hit_id, review)])
        self._conn.execute(update(hits).where(hits.c.id == hit_id).values(state=state.value))

    def add_co_traveller(self, encounter_ids: list[str], co_traveller: str) -> int:
        """Flag ``co_traveller`` on the hits of ``encounter_ids``; returns how many changed."""
        if not encounter_ids:
            return 0
        rows = self._conn.execute(
            select(hits.c.id, hits.c.co_travellers).where(hits.c.encounter_id.in_(encounter_ids))
        ).all()
        changed = 0
        for hit_id, current in rows:
            known = list(current or [])
            if co_traveller in known:
                continue
            self._conn.execute(
                update(hits).where(hits.c.id == hit_id).values(co_travellers=[*known, co_traveller])
            )
            changed += 1
        return changed

    def trails(
        self, numbers: Iterable[str], exclude: Iterable[str] = ()
    ) -> dict[str, list[TrailHit]]:
        """Hits (not rejected) of encounters presenting these numbers, by document key,
        oldest encounter first, those of the encounters ``exclude`` names left out."""
        keys = sorted({document_key(n) for n in numbers})
        left_out = set(exclude)
        presented: dict[str, str] = {}  # encounter id: its document's key
        for chunk in chunked(keys, _CHUNK):
            for e in self._conn.execute(_TRAIL_ENCOUNTERS, {"keys": chunk}):
                if e.id not in left_out:
                    presented[e.id] = e.document_number_key
        found_hits = [
            r
            for chunk in chunked(sorted(presented), _CHUNK)
            for r in self._conn.execute(_TRAIL_HITS, {"ids": chunk})
        ]
        if not found_hits:
            return {}
        hit_encounters = sorted({r.encounter_id for r in found_hits})
        when = {
            e.id: e.occurred_at
            for chunk in chunked(hit_encounters, _CHUNK)
            for e in self._conn.execute(_TRAIL_TIMES, {"ids": chunk})
        }
        trail = sorted(found_hits, key=lambda r: (when[r.encounter_id], r.id))
        found: dict[str, list[TrailHit]] = {}
        for r in trail:
            hit = TrailHit(r.id, r.encounter_id, r.subject_id, float(r.score), when[r.encounter_id])
            found.setdefault(presented[r.encounter_id], []).append(hit)
        return found

    def links_of(self, subject_ids: Iterable[str]) -> dict[str, list[Link]]:
        """The links from or to each of these subjects, oldest stored first."""
        ids = sorted(set(subject_ids))
        found: dict[str, list[Link]] = {i: [] for i in ids}
        for chunk in chunked(ids, _CHUNK):
            query = (
                select(links)
                .where(or_(links.c.source_subject.in_(chunk), links.c.target_subject.in_(chunk)))
                .order_by(links.c.id)
            )
            for row in self._conn.execute(query).mappings():
                link = link_from_row(row)
                for end in {link.source_subject, link.target_subject}:
                    if end in found:
                        found[end].append(link)
        return found

    def reporters(self, encounter_ids: Iterable[str]) -> dict[str, str]:
        """The reporting agency of each of these encounters."""
        ids = sorted(set(encounter_ids))
        found: dict[str, str] = {}
        for chunk in chunked(ids, _CHUNK):
            query = select(encounters.c.id, encounters.c.agency).where(encounters.c.id.in_(chunk))
            found.update({r.id: r.agency for r in self._conn.execute(query)})
        return found

    def add_labelled_pair(
        self,
        encounter_id: str,
        subject_id: str,
        encounter_record: dict[str, Any],
        subject_record: dict[str, Any],
        is_match: bool,
        source: str,
        labelled_by: str,
        at: datetime,
    ) -> int:
        """Keep a reviewed pair (the encounter as presented, the subject as matched)."""
        result = self._conn.execute(
            insert(labelled_pairs)
            .values(
                left_id=encounter_id,
                right_id=subject_id,
                left_record=encounter_record,
                right_record=subject_record,
                is_match=is_match,
                source=source,
                labelled_by=labelled_by,
                created_at=at,
            )
            .returning(labelled_pairs.c.id)
        )
        return int(result.scalar_one())

    def labelled_pairs(self, encounter_id: str | None = None) -> list[dict[str, Any]]:
        """Stored labelled pairs (of one encounter), oldest first."""
        query = select(labelled_pairs).order_by(labelled_pairs.c.id)
        if encounter_id is not None:
            query = query.where(labelled_pairs.c.left_id == encounter_id)
        return [dict(r) for r in self._conn.execute(query).mappings()]
