"""Helpers of the screening and hit tests, on the conftest's ``database`` fixture.

``Desk`` bundles a fresh database's screening and hit services (one audit trail, a
fixed clock); ``actor`` builds an agency's user as the policy sees it, with the
partner groups the database holds for that agency now. ``api_client`` serves the
whole API over the access tests' database to desks that ``login`` by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from access_support import FAST, SUBJECT_STORE, directory, join
from watchlink.access import Actor
from watchlink.api.app import create_app
from watchlink.model import Agency, AgencyKind, Role
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.auth import AuthService
from watchlink.services.clock import ManualClock
from watchlink.services.hits import HitService
from watchlink.services.screening import ScreeningService
from watchlink.services.subjects import SubjectReader
from watchlink.settings import Settings
from watchlink.store import Database
from watchlink.store.tables_ops import outbox

__all__ = ["NOW", "PASSWORD", "Desk", "actor", "add_agencies", "api_client", "login", "outbox_rows"]

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


class Desk:
    """The screening and hit services over one test database."""

    def __init__(self, database: Database, home: Path, threshold: float = 0.7) -> None:
        self.database = database
        self.trail = AuditTrail(SigningKey.load_or_create(home / "keys" / "audit.key"), 50)
        self.trail.ensure_head(database.engine)
        self.clock = ManualClock(NOW)
        self.screening = ScreeningService(self.trail, threshold, clock=self.clock)
        self.hits = HitService(self.trail, self.clock)


def actor(database: Database, user: str, agency: str, *roles: Role) -> Actor:
    """A user of ``agency`` with ``roles`` (analyst by default) and its groups from the db."""
    with database.unit_of_work() as uow:
        found = uow.agencies.get(agency)
        assert found is not None, agency
        groups = frozenset(uow.agencies.groups_of(agency))
    return Actor(user, agency, found.country, frozenset(roles or (Role.ANALYST,)), groups)


def add_agencies(database: Database, *codes: tuple[str, str]) -> None:
    """Fictional agencies ``(code, country)``."""
    with database.unit_of_work() as uow:
        for code, country in codes:
            uow.agencies.add(Agency(code, f"Agency {code}", country, AgencyKind.POLICE))


def outbox_rows(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    """Every outbox row as (recipient, reference, payload), in order."""
    with database.engine.connect() as conn:
        rows = conn.execute(select(outbox).order_by(outbox.c.id)).mappings()
        return [(r["recipient"], r["reference"], dict(r["payload"])) for r in rows]


@contextmanager
def api_client(
    home: Path, engine: Engine, trail: AuditTrail, users: Iterable[tuple[str, str, str]]
) -> Iterator[TestClient]:
    """The API on ``engine`` (from ``access_support``'s ``access_engine``): FR-INT and
    BE-SUR in partner group G5, and ``users`` as (name, agency, role), all with PASSWORD."""
    app = create_app(Settings(home=home))
    context = AccessContext(engine, trail, AuthService(trail, directory, FAST))
    app.state.access = context
    app.state.subject_reader = SubjectReader(SUBJECT_STORE, trail)
    with engine.begin() as conn:
        join(conn, "G5", "FR-INT")
        join(conn, "G5", "BE-SUR")
        for user, agency, role in users:
            context.auth.add_user(conn, None, user, agency, [role], PASSWORD)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def login(client: TestClient, user: str) -> None:
    """Log ``user`` in over the API, dropping whoever was logged in before."""
    client.cookies.clear()
    response = client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
    assert response.status_code == 200, response.text
