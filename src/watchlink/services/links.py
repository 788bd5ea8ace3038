"""Links between subjects, asserted by an agency: stored, audited, and a trigger for review.

Whoever links two subjects must be allowed to read both and to write records; the link
carries the caller's agency as its source, never one from the payload. A new link from
an active subject to a dormant or closed one reopens the latter for review
(``triggers.on_link``) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from watchlink.access import Action, Actor, Resource, resource_of
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem, NotFound
from watchlink.model import AuditAction, Link, LinkKind
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.monitoring import usable_id
from watchlink.services.triggers import on_link
from watchlink.store.monitoring import ReviewTask
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["LinkInput", "LinkService"]

NOT_FOUND = "no subject with this id"


@dataclass(frozen=True, slots=True)
class LinkInput:
    """A link as a desk asserts it."""

    source_subject: str
    target_subject: str
    kind: LinkKind
    confidence: float = 1.0
    note: str | None = None


class LinkService:
    """Create links through the policy, with the review triggers they set off."""

    def __init__(self, trail: AuditTrail) -> None:
        self.trail = trail

    def create(
        self, uow: UnitOfWork, actor: Actor, given: LinkInput, at: datetime
    ) -> tuple[Link, list[ReviewTask]]:
        """Store the link and open the review tasks it triggers; returns both."""
        problems = []
        if given.source_subject == given.target_subject:
            problems.append(InputProblem("a subject is not linked to itself", field="target"))
        if not 0.0 < given.confidence <= 1.0:
            problems.append(InputProblem("between 0 (excluded) and 1", field="confidence"))
        if problems:
            raise InputError("the link is not valid", problems)
        own = Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
        verdict = self.trail.policy.allowed(actor, Action.WRITE, own)
        if not verdict.allow:
            raise AccessDenied(f"linking subjects is refused ({verdict.reason})")
        self.trail.claim_writer(uow.connection)
        wanted = [given.source_subject, given.target_subject]
        ends = uow.subjects.get_many([i for i in wanted if usable_id(i)])
        visible = [
            s
            for s in ends
            if self.trail.policy.allowed(
                actor, Action.READ, resource_of(s, uow.agencies.country_of(s.agency))
            ).allow
        ]
        what = f"link {given.source_subject} {given.kind.value} {given.target_subject}"
        if len(visible) != 2:
            self.trail.record(
                uow.connection, Who.of(actor), AuditAction.READ, [], f"refused: {what}"
            )
            uow.commit()
            raise NotFound(NOT_FOUND)
        for known in uow.links.of_subject(given.source_subject):
            same_ends = {known.source_subject, known.target_subject} == {
                given.source_subject,
                given.target_subject,
            }
            if same_ends and known.kind is given.kind and known.source == actor.agency:
                raise Conflict("the agency already recorded this link")
        link = Link(
            given.source_subject,
            given.target_subject,
            given.kind,
            actor.agency,
            given.confidence,
            given.note,
            at,
        )
        uow.links.add(link)
        records = [given.source_subject, given.target_subject]
        self.trail.record(uow.connection, Who.of(actor), AuditAction.WRITE, records, what)
        return link, on_link(uow, link, at, trail=self.trail)
