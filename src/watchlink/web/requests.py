"""Requests between agencies: received and sent, deadline clocks, answered in place.

Everything goes through ``RequestService``: only the two parties see a request, each
as its view allows (a subject the reader may not read is shown by the summary the
sender shared, or not at all); every read and act is on the audit trail.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.api.auth import AccessDep
from watchlink.api.requests import get_services
from watchlink.errors import WatchlinkError
from watchlink.model import HandlingCode, RequestPriority
from watchlink.services.requests import RequestService
from watchlink.store.unit_of_work import UnitOfWork
from watchlink.web.pages import failure, page, see_other
from watchlink.web.session import LoggedInDep

__all__ = ["get_request_service", "router"]

router = APIRouter(include_in_schema=False)
Box = Literal["received", "sent"]
Step = Literal["acknowledge", "close", "withdraw", "escalate"]


def get_request_service(request: Request, access: AccessDep) -> RequestService:
    """The app's request service: the one the ``/api/v1/requests`` routes use."""
    return get_services(request, access).requests


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, state: LoggedInDep, access: AccessDep, box: Box = "received"
) -> Response:
    """The agency's requests, open ones first, each with its deadline clock."""
    actor = state.actor
    assert actor is not None
    service = get_request_service(request, access)
    try:
        with UnitOfWork(access.engine) as uow:
            views = service.list_requests(uow, actor, box)
    except WatchlinkError as error:
        return failure(request, state, error)
    open_first = sorted(
        views, key=lambda v: (v.state not in ("sent", "acknowledged"), not v.overdue, v.deadline)
    )
    return page(
        request, state, "requests.html", title="Requests", box=box, views=open_first,
        now=service.now(), priorities=list(RequestPriority),
    )  # fmt: skip


@router.post("/requests/{request_id}/reply", response_class=HTMLResponse)
def reply(
    request_id: str,
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
    body: Annotated[str, Form(max_length=20_000)] = "",
    handling: Annotated[HandlingCode, Form()] = HandlingCode.H1,
    answer: Annotated[bool, Form()] = False,
    box: Annotated[Box, Form()] = "received",
) -> Response:
    """A message on the thread; ``answer`` (the receiving desk) answers the request."""
    actor = state.actor
    assert actor is not None
    service = get_request_service(request, access)
    try:
        state.check(csrf)
        with UnitOfWork(access.engine) as uow:
            service.reply(uow, actor, request_id, body, handling, answer)
    except WatchlinkError as error:
        return failure(request, state, error)
    return see_other(f"/requests?box={box}#req-{request_id}")


@router.post("/requests/{request_id}/{step}", response_class=HTMLResponse)
def move(
    request_id: str,
    step: Step,
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
    box: Annotated[Box, Form()] = "received",
) -> Response:
    """Acknowledge or escalate (receiver), close or withdraw (sender)."""
    actor = state.actor
    assert actor is not None
    service = get_request_service(request, access)
    try:
        state.check(csrf)
        with UnitOfWork(access.engine) as uow:
            if step == "acknowledge":
                service.acknowledge(uow, actor, request_id)
            elif step == "close":
                service.close(uow, actor, request_id)
            elif step == "withdraw":
                service.withdraw(uow, actor, request_id)
            else:
                service.escalate(uow, actor, request_id)
    except WatchlinkError as error:
        return failure(request, state, error)
    return see_other(f"/requests?box={box}#req-{request_id}")


@router.post("/requests", response_class=HTMLResponse)
def send(
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
    to_agency: Annotated[str, Form(max_length=32)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    body: Annotated[str, Form(max_length=20_000)] = "",
    priority: Annotated[RequestPriority, Form()] = RequestPriority.NORMAL,
    subject_id: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Ask another agency (about a subject when one is named); then the sent box."""
    actor = state.actor
    assert actor is not None
    service = get_request_service(request, access)
    try:
        state.check(csrf)
        with UnitOfWork(access.engine) as uow:
            sent = service.send(
                uow, actor, to_agency.strip(), title, body, priority, subject_id.strip() or None
            )
    except WatchlinkError as error:
        return failure(request, state, error)
    return see_other(f"/requests?box=sent#req-{sent.id}")
