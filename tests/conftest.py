"""Shared fixtures. The strategy: one test body, every database.

- ``database`` is a ``watchlink.store.Database`` migrated to head, fresh for each test.
  It is parametrised: ``sqlite`` (a new file under the test's ``tmp_path``) and
  ``postgres`` (a new, uniquely named database on the cluster that
  ``WATCHLINK_TEST_POSTGRES_URL`` names, dropped after the test). Without that variable
  the ``postgres`` case is skipped, with the reason shown by ``pytest -ra``.
- Migrating once per test would be slow, so each database is migrated once per session
  into a template (a SQLite file, a PostgreSQL template database) and every test gets
  a copy of it: ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, a file copy on SQLite.
- ``database_url`` is the same fresh database, as a URL, for tests that run the
  command line in a subprocess (``WATCHLINK_DATABASE_URL``).
- Small objects to store come from ``tests/factories.py`` (``make_subject`` and friends).

Run PostgreSQL locally with ``make test`` (it starts a throwaway cluster), or set
``WATCHLINK_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:54329/postgres``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from watchlink.store import Database

POSTGRES_ENV = "WATCHLINK_TEST_POSTGRES_URL"
_PREFIX = "watchlink_test_"


def _postgres_admin_url() -> URL | None:
    raw = os.environ.get(POSTGRES_ENV, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def _admin_execute(admin: URL, *statements: str) -> None:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    with database.engine.connect() as conn:  # fold the WAL into the file before copying
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[tuple[URL, str]]:
    """A PostgreSQL template database migrated to head; skipped without the variable."""
    admin = _postgres_admin_url()
    if admin is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (make test sets it)")
    name = f"{_PREFIX}template_{uuid.uuid4().hex[:10]}"
    _admin_execute(admin, f'CREATE DATABASE "{name}"')
    database = Database(admin.set(database=name).render_as_string(hide_password=False))
    try:
        database.migrate()
    finally:
        database.dispose()
    yield admin, name
    _admin_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh database migrated to head: SQLite, then PostgreSQL when configured."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "watchlink.db"
        shutil.copyfile(template, path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    admin, template_name = request.getfixturevalue("_postgres_template")
    name = f"{_PREFIX}{uuid.uuid4().hex[:16]}"
    _admin_execute(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    database = Database(admin.set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        _admin_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(database: Database) -> str:
    """The fresh database's URL (password included), for subprocesses."""
    return database.url


@pytest.fixture(autouse=True, scope="session")
def _watchlink_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keys, attachments and embedded databases go to a temporary home, never ./var."""
    home = tmp_path_factory.mktemp("watchlink-home")
    previous = os.environ.get("WATCHLINK_HOME")
    os.environ["WATCHLINK_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("WATCHLINK_HOME", None)
    else:
        os.environ["WATCHLINK_HOME"] = previous
