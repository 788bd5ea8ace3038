"""A subject's page assembled from the services: identity, monitoring and reviews, the
hits with their encounters and journey map, open requests, and links.

Every part is read through the policy and on the audit trail: the subject with
``SubjectReader.get`` (fields with a stricter handling left out) and each linked subject
the same way, so a link to a subject the reader may not see is not shown at all; hits as
``HitService`` lets the reader see them; requests through ``RequestService``; decisions
and review tasks only for the owning agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.errors import AccessDenied, NotFound
from watchlink.model import Decision, Encounter, Link, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.hits import MAX_INBOX, HitService
from watchlink.services.monitoring import MonitoringService
from watchlink.services.requests import RequestService
from watchlink.services.requests_views import RequestView
from watchlink.services.subjects import SubjectReader
from watchlink.store.monitoring import ReviewTask
from watchlink.store.repositories import LinkRepository
from watchlink.store.unit_of_work import UnitOfWork
from watchlink.web.geo import MapView, map_view
from watchlink.web.inbox import HitRow, hit_rows

__all__ = [
    "LinkedSubject",
    "SubjectDossier",
    "decision_history",
    "journey_map",
    "linked_subjects",
    "subject_hits",
    "subject_requests",
]


@dataclass(frozen=True, slots=True)
class LinkedSubject:
    """A link as shown: the other subject (visible to the reader), kind and source."""

    link: Link
    other: Subject


@dataclass(slots=True)
class SubjectDossier:
    """Everything the subject page shows, each part already filtered for the reader."""

    subject: Subject
    links: list[LinkedSubject] = field(default_factory=list)
    decisions: list[Decision] | None = None  # None: monitoring is the owner's to read
    hits: list[HitRow] = field(default_factory=list)
    requests: list[RequestView] = field(default_factory=list)
    reviews: list[ReviewTask] | None = None  # None: reviews are the owner's
    map: MapView | None = None

    @property
    def encounters(self) -> list[Encounter]:
        """The encounters of the subject's hits the reader received, oldest first."""
        seen = {r.encounter.id: r.encounter for r in self.hits if r.encounter is not None}
        return sorted(seen.values(), key=lambda e: e.occurred_at)


def linked_subjects(
    engine: Engine, reader: SubjectReader, actor: Actor, subject: Subject
) -> list[LinkedSubject]:
    """The subject's links whose other end the actor may read (each an audited read)."""
    with engine.connect() as conn:
        links = LinkRepository(conn).of_subject(subject.id)
    shown: list[LinkedSubject] = []
    for link in links:
        other_id = link.target_subject if link.source_subject == subject.id else link.source_subject
        try:
            other = reader.get(engine, actor, other_id)
        except NotFound:
            continue  # not the reader's to see: the link is not shown either
        shown.append(LinkedSubject(link, other))
    return shown


def decision_history(
    engine: Engine, trail: AuditTrail, actor: Actor, subject: Subject
) -> list[Decision] | None:
    """The monitoring decisions, oldest first, for the owning agency; None for any other
    (the service would refuse, and log the refusal, so it is not asked)."""
    if subject.agency != actor.agency:
        return None
    with UnitOfWork(engine) as uow:
        return MonitoringService(trail).history(uow, actor, subject.id)


def subject_hits(engine: Engine, hits: HitService, actor: Actor, subject: Subject) -> list[HitRow]:
    """The hits on this subject routed to the reader's agency, as it may see them, newest
    first (from the agency's inbox: a hit not routed to it is not shown)."""
    try:
        with UnitOfWork(engine) as uow:
            views = hits.inbox(uow, actor, limit=MAX_INBOX)
            mine = [v for v in views if v.subject is not None and v.subject.id == subject.id]
            return hit_rows(uow, mine)
    except AccessDenied:
        return []  # a role that receives no hits


def journey_map(encounters: list[Encounter]) -> MapView:
    """The countries the encounters place the subject in, with each journey's legs."""
    countries: list[str] = []
    legs: list[tuple[str, str, str]] = []
    for e in encounters:
        countries.append(e.country)
        when = f"{e.occurred_at:%Y-%m-%d}"
        if e.origin_country and e.origin_country != e.country:
            legs.append((e.origin_country, e.country, f"{e.origin_country} → {e.country}, {when}"))
        if e.destination_country and e.destination_country != e.country:
            legs.append(
                (e.country, e.destination_country, f"{e.country} → {e.destination_country}, {when}")
            )
    return map_view(countries, legs)


def subject_requests(
    engine: Engine, service: RequestService, actor: Actor, subject: Subject
) -> list[RequestView]:
    """The open requests about this subject the reader's agency sent or received."""
    found: list[RequestView] = []
    try:
        with UnitOfWork(engine) as uow:
            for box in ("received", "sent"):
                found += [
                    v
                    for v in service.list_requests(uow, actor, box)
                    if v.subject_id == subject.id and v.state in ("sent", "acknowledged")
                ]
    except AccessDenied:
        return []  # a role that works no requests
    return sorted(found, key=lambda v: v.deadline)
