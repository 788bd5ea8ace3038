"""A subject's page assembled from the services: identity, links, and what lands later.

Every part is read through the policy: the subject with ``SubjectReader.get`` (an
audited read, fields with a stricter handling left out), and each linked subject the
same way, so a link to a subject the reader may not see is not shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.errors import NotFound
from watchlink.model import Decision, Link, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.monitoring import MonitoringService
from watchlink.services.subjects import SubjectReader
from watchlink.store.repositories import LinkRepository
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["LinkedSubject", "SubjectDossier", "decision_history", "linked_subjects"]


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
