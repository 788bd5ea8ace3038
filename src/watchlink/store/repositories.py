"""Repositories of agencies, links, encounters, hits, requests and decisions.

Each works on the unit of work's ``Connection``; none decides anything: they store and
fetch model objects. Hit reviews and decisions are append-only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from watchlink.model import (
    Agency,
    Decision,
    Encounter,
    Hit,
    HitReview,
    InfoRequest,
    Link,
    PartnerGroup,
    RequestMessage,
)
from watchlink.store.chunks import chunked
from watchlink.store.dialect import bulk_chunk_size, bulk_insert_rows, insert_ignore, upsert
from watchlink.store.mapping import (
    Row,
    agency_from_row,
    agency_row,
    document_key,
    link_from_row,
    link_row,
)
from watchlink.store.mapping_casework import (
    decision_from_row,
    decision_row,
    encounter_from_row,
    encounter_row,
    hit_from_rows,
    hit_rows,
    message_rows,
    request_from_rows,
    request_row,
    review_row,
)
from watchlink.store.tables import agencies, links, partner_group_members, partner_groups
from watchlink.store.tables_casework import (
    decisions,
    encounters,
    hit_recipients,
    hit_reviews,
    hits,
    info_requests,
    request_messages,
)

__all__ = [
    "AgencyRepository",
    "DecisionRepository",
    "EncounterRepository",
    "HitRepository",
    "LinkRepository",
    "RequestRepository",
]


class AgencyRepository:
    """Agencies and the partner groups they form."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, agency: Agency) -> bool:
        """Insert an agency; False (and nothing changed) when the code is taken."""
        statement = upsert(agencies, self._conn.dialect.name, ["code"], [])
        added = self._conn.execute(statement.returning(agencies.c.code), agency_row(agency))
        return added.first() is not None

    def upsert(self, agency: Agency) -> None:
        """Insert an agency, or update the one with the same code."""
        row = agency_row(agency)
        changed = [c for c in row if c != "code"]
        self._conn.execute(upsert(agencies, self._conn.dialect.name, ["code"], changed), [row])

    def get(self, code: str) -> Agency | None:
        """The agency with this code, or None."""
        row = self._conn.execute(select(agencies).where(agencies.c.code == code)).mappings()
        found = row.first()
        return None if found is None else agency_from_row(found)

    def country_of(self, code: str) -> str | None:
        """The agency's country, or None when unknown."""
        query = select(agencies.c.country).where(agencies.c.code == code)
        return self._conn.execute(query).scalar_one_or_none()

    def upsert_group(self, group: PartnerGroup) -> None:
        """Insert or replace a partner group and its members."""
        name = self._conn.dialect.name
        self._conn.execute(
            upsert(partner_groups, name, ["code"], ["name"]),
            [{"code": group.code, "name": group.name}],
        )
        self._conn.execute(
            delete(partner_group_members).where(partner_group_members.c.group_code == group.code)
        )
        members = [{"group_code": group.code, "agency_code": m} for m in sorted(group.members)]
        if members:
            self._conn.execute(insert(partner_group_members), members)

    def get_group(self, code: str) -> PartnerGroup | None:
        """The partner group with this code, with its members, or None."""
        return next((g for g in self.groups() if g.code == code), None)

    def groups(self) -> list[PartnerGroup]:
        """Every partner group, by code."""
        found = {
            row.code: PartnerGroup(row.code, row.name)
            for row in self._conn.execute(select(partner_groups).order_by(partner_groups.c.code))
        }
        for row in self._conn.execute(select(partner_group_members)):
            found[row.group_code].members.add(row.agency_code)
        return list(found.values())

    def groups_of(self, code: str) -> set[str]:
        """The codes of the partner groups the agency belongs to."""
        query = select(partner_group_members.c.group_code).where(
            partner_group_members.c.agency_code == code
        )
        return set(self._conn.scalars(query))

    def list(self) -> list[Agency]:
        """Every agency, by code."""
        rows = self._conn.execute(select(agencies).order_by(agencies.c.code)).mappings()
        return [agency_from_row(row) for row in rows]


