"""Monitoring decisions: append-only, the subject follows the newest, the owner alone decides."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict, Unpack

import pytest
from sqlalchemy import func, select

from monitoring_support import NOW, actor, person, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.errors import AccessDenied, Conflict, InputError, NotFound
from watchlink.matching import Screener
from watchlink.model import ActionOnHit, ConcernLevel, DecisionKind, Role, SubjectStatus
from watchlink.services.audit import AuditTrail
from watchlink.services.monitoring import DecisionInput, MonitoringService
from watchlink.store import Database
from watchlink.store.tables_access import audit_events

BASIS = "Fictional Act art. 3"


class _Extra(TypedDict, total=False):
    """What a decision may carry beyond its kind, reason and basis."""

    level: ConcernLevel | None
    review_date: date | None


def _decide(
    world: Database,
    trail: AuditTrail,
    kind: DecisionKind,
    who: str = "FR-INT",
    **extra: Unpack[_Extra],
) -> object:
    service = MonitoringService(trail)
    given = DecisionInput(kind, f"because {kind.value}", BASIS, **extra)
    with world.unit_of_work() as uow:
        return service.decide(uow, actor(who), "fr-int-live", given, NOW)


def test_start_change_suspend_stop_append_and_the_subject_follows(
    world: Database, trail: AuditTrail
) -> None:
    steps: list[tuple[DecisionKind, _Extra, SubjectStatus]] = [
        (DecisionKind.START, {"level": ConcernLevel.HIGH}, SubjectStatus.ACTIVE),
        (DecisionKind.CHANGE_LEVEL, {"level": ConcernLevel.CRITICAL}, SubjectStatus.ACTIVE),
        (DecisionKind.SUSPEND, {"review_date": date(2026, 12, 1)}, SubjectStatus.DORMANT),
        (DecisionKind.STOP, {}, SubjectStatus.CLOSED),
    ]
    for kind, extra, status in steps:
        _decide(world, trail, kind, **extra)
        with world.unit_of_work() as uow:
            subject = uow.subjects.get("fr-int-live")
            assert subject is not None and subject.status is status
    service = MonitoringService(trail)
    with world.unit_of_work() as uow:
        history = service.history(uow, actor("FR-INT"), "fr-int-live")
        subject = uow.subjects.get("fr-int-live")
    assert [d.kind for d in history] == [k for k, _, _ in steps]
    assert [d.supersedes for d in history] == [None, *(d.id for d in history[:-1])]
    assert history[1].level is ConcernLevel.CRITICAL and history[0].decided_by == "fr-int.user"
    assert subject is not None and subject.concern is ConcernLevel.CRITICAL
    assert history[2].review_date == date(2026, 12, 1)
    assert subject.review_date == history[-1].review_date
    with world.engine.connect() as conn:
        assert trail.verify(conn) is None


@pytest.mark.parametrize(
    ("action", "years"),
    [
        (ActionOnHit.DISCREET_CHECK, 1),
        (ActionOnHit.SPECIFIC_CHECK, 1),
        (ActionOnHit.NOTIFY_ONLY, 3),
        (ActionOnHit.REFUSE_ENTRY, 5),
        (ActionOnHit.ARREST, 5),
    ],
)
def test_the_default_review_date_follows_the_action_on_hit(
    world: Database, trail: AuditTrail, action: ActionOnHit, years: int
) -> None:
    with world.unit_of_work() as uow:
        uow.subjects.upsert(person("fr-int-live", "Adnane Kessaci", action_on_hit=action))
    _decide(world, trail, DecisionKind.START)
    with world.unit_of_work() as uow:
        subject = uow.subjects.get("fr-int-live")
    assert subject is not None
    assert subject.review_date == NOW.date().replace(year=NOW.year + years)


@pytest.mark.parametrize(
    ("who", "roles", "error", "reads"),
    [
        ("US-SEC", (Role.ANALYST,), AccessDenied, AccessDenied),  # sees it, may not decide
        ("BE-INT", (Role.ANALYST,), NotFound, NotFound),  # does not see it at all
        ("FR-INT", (Role.BORDER_OFFICER,), NotFound, NotFound),  # own agency, no reading right
        ("FR-INT", (Role.LIAISON_OFFICER,), AccessDenied, None),  # reads, may not write
    ],
)
def test_only_the_owning_desk_decides_and_refusals_are_audited(
    world: Database,
    trail: AuditTrail,
    who: str,
    roles: tuple[Role, ...],
    error: type,
    reads: type | None,
) -> None:
    service = MonitoringService(trail)
    given = DecisionInput(DecisionKind.STOP, "no longer", BASIS)
    with pytest.raises(error), world.unit_of_work() as uow:
        service.decide(uow, actor(who, *roles), "fr-int-live", given, NOW)
    if reads is None:
        with world.unit_of_work() as uow:
            assert service.history(uow, actor(who, *roles), "fr-int-live") == []
    else:
        with pytest.raises(reads), world.unit_of_work() as uow:
            service.history(uow, actor(who, *roles), "fr-int-live")
    with world.unit_of_work() as uow:
        assert uow.decisions.of_subject("fr-int-live") == []
        subject = uow.subjects.get("fr-int-live")
        assert subject is not None and subject.status is SubjectStatus.ACTIVE
    with world.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(audit_events)).scalar_one()
        assert count == 2  # the refusals (and the allowed reading) are on the trail
        assert trail.verify(conn) is None


def test_a_missing_subject_is_not_found(world: Database, trail: AuditTrail) -> None:
    with pytest.raises(NotFound), world.unit_of_work() as uow:
        MonitoringService(trail).history(uow, actor("FR-INT"), "fr-int-nobody")


@pytest.mark.parametrize(
    ("given", "error"),
    [
        (DecisionInput(DecisionKind.STOP, " ", BASIS), InputError),
        (DecisionInput(DecisionKind.STOP, "why", ""), InputError),
        (DecisionInput(DecisionKind.CHANGE_LEVEL, "why", BASIS), InputError),
        (DecisionInput(DecisionKind.REOPEN_FOR_REVIEW, "why", BASIS), InputError),
        (DecisionInput(DecisionKind.STOP, "why", BASIS, review_date=NOW.date()), InputError),
        (DecisionInput(DecisionKind.CHANGE_LEVEL, "w", BASIS, ConcernLevel.HIGH), Conflict),
    ],
)
def test_bad_or_pointless_decisions_are_refused(
    world: Database, trail: AuditTrail, given: DecisionInput, error: type
) -> None:
    with pytest.raises(error), world.unit_of_work() as uow:
        MonitoringService(trail).decide(uow, actor("FR-INT"), "fr-int-live", given, NOW)


def test_suspending_a_dormant_subject_is_a_conflict(world: Database, trail: AuditTrail) -> None:
    given = DecisionInput(DecisionKind.SUSPEND, "again", BASIS)
    with pytest.raises(Conflict), world.unit_of_work() as uow:
        MonitoringService(trail).decide(uow, actor("FR-INT"), "fr-int-rest", given, NOW)


def test_a_closed_subject_stays_stored_and_the_engine_still_matches_it(
    world: Database, trail: AuditTrail
) -> None:
    _decide(world, trail, DecisionKind.STOP)
    with world.unit_of_work() as uow:
        watchlist = list(uow.subjects.iter_all())
    assert {s.id: s.status for s in watchlist}["fr-int-live"] is SubjectStatus.CLOSED
    screener: Screener[object] = Screener.build(watchlist)
    query = person("q-1", "Adnan Kessaci", agency="GR-BORDER", review_date=None)
    matches = [m for m in screener.screen(query) if m.is_match]
    assert "fr-int-live" in {m.subject_id for m in matches}


def test_a_restart_after_a_stop_brings_the_subject_back(world: Database, trail: AuditTrail) -> None:
    _decide(world, trail, DecisionKind.STOP)
    later = NOW + timedelta(days=1)
    given = DecisionInput(DecisionKind.START, "new signs", BASIS, ConcernLevel.HIGH)
    with world.unit_of_work() as uow:
        MonitoringService(trail).decide(uow, actor("FR-INT"), "fr-int-live", given, later)
        subject = uow.subjects.get("fr-int-live")
    assert subject is not None and subject.status is SubjectStatus.ACTIVE
