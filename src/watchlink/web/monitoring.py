"""Monitoring from the subject page: the owning desk decides, and resolves review tasks.

``MonitoringService.decide`` appends a decision (start, change level, suspend, stop);
``ReviewService.resolve`` closes a review task raised by new evidence, with a decision
when the desk makes one. Both are the owner's alone and on the audit trail.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.api.auth import AccessDep
from watchlink.errors import AccessDenied, InputError, InputProblem, WatchlinkError
from watchlink.model import ConcernLevel, DecisionKind, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.monitoring import DECIDABLE, DecisionInput, MonitoringService
from watchlink.services.review_queue import ReviewService
from watchlink.store.monitoring import ReviewTask
from watchlink.store.unit_of_work import UnitOfWork
from watchlink.web.pages import failure, page, see_other
from watchlink.web.session import LoggedInDep

__all__ = ["DECIDABLE", "open_reviews", "router"]

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]


def _clock(request: Request) -> Clock:
    clock = getattr(request.app.state, "clock", None)
    return clock if isinstance(clock, Clock) else SystemClock()


def _decision(kind: str, reason: str, legal_basis: str, level: str) -> DecisionInput | None:
    if not kind:
        return None
    concern = ConcernLevel(int(level)) if level.isdigit() else None
    return DecisionInput(DecisionKind(kind), reason, legal_basis, concern)


def open_reviews(
    engine: Engine, trail: AuditTrail, actor: Actor, subject: Subject
) -> list[ReviewTask] | None:
    """The open review tasks on this subject, for its owning agency (None for others)."""
    if subject.agency != actor.agency:
        return None
    try:
        with UnitOfWork(engine) as uow:
            tasks = ReviewService(trail).queue(uow, actor, limit=500)
    except AccessDenied:
        return None
    return [t for t in tasks if t.subject_id == subject.id]


@router.get("/reviews", response_class=HTMLResponse)
def review_queue(request: Request, state: LoggedInDep, access: AccessDep) -> Response:
    """The agency's open review tasks, highest priority first (resolved on the subject)."""
    actor = state.actor
    assert actor is not None
    try:
        with UnitOfWork(access.engine) as uow:
            tasks = ReviewService(access.trail).queue(uow, actor, limit=200)
    except WatchlinkError as error:
        return failure(request, state, error)
    return page(request, state, "reviews.html", title="Reviews", tasks=tasks)


@router.post("/subjects/{subject_id}/decisions", response_class=HTMLResponse)
def decide(
    subject_id: str,
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
    kind: Annotated[DecisionKind, Form()] = DecisionKind.CHANGE_LEVEL,
    reason: Text = "",
    legal_basis: Text = "",
    level: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Append a monitoring decision of the owning desk; back to the subject."""
    actor = state.actor
    assert actor is not None
    try:
        state.check(csrf)
        given = _decision(kind.value, reason, legal_basis, level)
        assert given is not None
        with UnitOfWork(access.engine) as uow:
            MonitoringService(access.trail).decide(
                uow, actor, subject_id, given, _clock(request).now()
            )
    except (WatchlinkError, ValueError) as error:
        return failure(request, state, _as_input(error))
    return see_other(f"/subjects/{subject_id}#h-monitoring")


@router.post("/subjects/{subject_id}/reviews/{task_id}", response_class=HTMLResponse)
def resolve(
    subject_id: str,
    task_id: str,
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
    resolution: Text = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    reason: Text = "",
    legal_basis: Text = "",
    level: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Resolve a review task, with a decision when one is chosen; back to the subject."""
    actor = state.actor
    assert actor is not None
    try:
        state.check(csrf)
        decision = _decision(kind, reason or resolution, legal_basis, level)
        with UnitOfWork(access.engine) as uow:
            ReviewService(access.trail).resolve(
                uow, actor, task_id, resolution, _clock(request).now(), decision
            )
    except (WatchlinkError, ValueError) as error:
        return failure(request, state, _as_input(error))
    return see_other(f"/subjects/{subject_id}#h-monitoring")


def _as_input(error: Exception) -> WatchlinkError:
    """A bad choice in a form (an unknown kind or level) as the input error it is."""
    if isinstance(error, WatchlinkError):
        return error
    return InputError("the form is not valid", [InputProblem(str(error))])
