"""The review sweep: default dates, warnings ahead, closing on a missed date, deletion after
the grace period with the audit trail still verifying; a manual clock, no sleeping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from monitoring_support import NOW, actor, person, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.errors import AccessDenied, InputError, NotFound
from watchlink.model import ActionOnHit, DecisionKind, Hit, SubjectStatus
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import ManualClock
from watchlink.services.review import SWEEP_JOB, SweepReport, register_jobs, sweep
from watchlink.services.review_periods import ReviewPeriods
from watchlink.services.review_queue import ReviewService
from watchlink.services.scheduler import JobRegistry, run_due
from watchlink.services.triggers import default_trail, on_hit
from watchlink.settings import Settings, get_settings
from watchlink.store import Database
from watchlink.store import tables as t

PERIODS = ReviewPeriods(warning_days=120, grace_days=30)
REVIEW = date(2027, 6, 1)  # both subjects of the world


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _sweep(world: Database, clock: ManualClock, trail: AuditTrail) -> SweepReport:
    with world.unit_of_work() as uow:
        return sweep(uow, clock, periods=PERIODS, trail=trail)


def test_a_subject_without_a_review_date_gets_its_category_default(
    world: Database, trail: AuditTrail
) -> None:
    undated = person(
        "fr-int-new", "New Person", review_date=None, action_on_hit=ActionOnHit.SPECIFIC_CHECK
    )
    with world.unit_of_work() as uow:
        uow.subjects.upsert(undated)
    report = _sweep(world, ManualClock(NOW), trail)
    assert report.dated == 1
    with world.engine.connect() as conn:
        row = conn.execute(
            select(t.subjects.c.created_at, t.subjects.c.review_date).where(
                t.subjects.c.id == "fr-int-new"
            )
        ).one()
    assert row.review_date == PERIODS.review_date(ActionOnHit.SPECIFIC_CHECK, row.created_at.date())


def test_the_desk_is_warned_once_ahead_of_the_review_date(
    world: Database, trail: AuditTrail
) -> None:
    clock = ManualClock(_at(REVIEW - timedelta(days=200)))
    assert _sweep(world, clock, trail).warned == 0
    clock.set(_at(REVIEW - timedelta(days=119)))
    assert _sweep(world, clock, trail).warned == 2
    clock.advance(days=1)
    assert _sweep(world, clock, trail).warned == 0
    with world.unit_of_work() as uow:
        tasks = uow.reviews.queue("FR-INT")
        outbox = uow.outbox.due(clock.now())
        history = uow.decisions.of_subject("fr-int-rest")
    assert {(t.trigger, t.evidence["review_date"]) for t in tasks} == {("review_due", "2027-06-01")}
    # A message without a reference reads "", which is no task's id.
    assert sorted(m.reference or "" for m in outbox) == sorted(t.id for t in tasks)
    assert history == []  # a date coming up is not new evidence: nothing is reopened


def test_an_extension_with_a_reason_keeps_the_subject(world: Database, trail: AuditTrail) -> None:
    clock = ManualClock(_at(REVIEW - timedelta(days=100)))
    _sweep(world, clock, trail)
    service = ReviewService(trail, PERIODS)
    with world.unit_of_work() as uow:
        extension = service.extend(
            uow, actor("FR-INT"), "fr-int-live", "new travel signs", clock.now()
        )
        open_ = [t.trigger for t in uow.reviews.queue("FR-INT")]
    assert extension.previous_date == REVIEW and extension.new_date > REVIEW
    assert open_ == ["review_due"]  # the other subject's warning; this one's is resolved
    clock.set(_at(REVIEW + timedelta(days=1)))
    report = _sweep(world, clock, trail)
    assert report.closed == 1
    with world.unit_of_work() as uow:
        kept = uow.subjects.get("fr-int-live")
        closed = uow.subjects.get("fr-int-rest")
        extensions = uow.reviews.extensions("fr-int-live")
    assert kept is not None and kept.status is SubjectStatus.ACTIVE
    assert closed is not None and closed.status is SubjectStatus.CLOSED
    assert [e.reason for e in extensions] == ["new travel signs"]


@pytest.mark.parametrize(
    ("who", "reason", "new_date", "error"),
    [
        ("FR-INT", " ", None, InputError),
        ("FR-INT", "ok", date(2026, 5, 1), InputError),  # in the past
        ("FR-INT", "ok", date(2031, 1, 1), InputError),  # beyond the category's period
        ("US-SEC", "ok", None, AccessDenied),
        ("BE-INT", "ok", None, NotFound),
    ],
)
def test_bad_or_foreign_extensions_are_refused(
    world: Database,
    trail: AuditTrail,
    who: str,
    reason: str,
    new_date: date | None,
    error: type,
) -> None:
    with pytest.raises(error), world.unit_of_work() as uow:
        ReviewService(trail, PERIODS).extend(uow, actor(who), "fr-int-live", reason, NOW, new_date)
    with world.unit_of_work() as uow:
        assert uow.reviews.extensions("fr-int-live") == []


def test_missed_review_closes_then_deletes_and_the_trail_still_verifies(
    world: Database, trail: AuditTrail
) -> None:
    clock = ManualClock(_at(REVIEW + timedelta(days=1)))
    assert _sweep(world, clock, trail).closed == 2
    with world.unit_of_work() as uow:
        closed = uow.subjects.get("fr-int-live")
        (stop,) = uow.decisions.of_subject("fr-int-live")
        retention = uow.retention.get("fr-int-live")
    assert closed is not None and closed.status is SubjectStatus.CLOSED
    assert stop.kind is DecisionKind.STOP and stop.decided_by == "watchlink:review"
    assert retention is not None and retention.delete_after == clock.now() + timedelta(days=30)
    clock.advance(days=29)
    assert _sweep(world, clock, trail).deleted == 0
    clock.advance(days=1)
    assert _sweep(world, clock, trail).deleted == 2
    with world.unit_of_work() as uow:
        assert uow.subjects.get("fr-int-live") is None
        assert uow.decisions.of_subject("fr-int-live") == []
        tombstone = uow.retention.get("fr-int-live")
    assert tombstone is not None and tombstone.deleted_at == clock.now()
    with world.engine.connect() as conn:
        assert trail.verify(conn) is None


def test_open_evidence_holds_closing_until_the_desk_resolves_it(
    world: Database, trail: AuditTrail
) -> None:
    clock = ManualClock(_at(REVIEW - timedelta(days=1)))
    hit = Hit("hit-9", "enc-9", "fr-int-rest", 0.9, [], clock.now())
    with world.unit_of_work() as uow:
        resting = uow.subjects.get("fr-int-rest")
        assert resting is not None
        task = on_hit(uow, hit, resting, clock.now(), trail=trail)
    assert task is not None
    clock.set(_at(REVIEW + timedelta(days=1)))
    report = _sweep(world, clock, trail)
    assert (report.closed, report.held) == (1, 1)
    with world.unit_of_work() as uow:
        ReviewService(trail, PERIODS).resolve(
            uow, actor("FR-INT"), task.id, "the hit was a namesake", clock.now()
        )
    assert _sweep(world, clock, trail).closed == 1


def test_the_sweep_runs_as_the_schedulers_periodic_job(world: Database) -> None:
    registry = JobRegistry()
    register_jobs(registry, Settings(review_grace_days=1))
    assert registry.every(SWEEP_JOB) is not None
    clock = ManualClock(_at(REVIEW + timedelta(days=1)))
    report = run_due(world, clock, "worker-1", registry)
    assert report.ran[SWEEP_JOB] == 1 and not report.errors
    with world.unit_of_work() as uow:
        closed = uow.subjects.get("fr-int-rest")
    assert closed is not None and closed.status is SubjectStatus.CLOSED
    clock.advance(days=1)
    assert run_due(world, clock, "worker-1", registry).ran[SWEEP_JOB] == 1
    with world.unit_of_work() as uow:
        assert uow.subjects.get("fr-int-rest") is None
    with world.engine.connect() as conn:
        assert default_trail().verify(conn) is None


def test_watchlink_audit_verify_passes_after_a_deletion(
    world: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from watchlink.cli import access
    from watchlink.cli.main import app

    monkeypatch.setenv("WATCHLINK_DATABASE_URL", world.url)
    get_settings.cache_clear()
    try:
        settings = get_settings()
        trail = AuditTrail.from_settings(settings)
        trail.ensure_head(world.engine)
        clock = ManualClock(_at(REVIEW + timedelta(days=1)))
        _sweep(world, clock, trail)
        clock.advance(days=31)
        assert _sweep(world, clock, trail).deleted == 2
        if not any(group.name == "audit" for group in app.registered_groups):
            access.register(app)
        verified = CliRunner().invoke(app, ["audit", "verify"])
    finally:
        get_settings.cache_clear()
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output
    assert Path(settings.effective_audit_key_path).exists()


def test_the_configured_scheduler_runs_the_review_sweep() -> None:
    from watchlink.services.scheduler import configured_registry

    registry = configured_registry(Settings())
    assert registry.every(SWEEP_JOB) is not None
