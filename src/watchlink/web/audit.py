"""The audit view for auditors: lines filtered by user, subject and time; verify the chain.

The lines come from ``AuditTrail.events``, the read path the API uses too: it refuses
anyone the policy does not let read the trail and logs each reading as a line of the
trail in the same transaction; ``AuditTrail.verify_as`` does the same for a verification.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.api.auth import AccessDep
from watchlink.errors import InputError, InputProblem, WatchlinkError
from watchlink.services.audit import AuditQuery
from watchlink.web.pages import failure, page
from watchlink.web.session import LoggedInDep

__all__ = ["MAX_LINES", "router"]

router = APIRouter(include_in_schema=False)
MAX_LINES = 200


def _moment(text: str, field: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as error:
        problem = InputProblem(
            "expected a date or date and time, e.g. 2026-11-30T09:00", None, None, field
        )
        raise InputError("the time filter is not a date", [problem]) from error
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


Text = Annotated[str, Query(max_length=200)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    user: Text = "",
    subject: Text = "",
    since: Text = "",
    until: Text = "",
) -> Response:
    """The trail, newest first, filtered; auditors only."""
    assert state.actor is not None
    try:
        wanted = AuditQuery(
            limit=MAX_LINES, newest_first=True, user=user.strip(), subject=subject.strip(),
            since=_moment(since, "since"), until=_moment(until, "until"),
        )  # fmt: skip
        with access.engine.begin() as conn:
            access.trail.claim_writer(conn)
            events = access.trail.events(conn, state.actor, wanted)
    except WatchlinkError as error:
        return failure(request, state, error)
    form = {"user": user, "subject": subject, "since": since, "until": until}
    return page(
        request, state, "audit.html", title="Audit trail", events=events, form=form,
        verified=None, limit=MAX_LINES,
    )  # fmt: skip


@router.post("/audit/verify", response_class=HTMLResponse)
def verify_chain(
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Recompute the whole chain and its signatures; the verification is logged."""
    assert state.actor is not None
    try:
        state.check(csrf)
        with access.engine.begin() as conn:
            access.trail.claim_writer(conn)
            problem = access.trail.verify_as(conn, state.actor)
    except WatchlinkError as error:
        return failure(request, state, error)
    form = {"user": "", "subject": "", "since": "", "until": ""}
    verified = {"ok": problem is None, "message": "intact" if problem is None else str(problem)}
    return page(
        request, state, "audit.html", title="Audit trail", events=[], form=form,
        verified=verified, limit=MAX_LINES,
    )  # fmt: skip
