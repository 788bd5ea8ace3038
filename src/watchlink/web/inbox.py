"""The inbox: the hits for the reader's agency, most urgent first, acted on in place.

Hits come from ``HitService`` (each as the reader may see it: the blind notice only,
redacted, or whole). Forms post to the console and come back to the inbox (no script
needed); the live stream only adds new hits without a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.api.auth import AccessDep
from watchlink.api.hits import HitServiceDep
from watchlink.errors import AccessDenied, WatchlinkError
from watchlink.model import ActionOnHit, Encounter, HitState
from watchlink.services.hit_views import HitView
from watchlink.services.hits import HitService
from watchlink.store.unit_of_work import UnitOfWork
from watchlink.web.pages import failure, page, see_other
from watchlink.web.session import LoggedInDep

__all__ = ["HitRow", "hit_rows", "inbox_rows", "router", "urgency"]

router = APIRouter(include_in_schema=False)
INBOX_SIZE = 200
STREAM_PATH = "/api/v1/hits/stream"
"""The agency's live hit stream (``api.stream``), which the inbox's script listens to."""

_ACTION_RANK = {action: rank for rank, action in enumerate(ActionOnHit)}
_OPEN = (HitState.NEW, HitState.ACKNOWLEDGED)


@dataclass(frozen=True, slots=True)
class HitRow:
    """A hit as the inbox shows it: the view, and the encounter when the reader may see it."""

    view: HitView
    encounter: Encounter | None

    @property
    def open(self) -> bool:
        """Still waiting for a judgement from the reader's agency."""
        return self.view.state in _OPEN

    @property
    def rank(self) -> str:
        """``urgency`` as a string that sorts the same way, for the live inbox's script."""
        is_open, action, concern, newest = urgency(self)
        return f"{is_open}{4 + action}{4 + concern}{9_999_999_999 + int(newest):010d}"

    @property
    def tone(self) -> str:
        """How loud the card is: urgent, high or normal."""
        rank = _ACTION_RANK[self.view.action]
        if rank >= _ACTION_RANK[ActionOnHit.REFUSE_ENTRY]:
            return "urgent"
        return "high" if rank >= _ACTION_RANK[ActionOnHit.DISCREET_CHECK] else "normal"


def urgency(row: HitRow) -> tuple[int, int, int, float]:
    """Sort key, most urgent first: open before judged, then the action on hit, the level
    of concern (unknown to a blind reader: lowest) and freshness."""
    view = row.view
    concern = 0 if view.subject is None else int(view.subject.concern)
    return (
        0 if row.open else 1,
        -_ACTION_RANK[view.action],
        -concern,
        -view.created_at.timestamp(),
    )


def hit_rows(uow: UnitOfWork, views: list[HitView]) -> list[HitRow]:
    """The views with the encounters the service let the reader know of."""
    rows = []
    for view in views:
        encounter = None if view.encounter_id is None else uow.encounters.get(view.encounter_id)
        rows.append(HitRow(view, encounter))
    return rows


def inbox_rows(engine: Engine, hits: HitService, actor: Actor) -> list[HitRow]:
    """The agency's hits as the reader may see them, most urgent first."""
    with UnitOfWork(engine) as uow:
        views = hits.inbox(uow, actor, limit=INBOX_SIZE)
        rows = hit_rows(uow, views)
    return sorted(rows, key=urgency)


@router.get("/", response_class=HTMLResponse)
def inbox_page(
    request: Request, state: LoggedInDep, access: AccessDep, hits: HitServiceDep
) -> Response:
    """The hits delivered to the reader's agency, most urgent first."""
    assert state.actor is not None
    refused = None
    try:
        rows = inbox_rows(access.engine, hits, state.actor)
    except AccessDenied as error:
        rows, refused = [], error.message  # a role that receives no hits (an auditor)
    except WatchlinkError as error:
        return failure(request, state, error)
    stream = None if refused else STREAM_PATH
    return page(
        request, state, "inbox.html", title="Inbox", rows=rows, stream=stream, refused=refused
    )


@router.get("/inbox/hits/{hit_id}", response_class=HTMLResponse)
def hit_card(
    hit_id: str, request: Request, state: LoggedInDep, access: AccessDep, hits: HitServiceDep
) -> Response:
    """One hit's card, for the live inbox to insert (the same view the inbox shows)."""
    assert state.actor is not None
    try:
        with UnitOfWork(access.engine) as uow:
            row = hit_rows(uow, [hits.detail(uow, state.actor, hit_id)])[0]
    except WatchlinkError as error:
        return failure(request, state, error)
    return page(request, state, "_hit.html", row=row)


Verb = Literal["acknowledge", "confirm", "reject"]


@router.post("/inbox/hits/{hit_id}/{verb}", response_class=HTMLResponse)
def review_hit(
    hit_id: str,
    verb: Verb,
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    hits: HitServiceDep,
    csrf: Annotated[str | None, Form()] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
    action_taken: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Acknowledge, confirm or reject a hit from its card; back to the inbox at that card."""
    actor = state.actor
    assert actor is not None
    taken = action_taken.strip() or None
    try:
        state.check(csrf)
        with UnitOfWork(access.engine) as uow:
            if verb == "acknowledge":
                hits.acknowledge(uow, actor, hit_id, taken)
            elif verb == "confirm":
                hits.confirm(uow, actor, hit_id, reason, taken)
            else:
                hits.reject(uow, actor, hit_id, reason, taken)
    except WatchlinkError as error:
        return failure(request, state, error)
    return see_other(f"/#hit-{hit_id}")
