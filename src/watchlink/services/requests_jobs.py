"""The scheduler's job kinds for requests: the reminder, the escalation check, the sweep.

Registered through ``scheduler.JOB_PROVIDERS``; each handler works in the job's
transaction with the scheduler's clock, so a test's ``ManualClock`` drives it all.
"""

from __future__ import annotations

from datetime import timedelta

from watchlink.services.access_wiring import load_policy
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import Clock
from watchlink.services.requests_escalation import (
    KIND_ESCALATE,
    KIND_REMIND,
    KIND_SWEEP,
    Escalator,
)
from watchlink.services.requests_views import RequestTerms
from watchlink.services.scheduler import Job, JobRegistry
from watchlink.settings import Settings
from watchlink.store import UnitOfWork

__all__ = ["register_jobs", "register_request_jobs"]


def register_request_jobs(
    registry: JobRegistry, escalator: Escalator, sweep_every: timedelta
) -> None:
    """Register the request kinds with ``escalator`` doing the work."""

    def remind(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        escalator.remind_due(uow, str(job.payload["request_id"]), clock.now())

    def escalate(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        escalator.escalate_due(uow, str(job.payload["request_id"]), clock.now(), reschedule=True)

    def sweep(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        escalator.sweep(uow, clock.now())

    registry.register(KIND_REMIND, remind)
    registry.register(KIND_ESCALATE, escalate)
    registry.register(KIND_SWEEP, sweep, every=sweep_every)


def register_jobs(registry: JobRegistry, settings: Settings) -> None:
    """The provider ``JOB_PROVIDERS`` names: builds the escalator from ``settings``."""
    audit = AuditTrail.from_settings(settings, load_policy(settings))
    escalator = Escalator(audit, RequestTerms.from_settings(settings))
    register_request_jobs(registry, escalator, timedelta(minutes=settings.request_sweep_minutes))
