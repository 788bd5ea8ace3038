"""Monitoring decisions, the review queue, review extensions and links: thin routes.

The decisions are in ``services.monitoring``, ``services.review_queue`` and
``services.links``; each route opens one unit of work and hands it the caller. The time
is the app's clock (``app.state.clock``, the system clock unless a test sets one).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from watchlink.api.auth import AccessDep, ActorDep
from watchlink.api.deps import SettingsDep
from watchlink.model import ConcernLevel, Decision, DecisionKind, LinkKind
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.links import LinkInput, LinkService
from watchlink.services.monitoring import DecisionInput, MonitoringService
from watchlink.services.review_periods import ReviewPeriods
from watchlink.services.review_queue import MAX_PAGE, ReviewService
from watchlink.store.monitoring import ReviewTask
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["DecisionIn", "DecisionOut", "ReviewTaskOut", "router"]

router = APIRouter(tags=["monitoring and review"])


async def get_clock(request: Request) -> Clock:
    """The app's clock: ``app.state.clock`` when set, else the system clock."""
    clock = getattr(request.app.state, "clock", None)
    return clock if isinstance(clock, Clock) else SystemClock()


def get_uow(access: AccessDep) -> Iterator[UnitOfWork]:
    """One unit of work for the request: committed when the route returns."""
    with UnitOfWork(access.engine) as uow:
        yield uow


ClockDep = Annotated[Clock, Depends(get_clock)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def _reviews(access: AccessDep, settings: SettingsDep) -> ReviewService:
    return ReviewService(access.trail, ReviewPeriods.from_settings(settings))


ReviewsDep = Annotated[ReviewService, Depends(_reviews)]

DecidableKind = Literal["start", "change_level", "suspend", "stop"]


class DecisionIn(BaseModel):
    """A monitoring decision of the owning desk; who decided is the caller."""

    model_config = ConfigDict(extra="forbid")
    kind: DecidableKind
    reason: str = Field(min_length=1, max_length=5_000)
    legal_basis: str = Field(min_length=1, max_length=500)
    level: ConcernLevel | None = Field(default=None, description="1 low … 4 critical.")
    review_date: date | None = Field(
        default=None, description="Default: the period of the subject's action-on-hit."
    )

    def to_input(self) -> DecisionInput:
        """The service's input."""
        kind = DecisionKind(self.kind)
        return DecisionInput(kind, self.reason, self.legal_basis, self.level, self.review_date)


class DecisionOut(BaseModel):
    id: str
    subject_id: str
    kind: str
    reason: str
    decided_by: str
    agency: str
    decided_at: datetime
    level: int | None
    legal_basis: str | None
    review_date: date | None
    supersedes: str | None

    @classmethod
    def of(cls, decision: Decision) -> DecisionOut:
        """The wire form of a decision."""
        return cls(
            id=decision.id,
            subject_id=decision.subject_id,
            kind=decision.kind.value,
            reason=decision.reason,
            decided_by=decision.decided_by,
            agency=decision.agency,
            decided_at=decision.decided_at,
            level=None if decision.level is None else int(decision.level),
            legal_basis=decision.legal_basis,
            review_date=decision.review_date,
            supersedes=decision.supersedes,
        )


class ReviewTaskOut(BaseModel):
    """A piece of evidence before the desk, with the subject's priority in the queue."""

    id: str
    subject_id: str
    agency: str
    trigger: str
    evidence: dict[str, Any]
    priority: int
    state: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None
    decision_id: str | None

    @classmethod
    def of(cls, task: ReviewTask) -> ReviewTaskOut:
        """The wire form of a task."""
        fields = {name: getattr(task, name) for name in cls.model_fields}
        return cls(**fields)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: str = Field(min_length=1, max_length=5_000)
    decision: DecisionIn | None = None


class Resolved(BaseModel):
    task: ReviewTaskOut
    decision: DecisionOut | None


class ExtendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=5_000)
    review_date: date | None = Field(
        default=None, description="Default and latest: one period of the category from today."
    )


