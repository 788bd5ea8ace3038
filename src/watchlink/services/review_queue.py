"""The review queue of a desk: list it by priority, resolve tasks, extend review dates.

An agency sees only its own tasks; a task of another agency is ``NotFound``, exactly
like a task that does not exist. Resolving records what the desk made of the evidence,
optionally with a monitoring decision taken in the same transaction. An extension moves
a subject's review date on with a recorded reason (append-only), no further than one
period of its category from today, and cancels a pending deletion.
"""

from __future__ import annotations

from datetime import date, datetime

from watchlink.access import Action, Actor, Resource
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem, NotFound
from watchlink.model import AuditAction, Decision
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.monitoring import (
    DecisionInput,
    MonitoringService,
    owned_subject,
    usable_id,
)
from watchlink.services.review_periods import ReviewPeriods
from watchlink.store.monitoring import OPEN, Extension, ReviewTask, set_monitoring_state
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["ReviewService"]

MAX_PAGE = 500
TASK_NOT_FOUND = "no review task with this id"


class ReviewService:
    """A desk's review queue, the resolution of its tasks and review extensions."""

    def __init__(self, trail: AuditTrail, periods: ReviewPeriods | None = None) -> None:
        self.trail = trail
        self.periods = periods if periods is not None else ReviewPeriods()
        self.monitoring = MonitoringService(trail, self.periods)

    def queue(
        self, uow: UnitOfWork, actor: Actor, state: str = OPEN, limit: int = 100, offset: int = 0
    ) -> list[ReviewTask]:
        """The actor's agency's tasks, highest priority first; the reading is audited."""
        own = Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
        verdict = self.trail.policy.allowed(actor, Action.LIST, own)
        if not verdict.allow:
            raise AccessDenied(f"the review queue is refused ({verdict.reason})")
        self.trail.claim_writer(uow.connection)
        limit = max(1, min(limit, MAX_PAGE))
        tasks = uow.reviews.queue(actor.agency, state, limit, max(0, offset))
        records = list(dict.fromkeys(t.subject_id for t in tasks))
        what = f"review queue state={state} limit={limit} offset={offset}"
        self.trail.record(uow.connection, Who.of(actor), AuditAction.SEARCH, records, what)
        return tasks

    def resolve(
        self,
        uow: UnitOfWork,
        actor: Actor,
        task_id: str,
        resolution: str,
        at: datetime,
        decision: DecisionInput | None = None,
    ) -> tuple[ReviewTask, Decision | None]:
        """Close an open task of the actor's agency, with a decision when one is given."""
        self.trail.claim_writer(uow.connection)
        task = uow.reviews.get(task_id) if usable_id(task_id) else None
        if task is None or task.agency != actor.agency:
            what = f"refused: resolve review task {task_id}"
            self.trail.record(uow.connection, Who.of(actor), AuditAction.READ, [], what)
            uow.commit()
            raise NotFound(TASK_NOT_FOUND)
        what = f"resolve review task {task.id}"
        owned_subject(uow, self.trail, actor, task.subject_id, Action.WRITE, what)
        if not resolution.strip():
            problem = InputProblem("say what was made of the evidence", field="resolution")
            raise InputError("a resolution needs a text", [problem])
        if task.state != OPEN:
            raise Conflict("this review task is already resolved")
        made = None
        if decision is not None:
            made = self.monitoring.decide(uow, actor, task.subject_id, decision, at)
        decision_id = None if made is None else made.id
        uow.reviews.resolve(task.id, actor.user, at, resolution.strip(), decision_id)
        uow.reviews.reprioritise(task.subject_id)
        records = [task.subject_id, task.id, *([] if made is None else [made.id])]
        self.trail.record(uow.connection, Who.of(actor), AuditAction.WRITE, records, what)
        resolved = uow.reviews.get(task.id)
        assert resolved is not None
        return resolved, made

    def extend(
        self,
        uow: UnitOfWork,
        actor: Actor,
        subject_id: str,
        reason: str,
        at: datetime,
        new_date: date | None = None,
    ) -> Extension:
        """Move the subject's review date on, with the reason; owner only."""
        what = f"extend review of {subject_id}"
        subject = owned_subject(uow, self.trail, actor, subject_id, Action.WRITE, what)
        today = at.date()
        furthest = self.periods.review_date(subject.action_on_hit, today)
        chosen = new_date if new_date is not None else furthest
        problems = []
        if not reason.strip():
            problems.append(InputProblem("an extension needs its reason", field="reason"))
        if chosen <= today:
            problems.append(InputProblem("the new date must be in the future", field="new_date"))
        if chosen > furthest:
            limit = f"at most {furthest.isoformat()} for this category"
            problems.append(InputProblem(limit, field="new_date"))
        if problems:
            raise InputError("the extension is not valid", problems)
        extension = Extension(
            subject.id, actor.agency, actor.user, at, subject.review_date, chosen, reason.strip()
        )
        uow.reviews.add_extension(extension)
        set_monitoring_state(uow.connection, subject.id, at, review_date=chosen)
        uow.retention.cancel(subject.id)
        for task in uow.reviews.of_subject(subject.id):
            if task.state == OPEN and task.trigger == "review_due":
                uow.reviews.resolve(task.id, actor.user, at, f"extended to {chosen}", None)
        uow.reviews.reprioritise(subject.id)
        records = [subject.id]
        self.trail.record(uow.connection, Who.of(actor), AuditAction.WRITE, records, what)
        return extension
