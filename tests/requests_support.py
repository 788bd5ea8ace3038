"""Fixtures of the request tests: four fictional agencies, three subjects, a manual clock.

FR-INT owns ``s-open`` (all partners, H1), ``s-own`` (own agency only) and ``s-h3``
(H3). TR-INT, BE-INT and FR-POL are the other agencies; actors are built per agency
and role. The request service and its escalator share one ``ManualClock``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from factories import make_agency, make_subject
from watchlink.access import Actor
from watchlink.model import Distribution, HandlingCode, Role, Sharing
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.clock import ManualClock
from watchlink.services.requests import RequestService
from watchlink.services.requests_views import RequestTerms
from watchlink.settings import Settings
from watchlink.store import Database

__all__ = ["START", "actor", "clock", "service", "trail", "world"]

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
COUNTRIES = {"FR-INT": "FR", "FR-POL": "FR", "TR-INT": "TR", "BE-INT": "BE"}


def actor(agency: str, role: Role = Role.ANALYST, user: str | None = None) -> Actor:
    """A user of ``agency`` holding ``role``."""
    name = user or f"{agency.lower()}.{role.value}"
    return Actor(name, agency, COUNTRIES[agency], frozenset({role}))


@pytest.fixture
def world(database: Database) -> Database:
    """The fresh database with the agencies and FR-INT's three subjects."""
    with database.unit_of_work() as uow:
        for code, country in COUNTRIES.items():
            uow.agencies.upsert(make_agency(code=code, country=country))
        everyone = Sharing(Distribution.ALL_PARTNERS, None, HandlingCode.H1)
        uow.subjects.upsert(make_subject(id="s-open", sharing=everyone))
        own = Sharing(Distribution.OWN_AGENCY, None, HandlingCode.H1)
        uow.subjects.upsert(make_subject(id="s-own", sharing=own))
        h3 = Sharing(Distribution.ALL_PARTNERS, None, HandlingCode.H3)
        uow.subjects.upsert(make_subject(id="s-h3", sharing=h3))
    return database


@pytest.fixture
def trail(tmp_path: Path, world: Database) -> AuditTrail:
    """An audit trail with a key under the test's folder."""
    audit = AuditTrail(SigningKey.load_or_create(tmp_path / "keys" / "audit.key"), 50)
    audit.ensure_head(world.engine)
    return audit


@pytest.fixture
def clock() -> ManualClock:
    """The tests' clock, at START."""
    return ManualClock(START)


@pytest.fixture
def service(trail: AuditTrail, clock: ManualClock) -> RequestService:
    """The request service with the default deadlines (12 h, 3 days, 14 days)."""
    return RequestService(trail, clock, RequestTerms.from_settings(Settings()))
