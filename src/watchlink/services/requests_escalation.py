"""Reminders before a request's deadline, and escalation up the receiving agency's chain.

The receiving agency configures its chain (desk → supervisor → national contact point by
default), each level with a delay past the deadline. A level is reached by a
conditional update of the request's escalation level, so it happens once, whether the
exact-time job, the periodic sweep (``requests_sweep``), a second server or a server
back from downtime gets there first. Each step is on the audit trail, in the request's
history and in the outbox for its recipient, all in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from watchlink.access import Actor, permissions_of
from watchlink.access.actions import Permission
from watchlink.errors import AccessDenied, InputError, InputProblem
from watchlink.model import AuditAction, InfoRequest
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.requests_views import OPEN_STATES, RequestTerms
from watchlink.services.scheduler import schedule
from watchlink.store import UnitOfWork
from watchlink.store.requests_store import EscalationStep, RequestCaseRepository, RequestEvent

__all__ = [
    "KIND_ESCALATE",
    "KIND_REMIND",
    "KIND_SWEEP",
    "KIND_SWEEP_MORE",
    "REMINDER",
    "SYSTEM_USER",
    "Escalator",
    "default_chain",
]

KIND_REMIND = "requests.remind"
KIND_ESCALATE = "requests.escalate"
KIND_SWEEP = "requests.sweep"
KIND_SWEEP_MORE = "requests.sweep.more"
SYSTEM_USER = "watchlink.scheduler"
REMINDER = "before_deadline"
_ROLE = re.compile(r"^[a-z][a-z_]{1,31}$")
MAX_LEVELS = 10


def default_chain(agency: str) -> list[EscalationStep]:
    """The chain of an agency that configured none: desk, supervisor, national contact point."""
    return [
        EscalationStep(1, "desk", agency, 0.0),
        EscalationStep(2, "supervisor", agency, 24.0),
        EscalationStep(3, "national_contact_point", agency, 72.0),
    ]


def _system(agency: str) -> Who:
    return Who(SYSTEM_USER, agency, "system")


class Escalator:
    """Sends reminders and escalations for requests that are close to or past due."""

    def __init__(self, audit: AuditTrail, terms: RequestTerms) -> None:
        self.audit = audit
        self.terms = terms

    # -- chains ---------------------------------------------------------------------
    def chain_of(self, uow: UnitOfWork, agency: str) -> list[EscalationStep]:
        """The agency's chain: configured, or the default."""
        return RequestCaseRepository(uow.connection).chain(agency) or default_chain(agency)

    def set_chain(
        self, uow: UnitOfWork, actor: Actor, steps: Sequence[EscalationStep], now: datetime
    ) -> list[EscalationStep]:
        """Replace the actor's agency's chain (agency administrators only)."""
        if Permission.USERS_MANAGE not in permissions_of(actor, self.audit.policy.roles):
            raise AccessDenied("only an agency administrator configures its escalation chain")
        ordered = sorted(steps, key=lambda s: s.level)
        self._check_chain(uow, ordered)
        conn = uow.connection
        self.audit.claim_writer(conn)
        RequestCaseRepository(conn).set_chain(actor.agency, ordered, actor.user, now)
        shown = " → ".join(f"{s.level}:{s.role}@{s.recipient}+{s.after_hours:g}h" for s in ordered)
        self.audit.record(
            conn, Who.of(actor), AuditAction.WRITE, [f"escalation-chain:{actor.agency}"], shown
        )
        return ordered

    def _check_chain(self, uow: UnitOfWork, steps: Sequence[EscalationStep]) -> None:
        problems: list[InputProblem] = []
        if not 1 <= len(steps) <= MAX_LEVELS:
            problems.append(InputProblem(f"1 to {MAX_LEVELS} levels", field="steps"))
        previous = -1.0
        for index, step in enumerate(steps, start=1):
            where = f"steps[{index - 1}]"
            if step.level != index:
                problems.append(InputProblem("levels run 1, 2, 3 … without gaps", field=where))
            if _ROLE.match(step.role) is None:
                problems.append(InputProblem("role: lower-case letters and _", field=where))
            if "\x00" in step.recipient or uow.agencies.get(step.recipient) is None:
                problems.append(InputProblem(f"unknown agency {step.recipient!r}", field=where))
            if step.after_hours < 0 or step.after_hours < previous:
                problems.append(
                    InputProblem(
                        "after_hours: 0 or more, never less than the level before", field=where
                    )
                )
            previous = step.after_hours
        if problems:
            raise InputError("the escalation chain is not valid", problems)

    # -- follow-ups of a new request ------------------------------------------------
    def schedule_followups(self, uow: UnitOfWork, request: InfoRequest) -> None:
        """The reminder and the first escalation check, in the request's transaction."""
        payload = {"request_id": request.id}
        schedule(uow, KIND_REMIND, self.terms.reminder_at(request), payload)
        schedule(uow, KIND_ESCALATE, request.deadline + timedelta(seconds=1), payload)

    # -- reminders ------------------------------------------------------------------
    def remind_due(self, uow: UnitOfWork, request_id: str, now: datetime) -> bool:
        """Remind the receiving desk once, if the request is open and its reminder time come."""
        conn = uow.connection
        self.audit.claim_writer(conn)
        request = uow.requests.get(request_id)
        if request is None or request.state.value not in OPEN_STATES:
            return False
        if now < self.terms.reminder_at(request) or now > request.deadline:
            return False  # too early, or overdue already: escalation takes over
        cases = RequestCaseRepository(conn)
        if not cases.mark_reminded(request_id, REMINDER, now):
            return False
        left = request.deadline - now
        payload = self._payload(request, now) | {"time_left_hours": round(left / _HOUR, 2)}
        uow.outbox.add("request.reminder", request.to_agency, request_id, payload, now)
        cases.add_event(request_id, RequestEvent("reminded", now, request.to_agency, SYSTEM_USER))
        self.audit.record(
            conn, _system(request.to_agency), AuditAction.WRITE, [request_id],
            f"remind {request.to_agency} before the deadline", "request reminder",
        )  # fmt: skip
        return True

    # -- escalation -----------------------------------------------------------------
    def escalate_due(
        self, uow: UnitOfWork, request_id: str, now: datetime, reschedule: bool = False
    ) -> list[EscalationStep]:
        """Reach every level now due for an overdue request, each exactly once.

        With ``reschedule`` (the exact-time job), the check of the next level is
        scheduled for when it comes due.
        """
        conn = uow.connection
        self.audit.claim_writer(conn)
        request = uow.requests.get(request_id)
        if request is None or not request.is_overdue(now):
            return []
        chain = self.chain_of(uow, request.to_agency)
        reached: list[EscalationStep] = []
        for step in chain:
            if step.level <= request.escalation_level:
                continue
            if now < request.deadline + step.after_hours * _HOUR:
                break
            if not self._reach(uow, request, step, now, "overdue"):
                break
            reached.append(step)
        if reschedule:
            level = reached[-1].level if reached else request.escalation_level
            following = [s for s in chain if s.level > level]
            if following:
                due = request.deadline + following[0].after_hours * _HOUR + timedelta(seconds=1)
                schedule(uow, KIND_ESCALATE, max(due, now), {"request_id": request_id})
        return reached

    def escalate_next(
        self, uow: UnitOfWork, request: InfoRequest, actor: Actor, now: datetime
    ) -> EscalationStep | None:
        """The receiving desk escalates by hand to the next level of its chain."""
        following = [
            s for s in self.chain_of(uow, request.to_agency) if s.level > request.escalation_level
        ]
        if not following:
            return None
        step = following[0]
        if not self._reach(uow, request, step, now, "escalated by the desk", actor):
            return None
        return step

    def _reach(
        self,
        uow: UnitOfWork,
        request: InfoRequest,
        step: EscalationStep,
        now: datetime,
        reason: str,
        actor: Actor | None = None,
    ) -> bool:
        conn = uow.connection
        cases = RequestCaseRepository(conn)
        if not cases.raise_escalation(request.id, step.level, OPEN_STATES):
            return False  # another server (or an answer) got there first
        who = _system(request.to_agency) if actor is None else Who.of(actor)
        detail = {"role": step.role, "recipient": step.recipient, "reason": reason}
        cases.add_event(
            request.id, RequestEvent("escalated", now, who.agency, who.user, step.level, detail)
        )
        payload = self._payload(request, now) | {
            "level": step.level,
            "role": step.role,
            "reason": reason,
        }
        uow.outbox.add("escalation", step.recipient, request.id, payload, now)
        self.audit.record(
            conn, who, AuditAction.WRITE, [request.id],
            f"escalate level {step.level} to {step.role} of {step.recipient}", reason,
        )  # fmt: skip
        return True

    @staticmethod
    def _payload(request: InfoRequest, now: datetime) -> dict[str, Any]:
        return {
            "request_id": request.id,
            "from_agency": request.from_agency,
            "to_agency": request.to_agency,
            "title": request.subject,
            "priority": request.priority.value,
            "deadline": request.deadline.isoformat(),
            "overdue": request.is_overdue(now),
        }


_HOUR = timedelta(hours=1)
