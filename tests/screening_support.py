"""Helpers of the screening and hit tests, on the conftest's ``database`` fixture.

``Desk`` bundles a fresh database's screening and hit services (one audit trail, a
fixed clock); ``actor`` builds an agency's user as the policy sees it, with the
partner groups the database holds for that agency now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from watchlink.access import Actor
from watchlink.model import Agency, AgencyKind, Role
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.clock import ManualClock
from watchlink.services.hits import HitService
from watchlink.services.screening import ScreeningService
from watchlink.store import Database
from watchlink.store.tables_ops import outbox

__all__ = ["NOW", "Desk", "actor", "add_agencies", "outbox_rows"]

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


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
