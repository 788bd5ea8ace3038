"""Monitoring decisions: start, change level, suspend, stop; append-only, owner only.

Each decision carries its reason, legal basis, who decided and a review date (by
default the period for the subject's action-on-hit category). A new decision
supersedes the one in force and nothing is overwritten; the subject's status, concern
level, legal basis and review date follow the newest decision. Suspending or stopping
does not take a subject off the watchlist: it is screened like any other, and a hit on
it reopens it for review (``services.triggers``).

Only the owning agency decides or reads the history. A subject the caller may not see
and one that does not exist give the same ``NotFound``; a visible subject of another
agency gives ``AccessDenied``. Every act, refused ones included, is a line of the audit
trail: a refusal commits its line before the error is raised.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import NoReturn

from watchlink.access import Action, Actor, resource_of
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem, NotFound
from watchlink.model import (
    AuditAction,
    ConcernLevel,
    Decision,
    DecisionKind,
    Subject,
    SubjectStatus,
)
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.review_periods import ReviewPeriods
from watchlink.store.monitoring import decision_history, set_monitoring_state
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["DECIDABLE", "DecisionInput", "MonitoringService", "owned_subject", "usable_id"]

NOT_FOUND = "no subject with this id"
MAX_ID = 200

DECIDABLE = (
    DecisionKind.START,
    DecisionKind.CHANGE_LEVEL,
    DecisionKind.SUSPEND,
    DecisionKind.STOP,
)
"""The kinds a desk decides; ``reopen_for_review`` is written by the triggers only."""

_STATUS_AFTER = {
    DecisionKind.START: SubjectStatus.ACTIVE,
    DecisionKind.SUSPEND: SubjectStatus.DORMANT,
    DecisionKind.STOP: SubjectStatus.CLOSED,
}


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """What a desk decides: the kind, why, on what legal basis, and optionally level and date."""

    kind: DecisionKind
    reason: str
    legal_basis: str
    level: ConcernLevel | None = None
    review_date: date | None = None


def usable_id(text: str) -> bool:
    """Whether an id can name a stored record at all (else it is simply not found)."""
    return 0 < len(text) <= MAX_ID and "\x00" not in text


def _refuse(
    uow: UnitOfWork, trail: AuditTrail, actor: Actor, what: str, error: Exception
) -> NoReturn:
    """Record a refused act, commit that line, then raise the refusal."""
    trail.record(uow.connection, Who.of(actor), AuditAction.READ, [], f"refused: {what}")
    uow.commit()
    raise error


def owned_subject(
    uow: UnitOfWork, trail: AuditTrail, actor: Actor, subject_id: str, action: Action, what: str
) -> Subject:
    """The subject, when the actor's agency owns it and its role allows ``action`` on it.

    Missing and not visible give the same ``NotFound``; visible but not the actor's to
    act on gives ``AccessDenied`` with the policy's reason.
    """
    trail.claim_writer(uow.connection)
    subject = uow.subjects.get(subject_id) if usable_id(subject_id) else None
    if subject is None:
        _refuse(uow, trail, actor, what, NotFound(NOT_FOUND))
    resource = resource_of(subject, uow.agencies.country_of(subject.agency))
    if not trail.policy.allowed(actor, Action.READ, resource).allow:
        _refuse(uow, trail, actor, what, NotFound(NOT_FOUND))
    verdict = trail.policy.allowed(actor, action, resource)
    if not verdict.allow:
        _refuse(uow, trail, actor, what, AccessDenied(f"{what} refused ({verdict.reason})"))
    if subject.agency != actor.agency:
        reason = "monitoring is the owning agency's"
        _refuse(uow, trail, actor, what, AccessDenied(f"{what} refused ({reason})"))
    return subject


def _check(subject: Subject, latest: Decision | None, given: DecisionInput, today: date) -> None:
    problems: list[InputProblem] = []
    if given.kind not in DECIDABLE:
        allowed = ", ".join(k.value for k in DECIDABLE)
        problems.append(InputProblem(f"use one of {allowed}", field="kind"))
    if not given.reason.strip():
        problems.append(InputProblem("a decision needs a reason", field="reason"))
    if not given.legal_basis.strip():
        problems.append(InputProblem("a decision needs its legal basis", field="legal_basis"))
    if given.kind is DecisionKind.CHANGE_LEVEL and given.level is None:
        problems.append(InputProblem("a change of level names the new level", field="level"))
    if given.review_date is not None and given.review_date <= today:
        problems.append(InputProblem("the review date must be in the future", field="review_date"))
    if problems:
        raise InputError("the decision is not valid", problems)
    status = subject.status
    watching = latest is not None and latest.kind in (DecisionKind.START, DecisionKind.CHANGE_LEVEL)
    if given.kind is DecisionKind.START and status is SubjectStatus.ACTIVE and watching:
        raise Conflict("monitoring is already running; change its level instead")
    if given.kind in (DecisionKind.CHANGE_LEVEL, DecisionKind.SUSPEND) and (
        status is not SubjectStatus.ACTIVE
    ):
        raise Conflict(f"the subject is {status.value}: start monitoring first")
    if given.kind is DecisionKind.CHANGE_LEVEL and given.level == subject.concern:
        raise Conflict("the subject is already at this level")
    if given.kind is DecisionKind.STOP and status is SubjectStatus.CLOSED:
        raise Conflict("monitoring is already stopped")


class MonitoringService:
    """Decide and read a subject's monitoring, through the policy, on the audit trail."""

    def __init__(self, trail: AuditTrail, periods: ReviewPeriods | None = None) -> None:
        self.trail = trail
        self.periods = periods if periods is not None else ReviewPeriods()

    def decide(
        self, uow: UnitOfWork, actor: Actor, subject_id: str, given: DecisionInput, at: datetime
    ) -> Decision:
        """Append a decision of the owning agency; the subject follows it."""
        what = f"decision {given.kind.value} on {subject_id}"
        subject = owned_subject(uow, self.trail, actor, subject_id, Action.WRITE, what)
        history = decision_history(uow.connection, subject.id)
        latest = history[-1] if history else None
        _check(subject, latest, given, at.date())
        review = given.review_date or self.periods.review_date(subject.action_on_hit, at.date())
        decision = Decision(
            id=f"dec-{uuid.uuid4().hex}",
            subject_id=subject.id,
            kind=given.kind,
            reason=given.reason.strip(),
            decided_by=actor.user,
            agency=actor.agency,
            decided_at=at,
            level=given.level if given.level is not None else subject.concern,
            legal_basis=given.legal_basis.strip(),
            review_date=review,
            supersedes=None if latest is None else latest.id,
        )
        uow.decisions.add(decision)
        set_monitoring_state(
            uow.connection,
            subject.id,
            at,
            status=_STATUS_AFTER.get(given.kind),
            concern=given.level,
            review_date=review,
            legal_basis=decision.legal_basis,
        )
        uow.retention.cancel(subject.id)  # a fresh decision sets a fresh review date
        self.trail.record(
            uow.connection, Who.of(actor), AuditAction.WRITE, [subject.id, decision.id], what
        )
        return decision

    def history(self, uow: UnitOfWork, actor: Actor, subject_id: str) -> list[Decision]:
        """The subject's decisions, oldest first (the newest is in force); owner only."""
        what = f"decision history of {subject_id}"
        subject = owned_subject(uow, self.trail, actor, subject_id, Action.READ, what)
        found = decision_history(uow.connection, subject.id)
        records = [subject.id, *(d.id for d in found)]
        self.trail.record(uow.connection, Who.of(actor), AuditAction.READ, records, what)
        return found
