"""The scheduler's job kinds for requests: the reminder, the escalation check, the sweep
(periodic, continued batch by batch as ``requests.sweep.more``).

Registered through ``scheduler.JOB_PROVIDERS``; each handler works in the job's
transaction with the scheduler's clock, so a test's ``ManualClock`` drives it all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from watchlink.services.access_wiring import load_policy
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import Clock
from watchlink.services.requests_escalation import (
    KIND_ESCALATE,
    KIND_REMIND,
    KIND_SWEEP,
    KIND_SWEEP_MORE,
    Escalator,
)
from watchlink.services.requests_sweep import BATCH, sweep_requests
from watchlink.services.requests_views import RequestTerms
from watchlink.services.scheduler import Job, JobRegistry, schedule
from watchlink.settings import Settings
from watchlink.store import UnitOfWork

__all__ = ["register_jobs", "register_request_jobs"]


def register_request_jobs(
    registry: JobRegistry, escalator: Escalator, sweep_every: timedelta, batch: int = BATCH
) -> None:
    """Register the request kinds with ``escalator`` doing the work (``batch`` per sweep)."""

    def remind(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        escalator.remind_due(uow, str(job.payload["request_id"]), clock.now())

    def escalate(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        escalator.escalate_due(uow, str(job.payload["request_id"]), clock.now(), reschedule=True)

    def sweep(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        after = None
        if "after_id" in job.payload:
            after = (datetime.fromisoformat(job.payload["after_deadline"]), job.payload["after_id"])
        report = sweep_requests(escalator, uow, clock.now(), batch, after)
        if report.next_after is not None:  # a full batch: the next one in its own transaction
            deadline, request_id = report.next_after
            payload = {"after_deadline": deadline.isoformat(), "after_id": request_id}
            schedule(uow, KIND_SWEEP_MORE, clock.now(), payload)

    registry.register(KIND_REMIND, remind)
    registry.register(KIND_ESCALATE, escalate)
    registry.register(KIND_SWEEP, sweep, every=sweep_every)
    registry.register(KIND_SWEEP_MORE, sweep)


def register_jobs(registry: JobRegistry, settings: Settings) -> None:
    """The provider ``JOB_PROVIDERS`` names: builds the escalator from ``settings``."""
    audit = AuditTrail.from_settings(settings, load_policy(settings))
    escalator = Escalator(audit, RequestTerms.from_settings(settings))
    register_request_jobs(registry, escalator, timedelta(minutes=settings.request_sweep_minutes))
