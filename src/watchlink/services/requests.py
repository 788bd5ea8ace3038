"""Requests for information between agencies: send, read, acknowledge, answer, close.

Only the two parties know a request exists: any other agency gets the same
``NotFound`` as for a missing id, so it can neither read, answer nor escalate it. The
sender asks about a subject only if it may read it, and the request reveals of that
subject only what the sender may share onward (``requests_views``). Every act and every
read is one audit line in the act's transaction; state changes are conditional
updates, so two officers acting at once cannot both succeed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select

from watchlink.access import Actor, permissions_of
from watchlink.access.actions import Permission
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem, NotFound
from watchlink.model import (
    AuditAction,
    HandlingCode,
    InfoRequest,
    RequestMessage,
    RequestPriority,
    RequestState,
)
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.clock import Clock
from watchlink.services.requests_escalation import Escalator
from watchlink.services.requests_sharing import reads_subject, sees_hit, subject_share, usable_id
from watchlink.services.requests_views import (
    OPEN_STATES,
    RequestTerms,
    RequestView,
    view_of,
)
from watchlink.services.triggers import on_request
from watchlink.store import UnitOfWork
from watchlink.store.requests_store import (
    EscalationStep,
    RequestCaseRepository,
    RequestEvent,
    SubjectShare,
)
from watchlink.store.tables_casework import info_requests

__all__ = ["MAX_BODY", "MAX_PAGE", "MAX_TITLE", "NOT_FOUND", "RequestService"]

NOT_FOUND = "no request with this id"
MAX_TITLE = 300
MAX_BODY = 20_000
MAX_PAGE = 500
_S = RequestState


def _text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text or len(text) > limit or "\x00" in text:
        raise InputError(
            f"bad {field}", [InputProblem(f"1 to {limit} characters, no NUL", field=field)]
        )
    return text


class RequestService:
    """The use cases of requests; each takes the caller's unit of work and actor."""

    def __init__(self, audit: AuditTrail, clock: Clock, terms: RequestTerms) -> None:
        self.audit = audit
        self.policy = audit.policy
        self.clock = clock
        self.terms = terms
        self.escalator = Escalator(audit, terms)

    # -- checks -----------------------------------------------------------------------
    def _require_desk(self, actor: Actor) -> None:
        if Permission.SUBJECT_READ not in permissions_of(actor, self.policy.roles):
            raise AccessDenied("requests are worked by desks that read subjects")

    def party(self, uow: UnitOfWork, actor: Actor, request_id: str) -> InfoRequest:
        """The request, if the actor's agency is one of its two parties; else NotFound."""
        self._require_desk(actor)
        request = uow.requests.get(request_id) if usable_id(request_id) else None
        if request is None or actor.agency not in (request.from_agency, request.to_agency):
            raise NotFound(NOT_FOUND)
        return request

    def _record(
        self, uow: UnitOfWork, actor: Actor, action: AuditAction, ids: Sequence[str], query: str
    ) -> None:
        self.audit.record(uow.connection, Who.of(actor), action, list(ids), query)

    # -- sending ----------------------------------------------------------------------
    def send(
        self,
        uow: UnitOfWork,
        actor: Actor,
        to_agency: str,
        title: str,
        body: str,
        priority: RequestPriority = RequestPriority.NORMAL,
        subject_id: str | None = None,
        hit_id: str | None = None,
        handling: HandlingCode = HandlingCode.H1,
    ) -> RequestView:
        """Ask another agency; the deadline follows the priority, the follow-ups are scheduled."""
        self._require_desk(actor)
        self.audit.claim_writer(uow.connection)
        title, body = _text(title, "title", MAX_TITLE), _text(body, "body", MAX_BODY)
        if handling is HandlingCode.H3:
            raise InputError("H3 stays with its owner", [InputProblem("H0-H2", field="handling")])
        if (
            to_agency == actor.agency
            or not usable_id(to_agency)
            or uow.agencies.get(to_agency) is None
        ):
            raise InputError("bad recipient", [InputProblem("another known agency", field="to")])
        share: SubjectShare | None = None
        if subject_id is not None:
            share = subject_share(uow, self.policy, actor, subject_id)
        if hit_id is not None and not sees_hit(uow, actor.agency, hit_id):
            raise NotFound("no hit with this id")
        now = self.clock.now()
        request = InfoRequest(
            id=f"req-{uuid.uuid4().hex}",
            from_agency=actor.agency,
            to_agency=to_agency,
            subject=title,
            priority=priority,
            created_at=now,
            deadline=self.terms.deadline(priority, now),
            subject_id=subject_id,
            hit_id=hit_id,
            messages=[RequestMessage(actor.agency, actor.user, now, body, handling)],
        )
        uow.requests.add(request)
        cases = RequestCaseRepository(uow.connection)
        if share is not None and share.summary:
            cases.add_share(request.id, share, actor.user, now)
        cases.add_event(request.id, RequestEvent("sent", now, actor.agency, actor.user))
        self.escalator.schedule_followups(uow, request)
        on_request(uow, request, now, trail=self.audit)  # a resting subject comes back for review
        uow.outbox.add("request", to_agency, request.id, {"request_id": request.id,
                       "from_agency": actor.agency, "priority": priority.value,
                       "deadline": request.deadline.isoformat()}, now)  # fmt: skip
        self._record(uow, actor, AuditAction.WRITE, [request.id], f"send request to {to_agency}")
        return self._view(uow, actor, request)

    # -- reading ----------------------------------------------------------------------
    def _view(self, uow: UnitOfWork, actor: Actor, request: InfoRequest) -> RequestView:
        cases = RequestCaseRepository(uow.connection)
        return view_of(
            request,
            actor.agency,
            self.clock.now(),
            reads_subject=reads_subject(uow, self.policy, actor, request.subject_id),
            share=cases.share(request.id),
            sees_hit=sees_hit(uow, actor.agency, request.hit_id),
            events=cases.events(request.id),
            attachments=cases.attachments(request.id),
        )

    def get(self, uow: UnitOfWork, actor: Actor, request_id: str) -> RequestView:
        """One request, as the caller's agency sees it."""
        self.audit.claim_writer(uow.connection)
        request = self.party(uow, actor, request_id)
        self._record(uow, actor, AuditAction.READ, [request.id], f"get request {request_id}")
        return self._view(uow, actor, request)

    def list_requests(
        self,
        uow: UnitOfWork,
        actor: Actor,
        box: str = "received",
        state: RequestState | None = None,
        overdue: bool | None = None,
        limit: int = MAX_PAGE,
        offset: int = 0,
    ) -> list[RequestView]:
        """The requests the agency received (or sent), oldest first; filters optional."""
        self._require_desk(actor)
        self.audit.claim_writer(uow.connection)
        if box not in ("received", "sent"):
            raise InputError("bad box", [InputProblem("received or sent", field="box")])
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            problem = InputProblem(f"limit 1-{MAX_PAGE}, offset >= 0", field="limit")
            raise InputError("bad page", [problem])
        column = info_requests.c.to_agency if box == "received" else info_requests.c.from_agency
        now = self.clock.now()
        where: list[ColumnElement[bool]] = [column == actor.agency]
        if state is not None:
            where.append(info_requests.c.state == state.value)
        if overdue is not None:
            late = and_(info_requests.c.state.in_(OPEN_STATES), info_requests.c.deadline < now)
            where.append(late if overdue else ~late)
        page = (
            select(info_requests.c.id)
            .where(*where)
            .order_by(info_requests.c.created_at, info_requests.c.id)
            .limit(limit)
            .offset(offset)
        )
        found = uow.requests.where(info_requests.c.id.in_(page.scalar_subquery()))
        views = [self._view(uow, actor, r) for r in found]
        self._record(
            uow, actor, AuditAction.SEARCH, [v.id for v in views],
            f"list {box} state={state} overdue={overdue} limit={limit} offset={offset}",
        )  # fmt: skip
        return views

    # -- acting -----------------------------------------------------------------------
    def _transition(
        self,
        uow: UnitOfWork,
        actor: Actor,
        request_id: str,
        side: str,
        from_states: Sequence[RequestState],
        to_state: RequestState,
    ) -> InfoRequest:
        self.audit.claim_writer(uow.connection)
        request = self.party(uow, actor, request_id)
        party = request.to_agency if side == "receiver" else request.from_agency
        if actor.agency != party:
            raise AccessDenied(f"only the {side} may move a request to {to_state.value}")
        cases = RequestCaseRepository(uow.connection)
        if not cases.change_state(request_id, [s.value for s in from_states], to_state.value):
            raise Conflict(f"the request is {request.state.value}; it cannot become {to_state}")
        now = self.clock.now()
        cases.add_event(request_id, RequestEvent(to_state.value, now, actor.agency, actor.user))
        self._record(uow, actor, AuditAction.WRITE, [request_id], f"request {to_state.value}")
        request.state = to_state
        return request

    def acknowledge(self, uow: UnitOfWork, actor: Actor, request_id: str) -> RequestView:
        """The receiving desk confirms it has the request and is working on it."""
        request = self._transition(uow, actor, request_id, "receiver", [_S.SENT], _S.ACKNOWLEDGED)
        return self._view(uow, actor, request)

    def reply(
        self,
        uow: UnitOfWork,
        actor: Actor,
        request_id: str,
        body: str,
        handling: HandlingCode = HandlingCode.H1,
        answer: bool = False,
    ) -> RequestView:
        """Add a message; with ``answer`` (receiver only) the request becomes answered.

        An H3 message is the author agency's own note: stored, never shown to the other.
        """
        body = _text(body, "body", MAX_BODY)
        if answer:
            if handling is HandlingCode.H3:
                raise InputError(
                    "an answer must reach the sender", [InputProblem("H0-H2", field="handling")]
                )
            request = self._transition(
                uow, actor, request_id, "receiver", [_S.SENT, _S.ACKNOWLEDGED], _S.ANSWERED
            )
        else:
            self.audit.claim_writer(uow.connection)
            request = self.party(uow, actor, request_id)
            if request.state in (_S.CLOSED, _S.WITHDRAWN):
                raise Conflict(f"the request is {request.state.value}; no more messages")
            self._record(uow, actor, AuditAction.WRITE, [request_id], "request message")
        message = RequestMessage(actor.agency, actor.user, self.clock.now(), body, handling)
        uow.requests.add_message(request_id, message)
        request.messages.append(message)
        other = request.from_agency if actor.agency == request.to_agency else request.to_agency
        if handling is not HandlingCode.H3:
            kind = "request.answer" if answer else "request.message"
            payload = {"request_id": request_id, "from_agency": actor.agency}
            uow.outbox.add(kind, other, request_id, payload, self.clock.now())
        return self._view(uow, actor, request)

    def close(self, uow: UnitOfWork, actor: Actor, request_id: str) -> RequestView:
        """The sender closes an answered request."""
        request = self._transition(uow, actor, request_id, "sender", [_S.ANSWERED], _S.CLOSED)
        return self._view(uow, actor, request)

    def withdraw(self, uow: UnitOfWork, actor: Actor, request_id: str) -> RequestView:
        """The sender withdraws a request not answered yet."""
        request = self._transition(
            uow, actor, request_id, "sender", [_S.SENT, _S.ACKNOWLEDGED], _S.WITHDRAWN
        )
        return self._view(uow, actor, request)

    def escalate(self, uow: UnitOfWork, actor: Actor, request_id: str) -> EscalationStep:
        """The receiving desk hands an open request to the next level of its chain."""
        self.audit.claim_writer(uow.connection)
        request = self.party(uow, actor, request_id)
        if actor.agency != request.to_agency:
            raise AccessDenied("only the receiving agency escalates up its own chain")
        if request.state.value not in OPEN_STATES:
            raise Conflict(f"the request is {request.state.value}; nothing to escalate")
        step = self.escalator.escalate_next(uow, request, actor, self.clock.now())
        if step is None:
            raise Conflict("the request is at the top of the escalation chain")
        return step

    def now(self) -> datetime:
        """The service's current time."""
        return self.clock.now()
