"""A small world for the monitoring, trigger and review tests, on the ``database`` fixture.

Three fictional agencies (FR-INT and US-SEC share the partner group CT, BE-INT is
outside it), a resting and an active French subject, and an audit trail signing with a
key under the test's folder. Import ``world_fixture`` and ``trail_fixture`` to
use the fixtures ``world`` and ``trail``; ``actor`` builds a user of an agency with given roles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from watchlink.access import Actor
from watchlink.model import (
    Agency,
    AgencyKind,
    ConcernLevel,
    Distribution,
    HandlingCode,
    Name,
    NameKind,
    PartnerGroup,
    Role,
    Sharing,
    Subject,
    SubjectStatus,
)
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.store import Database

__all__ = ["NOW", "actor", "person", "trail_fixture", "world_fixture"]

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
GROUP = "CT"


def actor(agency: str, *roles: Role, user: str | None = None) -> Actor:
    """A user of ``agency`` (country from its code) holding ``roles`` (analyst by default)."""
    country = {"FR-INT": "FR", "US-SEC": "US", "BE-INT": "BE"}[agency]
    groups = frozenset({GROUP}) if agency in ("FR-INT", "US-SEC") else frozenset()
    return Actor(
        user or f"{agency.lower()}.user",
        agency,
        country,
        frozenset(roles or (Role.ANALYST,)),
        groups,
    )


def person(id_: str, full: str, agency: str = "FR-INT", **overrides: Any) -> Subject:
    """A fictional subject with one name, shared with the CT group by default."""
    fields: dict[str, Any] = {
        "id": id_,
        "agency": agency,
        "names": [Name(full, NameKind.PRIMARY)],
        "concern": ConcernLevel.MEDIUM,
        "status": SubjectStatus.ACTIVE,
        "legal_basis": "Fictional Act art. 3",
        "review_date": date(2027, 6, 1),
        "sharing": Sharing(Distribution.PARTNER_GROUP, GROUP, HandlingCode.H1),
    }
    fields.update(overrides)
    return Subject(**fields)


@pytest.fixture(name="world")
def world_fixture(database: Database) -> Database:
    """The database with the three agencies, the group and two French subjects."""
    with database.unit_of_work() as uow:
        for code, country in (("FR-INT", "FR"), ("US-SEC", "US"), ("BE-INT", "BE")):
            uow.agencies.add(Agency(code, f"Agency {code}", country, AgencyKind.INTELLIGENCE))
        uow.agencies.upsert_group(PartnerGroup(GROUP, "Fictional group", {"FR-INT", "US-SEC"}))
        uow.subjects.upsert(person("fr-int-rest", "Walid Kessaci", status=SubjectStatus.DORMANT))
        uow.subjects.upsert(person("fr-int-live", "Adnane Kessaci", concern=ConcernLevel.HIGH))
    return database


@pytest.fixture(name="trail")
def trail_fixture(tmp_path: Path, world: Database) -> AuditTrail:
    """An audit trail with its own key; the chain head made."""
    audit = AuditTrail(SigningKey.load_or_create(tmp_path / "keys" / "audit.key"), 5)
    audit.ensure_head(world.engine)
    return audit
