"""Requests between agencies: received and sent, deadline clocks, answered in place.

Everything goes through ``RequestService``: only the two parties see a request, each
as its view allows (a subject the reader may not read is shown by the summary the
sender shared, or not at all); every read and act is on the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.access import Actor
from watchlink.api.auth import AccessDep
from watchlink.api.requests import get_services
from watchlink.errors import WatchlinkError
from watchlink.model import HandlingCode, RequestPriority
from watchlink.services.access_wiring import AccessContext
from watchlink.services.requests import RequestService
from watchlink.services.requests_views import RequestView
from watchlink.store.unit_of_work import UnitOfWork
from watchlink.web.pages import failure, page, see_other
from watchlink.web.session import Console, LoggedInDep

__all__ = ["get_request_service", "router"]

router = APIRouter(include_in_schema=False)
Box = Literal["received", "sent"]
Step = Literal["acknowledge", "close", "withdraw", "escalate"]
T = TypeVar("T")


def get_request_service(request: Request, access: AccessDep) -> RequestService:
    """The app's request service: the one the ``/api/v1/requests`` routes use."""
    return get_services(request, access).requests


def _answer(
    request: Request,
    state: Console,
    access: AccessContext,
    work: Callable[[RequestService, UnitOfWork, Actor], T],
    then: Callable[[RequestService, T], Response],
    csrf: str | None = None,
    *,
    posted: bool = True,
) -> Response:
    """Do ``work`` for the logged-in desk in one unit of work, then answer with ``then``.

    A posted form's token is checked first; a refusal, an unknown request or bad input
    (any ``WatchlinkError``) rolls the work back and answers with the failure page.
    """
    actor = state.actor
    assert actor is not None
    service = get_request_service(request, access)
    try:
        if posted:
            state.check(csrf)
        with UnitOfWork(access.engine) as uow:
            done = work(service, uow, actor)
    except WatchlinkError as error:
        return failure(request, state, error)
    return then(service, done)


def _thread(box: Box, request_id: str) -> Callable[[RequestService, object], Response]:
    """After a form: back to the request's thread in ``box``."""
    return lambda _service, _done: see_other(f"/requests?box={box}#req-{request_id}")


_STEPS: dict[Step, Callable[[RequestService, UnitOfWork, Actor, str], object]] = {
    "acknowledge": RequestService.acknowledge,
    "close": RequestService.close,
    "withdraw": RequestService.withdraw,
    "escalate": RequestService.escalate,
}


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, state: LoggedInDep, access: AccessDep, box: Box = "received"
) -> Response:
    """The agency's requests, open ones first, each with its deadline clock."""

    def work(service: RequestService, uow: UnitOfWork, actor: Actor) -> list[RequestView]:
        return service.list_requests(uow, actor, box)

    def shown(service: RequestService, views: list[RequestView]) -> Response:
        open_first = sorted(
            views,
            key=lambda v: (v.state not in ("sent", "acknowledged"), not v.overdue, v.deadline),
        )
        return page(
            request, state, "requests.html", title="Requests", box=box, views=open_first,
            now=service.now(), priorities=list(RequestPriority),
        )  # fmt: skip

    return _answer(request, state, access, work, shown, posted=False)


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

    def work(service: RequestService, uow: UnitOfWork, actor: Actor) -> object:
        return service.reply(uow, actor, request_id, body, handling, answer)

    return _answer(request, state, access, work, _thread(box, request_id), csrf)


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

    def work(service: RequestService, uow: UnitOfWork, actor: Actor) -> object:
        return _STEPS[step](service, uow, actor, request_id)

    return _answer(request, state, access, work, _thread(box, request_id), csrf)


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

    def work(service: RequestService, uow: UnitOfWork, actor: Actor) -> RequestView:
        about = subject_id.strip() or None
        return service.send(uow, actor, to_agency.strip(), title, body, priority, about)

    def sent_box(_service: RequestService, sent: RequestView) -> Response:
        return see_other(f"/requests?box=sent#req-{sent.id}")

    return _answer(request, state, access, work, sent_box, csrf)
