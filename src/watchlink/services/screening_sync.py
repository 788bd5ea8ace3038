"""Keeping the warm index in step with subjects changed by other processes.

Changes made through this server reach the index at once (``SubjectReader`` watchers).
An import from the command line, or a second server, changes subjects this process
never hears of: every ``every`` (by the service's clock) the subjects written since the
last look are read again and indexed. A subject deleted elsewhere is taken off when
screening next finds it missing.

What "since the last look" means differs with the database. SQLite has one writer at a
time, so a transaction's rows become visible in the order they were written: the mark is
the newest ``updated_at`` seen. PostgreSQL commits concurrent transactions in any order:
an import that wrote for ten minutes commits after a desk's edit of the ninth, and a mark
by time would have passed over the import's first nine minutes for good. There each
subject row carries the id of the transaction that last wrote it (``changed_xid``, set by
a trigger), and the mark is a horizon: the oldest transaction still running when the
index last looked, every one before it ended (``pg_snapshot_xmin``). Each look reads the
rows written by transactions at or past the horizon, so a transaction that commits late is
read once it has, whenever that is; a row already taken in as written is not read again.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select, text, tuple_

from watchlink.services.screening_engine import WarmScreener
from watchlink.store.tables import subjects
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["CatchUp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PAGE = 2_000
_HORIZON = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


class CatchUp:
    """The mark (newest ``updated_at`` indexed, or PostgreSQL's transaction horizon) and
    when it was last looked past."""

    def __init__(self, every: timedelta = timedelta(seconds=5)) -> None:
        self.every = every
        self.mark: datetime | None = None  # SQLite
        self.horizon: int | None = None  # PostgreSQL
        self.checked_at: datetime | None = None
        # PostgreSQL: the subjects taken in since the horizon, by the transaction that
        # wrote them (a transaction still running holds the horizon back, and what was
        # written after it would be read again at every look)
        self._taken: dict[str, int] = {}
        self._running = threading.Lock()  # one catch-up at a time; others go on without

    def start(self, uow: UnitOfWork, now: datetime) -> None:
        """Before a build reads the subjects: remember where the changes it will include end."""
        conn = uow.connection
        if conn.dialect.name == "postgresql":
            self.horizon = conn.execute(_HORIZON).scalar_one()
        else:
            newest = conn.execute(select(func.max(subjects.c.updated_at))).scalar()
            self.mark = _EPOCH if newest is None else newest
        self.checked_at = now

    def due(self, now: datetime) -> bool:
        """Whether it is time to look again."""
        if self.mark is None and self.horizon is None:
            return False
        return self.checked_at is None or now - self.checked_at >= self.every

    def run(self, uow: UnitOfWork, screener: WarmScreener, now: datetime) -> int:
        """Index the subjects changed since the mark; returns how many (none when another
        thread is catching up already: a call screened ahead of its transaction and one
        screened inside it may both find it due)."""
        if (self.mark is None and self.horizon is None) or not self._running.acquire(
            blocking=False
        ):
            return 0
        try:
            self.checked_at = now
            if self.horizon is not None:
                return self._past_horizon(uow, screener)
            return self._past_mark(uow, screener)
        finally:
            self._running.release()

    def _past_mark(self, uow: UnitOfWork, screener: WarmScreener) -> int:
        assert self.mark is not None
        taken = 0
        while True:
            rows = uow.connection.execute(
                select(subjects.c.id, subjects.c.updated_at)
                .where(subjects.c.updated_at > self.mark)
                .order_by(subjects.c.updated_at, subjects.c.id)
                .limit(_PAGE)
            ).all()
            if not rows:
                return taken
            for subject in uow.subjects.get_many([r.id for r in rows]):
                screener.add(subject)
            taken += len(rows)
            self.mark = rows[-1].updated_at
            if len(rows) < _PAGE:
                return taken

    def _past_horizon(self, uow: UnitOfWork, screener: WarmScreener) -> int:
        assert self.horizon is not None
        conn = uow.connection
        # Taken first: every transaction below it has ended, so the reads that follow see
        # all it wrote.
        horizon: int = conn.execute(_HORIZON).scalar_one()
        taken = 0
        for page in _written_since(conn, self.horizon):
            fresh = [(id_, xid) for id_, xid in page if self._taken.get(id_) != xid]
            for subject in uow.subjects.get_many([id_ for id_, _ in fresh]):
                screener.add(subject)
            self._taken.update(fresh)
            taken += len(fresh)
        self.horizon = horizon
        self._taken = {id_: xid for id_, xid in self._taken.items() if xid >= horizon}
        return taken


def _written_since(conn: Connection, horizon: int) -> list[list[tuple[str, int]]]:
    """The ids of the subjects last written by a transaction at or past ``horizon``, with
    that transaction, a page at a time."""
    pages: list[list[tuple[str, int]]] = []
    after: tuple[int, str] | None = None
    while True:
        query = select(subjects.c.id, subjects.c.changed_xid).where(
            subjects.c.changed_xid >= horizon
        )
        if after is not None:
            query = query.where(tuple_(subjects.c.changed_xid, subjects.c.id) > after)
        rows = conn.execute(
            query.order_by(subjects.c.changed_xid, subjects.c.id).limit(_PAGE)
        ).all()
        if not rows:
            return pages
        pages.append([(row.id, row.changed_xid) for row in rows])
        after = (rows[-1].changed_xid, rows[-1].id)
        if len(rows) < _PAGE:
            return pages
