"""Review and retention: every subject has a review date, and a missed one has consequences.

``sweep(uow, clock)`` does, in order, for the whole watchlist:

1. gives a subject without a review date the default of its action-on-hit category,
   counted from when it was stored;
2. warns the owning desk ahead of a review date (a ``review_due`` task and an outbox
   row, once per date);
3. closes a subject whose review date has passed without an extension: a ``stop``
   decision by the system, status ``closed``, a retention row with the deletion date;
4. deletes a subject whose grace period is over: its values, links, decisions, tasks
   and extensions go; the retention row stays as a tombstone and the audit trail is
   untouched, so it still verifies.

A subject with open evidence (a trigger's task the desk has not resolved) is neither
closed nor deleted: the desk decides first. Every change is a line of the audit trail.
It runs as the scheduler's periodic job ``reviews.sweep`` and can be called directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Exists, and_, exists, select

from watchlink.model import (
    ActionOnHit,
    AuditAction,
    Decision,
    DecisionKind,
    Subject,
    SubjectStatus,
)
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.clock import Clock
from watchlink.services.review_periods import ReviewPeriods
from watchlink.services.scheduler import JobRegistry
from watchlink.services.triggers import default_trail, store_review_task
from watchlink.settings import Settings, get_settings
from watchlink.store.jobs import Job
from watchlink.store.monitoring import OPEN, Retention, decision_history, set_monitoring_state
from watchlink.store.tables import subjects
from watchlink.store.tables_monitoring import review_tasks, subject_retention
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["REVIEW_USER", "SWEEP_EVERY", "SWEEP_JOB", "SweepReport", "register_jobs", "sweep"]

REVIEW_USER = "watchlink:review"
SWEEP_JOB = "reviews.sweep"
SWEEP_EVERY = timedelta(hours=6)
_BATCH = 200  # subjects per audit line and, for the job, per transaction
_WHO_AGENCY = ""  # the sweep acts for every agency; each line names the subjects


@dataclass(slots=True)
class SweepReport:
    """What one sweep did, by step."""

    dated: int = 0
    warned: int = 0
    closed: int = 0
    deleted: int = 0
    held: int = 0  # closings or deletions waiting for the desk to review open evidence


def _who(agency: str = _WHO_AGENCY) -> Who:
    return Who(REVIEW_USER, agency, "system")


def _date_undated(
    uow: UnitOfWork, trail: AuditTrail, periods: ReviewPeriods, batch_done: Callable[[], None]
) -> int:
    conn = uow.connection
    done = 0
    while True:
        rows = conn.execute(
            select(subjects.c.id, subjects.c.action_on_hit, subjects.c.created_at)
            .where(subjects.c.review_date.is_(None))
            .order_by(subjects.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return done
        for row in rows:
            due = periods.review_date(ActionOnHit(row.action_on_hit), row.created_at.date())
            conn.execute(subjects.update().where(subjects.c.id == row.id).values(review_date=due))
        ids = [row.id for row in rows]
        trail.record(conn, _who(), AuditAction.WRITE, ids, "review date set to the default")
        batch_done()
        done += len(rows)


def _open_evidence(subject_id: ColumnElement[str] | str) -> Exists:
    return exists().where(
        review_tasks.c.subject_id == subject_id,
        review_tasks.c.state == OPEN,
        review_tasks.c.trigger != "review_due",
    )


def _warn(
    uow: UnitOfWork,
    trail: AuditTrail,
    periods: ReviewPeriods,
    now: datetime,
    batch_done: Callable[[], None],
) -> int:
    today = now.date()
    horizon = today + timedelta(days=periods.warning_days)
    pending = exists().where(
        review_tasks.c.subject_id == subjects.c.id,
        review_tasks.c.trigger == "review_due",
        review_tasks.c.state == OPEN,
    )
    retained = exists().where(subject_retention.c.subject_id == subjects.c.id)
    ids = list(
        uow.connection.scalars(
            select(subjects.c.id)
            .where(
                subjects.c.review_date >= today,
                subjects.c.review_date <= horizon,
                ~pending,
                ~retained,
            )
            .order_by(subjects.c.review_date, subjects.c.id)
        )
    )
    warned = 0
    for start in range(0, len(ids), _BATCH):
        records: list[str] = []
        for subject in uow.subjects.get_many(ids[start : start + _BATCH]):
            assert subject.review_date is not None
            day = subject.review_date.isoformat()
            key = f"review-due:{day}"
            stored = store_review_task(
                uow, subject, "review_due", key, {"review_date": day}, now, reopen=False
            )
            if stored is not None:
                records += stored[1]
                warned += 1
        if records:
            what = "review due: the owning desks warned"
            trail.record(uow.connection, _who(), AuditAction.WRITE, records, what)
            batch_done()
    return warned


def _close(
    uow: UnitOfWork,
    trail: AuditTrail,
    periods: ReviewPeriods,
    now: datetime,
    batch_done: Callable[[], None],
) -> int:
    retained = exists().where(subject_retention.c.subject_id == subjects.c.id)
    ids = list(
        uow.connection.scalars(
            select(subjects.c.id)
            .where(subjects.c.review_date < now.date(), ~retained, ~_open_evidence(subjects.c.id))
            .order_by(subjects.c.id)
        )
    )
    closed = 0
    for start in range(0, len(ids), _BATCH):
        records: list[str] = []
        for subject in uow.subjects.get_many(ids[start : start + _BATCH]):
            if not _still_due(uow, subject, now):
                continue  # changed since the list was read (a batch committed in between)
            records.append(subject.id)
            closed += 1
            if subject.status is not SubjectStatus.CLOSED:
                history = decision_history(uow.connection, subject.id)
                latest = history[-1] if history else None
                stop = Decision(
                    id=f"dec-{uuid.uuid4().hex}",
                    subject_id=subject.id,
                    kind=DecisionKind.STOP,
                    reason=f"review date {subject.review_date} passed without an extension",
                    decided_by=REVIEW_USER,
                    agency=subject.agency,
                    decided_at=now,
                    legal_basis=subject.legal_basis or (latest.legal_basis if latest else None),
                    review_date=subject.review_date,
                    supersedes=None if latest is None else latest.id,
                )
                uow.decisions.add(stop)
                set_monitoring_state(uow.connection, subject.id, now, status=SubjectStatus.CLOSED)
                records.append(stop.id)
            uow.retention.add(
                Retention(
                    subject.id, subject.agency, subject.review_date, now,
                    now + timedelta(days=periods.grace_days),
                )
            )  # fmt: skip
            for task in uow.reviews.of_subject(subject.id):
                if task.state == OPEN:
                    uow.reviews.resolve(task.id, REVIEW_USER, now, "closed: not extended", None)
        if records:
            what = "closed: review date passed without an extension"
            trail.record(uow.connection, _who(), AuditAction.WRITE, records, what)
            batch_done()
    return closed


def _still_due(uow: UnitOfWork, subject: Subject, now: datetime) -> bool:
    """Whether a subject read for closing is still to be closed, as it stands now."""
    return (
        subject.review_date is not None
        and subject.review_date < now.date()
        and uow.retention.get(subject.id) is None
        and uow.reviews.open_evidence(subject.id, except_trigger="review_due") == 0
    )


def _delete(
    uow: UnitOfWork, trail: AuditTrail, now: datetime, batch_done: Callable[[], None]
) -> tuple[int, int]:
    deleted = held = 0
    for retention in uow.retention.due(now, limit=100_000):
        if uow.connection.execute(select(_open_evidence(retention.subject_id))).scalar():
            held += 1
            continue
        uow.subjects.delete(retention.subject_id)
        uow.reviews.forget_subject(retention.subject_id)
        uow.retention.mark_deleted(retention.subject_id, now)
        what = f"deleted after the grace period (closed {retention.closed_at:%Y-%m-%d})"
        who = _who(retention.agency)
        trail.record(uow.connection, who, AuditAction.WRITE, [retention.subject_id], what)
        deleted += 1
        batch_done()
    return deleted, held


def _held_closings(uow: UnitOfWork, now: datetime) -> int:
    retained = exists().where(subject_retention.c.subject_id == subjects.c.id)
    query = select(subjects.c.id).where(
        and_(subjects.c.review_date < now.date(), ~retained, _open_evidence(subjects.c.id))
    )
    return len(list(uow.connection.scalars(query)))


def sweep(
    uow: UnitOfWork,
    clock: Clock,
    *,
    periods: ReviewPeriods | None = None,
    trail: AuditTrail | None = None,
    commit_batches: bool = False,
) -> SweepReport:
    """Date, warn, close and delete, as of ``clock.now()``.

    By default all in the caller's transaction. With ``commit_batches`` (the job and the
    command) each batch commits on its own, so the audit chain's head is never held for
    long while a large watchlist is swept; every step is idempotent, so a sweep cut
    short is finished by the next one.
    """
    periods = periods if periods is not None else ReviewPeriods.from_settings(get_settings())
    chosen = trail if trail is not None else default_trail()
    chosen.claim_writer(uow.connection)

    def batch_done() -> None:
        if commit_batches:
            uow.commit()
            chosen.claim_writer(uow.connection)

    now = clock.now()
    report = SweepReport()
    report.dated = _date_undated(uow, chosen, periods, batch_done)
    report.warned = _warn(uow, chosen, periods, now, batch_done)
    report.closed = _close(uow, chosen, periods, now, batch_done)
    report.deleted, held = _delete(uow, chosen, now, batch_done)
    report.held = held + _held_closings(uow, now)
    return report


def register_jobs(registry: JobRegistry, settings: Settings) -> None:
    """Register ``reviews.sweep`` with the scheduler, every ``SWEEP_EVERY``."""
    periods = ReviewPeriods.from_settings(settings)

    def run(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        sweep(uow, clock, periods=periods, commit_batches=True)

    registry.register(SWEEP_JOB, run, every=SWEEP_EVERY)
