"""The audit view for auditors: lines filtered by user, subject and time; verify the chain.

Reading is refused to anyone the policy does not let read the trail (the same check as
``AuditTrail.read``), and each reading and each verification is itself a line of the
trail, written in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import ColumnElement, Connection, select

from watchlink.access import Action, Actor, Resource
from watchlink.api.auth import AccessDep
from watchlink.errors import AccessDenied, InputError, InputProblem, WatchlinkError
from watchlink.model import AuditAction, AuditEvent
from watchlink.services.audit import AuditTrail, Who
from watchlink.store.tables_access import audit_events
from watchlink.web.pages import failure, page
from watchlink.web.session import LoggedInDep

__all__ = ["AuditFilter", "filtered_events", "router"]

router = APIRouter(include_in_schema=False)
MAX_LINES = 200


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the auditor asked for; empty fields do not filter."""

    user: str = ""
    subject: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def describe(self) -> str:
        """The filter as the trail records it."""
        return (
            f"console user={self.user!r} subject={self.subject!r} "
            f"since={self.since} until={self.until}"
        )


def _may_read(trail: AuditTrail, actor: Actor) -> None:
    verdict = trail.policy.allowed(actor, Action.READ_AUDIT, Resource(owner_agency=actor.agency))
    if not verdict.allow:
        raise AccessDenied(f"reading the audit trail is refused ({verdict.reason})")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered_events(
    conn: Connection, trail: AuditTrail, actor: Actor, wanted: AuditFilter
) -> list[AuditEvent]:
    """The newest lines matching ``wanted`` (at most ``MAX_LINES``); the reading is logged."""
    _may_read(trail, actor)
    where: list[ColumnElement[bool]] = []
    if wanted.user:
        where.append(audit_events.c.actor == wanted.user)
    if wanted.subject:
        needle = _like(json.dumps(wanted.subject))
        where.append(audit_events.c.records.like(needle, escape="\\"))
    if wanted.since is not None:
        where.append(audit_events.c.at >= wanted.since.replace(tzinfo=None))
    if wanted.until is not None:
        where.append(audit_events.c.at < wanted.until.replace(tzinfo=None))
    rows = conn.execute(
        select(audit_events).where(*where).order_by(audit_events.c.seq.desc()).limit(MAX_LINES)
    ).all()
    events = [
        AuditEvent(
            seq=int(r.seq),
            at=r.at.replace(tzinfo=UTC),
            actor=r.actor or "",
            agency=r.agency or "",
            role=r.role or "",
            action=AuditAction(r.action) if r.action else AuditAction.READ,
            records=json.loads(r.records) if r.records else [],
            query=r.query,
            purpose=r.purpose,
            prev_hash=r.prev_hash,
            hash=r.hash,
        )
        for r in rows
    ]
    seqs = [str(e.seq) for e in events]
    trail.record(conn, Who.of(actor), AuditAction.AUDIT_READ, seqs, wanted.describe())
    return events


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
        wanted = AuditFilter(
            user.strip(), subject.strip(), _moment(since, "since"), _moment(until, "until")
        )
        with access.engine.begin() as conn:
            access.trail.claim_writer(conn)
            events = filtered_events(conn, access.trail, state.actor, wanted)
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
        _may_read(access.trail, state.actor)
        with access.engine.begin() as conn:
            access.trail.claim_writer(conn)
            problem = access.trail.verify(conn)
            outcome = "intact" if problem is None else str(problem)
            who = Who.of(state.actor)
            access.trail.record(conn, who, AuditAction.AUDIT_READ, [], f"verify chain: {outcome}")
    except WatchlinkError as error:
        return failure(request, state, error)
    form = {"user": "", "subject": "", "since": "", "until": ""}
    return page(
        request, state, "audit.html", title="Audit trail", events=[], form=form,
        verified={"ok": problem is None, "message": outcome}, limit=MAX_LINES,
    )  # fmt: skip
