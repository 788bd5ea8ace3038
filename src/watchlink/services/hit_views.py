"""A hit as one viewer may see it: the blind notice only, the redacted hit, or everything.

The owner of the matched subject sees everything (the subject, score, explanation, every
recipient and review, the links). A viewer who may read the subject sees it redacted
for its agency, the score and those explanation lines that name nothing hidden from it,
the links to subjects it may read, and its own agency's reviews. A viewer who may not
read the subject, or whose agency received the hit blind, sees the blind notice: the
action to take, the agency to contact and a reference; no name, score, explanation,
link or count, and a state made of its own agency's reviews only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from watchlink.access import (
    Action,
    Actor,
    BlindNotice,
    Policy,
    Resource,
    blind_notice,
    is_blind,
    redact_subject,
)
from watchlink.model import (
    ActionOnHit,
    Hit,
    HitRecipient,
    HitRecipientRole,
    HitReview,
    HitState,
    Link,
    Subject,
)

__all__ = ["HitView", "agency_state", "blind_for", "hidden_texts", "view_hit"]


@dataclass(slots=True)
class HitView:
    """What a viewer receives about a hit; the optional parts are None when withheld."""

    id: str
    reference: str
    blind: bool
    role: HitRecipientRole | None  # how the viewer's agency received it
    state: HitState
    created_at: datetime
    action: ActionOnHit
    contact_agency: str
    notice: str
    encounter_id: str | None = None  # the reporter's own encounter, or for a reader
    subject: Subject | None = None
    score: float | None = None
    explanation: list[str] | None = None
    co_travellers: list[str] | None = None
    recipients: list[HitRecipient] | None = None
    reviews: list[HitReview] = field(default_factory=list)
    links: list[Link] | None = None


def agency_state(reviews: Sequence[HitReview], agency: str) -> HitState:
    """The state a hit has from one agency's own reviews (NEW when it made none)."""
    own = [r for r in reviews if r.agency == agency]
    return own[-1].state if own else HitState.NEW


def blind_for(policy: Policy, viewer: Actor, hit: Hit, resource: Resource) -> bool:
    """Whether ``viewer`` gets the blind notice: its agency received the hit blind (or not
    at all), or the viewer may not read the subject (e.g. the owner's border officer)."""
    if is_blind(viewer, resource, policy):
        return True
    if viewer.agency == resource.owner_agency:
        return False
    received = next((r for r in hit.recipients if r.agency == viewer.agency), None)
    return received is None or received.blind


def hidden_texts(full: Subject, shown: Subject) -> list[str]:
    """Names and document numbers of ``full`` that ``shown`` (its redaction) leaves out."""
    names = {n.full for n in shown.names}
    numbers = {d.number for d in shown.documents}
    hidden = [n.full for n in full.names if n.full not in names]
    hidden += [d.number for d in full.documents if d.number not in numbers]
    return [text.casefold() for text in hidden if text.strip()]


def view_hit(
    policy: Policy,
    viewer: Actor,
    hit: Hit,
    subject: Subject,
    resource: Resource,
    reporter_agency: str,
    links: Sequence[Link] = (),
    readable: frozenset[str] = frozenset(),
) -> HitView:
    """The hit as ``viewer`` may see it (``readable``: linked subject ids it may read)."""
    received = next((r for r in hit.recipients if r.agency == viewer.agency), None)
    notice: BlindNotice = blind_notice(hit.id, subject.action_on_hit, subject.agency)
    owner = viewer.agency == subject.agency
    blind = blind_for(policy, viewer, hit, resource)
    base = HitView(
        id=hit.id,
        reference=notice.reference,
        blind=blind,
        role=None if received is None else received.role,
        state=agency_state(hit.reviews, viewer.agency) if blind else hit.state,
        created_at=hit.created_at,
        action=notice.action,
        contact_agency=notice.contact_agency,
        notice=notice.text,
        reviews=[r for r in hit.reviews if r.agency == viewer.agency],
    )
    if viewer.agency == reporter_agency:
        base.encounter_id = hit.encounter_id
    if blind:
        return base
    base.encounter_id = hit.encounter_id
    base.score = hit.score
    base.co_travellers = list(hit.co_travellers)
    if owner:
        base.subject = subject
        base.explanation = list(hit.explanation)
        base.recipients = list(hit.recipients)
        base.reviews = list(hit.reviews)
        base.links = list(links)
        return base
    shown = redact_subject(viewer, Action.READ, subject, resource, policy)
    hidden = hidden_texts(subject, shown)
    base.subject = shown
    base.explanation = [
        line for line in hit.explanation if not any(h in line.casefold() for h in hidden)
    ]
    base.links = [
        link
        for link in links
        if {link.source_subject, link.target_subject} - {subject.id} <= readable
    ]
    return base
