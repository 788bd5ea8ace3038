"""``/requests``: requests for information between agencies, their files and figures.

Thin routes over ``services.requests``: each opens one unit of work, calls one use case
and shapes the answer. A request of other agencies is a 404 like a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from watchlink.api.auth import AccessDep, ActorDep
from watchlink.model import HandlingCode, RequestPriority, RequestState
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.requests import MAX_BODY, MAX_PAGE, MAX_TITLE, RequestService
from watchlink.services.requests_attachments import AttachmentService, AttachmentStore
from watchlink.services.requests_views import RequestTerms, RequestView
from watchlink.services.responsiveness import ResponsivenessService
from watchlink.settings import Settings
from watchlink.store import UnitOfWork
from watchlink.store.requests_store import AttachmentRecord, EscalationStep

__all__ = ["RequestIn", "RequestOut", "router"]

router = APIRouter(prefix="/requests", tags=["requests"])


class _Services:
    def __init__(self, requests: RequestService, files: AttachmentService) -> None:
        self.requests = requests
        self.files = files
        self.responsiveness = ResponsivenessService(requests.audit, requests.clock)


def get_services(request: Request, access: AccessDep) -> _Services:
    """The app's request services, built once (``app.state.clock`` overrides the clock)."""
    found = getattr(request.app.state, "request_services", None)
    if found is None:
        settings: Settings = request.app.state.settings
        clock: Clock = getattr(request.app.state, "clock", None) or SystemClock()
        service = RequestService(access.trail, clock, RequestTerms.from_settings(settings))
        found = _Services(service, AttachmentService(service, AttachmentStore(settings)))
        request.app.state.request_services = found
    assert isinstance(found, _Services)
    return found


ServicesDep = Annotated[_Services, Depends(get_services)]


class RequestIn(BaseModel):
    """A new request to another agency."""

    model_config = ConfigDict(extra="forbid")
    to: str = Field(min_length=1, max_length=32, description="The receiving agency's code.")
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    priority: RequestPriority = RequestPriority.NORMAL
    subject_id: str | None = Field(default=None, max_length=200)
    hit_id: str | None = Field(default=None, max_length=200)
    handling: HandlingCode = HandlingCode.H1


class MessageIn(BaseModel):
    """A message in a request's conversation; H3 is a note for one's own agency."""

    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=MAX_BODY)
    handling: HandlingCode = HandlingCode.H1
    answer: bool = False


class MessageOut(BaseModel):
    by_agency: str
    by_user: str
    at: datetime
    body: str
    handling: str


class EventOut(BaseModel):
    kind: str
    at: datetime
    by_agency: str
    by_user: str
    level: int | None


class AttachmentOut(BaseModel):
    id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    handling: str
    by_agency: str
    at: datetime

    @classmethod
    def of(cls, record: AttachmentRecord) -> AttachmentOut:
        return cls(
            id=record.id, filename=record.filename, content_type=record.content_type,
            size=record.size, sha256=record.sha256, handling=record.handling,
            by_agency=record.by_agency, at=record.at,
        )  # fmt: skip


class RequestOut(BaseModel):
    """A request as the caller's agency sees it; a withheld subject shows no id."""

    id: str
    from_agency: str
    to_agency: str
    title: str
    priority: str
    state: str
    overdue: bool
    created_at: datetime
    deadline: datetime
    escalation_level: int
    subject_id: str | None
    subject_withheld: bool
    subject_summary: dict[str, Any] | None
    hit_id: str | None
    messages: list[MessageOut]
    events: list[EventOut]
    attachments: list[AttachmentOut]

    @classmethod
    def of(cls, view: RequestView) -> RequestOut:
        return cls(
            id=view.id, from_agency=view.from_agency, to_agency=view.to_agency,
            title=view.title, priority=view.priority, state=view.state, overdue=view.overdue,
            created_at=view.created_at, deadline=view.deadline,
            escalation_level=view.escalation_level, subject_id=view.subject_id,
            subject_withheld=view.subject_withheld, subject_summary=view.subject_summary,
            hit_id=view.hit_id,
            messages=[MessageOut(by_agency=m.by_agency, by_user=m.by_user, at=m.at,
                                 body=m.body, handling=m.handling) for m in view.messages],
            events=[EventOut(kind=e.kind, at=e.at, by_agency=e.by_agency, by_user=e.by_user,
                             level=e.level) for e in view.events],
            attachments=[AttachmentOut.of(a) for a in view.attachments],
        )  # fmt: skip


