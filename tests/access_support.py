"""Helpers for the access, audit and auth tests, on the conftest's ``database`` fixture.

Each test gets a fresh migrated database (SQLite, then PostgreSQL when
``WATCHLINK_TEST_POSTGRES_URL`` is set) holding four fictional agencies; the helpers
add agencies and move them in and out of partner groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select

from watchlink.services.access_wiring import store_directory, store_subject_store
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.auth import AuthRules, AuthService
from watchlink.services.subjects import SubjectReader
from watchlink.store import Database, all_metadata
from watchlink.store import tables as t

__all__ = [
    "AGENCIES",
    "FAST",
    "SUBJECT_STORE",
    "access_engine",
    "add_agency",
    "auth",
    "directory",
    "join",
    "leave",
    "reader",
    "reset",
    "trail",
]

AGENCIES = {"FR-INT": "FR", "FR-POL": "FR", "BE-SUR": "BE", "DE-BKA": "DE"}
# Cheap argon2 costs keep the suite fast; the production defaults are the library's.
FAST = AuthRules(argon2_time_cost=1, argon2_memory_kib=1024)
directory = store_directory()
SUBJECT_STORE = store_subject_store()


def add_agency(conn: Connection, code: str, country: str) -> None:
    """A fictional agency of ``country``."""
    conn.execute(
        insert(t.agencies).values(code=code, name=f"Agency {code}", country=country, kind="police")
    )


def join(conn: Connection, group: str, agency: str) -> None:
    """Put ``agency`` in partner group ``group`` (made when new)."""
    known = conn.execute(select(t.partner_groups.c.code).where(t.partner_groups.c.code == group))
    if known.first() is None:
        conn.execute(insert(t.partner_groups).values(code=group, name=f"Group {group}"))
    conn.execute(insert(t.partner_group_members).values(group_code=group, agency_code=agency))


def leave(conn: Connection, group: str | None = None, agency: str | None = None) -> None:
    """Take ``agency`` (or every agency) out of ``group`` (or every group)."""
    members = t.partner_group_members
    statement = delete(members)
    if group is not None:
        statement = statement.where(members.c.group_code == group)
    if agency is not None:
        statement = statement.where(members.c.agency_code == agency)
    conn.execute(statement)


def reset(engine: Engine) -> None:
    """Empty every table (the schema stays), then add the test agencies."""
    with engine.begin() as conn:
        for meta in all_metadata():
            for table in reversed(meta.sorted_tables):
                conn.execute(delete(table))
        for code, country in AGENCIES.items():
            add_agency(conn, code, country)


@pytest.fixture
def access_engine(database: Database) -> Iterator[Engine]:
    """The engine of the conftest's fresh database (SQLite, then PostgreSQL), with the
    test agencies."""
    reset(database.engine)
    yield database.engine


@pytest.fixture
def trail(tmp_path: Path, access_engine: Engine) -> AuditTrail:
    """An audit trail signing with a key under the test's home, every 3 lines checkpointed."""
    audit = AuditTrail(SigningKey.load_or_create(tmp_path / "keys" / "audit.key"), 3)
    audit.ensure_head(access_engine)
    return audit


@pytest.fixture
def auth(trail: AuditTrail) -> AuthService:
    """The auth service over the test directory."""
    return AuthService(trail, directory, FAST)


@pytest.fixture
def reader(trail: AuditTrail) -> SubjectReader:
    """The subject reader over the test store."""
    return SubjectReader(SUBJECT_STORE, trail)
