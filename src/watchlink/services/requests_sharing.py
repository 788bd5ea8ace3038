"""What a request may reveal: the subject as the sender may share it, the hit to its recipients.

Every answer comes from the access policy: the sender asks only about a subject it may
read; the receiver sees the subject if it may read it itself, else only the summary the
sender was allowed to share onward when asking (``requests_views``).
"""

from __future__ import annotations

import dataclasses

from watchlink.access import Action, Actor, Policy, redact_subject, resource_of
from watchlink.errors import NotFound
from watchlink.services.requests_views import share_summary
from watchlink.store import UnitOfWork
from watchlink.store.consents import consenting
from watchlink.store.requests_store import SubjectShare

__all__ = ["reads_subject", "sees_hit", "subject_share", "usable_id"]


def usable_id(value: str | None) -> bool:
    """An id the database can be asked about (no NUL, not absurdly long)."""
    return value is not None and 0 < len(value) <= 200 and "\x00" not in value


def reads_subject(uow: UnitOfWork, policy: Policy, actor: Actor, subject_id: str | None) -> bool:
    """Whether the actor may read the subject now (False when it is gone)."""
    if subject_id is None or not usable_id(subject_id):
        return False
    subject = uow.subjects.get(subject_id)
    if subject is None:
        return False
    resource = resource_of(subject, uow.agencies.country_of(subject.agency))
    return policy.allowed(actor, Action.READ, resource).allow


def sees_hit(uow: UnitOfWork, agency: str, hit_id: str | None) -> bool:
    """Whether the agency is one of the hit's recipients."""
    hit = uow.hits.get(hit_id) if hit_id is not None and usable_id(hit_id) else None
    return hit is not None and any(r.agency == agency for r in hit.recipients)


def subject_share(uow: UnitOfWork, policy: Policy, actor: Actor, subject_id: str) -> SubjectShare:
    """What the sender reveals: the summary it may share onward, or nothing but the id.

    A subject the sender may not read is ``NotFound``, the same as a missing one.
    """
    subject = uow.subjects.get(subject_id) if usable_id(subject_id) else None
    if subject is None:
        raise NotFound("no subject with this id")
    consents = consenting(uow.connection, [subject.id]).get(subject.id, frozenset())
    resource = dataclasses.replace(
        resource_of(subject, uow.agencies.country_of(subject.agency)), consents=consents
    )  # an H2 subject goes onward only to where its owner consented
    if not policy.allowed(actor, Action.READ, resource).allow:
        raise NotFound("no subject with this id")
    handling = subject.sharing.handling.value
    if not policy.allowed(actor, Action.SHARE_ONWARD, resource).allow:
        return SubjectShare(subject_id, {}, handling)
    shared = redact_subject(actor, Action.SHARE_ONWARD, subject, resource, policy)
    return SubjectShare(subject_id, share_summary(shared), handling)
