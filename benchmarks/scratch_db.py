"""Scratch databases for the benchmarks: a SQLite file in a temporary folder, or a new
database on a PostgreSQL server, each removed when the measuring is done.

    with sqlite_database() as database: ...
    with postgres_database(admin_url) as database: ...
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from watchlink.store import Database

__all__ = ["postgres_database", "sqlite_database"]


@contextmanager
def sqlite_database() -> Iterator[Database]:
    """A new SQLite database in a temporary folder (deleted after)."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{folder}/bench.db")
        try:
            yield database
        finally:
            database.dispose()


@contextmanager
def postgres_database(url: str) -> Iterator[Database]:
    """A new database on the server ``url`` names (an admin URL), dropped after."""
    admin = make_url(url).set(drivername="postgresql+psycopg")
    name = f"watchlink_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(admin.set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
