"""``UnitOfWork``: one transaction per command, with the repositories over it.

Used as a context manager: it commits when the block ends normally and rolls back on
any exception (``KeyboardInterrupt`` included). ``commit()`` inside the block ends the
current transaction and starts the next one, so a long load can commit batch by batch.
The repositories share one ``Connection``, exposed as ``connection`` for services that
write their own tables (the audit trail) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType

from sqlalchemy import Connection, Engine

from watchlink.store.monitoring import RetentionRepository, ReviewTaskRepository
from watchlink.store.outbox import OutboxRepository
from watchlink.store.repositories import (
    AgencyRepository,
    DecisionRepository,
    EncounterRepository,
    HitRepository,
    LinkRepository,
    RequestRepository,
)
from watchlink.store.subjects import SubjectRepository, utc_now

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """A transaction on the database and the repositories that work inside it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self.began_at: datetime | None = None
        """A time no later than the current transaction's start (read just before it): what
        committed before it is in what the transaction reads."""

    @property
    def connection(self) -> Connection:
        """The open connection; only inside ``with``."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._conn

    def __enter__(self) -> UnitOfWork:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already open")
        self._conn = self._engine.connect()
        self.began_at = utc_now()
        self._conn.begin()
        conn = self._conn
        self.agencies = AgencyRepository(conn)
        self.subjects = SubjectRepository(conn)
        self.links = LinkRepository(conn)
        self.encounters = EncounterRepository(conn)
        self.hits = HitRepository(conn)
        self.requests = RequestRepository(conn)
        self.decisions = DecisionRepository(conn)
        self.outbox = OutboxRepository(conn)
        self.reviews = ReviewTaskRepository(conn)
        self.retention = RetentionRepository(conn)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if kind is None:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()

    def commit(self) -> None:
        """Commit what was done so far; the next statement starts a new transaction."""
        self.connection.commit()
        self.began_at = utc_now()

    def rollback(self) -> None:
        """Undo everything since the last commit."""
        self.connection.rollback()
        self.began_at = utc_now()