class ExtensionOut(BaseModel):
    subject_id: str
    previous_date: date | None
    review_date: date
    reason: str
    by_user: str
    at: datetime


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_subject: str = Field(min_length=1, max_length=200)
    target_subject: str = Field(min_length=1, max_length=200)
    kind: LinkKind
    confidence: float = Field(default=1.0, gt=0.0, le=1.0)
    note: str | None = Field(default=None, max_length=2_000)


class LinkOut(BaseModel):
    source_subject: str
    target_subject: str
    kind: str
    source: str
    confidence: float
    note: str | None
    created_at: datetime | None
    review_tasks: list[str] = Field(description="Review tasks this link opened.")


@router.get("/subjects/{subject_id}/decisions", response_model=list[DecisionOut])
def list_decisions(
    subject_id: str, actor: ActorDep, access: AccessDep, uow: UowDep
) -> list[DecisionOut]:
    """The subject's monitoring decisions, oldest first; the owning agency only."""
    found = MonitoringService(access.trail).history(uow, actor, subject_id)
    return [DecisionOut.of(d) for d in found]


@router.post("/subjects/{subject_id}/decisions", response_model=DecisionOut, status_code=201)
def add_decision(
    subject_id: str,
    body: DecisionIn,
    actor: ActorDep,
    reviews: ReviewsDep,
    uow: UowDep,
    clock: ClockDep,
) -> DecisionOut:
    """Start, change the level of, suspend or stop the monitoring of one's own subject."""
    made = reviews.monitoring.decide(uow, actor, subject_id, body.to_input(), clock.now())
    return DecisionOut.of(made)


@router.post("/subjects/{subject_id}/extend", response_model=ExtensionOut)
def extend_review(
    subject_id: str,
    body: ExtendIn,
    actor: ActorDep,
    reviews: ReviewsDep,
    uow: UowDep,
    clock: ClockDep,
) -> ExtensionOut:
    """Move the subject's review date on, with the reason; this keeps it from closing."""
    done = reviews.extend(uow, actor, subject_id, body.reason, clock.now(), body.review_date)
    return ExtensionOut(
        subject_id=done.subject_id,
        previous_date=done.previous_date,
        review_date=done.new_date,
        reason=done.reason,
        by_user=done.by_user,
        at=done.at,
    )


@router.get("/reviews", response_model=list[ReviewTaskOut])
def review_queue(
    actor: ActorDep,
    reviews: ReviewsDep,
    uow: UowDep,
    state: Literal["open", "resolved"] = "open",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ReviewTaskOut]:
    """The caller's agency's review tasks, highest priority first."""
    return [ReviewTaskOut.of(t) for t in reviews.queue(uow, actor, state, limit, offset)]


@router.post("/reviews/{task_id}/resolve", response_model=Resolved)
def resolve_review(
    task_id: str,
    body: ResolveIn,
    actor: ActorDep,
    reviews: ReviewsDep,
    uow: UowDep,
    clock: ClockDep,
) -> Resolved:
    """Say what was made of the evidence, with a monitoring decision when one is taken."""
    decision = None if body.decision is None else body.decision.to_input()
    task, made = reviews.resolve(uow, actor, task_id, body.resolution, clock.now(), decision)
    return Resolved(
        task=ReviewTaskOut.of(task), decision=None if made is None else DecisionOut.of(made)
    )


@router.post("/links", response_model=LinkOut, status_code=201)
def create_link(
    body: LinkIn, actor: ActorDep, access: AccessDep, uow: UowDep, clock: ClockDep
) -> LinkOut:
    """Link two subjects the caller may read; a resting one linked to an active one is
    reopened for review."""
    given = LinkInput(
        body.source_subject, body.target_subject, body.kind, body.confidence, body.note
    )
    link, tasks = LinkService(access.trail).create(uow, actor, given, clock.now())
    return LinkOut(
        source_subject=link.source_subject,
        target_subject=link.target_subject,
        kind=link.kind.value,
        source=link.source,
        confidence=link.confidence,
        note=link.note,
        created_at=link.created_at,
        review_tasks=[t.id for t in tasks],
    )
