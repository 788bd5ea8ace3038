"""Reminders and escalation of requests, driven by the scheduler on both databases.

The receiving desk is reminded once before the deadline; an overdue request climbs the
receiving agency's chain one level at a time, each level once — also when the server
was down over the deadline, when two workers race, or when the sweep and the job both
run. A ManualClock stands in for time; a "restart" is a new service and registry.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from requests_support import START, actor, clock, service, trail, world
from watchlink.errors import AccessDenied, Conflict, InputError, NotFound
from watchlink.model import InfoRequest, RequestMessage, RequestPriority, Role
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import ManualClock
from watchlink.services.requests import RequestService
from watchlink.services.requests_jobs import register_request_jobs
from watchlink.services.requests_sweep import SweepReport, sweep_requests
from watchlink.services.requests_views import RequestTerms
from watchlink.services.scheduler import JobRegistry, run_due
from watchlink.settings import Settings
from watchlink.store import Database
from watchlink.store.requests_store import EscalationStep
from watchlink.store.tables_access import audit_events
from watchlink.store.tables_ops import outbox

__all__ = ["clock", "service", "trail", "world"]

TR, FR = actor("TR-INT", Role.LIAISON_OFFICER), actor("FR-INT")
HIGH = timedelta(days=3)


def _registry(svc: RequestService) -> JobRegistry:
    registry = JobRegistry()
    register_request_jobs(registry, svc.escalator, timedelta(minutes=5))
    return registry


def _restarted(trail: AuditTrail, clock: ManualClock) -> RequestService:
    """A new server process: a new service over the same database."""
    return RequestService(trail, clock, RequestTerms.from_settings(Settings()))


def _ask(
    db: Database, svc: RequestService, priority: RequestPriority = RequestPriority.HIGH
) -> str:
    with db.unit_of_work() as uow:
        return svc.send(uow, TR, "FR-INT", "Known to you?", "Please advise.", priority).id


def _messages(db: Database, kind: str) -> list[tuple[str, dict[str, object]]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.recipient, outbox.c.payload)
            .where(outbox.c.kind == kind)
            .order_by(outbox.c.id)
        ).all()
    return [(r.recipient, dict(r.payload)) for r in rows]


def _int(value: object) -> int:
    """A number of a payload: JSON holds it as an integer (asserted, not converted)."""
    assert isinstance(value, int), value
    return value


def _levels(db: Database) -> list[tuple[int, str]]:
    return [(_int(p["level"]), str(p["role"])) for _, p in _messages(db, "escalation")]


def test_the_desk_is_reminded_once_before_the_deadline(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    _ask(world, service)
    registry = _registry(service)
    run_due(world, clock, "w", registry)
    assert _messages(world, "request.reminder") == []
    clock.advance(HIGH * 0.75)  # a quarter of the time left
    run_due(world, clock, "w", registry)
    clock.advance(minutes=30)  # the sweep passes again
    run_due(world, clock, "w", registry)
    reminders = _messages(world, "request.reminder")
    assert len(reminders) == 1 and reminders[0][0] == "FR-INT"
    assert reminders[0][1]["time_left_hours"] == 18.0


def test_an_answered_request_is_neither_reminded_nor_escalated(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    request_id = _ask(world, service)
    with world.unit_of_work() as uow:
        service.reply(uow, FR, request_id, "Not known to us.", answer=True)
    clock.advance(days=30)
    run_due(world, clock, "w", _registry(service))
    assert _messages(world, "request.reminder") == []
    assert _levels(world) == []


def test_an_overdue_request_climbs_the_default_chain_one_level_at_a_time(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    request_id = _ask(world, service)
    registry = _registry(service)
    clock.set(START + HIGH + timedelta(minutes=1))
    run_due(world, clock, "w", registry)
    assert _levels(world) == [(1, "desk")]
    clock.advance(hours=24)
    run_due(world, clock, "w", registry)
    assert _levels(world) == [(1, "desk"), (2, "supervisor")]
    clock.advance(hours=48)
    run_due(world, clock, "w", registry)
    clock.advance(days=10)
    run_due(world, clock, "w", registry)
    assert _levels(world) == [(1, "desk"), (2, "supervisor"), (3, "national_contact_point")]
    with world.unit_of_work() as uow:
        seen = service.get(uow, FR, request_id)
        lines = uow.connection.execute(select(audit_events.c.query)).scalars().all()
    assert seen.overdue and seen.escalation_level == 3
    assert [e.level for e in seen.events if e.kind == "escalated"] == [1, 2, 3]
    assert "escalate level 3 to national_contact_point of FR-INT" in lines


def test_a_server_down_over_the_deadline_escalates_on_start_exactly_once(
    world: Database, trail: AuditTrail, service: RequestService, clock: ManualClock
) -> None:
    _ask(world, service)
    run_due(world, clock, "server-a", _registry(service))  # then the server goes down
    later = ManualClock(START + HIGH + timedelta(days=5))
    restarted = _restarted(trail, later)
    run_due(world, later, "server-b", _registry(restarted))
    run_due(world, later, "server-b", _registry(restarted))
    again = _restarted(trail, later)  # and once more, a third start
    run_due(world, later, "server-c", _registry(again))
    assert _levels(world) == [(1, "desk"), (2, "supervisor"), (3, "national_contact_point")]


def test_two_servers_racing_escalate_each_level_once(
    world: Database, trail: AuditTrail, service: RequestService
) -> None:
    for _ in range(5):
        _ask(world, service)
    late = ManualClock(START + HIGH + timedelta(days=5))
    errors: list[BaseException] = []
    gate = threading.Barrier(3)

    def server(name: str) -> None:
        try:
            gate.wait()
            run_due(world, late, name, _registry(_restarted(trail, late)))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=server, args=(f"s{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    per_request: dict[str, list[int]] = {}
    for _, payload in _messages(world, "escalation"):
        per_request.setdefault(str(payload["request_id"]), []).append(_int(payload["level"]))
    assert len(per_request) == 5
    assert all(sorted(levels) == [1, 2, 3] for levels in per_request.values())


def test_the_receiving_agency_configures_its_chain(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    admin = actor("FR-INT", Role.ADMIN)
    chain = [
        EscalationStep(1, "desk", "FR-INT", 0),
        EscalationStep(2, "national_contact_point", "FR-POL", 6),
    ]
    with world.unit_of_work() as uow:
        service.escalator.set_chain(uow, admin, chain, clock.now())
    _ask(world, service, RequestPriority.URGENT)
    clock.advance(hours=12 + 7)
    run_due(world, clock, "w", _registry(service))
    sent = _messages(world, "escalation")
    assert [(r, p["role"]) for r, p in sent] == [
        ("FR-INT", "desk"),
        ("FR-POL", "national_contact_point"),
    ]


@pytest.mark.parametrize(
    ("steps", "field"),
    [
        ([EscalationStep(2, "desk", "FR-INT", 0)], "steps[0]"),  # levels start at 1
        ([EscalationStep(1, "Desk!", "FR-INT", 0)], "steps[0]"),
        ([EscalationStep(1, "desk", "XX-NONE", 0)], "steps[0]"),
        (
            [EscalationStep(1, "desk", "FR-INT", 5), EscalationStep(2, "chief", "FR-INT", 1)],
            "steps[1]",
        ),
        ([], "steps"),
    ],
)
def test_a_bad_chain_is_refused_with_its_step(
    world: Database, service: RequestService, steps: list[EscalationStep], field: str
) -> None:
    with world.unit_of_work() as uow, pytest.raises(InputError) as raised:
        service.escalator.set_chain(uow, actor("FR-INT", Role.ADMIN), steps, START)
    assert raised.value.problems[0].field == field


def test_only_an_agency_administrator_sets_the_chain(
    world: Database, service: RequestService
) -> None:
    steps = [EscalationStep(1, "desk", "FR-INT", 0)]
    with world.unit_of_work() as uow, pytest.raises(AccessDenied):
        service.escalator.set_chain(uow, actor("FR-INT", Role.SUPERVISOR), steps, START)


def test_the_receiving_desk_escalates_by_hand_up_its_own_chain_only(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    request_id = _ask(world, service)
    with world.unit_of_work() as uow:
        assert service.escalate(uow, FR, request_id).role == "desk"
    with world.unit_of_work() as uow:
        assert service.escalate(uow, FR, request_id).role == "supervisor"
    with world.unit_of_work() as uow:
        assert service.escalate(uow, FR, request_id).role == "national_contact_point"
    with world.unit_of_work() as uow, pytest.raises(Conflict, match="top"):
        service.escalate(uow, FR, request_id)
    with world.unit_of_work() as uow, pytest.raises(NotFound):
        service.escalate(uow, actor("BE-INT"), request_id)
    clock.advance(days=30)
    run_due(world, clock, "w", _registry(service))  # the chain is climbed: nothing more
    assert len(_levels(world)) == 3


def test_the_sweep_counts_what_it_did_and_leaves_a_climbed_chain_alone(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    admin = actor("FR-INT", Role.ADMIN)
    with world.unit_of_work() as uow:
        service.escalator.set_chain(uow, admin, [EscalationStep(1, "desk", "FR-INT", 0)], START)
    _ask(world, service)  # to FR-INT: one level
    with world.unit_of_work() as uow:
        service.send(uow, FR, "TR-INT", "And you?", "?", RequestPriority.HIGH)  # default: three
    clock.advance(HIGH * 0.8)
    with world.unit_of_work() as uow:
        assert sweep_requests(service.escalator, uow, clock.now()) == SweepReport(2, 0)
    clock.advance(days=10)
    with world.unit_of_work() as uow:
        assert sweep_requests(service.escalator, uow, clock.now()) == SweepReport(0, 4)
    with world.unit_of_work() as uow:
        assert sweep_requests(service.escalator, uow, clock.now()) == SweepReport(0, 0)


def _backlog(db: Database, count: int) -> None:
    """Requests loaded without their jobs, long overdue, as an import would leave them."""
    asked = START - timedelta(days=30)
    with db.unit_of_work() as uow:
        for i in range(count):
            message = RequestMessage("TR-INT", "tr", asked, "?")
            uow.requests.add(
                InfoRequest(
                    f"old-{i}", "TR-INT", "FR-INT", "Known?", RequestPriority.HIGH, asked,
                    asked + timedelta(days=3), messages=[message],
                )
            )  # fmt: skip


def test_a_long_backlog_is_swept_in_batches_each_request_once(
    world: Database, service: RequestService
) -> None:
    _backlog(world, 7)
    with world.unit_of_work() as uow:
        first = sweep_requests(service.escalator, uow, START, batch=3)
    assert first.escalated == 9 and first.next_after is not None
    with world.unit_of_work() as uow:
        second = sweep_requests(service.escalator, uow, START, batch=3, after=first.next_after)
        third = sweep_requests(service.escalator, uow, START, batch=3, after=second.next_after)
    assert (second.escalated, third.escalated, third.next_after) == (9, 3, None)
    run_due(world, ManualClock(START), "w", _registry(service))  # the scheduler's sweep
    per_request: dict[str, int] = {}
    for _, payload in _messages(world, "escalation"):
        key = str(payload["request_id"])
        per_request[key] = per_request.get(key, 0) + 1
    assert per_request == {f"old-{i}": 3 for i in range(7)}


def test_the_scheduler_continues_a_full_sweep_in_new_transactions(
    world: Database, service: RequestService
) -> None:
    _backlog(world, 5)
    registry = JobRegistry()
    register_request_jobs(registry, service.escalator, timedelta(minutes=5), batch=2)
    report = run_due(world, ManualClock(START), "w", registry)
    assert report.ran["requests.sweep"] == 1 and report.ran["requests.sweep.more"] == 2
    assert len(_levels(world)) == 15
