"""Responsiveness per agency and per partner pair, the same figures on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from requests_support import START, actor, clock, service, trail, world
from watchlink.model import RequestPriority, Role
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import ManualClock
from watchlink.services.requests import RequestService
from watchlink.services.responsiveness import ResponsivenessService
from watchlink.store import Database
from watchlink.store.requests_stats import ResponsivenessRow, percentile

__all__ = ["clock", "service", "trail", "world"]

TR, FR, BE = actor("TR-INT", Role.LIAISON_OFFICER), actor("FR-INT"), actor("BE-INT")


@pytest.fixture
def history(world: Database, service: RequestService, clock: ManualClock) -> Database:
    """FR-INT answers TR-INT in 2 h, 10 h and 100 h (late) and leaves one unanswered;
    BE-INT gets its answer in 30 h; FR-INT's own question to TR-INT is still young."""

    def ask(who: object, to: str, priority: RequestPriority = RequestPriority.HIGH) -> str:
        with world.unit_of_work() as uow:
            return service.send(uow, who, to, "Known to you?", "Please advise.", priority).id  # type: ignore[arg-type]

    def answer(request_id: str, at_hours: int) -> None:
        clock.set(START + timedelta(hours=at_hours))
        with world.unit_of_work() as uow:
            service.reply(uow, FR, request_id, "Answer.", answer=True)

    fast, slow, silent, medium = (ask(TR, "FR-INT") for _ in range(4))
    belgian = ask(BE, "FR-INT")
    answer(fast, 2)
    answer(medium, 10)
    answer(belgian, 30)
    answer(slow, 100)
    assert silent
    ask(FR, "TR-INT", RequestPriority.NORMAL)
    return world


def _figures(
    db: Database, trail: AuditTrail, clock: ManualClock, **kw: object
) -> list[ResponsivenessRow]:
    with db.unit_of_work() as uow:
        return ResponsivenessService(trail, clock).figures(uow, BE, **kw)  # type: ignore[arg-type]


def test_per_agency(history: Database, trail: AuditTrail, clock: ManualClock) -> None:
    assert _figures(history, trail, clock) == [
        ResponsivenessRow("FR-INT", None, 5, 4, 3, 1, 20.0, 79.0),
        ResponsivenessRow("TR-INT", None, 1, 0, 0, 0, None, None),
    ]


def test_per_partner_pair(history: Database, trail: AuditTrail, clock: ManualClock) -> None:
    assert _figures(history, trail, clock, by_pair=True, agency="FR-INT") == [
        ResponsivenessRow("FR-INT", "BE-INT", 1, 1, 1, 0, 30.0, 30.0),
        ResponsivenessRow("FR-INT", "TR-INT", 4, 3, 2, 1, 10.0, 82.0),
    ]


def test_since_leaves_older_requests_out(
    history: Database, trail: AuditTrail, clock: ManualClock
) -> None:
    rows = _figures(history, trail, clock, since=START + timedelta(hours=1))
    assert rows == [ResponsivenessRow("TR-INT", None, 1, 0, 0, 0, None, None)]


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.9, 7.0),
        ([2.0, 10.0, 30.0, 100.0], 0.5, 20.0),
        ([2.0, 10.0, 30.0, 100.0], 0.9, 79.0),
        ([100.0, 2.0, 10.0], 0.9, 82.0),
    ],
)
def test_percentile_interpolates_like_postgres(
    values: list[float], fraction: float, expected: float | None
) -> None:
    assert percentile(values, fraction) == pytest.approx(expected)
