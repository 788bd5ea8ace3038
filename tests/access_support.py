"""Helpers for the access, audit and auth tests: a database per test on SQLite and PostgreSQL.

PostgreSQL runs when ``WATCHLINK_TEST_POSTGRES_URL`` is set; otherwise those cases skip.
Each test gets fresh access tables (created, then dropped).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event

from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.store.tables_access import access_metadata

__all__ = ["access_engine", "make_engine", "trail"]


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
    access_metadata.drop_all(engine)
    access_metadata.create_all(engine)
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def access_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine with fresh access tables, on each database."""
    engine = make_engine(str(request.param), tmp_path)
    yield engine
    access_metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def trail(tmp_path: Path, access_engine: Engine) -> AuditTrail:
    """An audit trail signing with a key under the test's home, every 3 lines checkpointed."""
    audit = AuditTrail(SigningKey.load_or_create(tmp_path / "keys" / "audit.key"), 3)
    audit.ensure_head(access_engine)
    return audit