class StepIO(BaseModel):
    """One level of an escalation chain."""

    model_config = ConfigDict(extra="forbid")
    level: int = Field(ge=1, le=10)
    role: str = Field(min_length=2, max_length=32, examples=["supervisor"])
    recipient: str = Field(min_length=1, max_length=32, description="Agency notified.")
    after_hours: float = Field(ge=0, le=24 * 365, description="Hours past the deadline.")


class ChainIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    steps: list[StepIO] = Field(min_length=1, max_length=10)


class ResponsivenessOut(BaseModel):
    agency: str
    partner: str | None
    received: int
    answered: int
    answered_on_time: int
    open_overdue: int
    median_hours: float | None
    p90_hours: float | None


@router.post("", status_code=201, response_model=RequestOut)
def send_request(body: RequestIn, actor: ActorDep, access: AccessDep, s: ServicesDep) -> RequestOut:
    """Ask another agency; the deadline follows the priority."""
    with UnitOfWork(access.engine) as uow:
        view = s.requests.send(
            uow, actor, body.to, body.title, body.body, body.priority,
            body.subject_id, body.hit_id, body.handling,
        )  # fmt: skip
    return RequestOut.of(view)


@router.get("", response_model=list[RequestOut])
def list_requests(
    actor: ActorDep,
    access: AccessDep,
    s: ServicesDep,
    box: Literal["received", "sent"] = "received",
    state: RequestState | None = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[RequestOut]:
    """The requests the caller's agency received (or sent), oldest first, a page at a time."""
    with UnitOfWork(access.engine) as uow:
        views = s.requests.list_requests(uow, actor, box, state, overdue, limit, offset)
    return [RequestOut.of(v) for v in views]


@router.get("/responsiveness", response_model=list[ResponsivenessOut])
def responsiveness(
    actor: ActorDep,
    access: AccessDep,
    s: ServicesDep,
    by: Literal["agency", "pair"] = "agency",
    since: datetime | None = None,
    agency: Annotated[str | None, Query(max_length=32)] = None,
) -> list[ResponsivenessOut]:
    """Per receiving agency (or sender → receiver pair): answered on time, hours, overdue."""
    with UnitOfWork(access.engine) as uow:
        rows = s.responsiveness.figures(uow, actor, by == "pair", since, agency)
    return [ResponsivenessOut.model_validate(r, from_attributes=True) for r in rows]


@router.get("/escalation-chain", response_model=list[StepIO])
def get_chain(actor: ActorDep, access: AccessDep, s: ServicesDep) -> list[StepIO]:
    """The caller's agency's escalation chain (the default when none is configured)."""
    with UnitOfWork(access.engine) as uow:
        steps = s.requests.escalator.chain_of(uow, actor.agency)
    return [StepIO.model_validate(step, from_attributes=True) for step in steps]


@router.put("/escalation-chain", response_model=list[StepIO])
def set_chain(body: ChainIn, actor: ActorDep, access: AccessDep, s: ServicesDep) -> list[StepIO]:
    """Replace the caller's agency's chain (agency administrators)."""
    steps = [EscalationStep(x.level, x.role, x.recipient, x.after_hours) for x in body.steps]
    with UnitOfWork(access.engine) as uow:
        saved = s.requests.escalator.set_chain(uow, actor, steps, s.requests.now())
    return [StepIO.model_validate(step, from_attributes=True) for step in saved]


@router.get("/attachments/{attachment_id}", response_class=Response)
def download(attachment_id: str, actor: ActorDep, access: AccessDep, s: ServicesDep) -> Response:
    """An attachment's bytes, as a download."""
    with UnitOfWork(access.engine) as uow:
        record, data = s.files.download(uow, actor, attachment_id)
    fallback = record.filename.encode("ascii", "replace").decode().replace('"', "_")
    headers = {
        "Content-Disposition": (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(record.filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
    }
    return Response(data, media_type=record.content_type, headers=headers)


@router.get("/{request_id}", response_model=RequestOut)
def get_request(request_id: str, actor: ActorDep, access: AccessDep, s: ServicesDep) -> RequestOut:
    """One request; 404 alike when missing or between other agencies."""
    with UnitOfWork(access.engine) as uow:
        return RequestOut.of(s.requests.get(uow, actor, request_id))


@router.post("/{request_id}/acknowledge", response_model=RequestOut)
def acknowledge(request_id: str, actor: ActorDep, access: AccessDep, s: ServicesDep) -> RequestOut:
    """The receiving desk has the request in hand."""
    with UnitOfWork(access.engine) as uow:
        return RequestOut.of(s.requests.acknowledge(uow, actor, request_id))


@router.post("/{request_id}/messages", status_code=201, response_model=RequestOut)
def message(
    request_id: str, body: MessageIn, actor: ActorDep, access: AccessDep, s: ServicesDep
) -> RequestOut:
    """Add to the conversation; ``answer: true`` (receiver) answers the request."""
    with UnitOfWork(access.engine) as uow:
        view = s.requests.reply(uow, actor, request_id, body.body, body.handling, body.answer)
    return RequestOut.of(view)


@router.post("/{request_id}/answer", response_model=RequestOut)
def answer(
    request_id: str, body: MessageIn, actor: ActorDep, access: AccessDep, s: ServicesDep
) -> RequestOut:
    """The receiving agency answers."""
    with UnitOfWork(access.engine) as uow:
        view = s.requests.reply(uow, actor, request_id, body.body, body.handling, True)
    return RequestOut.of(view)


@router.post("/{request_id}/close", response_model=RequestOut)
def close(request_id: str, actor: ActorDep, access: AccessDep, s: ServicesDep) -> RequestOut:
    """The sender closes an answered request."""
    with UnitOfWork(access.engine) as uow:
        return RequestOut.of(s.requests.close(uow, actor, request_id))


@router.post("/{request_id}/withdraw", response_model=RequestOut)
def withdraw(request_id: str, actor: ActorDep, access: AccessDep, s: ServicesDep) -> RequestOut:
    """The sender withdraws a request not answered yet."""
    with UnitOfWork(access.engine) as uow:
        return RequestOut.of(s.requests.withdraw(uow, actor, request_id))


@router.post("/{request_id}/escalate", response_model=StepIO)
def escalate(request_id: str, actor: ActorDep, access: AccessDep, s: ServicesDep) -> StepIO:
    """The receiving desk hands the request to the next level of its chain."""
    with UnitOfWork(access.engine) as uow:
        step = s.requests.escalate(uow, actor, request_id)
    return StepIO.model_validate(step, from_attributes=True)


@router.post("/{request_id}/attachments", status_code=201, response_model=AttachmentOut)
def attach(
    request_id: str,
    file: Annotated[UploadFile, File(description="The file to attach.")],
    actor: ActorDep,
    access: AccessDep,
    s: ServicesDep,
    handling: Annotated[HandlingCode, Form()] = HandlingCode.H1,
) -> AttachmentOut:
    """Attach a file (size limit and content type from the settings)."""
    data = file.file.read(s.files.store.max_bytes + 1)  # one byte over is enough to refuse
    content_type = file.content_type or "application/octet-stream"
    name = file.filename or "attachment"
    with UnitOfWork(access.engine) as uow:
        record = s.files.attach(uow, actor, request_id, name, content_type, data, handling)
    return AttachmentOut.of(record)
