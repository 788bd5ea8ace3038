"""Demo story, requests step: the Turkish request about the returnee goes overdue and
climbs France's escalation chain to its national contact point — exactly once, even
though the server was down over the deadline and started again months later.

The demo world is loaded as ``watchlink demo`` loads it; time is a ManualClock set to
the day the request was sent; a restart is a new service and a new job registry.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from watchlink.access import Actor
from watchlink.model import Role
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.clock import ManualClock
from watchlink.services.requests import RequestService
from watchlink.services.requests_jobs import register_request_jobs
from watchlink.services.requests_views import RequestTerms
from watchlink.services.scheduler import JobRegistry, run_due
from watchlink.services.world import load_demo
from watchlink.settings import Settings
from watchlink.store.requests_store import EscalationStep
from watchlink.store.tables_ops import outbox
from watchlink.world.demo import STORY, DemoWorld, demo_world
from watchlink.world.people import AS_OF

FRANCE_DESK = Actor("fr.analyst", "FR-INT", "FR", frozenset({Role.ANALYST}))
FRANCE_ADMIN = Actor("admin", "FR-INT", "FR", frozenset({Role.ADMIN}))
FRANCE_CHAIN = [
    EscalationStep(1, "desk", "FR-INT", 0),
    EscalationStep(2, "supervisor", "FR-INT", 48),
    EscalationStep(3, "national_contact_point", "FR-INT", 7 * 24),
]


@pytest.fixture(scope="module")
def demo() -> DemoWorld:
    return demo_world(60)


@pytest.fixture
def loaded(database: Any, demo: DemoWorld) -> Any:
    with database.unit_of_work() as uow:
        assert load_demo(uow, demo) is not None
    return database


def _server(trail: AuditTrail, clock: ManualClock) -> tuple[RequestService, JobRegistry]:
    """One server process: the request service and its job kinds."""
    service = RequestService(trail, clock, RequestTerms.from_settings(Settings()))
    registry = JobRegistry()
    register_request_jobs(registry, service.escalator, timedelta(minutes=5))
    return service, registry


def _escalations(database: Any) -> list[tuple[str, int, str]]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.recipient, outbox.c.payload, outbox.c.reference)
            .where(outbox.c.kind == "escalation")
            .order_by(outbox.c.id)
        ).all()
    assert all(r.reference == STORY.turkish_request for r in rows)
    return [(r.recipient, int(r.payload["level"]), str(r.payload["role"])) for r in rows]


def test_step_requests_the_turkish_request_escalates_to_the_french_contact_point(
    loaded: Any, tmp_path: Path
) -> None:
    trail = AuditTrail(SigningKey.load_or_create(tmp_path / "audit.key"), 50)
    trail.ensure_head(loaded.engine)
    with loaded.unit_of_work() as uow:
        asked = uow.requests.get(STORY.turkish_request)
    assert asked is not None and asked.from_agency == "TR-INT" and asked.to_agency == "FR-INT"

    # The day after Turkey asked, France has its chain configured and a server runs.
    clock = ManualClock(asked.created_at + timedelta(days=1))
    service, registry = _server(trail, clock)
    with loaded.unit_of_work() as uow:
        service.escalator.set_chain(uow, FRANCE_ADMIN, FRANCE_CHAIN, clock.now())
    run_due(loaded, clock, "server-1", registry)
    with loaded.unit_of_work() as uow:
        seen = service.get(uow, FRANCE_DESK, STORY.turkish_request)
    assert seen.state == "sent" and not seen.overdue and _escalations(loaded) == []

    # Ten days later the sweep reminds the French desk; then the server goes down.
    clock.advance(days=10, hours=12)
    run_due(loaded, clock, "server-1", registry)
    with loaded.engine.connect() as conn:
        reminded = conn.execute(
            select(outbox.c.recipient).where(outbox.c.kind == "request.reminder")
        ).scalars()
        assert list(reminded) == ["FR-INT"]

    # Months later a new server starts: the request is long overdue.
    later = ManualClock(AS_OF)
    _, registry2 = _server(trail, later)
    run_due(loaded, later, "server-2", registry2)
    assert _escalations(loaded) == [
        ("FR-INT", 1, "desk"),
        ("FR-INT", 2, "supervisor"),
        ("FR-INT", 3, "national_contact_point"),
    ]
    # Started again (and again): nothing escalates twice.
    again, registry3 = _server(trail, ManualClock(AS_OF + timedelta(hours=1)))
    run_due(loaded, again.clock, "server-3", registry3)
    run_due(loaded, later, "server-2", registry2)
    assert len(_escalations(loaded)) == 3

    with loaded.unit_of_work() as uow:
        now_seen = again.get(uow, FRANCE_DESK, STORY.turkish_request)
    assert now_seen.overdue and now_seen.escalation_level == 3
    kinds = [e.kind for e in now_seen.events]
    assert kinds == ["reminded", "escalated", "escalated", "escalated"]
    assert now_seen.subject_id == STORY.subject  # France reads its own subject
