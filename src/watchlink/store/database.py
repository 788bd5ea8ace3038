"""``Database``: one engine on one URL, its units of work and its migrations.

The URL comes from ``watchlink.settings`` unless given: SQLite under ``WATCHLINK_HOME``
by default, PostgreSQL (psycopg 3) when ``WATCHLINK_DATABASE_URL`` names it. The
SQLite file's folder is created on first use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from watchlink.model import Subject
from watchlink.settings import Settings, get_settings
from watchlink.store.dialect import (
    configure_engine,
    engine_options,
    is_sqlite,
    normalise_url,
    refresh_statistics,
)
from watchlink.store.subjects import SUBJECT_TABLES
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["LARGE_WRITE", "Database", "configured_unit_of_work"]

LARGE_WRITE = 1_000
"""Subjects written in one command from which their tables' statistics are taken again."""
log = logging.getLogger(__name__)


class Database:
    """An engine on one database, with its session factory and units of work."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        parsed = normalise_url(url)
        if is_sqlite(parsed.get_backend_name()) and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.url = parsed.render_as_string(hide_password=False)
        self.engine: Engine = create_engine(parsed, echo=echo, **engine_options(parsed))
        configure_engine(self.engine)
        self.sessionmaker: sessionmaker[Session] = sessionmaker(self.engine)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Database:
        """The database the settings name (``effective_database_url``)."""
        return cls((settings or get_settings()).effective_database_url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work: use it in ``with``; it commits or rolls back as one."""
        return UnitOfWork(self.engine)

    def session(self) -> Session:
        """A new ORM session on this database (for code that prefers sessions)."""
        return self.sessionmaker()

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision`` (idempotent), in one transaction."""
        from watchlink.store.migrate import upgrade

        upgrade(self.engine, revision)

    def current_revision(self) -> str | None:
        """The schema's revision, or None when the database was never migrated."""
        from watchlink.store.migrate import current_revision

        return current_revision(self.engine)

    def table_names(self) -> list[str]:
        """The tables the database holds now."""
        return sorted(inspect(self.engine).get_table_names())

    def iter_screened(self, batch_size: int = 2_000) -> Iterator[Subject]:
        """Every subject as the matching engine reads it (no provenance, no handling codes:
        to build a screening index, never to show), streamed in one unit of work."""
        with self.unit_of_work() as uow:
            yield from uow.subjects.iter_screened(batch_size)

    def refresh_subject_statistics(self, written: int) -> bool:
        """After a command wrote ``written`` subjects and committed: when they are
        :data:`LARGE_WRITE` or more, the planner's statistics of the subject tables taken
        now (``refresh_statistics``; SQLite keeps none). Whether the write was that large."""
        if written < LARGE_WRITE:
            return False
        refresh_statistics(self.engine, SUBJECT_TABLES)
        return True

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __repr__(self) -> str:
        shown = normalise_url(self.url).render_as_string(hide_password=True)
        return f"Database({shown!r})"


@contextmanager
def configured_unit_of_work() -> Iterator[UnitOfWork]:
    """One unit of work on the configured database, for a command: committed when the block
    ends (rolled back on an error), then, when it wrote :data:`LARGE_WRITE` subjects or
    more, their tables' statistics taken again (``Database.refresh_subject_statistics``).
    The work is committed by then: statistics that cannot be taken are logged, not an
    error of the command (autovacuum takes them later)."""
    database = Database.from_settings()
    try:
        with database.unit_of_work() as uow:
            yield uow
        try:
            database.refresh_subject_statistics(uow.subjects.written)
        except SQLAlchemyError as error:
            log.warning("the subject tables' statistics were not taken again: %s", error)
    finally:
        database.dispose()
