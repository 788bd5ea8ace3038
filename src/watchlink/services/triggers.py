"""Triggers that bring a dormant or closed subject back before its owning desk.

A hit on the subject, a new link to an active subject, a partner list import that
matches it, or a partner's request about it: each becomes a review task for the owning
agency with the evidence attached, in the transaction of the act that found it. A
piece of evidence makes at most one task, ever (the store's unique key); the first
task on a resting subject appends a ``reopen_for_review`` decision to its history; an
outbox row tells the desk; each task adds its weight to the subject's priority in the
review queue; and each is a line of the audit trail. An active subject is already
watched: its hits, links and requests reach the desk by their own queues, so nothing
is added for it here.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from watchlink.access import Action, Actor, resource_of
from watchlink.model import (
    AuditAction,
    Decision,
    DecisionKind,
    Hit,
    InfoRequest,
    Link,
    Role,
    Subject,
    SubjectStatus,
)
from watchlink.services.audit import AuditTrail, Who
from watchlink.store.monitoring import OPEN, ReviewTask, decision_history
from watchlink.store.unit_of_work import UnitOfWork

__all__ = [
    "RESTING",
    "SYSTEM_USER",
    "TRIGGER_WEIGHTS",
    "default_trail",
    "desk_actor",
    "hit_evidence",
    "may_read",
    "on_hit",
    "on_import_match",
    "on_link",
    "on_request",
    "open_review_task",
    "reopening",
    "store_review_task",
]

SYSTEM_USER = "watchlink:triggers"

TRIGGER_WEIGHTS: dict[str, int] = {
    "hit": 3,  # the person was met: the strongest sign
    "link": 2,
    "import_match": 2,
    "request": 2,
    "review_due": 1,  # the calendar, not new evidence
}
"""What one task adds to its subject's queue priority, times the subject's concern level."""

RESTING = (SubjectStatus.DORMANT, SubjectStatus.CLOSED)
"""The states in which new evidence puts a subject back before its desk."""
_RESTING = RESTING


_TRAILS: dict[tuple[str, int, str], AuditTrail] = {}


def default_trail() -> AuditTrail:
    """The audit trail of the configured deployment (settings' key and policy), built once
    per key, so callers that pass no trail still sign with the key ``audit verify`` uses."""
    from watchlink.services.access_wiring import load_policy
    from watchlink.settings import get_settings

    settings = get_settings()
    key = (
        str(settings.effective_audit_key_path),
        settings.audit_checkpoint_every,
        str(settings.access_roles_file),
    )
    if key not in _TRAILS:
        _TRAILS[key] = AuditTrail.from_settings(settings, load_policy(settings))
    return _TRAILS[key]


def desk_actor(uow: UnitOfWork, agency: str) -> Actor:
    """The owning desk as the policy sees it: an analyst of ``agency``, for evidence checks."""
    return Actor(
        user=SYSTEM_USER,
        agency=agency,
        country=uow.agencies.country_of(agency) or "",
        roles=frozenset({Role.ANALYST}),
        groups=frozenset(uow.agencies.groups_of(agency)),
    )


def may_read(uow: UnitOfWork, trail: AuditTrail, agency: str, other: Subject) -> bool:
    """Whether the desk of ``agency`` may read ``other`` (decides what evidence may name)."""
    resource = resource_of(other, uow.agencies.country_of(other.agency))
    return trail.policy.allowed(desk_actor(uow, agency), Action.READ, resource).allow


def reopening(task: ReviewTask, subject: Subject, history: Sequence[Decision]) -> Decision | None:
    """The ``reopen_for_review`` decision a resting subject's new task appends to its
    ``history``, unless that is the decision in force already."""
    latest = history[-1] if history else None
    if latest is not None and latest.kind is DecisionKind.REOPEN_FOR_REVIEW:
        return None
    return Decision(
        id=f"dec-{uuid.uuid4().hex}",
        subject_id=subject.id,
        kind=DecisionKind.REOPEN_FOR_REVIEW,
        reason=f"new evidence ({task.trigger}): {task.evidence_key}",
        decided_by=SYSTEM_USER,
        agency=subject.agency,
        decided_at=task.created_at,
        legal_basis=None if latest is None else latest.legal_basis,
        review_date=subject.review_date,
        supersedes=None if latest is None else latest.id,
    )


def store_review_task(
    uow: UnitOfWork,
    subject: Subject,
    trigger: str,
    evidence_key: str,
    evidence: Mapping[str, Any],
    at: datetime,
    *,
    reopen: bool = True,
) -> tuple[ReviewTask, list[str]] | None:
    """Store the task, its reopening decision and its outbox row, without the audit line
    (the caller writes it: one per task, or one per batch for the review sweep).

    Returns the task and the record ids the audit line names; None when the evidence
    already has a task. With ``reopen`` a resting subject's history gains a
    ``reopen_for_review`` decision, once until the desk decides again.
    """
    weight = TRIGGER_WEIGHTS[trigger] * int(subject.concern)
    task = uow.reviews.add(
        ReviewTask(
            id=f"rt-{uuid.uuid4().hex}",
            subject_id=subject.id,
            agency=subject.agency,
            trigger=trigger,
            evidence_key=evidence_key,
            evidence=dict(evidence),
            weight=weight,
            priority=weight,
            state=OPEN,
            created_at=at,
        )
    )
    if task is None:
        return None
    records = [subject.id, task.id]
    if reopen and subject.status in _RESTING:
        history = decision_history(uow.connection, subject.id)
        reopened = reopening(task, subject, history)
        if reopened is not None:
            uow.decisions.add(reopened)
            records.append(reopened.id)
    payload = {"task_id": task.id, "subject_id": subject.id, "trigger": trigger}
    uow.outbox.add("review_task", subject.agency, task.id, payload, at)
    return task, records


def open_review_task(
    uow: UnitOfWork,
    subject: Subject,
    trigger: str,
    evidence_key: str,
    evidence: Mapping[str, Any],
    at: datetime,
    *,
    trail: AuditTrail | None = None,
    reopen: bool = True,
) -> ReviewTask | None:
    """Put one piece of evidence before the subject's owning desk, with its audit line;
    None when that evidence is already there (see ``store_review_task``)."""
    trail = trail if trail is not None else default_trail()
    trail.claim_writer(uow.connection)
    stored = store_review_task(uow, subject, trigger, evidence_key, evidence, at, reopen=reopen)
    if stored is None:
        return None
    task, records = stored
    who = Who(SYSTEM_USER, subject.agency, "system")
    trail.record(uow.connection, who, AuditAction.WRITE, records, f"review task {trigger}")
    return task


def on_hit(
    uow: UnitOfWork, hit: Hit, subject: Subject, at: datetime, *, trail: AuditTrail | None = None
) -> ReviewTask | None:
    """A hit on a dormant or closed subject: the person was met; the desk reviews."""
    if subject.status not in _RESTING:
        return None
    evidence = hit_evidence(hit)
    return open_review_task(uow, subject, "hit", f"hit:{hit.id}", evidence, at, trail=trail)


def hit_evidence(hit: Hit) -> dict[str, Any]:
    """What a hit's review task shows the desk: the hit, its encounter, score and why."""
    return {
        "hit_id": hit.id,
        "encounter_id": hit.encounter_id,
        "score": round(float(hit.score), 4),
        "explanation": list(hit.explanation)[:10],
        "hit_at": hit.created_at.isoformat(),
    }


def on_link(
    uow: UnitOfWork, link: Link, at: datetime, *, trail: AuditTrail | None = None
) -> list[ReviewTask]:
    """A new link between an active subject and a resting one: the resting one is reviewed.

    The evidence names the active subject only when the resting subject's owner may read
    it; otherwise it says which agency holds it.
    """
    trail = trail if trail is not None else default_trail()
    ends = {s.id: s for s in uow.subjects.get_many([link.source_subject, link.target_subject])}
    left, right = ends.get(link.source_subject), ends.get(link.target_subject)
    if left is None or right is None:
        return []
    first, second = sorted((link.source_subject, link.target_subject))
    key = f"link:{link.kind.value}:{first}:{second}:{link.source}"
    made: list[ReviewTask] = []
    for resting, active in ((left, right), (right, left)):
        if resting.status not in _RESTING or active.status is not SubjectStatus.ACTIVE:
            continue
        visible = may_read(uow, trail, resting.agency, active)
        evidence = {
            "link_kind": link.kind.value,
            "linked_subject": active.id if visible else None,
            "linked_agency": active.agency,
            "asserted_by": link.source,
            "confidence": link.confidence,
            "note": link.note if visible else None,
        }
        task = open_review_task(uow, resting, "link", key, evidence, at, trail=trail)
        if task is not None:
            made.append(task)
    return made


def on_import_match(
    uow: UnitOfWork,
    subject_id: str,
    evidence: Mapping[str, Any],
    at: datetime,
    *,
    trail: AuditTrail | None = None,
) -> ReviewTask | None:
    """A partner's list import names a resting subject.

    ``evidence`` holds at least ``agency`` (who imported) and ``record_id`` (the matching
    record); the pair is the evidence key, so re-importing the same list adds nothing.
    """
    subject = uow.subjects.get(subject_id)
    if subject is None or subject.status not in _RESTING:
        return None
    key = f"import:{evidence['agency']}:{evidence['record_id']}"
    return open_review_task(uow, subject, "import_match", key, evidence, at, trail=trail)


def on_request(
    uow: UnitOfWork, request: InfoRequest, at: datetime, *, trail: AuditTrail | None = None
) -> ReviewTask | None:
    """A partner's request, addressed to the owner, about a resting subject."""
    if request.subject_id is None or request.from_agency == request.to_agency:
        return None
    subject = uow.subjects.get(request.subject_id)
    if subject is None or subject.status not in _RESTING or subject.agency != request.to_agency:
        return None
    evidence = {
        "request_id": request.id,
        "from_agency": request.from_agency,
        "title": request.subject,
        "priority": request.priority.value,
        "asked_at": request.created_at.isoformat(),
    }
    key = f"request:{request.id}"
    return open_review_task(uow, subject, "request", key, evidence, at, trail=trail)
