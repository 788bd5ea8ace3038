"""Helpers for the access, audit and auth tests: a database per test on SQLite and PostgreSQL.

PostgreSQL runs when ``WATCHLINK_TEST_POSTGRES_URL`` is set; otherwise those cases skip.
Each test gets fresh access tables (created, then dropped).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, MetaData, String, Table, create_engine, event, insert

from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.auth import AuthService, TableDirectory
from watchlink.store.tables_access import access_metadata

__all__ = [
    "AGENCIES",
    "access_engine",
    "agencies",
    "auth",
    "directory",
    "group_members",
    "make_engine",
    "trail",
]

AGENCIES = {"FR-INT": "FR", "FR-POL": "FR", "BE-SUR": "BE", "DE-BKA": "DE"}
directory_metadata = MetaData()
agencies = Table(
    "t_agencies",
    directory_metadata,
    Column("code", String, primary_key=True),
    Column("country", String, nullable=False),
)
group_members = Table(
    "t_group_members",
    directory_metadata,
    Column("grp", String, primary_key=True),
    Column("agency", String, primary_key=True),
)
directory = TableDirectory(
    agencies.c.code, agencies.c.country, group_members.c.grp, group_members.c.agency
)


def make_engine(kind: str, tmp_path: Path) -> Engine:
    """A SQLite file database or the test PostgreSQL, with the access tables fresh."""
    if kind == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'access.db'}")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    else:
        url = os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("WATCHLINK_TEST_POSTGRES_URL is not set")
        engine = create_engine(url)
    for meta in (access_metadata, directory_metadata):
        meta.drop_all(engine)
        meta.create_all(engine)
    with engine.begin() as conn:
        for code, country in AGENCIES.items():
            conn.execute(insert(agencies).values(code=code, country=country))
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def access_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine with fresh access tables, on each database."""
    engine = make_engine(str(request.param), tmp_path)
    yield engine
    access_metadata.drop_all(engine)
    directory_metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def trail(tmp_path: Path, access_engine: Engine) -> AuditTrail:
    """An audit trail signing with a key under the test's home, every 3 lines checkpointed."""
    audit = AuditTrail(SigningKey.load_or_create(tmp_path / "keys" / "audit.key"), 3)
    audit.ensure_head(access_engine)
    return audit


@pytest.fixture
def auth(trail: AuditTrail) -> AuthService:
    """The auth service over the test directory."""
    return AuthService(trail, directory)
