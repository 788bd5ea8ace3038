"""``/hits``: the agency's inbox, one hit, and its review (acknowledge, confirm, reject).

Thin routes: the view of each hit (blind notice, redacted or whole) is decided in
``services.hits``; a blind hit's body holds the notice and nothing else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from watchlink.access import Actor
from watchlink.api.auth import AccessDep, ActorDep
from watchlink.api.subjects import SubjectOut
from watchlink.model import HitState
from watchlink.services.access_wiring import AccessContext
from watchlink.services.hit_views import HitView
from watchlink.services.hits import MAX_INBOX, HitService
from watchlink.services.screening import ScreeningService
from watchlink.settings import Settings
from watchlink.store.unit_of_work import UnitOfWork

__all__ = [
    "HitOut",
    "HitServiceDep",
    "get_hit_service",
    "get_screening",
    "router",
    "screening_of",
]

router = APIRouter(prefix="/hits", tags=["hits"])


def screening_of(app: FastAPI, access: AccessContext) -> ScreeningService:
    """The app's screening service (one warm index per process), made on first use (its
    index is built apart, by ``warm``)."""
    service = getattr(app.state, "screening", None)
    if service is None:
        settings = app.state.settings
        assert isinstance(settings, Settings)
        service = ScreeningService(access.trail, settings.screening_threshold)
        app.state.screening = service
    assert isinstance(service, ScreeningService)
    return service


# The dependencies below only look up (or make, without I/O) a per-app service: coroutines,
# run on the event loop, as a thread-pool trip would cost more than they do.
async def get_screening(request: Request, access: AccessDep) -> ScreeningService:
    """:func:`screening_of` the request's app."""
    return screening_of(request.app, access)


async def get_hit_service(request: Request, access: AccessDep) -> HitService:
    """The app's hit workflow service, built on first use."""
    service = getattr(request.app.state, "hit_service", None)
    if service is None:
        service = HitService(access.trail)
        request.app.state.hit_service = service
    assert isinstance(service, HitService)
    return service


HitServiceDep = Annotated[HitService, Depends(get_hit_service)]


class RecipientOut(BaseModel):
    agency: str
    role: str
    blind: bool
    delivered_at: datetime | None


class ReviewOut(BaseModel):
    state: str
    by_user: str
    agency: str
    at: datetime
    reason: str | None
    action_taken: str | None


class LinkOut(BaseModel):
    source_subject: str
    target_subject: str
    kind: str


class HitOut(BaseModel):
    """A hit as the caller may see it. A blind hit carries only the notice fields."""

    id: str
    reference: str = Field(description="Quote it when contacting the agency.")
    blind: bool
    role: str | None = Field(description="How the caller's agency received the hit.")
    state: str
    created_at: datetime
    action: str = Field(description="What the desk meeting the person must do.")
    contact_agency: str
    notice: str
    encounter_id: str | None = None
    subject: SubjectOut | None = None
    score: float | None = None
    explanation: list[str] | None = None
    co_travellers: list[str] | None = None
    recipients: list[RecipientOut] | None = None
    reviews: list[ReviewOut] | None = None
    links: list[LinkOut] | None = None

    @classmethod
    def of(cls, view: HitView, actor: Actor) -> HitOut:
        """The wire form of a view already decided for ``actor``."""
        return cls(
            id=view.id,
            reference=view.reference,
            blind=view.blind,
            role=None if view.role is None else view.role.value,
            state=view.state.value,
            created_at=view.created_at,
            action=view.action.value,
            contact_agency=view.contact_agency,
            notice=view.notice,
            encounter_id=view.encounter_id,
            subject=None if view.subject is None else SubjectOut.of(view.subject, actor),
            score=view.score,
            explanation=view.explanation,
            co_travellers=view.co_travellers,
            recipients=None
            if view.recipients is None
            else [
                RecipientOut(
                    agency=r.agency, role=r.role.value, blind=r.blind, delivered_at=r.delivered_at
                )
                for r in view.recipients
            ],
            reviews=[
                ReviewOut(
                    state=r.state.value,
                    by_user=r.by_user,
                    agency=r.agency,
                    at=r.at,
                    reason=r.reason,
                    action_taken=r.action_taken,
                )
                for r in view.reviews
            ]
            or None,
            links=None
            if view.links is None
            else [
                LinkOut(
                    source_subject=k.source_subject, target_subject=k.target_subject, kind=k.kind
                )
                for k in view.links
            ],
        )


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action_taken: str | None = Field(default=None, max_length=2_000)


class JudgementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2_000, description="Why; kept on the hit.")
    action_taken: str | None = Field(default=None, max_length=2_000)


@router.get("", response_model=list[HitOut], response_model_exclude_none=True)
def inbox(
    actor: ActorDep,
    access: AccessDep,
    hits: HitServiceDep,
    state: HitState | None = None,
    since: datetime | None = None,
    blind: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_INBOX)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[HitOut]:
    """The hits routed to the caller's agency, newest first."""
    with UnitOfWork(access.engine) as uow:
        views = hits.inbox(uow, actor, state, since, blind, limit, offset)
    return [HitOut.of(v, actor) for v in views]


@router.get("/{hit_id}", response_model=HitOut, response_model_exclude_none=True)
def detail(hit_id: str, actor: ActorDep, access: AccessDep, hits: HitServiceDep) -> HitOut:
    """One hit; 404 alike when it does not exist or was not routed to the caller's agency."""
    with UnitOfWork(access.engine) as uow:
        view = hits.detail(uow, actor, hit_id)
    return HitOut.of(view, actor)


@router.post("/{hit_id}/acknowledge", response_model=HitOut, response_model_exclude_none=True)
def acknowledge(
    hit_id: str,
    actor: ActorDep,
    access: AccessDep,
    hits: HitServiceDep,
    body: AcknowledgeIn | None = None,
) -> HitOut:
    """The caller's agency has seen the hit (and what it did about it)."""
    action_taken = None if body is None else body.action_taken
    with UnitOfWork(access.engine) as uow:
        view = hits.acknowledge(uow, actor, hit_id, action_taken)
    return HitOut.of(view, actor)


@router.post("/{hit_id}/confirm", response_model=HitOut, response_model_exclude_none=True)
def confirm(
    hit_id: str, actor: ActorDep, access: AccessDep, hits: HitServiceDep, body: JudgementIn
) -> HitOut:
    """A true match: the person is the subject (kept for the model to learn from)."""
    with UnitOfWork(access.engine) as uow:
        view = hits.confirm(uow, actor, hit_id, body.reason, body.action_taken)
    return HitOut.of(view, actor)


@router.post("/{hit_id}/reject", response_model=HitOut, response_model_exclude_none=True)
def reject(
    hit_id: str, actor: ActorDep, access: AccessDep, hits: HitServiceDep, body: JudgementIn
) -> HitOut:
    """Not the person (kept for the model to learn from)."""
    with UnitOfWork(access.engine) as uow:
        view = hits.reject(uow, actor, hit_id, body.reason, body.action_taken)
    return HitOut.of(view, actor)
