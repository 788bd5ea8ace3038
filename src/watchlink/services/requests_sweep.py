"""The overdue sweep: reminders and escalation levels that no job brought, in batches.

Requests loaded or imported without their jobs, and any level a lost job left behind,
are found here. A sweep looks at one batch of open requests still waiting for a
reminder or a level, in deadline order, each in the sweep job's transaction; a full
batch tells the caller where the next one starts, so a long backlog runs as many short
transactions instead of one that would hold the audit trail for minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select

from watchlink.services.requests_escalation import REMINDER, Escalator, default_chain
from watchlink.services.requests_views import OPEN_STATES
from watchlink.store import UnitOfWork
from watchlink.store.tables_casework import info_requests
from watchlink.store.tables_requests import escalation_steps, request_reminders

__all__ = ["BATCH", "SweepReport", "sweep_requests"]

BATCH = 200


@dataclass(frozen=True, slots=True)
class SweepReport:
    """What one sweep did, and where the next batch starts (None: nothing left)."""

    reminded: int
    escalated: int
    next_after: tuple[datetime, str] | None = None


def sweep_requests(
    escalator: Escalator,
    uow: UnitOfWork,
    now: datetime,
    batch: int = BATCH,
    after: tuple[datetime, str] | None = None,
) -> SweepReport:
    """Remind and escalate one batch of waiting requests, after ``after`` (deadline, id)."""
    conn = uow.connection
    escalator.audit.claim_writer(conn)
    r = info_requests.c
    configured_top = (
        select(func.max(escalation_steps.c.level))
        .where(escalation_steps.c.agency == r.to_agency)
        .scalar_subquery()
    )
    top = func.coalesce(configured_top, len(default_chain("")))
    reminded_already = exists().where(
        request_reminders.c.request_id == r.id, request_reminders.c.kind == REMINDER
    )
    waiting = or_(
        and_(r.deadline < now, r.escalation_level < top),  # a level may be due
        and_(r.deadline >= now, ~reminded_already),  # the reminder may be due
    )
    query = select(r.id, r.created_at, r.deadline).where(r.state.in_(OPEN_STATES), waiting)
    if after is not None:
        deadline, request_id = after
        query = query.where(
            or_(r.deadline > deadline, and_(r.deadline == deadline, r.id > request_id))
        )
    rows = conn.execute(query.order_by(r.deadline, r.id).limit(batch)).all()
    reminded = escalated = 0
    fraction = escalator.terms.reminder_fraction
    for request_id, created_at, deadline in rows:
        if deadline < now:
            escalated += len(escalator.escalate_due(uow, request_id, now))
        elif now >= deadline - (deadline - created_at) * fraction:
            reminded += int(escalator.remind_due(uow, request_id, now))
    last = (rows[-1].deadline, rows[-1].id) if len(rows) == batch else None
    return SweepReport(reminded, escalated, last)