class LinkRepository:
    """Links between subjects."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, link: Link) -> None:
        """Store one link."""
        self._conn.execute(insert(links), [link_row(link)])

    def bulk_insert(self, items: Iterable[Link]) -> int:
        """Store many links (executemany in chunks); returns how many."""
        count = 0
        for chunk in chunked(items, bulk_chunk_size(self._conn.dialect.name)):
            bulk_insert_rows(self._conn, links, [link_row(link) for link in chunk])
            count += len(chunk)
        return count

    def of_subject(self, subject_id: str) -> list[Link]:
        """The links from or to a subject, oldest stored first."""
        query = (
            select(links)
            .where(or_(links.c.source_subject == subject_id, links.c.target_subject == subject_id))
            .order_by(links.c.id)
        )
        return [link_from_row(row) for row in self._conn.execute(query).mappings()]

    def count(self) -> int:
        """How many links are stored."""
        return int(self._conn.execute(select(func.count()).select_from(links)).scalar_one())


_SKIPPED_IN_THE_INSERT = 4  # at most this many: one insert that skips a taken id


@lru_cache(maxsize=4)
def _insert_new(dialect_name: str) -> Insert:
    """An encounter's insert that skips a taken id, returning the ids stored (built once
    per dialect, so it is compiled once)."""
    return insert_ignore(encounters, dialect_name, ["id"]).returning(encounters.c.id)


class EncounterRepository:
    """Encounters, with the person and the document as presented."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, encounter: Encounter) -> None:
        """Store one encounter."""
        self._conn.execute(insert(encounters), [encounter_row(encounter)])

    def bulk_insert(self, items: Iterable[Encounter]) -> int:
        """Store many encounters (executemany in chunks); returns how many."""
        count = 0
        for chunk in chunked(items, bulk_chunk_size(self._conn.dialect.name)):
            self._conn.execute(insert(encounters), [encounter_row(e) for e in chunk])
            count += len(chunk)
        return count

    def add_new(self, items: Sequence[Encounter]) -> set[str]:
        """Store the encounters whose ids are free; returns the ids stored (an id given
        twice is stored once, the first time).

        A few (a single report) go in one insert that skips a taken id itself
        (``ON CONFLICT DO NOTHING ... RETURNING``) instead of a read of the ids in use
        and an insert: the unique key decides, so of two concurrent calls with one id
        the second waits for the first to end, then finds the id taken. More go by a
        read of the ids in use per chunk, then one executemany of the free ones: the
        insert's ``RETURNING`` over many rows is one long statement, several times the
        CPU of the read.
        """
        name = self._conn.dialect.name
        if len(items) <= _SKIPPED_IN_THE_INSERT:
            rows = [encounter_row(e) for e in items]
            return set(self._conn.execute(_insert_new(name), rows).scalars())
        stored: set[str] = set()
        for chunk in chunked(items, bulk_chunk_size(name)):
            ids = [e.id for e in chunk]
            taken: set[str] = set()
            for part in chunked(ids, 500):
                query = select(encounters.c.id).where(encounters.c.id.in_(part))
                taken.update(self._conn.scalars(query))
            rows = []
            for encounter in chunk:
                if encounter.id not in taken and encounter.id not in stored:
                    rows.append(encounter_row(encounter))
                    stored.add(encounter.id)
            if rows:
                self._conn.execute(insert(encounters), rows)
        return stored

    def get(self, encounter_id: str) -> Encounter | None:
        """The encounter with this id, or None."""
        query = select(encounters).where(encounters.c.id == encounter_id)
        row = self._conn.execute(query).mappings().first()
        return None if row is None else encounter_from_row(row)

    def iter_all(
        self, batch_size: int = 1_000, where: ColumnElement[bool] | None = None
    ) -> Iterator[Encounter]:
        """Every encounter (``where`` selects, on the encounters table), by id."""
        last: str | None = None
        while True:
            query = select(encounters).order_by(encounters.c.id).limit(max(1, batch_size))
            if where is not None:
                query = query.where(where)
            if last is not None:
                query = query.where(encounters.c.id > last)
            rows = list(self._conn.execute(query).mappings())
            if not rows:
                return
            yield from (encounter_from_row(row) for row in rows)
            last = rows[-1]["id"]

    def by_group(self, group_ref: str) -> list[Encounter]:
        """The encounters of one booking or group, by time."""
        query = (
            select(encounters)
            .where(encounters.c.group_ref == group_ref)
            .order_by(encounters.c.occurred_at, encounters.c.id)
        )
        return [encounter_from_row(row) for row in self._conn.execute(query).mappings()]

    def by_document(self, number: str) -> list[Encounter]:
        """The encounters where a document of this number (normalised) was presented."""
        query = (
            select(encounters)
            .where(encounters.c.document_number_key == document_key(number))
            .order_by(encounters.c.occurred_at, encounters.c.id)
        )
        return [encounter_from_row(row) for row in self._conn.execute(query).mappings()]

    def count(self) -> int:
        """How many encounters are stored."""
        return int(self._conn.execute(select(func.count()).select_from(encounters)).scalar_one())


_MARK_DELIVERED = (
    update(hit_recipients)
    .where(
        hit_recipients.c.hit_id == bindparam("b_hit"),
        hit_recipients.c.agency == bindparam("b_agency"),
    )
    .values(delivered_at=bindparam("b_at"))
)


class HitRepository:
    """Hits, their recipients and their append-only reviews."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, hit: Hit) -> None:
        """Store a hit with its recipients and reviews."""
        row, recipients, reviews = hit_rows(hit)
        self._conn.execute(insert(hits), [row])
        if recipients:
            self._conn.execute(insert(hit_recipients), recipients)
        if reviews:
            self._conn.execute(insert(hit_reviews), reviews)

    def get(self, hit_id: str) -> Hit | None:
        """The hit with this id, or None."""
        found = self._load(hits.c.id == hit_id)
        return found[0] if found else None

    def get_many(self, hit_ids: list[str]) -> list[Hit]:
        """The hits with these ids that exist, newest first."""
        return self._load(hits.c.id.in_(hit_ids)) if hit_ids else []

    def for_agency(self, agency: str) -> list[Hit]:
        """The hits delivered or due to an agency, newest first."""
        mine = select(hit_recipients.c.hit_id).where(hit_recipients.c.agency == agency)
        return self._load(hits.c.id.in_(mine))

    def add_review(self, hit_id: str, review: HitReview) -> None:
        """Append a review and make its state the hit's current state."""
        self._conn.execute(insert(hit_reviews), [review_row(hit_id, review)])
        self._conn.execute(update(hits).where(hits.c.id == hit_id).values(state=review.state.value))

    def mark_delivered_many(self, reached: Sequence[tuple[str, str]], at: datetime) -> None:
        """Record when hits reached recipients: (hit id, agency) pairs, in one statement."""
        if not reached:
            return
        self._conn.execute(
            _MARK_DELIVERED, [{"b_hit": h, "b_agency": a, "b_at": at} for h, a in reached]
        )

    def _load(self, where: ColumnElement[bool]) -> list[Hit]:
        query = select(hits).where(where).order_by(hits.c.created_at.desc(), hits.c.id)
        rows = list(self._conn.execute(query).mappings())
        ids = [row["id"] for row in rows]
        recipients: dict[str, list[Row]] = defaultdict(list)
        reviews: dict[str, list[Row]] = defaultdict(list)
        for r in self._conn.execute(
            select(hit_recipients).where(hit_recipients.c.hit_id.in_(ids))
        ).mappings():
            recipients[r["hit_id"]].append(r)
        for r in self._conn.execute(
            select(hit_reviews).where(hit_reviews.c.hit_id.in_(ids)).order_by(hit_reviews.c.id)
        ).mappings():
            reviews[r["hit_id"]].append(r)
        return [hit_from_rows(row, recipients[row["id"]], reviews[row["id"]]) for row in rows]


class RequestRepository:
    """Requests for information between agencies, with their messages."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, request: InfoRequest) -> None:
        """Store a new request with its messages."""
        self._conn.execute(insert(info_requests), [request_row(request)])
        if request.messages:
            self._conn.execute(insert(request_messages), message_rows(request.id, request.messages))

    def save(self, request: InfoRequest) -> None:
        """Update a stored request's fields; append the messages not stored yet."""
        row = request_row(request)
        self._conn.execute(
            update(info_requests).where(info_requests.c.id == request.id).values(row)
        )
        stored = self._conn.execute(
            select(func.count()).where(request_messages.c.request_id == request.id)
        ).scalar_one()
        new = request.messages[int(stored) :]
        if new:
            self._conn.execute(insert(request_messages), message_rows(request.id, new, int(stored)))

    def add_message(self, request_id: str, message: RequestMessage) -> None:
        """Append one message to a request's conversation."""
        stored = self._conn.execute(
            select(func.count()).where(request_messages.c.request_id == request_id)
        ).scalar_one()
        self._conn.execute(
            insert(request_messages), message_rows(request_id, [message], int(stored))
        )

    def get(self, request_id: str) -> InfoRequest | None:
        """The request with this id, or None."""
        found = self.where(info_requests.c.id == request_id)
        return found[0] if found else None

    def where(self, condition: ColumnElement[bool] | None = None) -> list[InfoRequest]:
        """The requests ``condition`` selects (on ``info_requests``), oldest first."""
        query = select(info_requests).order_by(info_requests.c.created_at, info_requests.c.id)
        if condition is not None:
            query = query.where(condition)
        rows = list(self._conn.execute(query).mappings())
        messages: dict[str, list[Row]] = defaultdict(list)
        ids = [row["id"] for row in rows]
        for m in self._conn.execute(
            select(request_messages)
            .where(request_messages.c.request_id.in_(ids))
            .order_by(request_messages.c.request_id, request_messages.c.position)
        ).mappings():
            messages[m["request_id"]].append(m)
        return [request_from_rows(row, messages[row["id"]]) for row in rows]


class DecisionRepository:
    """Monitoring decisions: append-only; the newest of a subject is the one in force."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, decision: Decision) -> None:
        """Append a decision."""
        self._conn.execute(insert(decisions), [decision_row(decision)])

    def of_subject(self, subject_id: str) -> list[Decision]:
        """A subject's decisions, oldest first."""
        query = (
            select(decisions)
            .where(decisions.c.subject_id == subject_id)
            .order_by(decisions.c.decided_at, decisions.c.id)
        )
        return [decision_from_row(row) for row in self._conn.execute(query).mappings()]

    def latest(self, subject_id: str) -> Decision | None:
        """The decision in force for a subject, or None."""
        found = self.of_subject(subject_id)
        return found[-1] if found else None
