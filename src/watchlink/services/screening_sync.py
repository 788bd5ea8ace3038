"""Keeping the warm index in step with subjects changed by other processes.

Changes made through this server reach the index at once (``SubjectReader`` watchers).
An import from the command line, or a second server, changes subjects this process
never hears of: every ``every`` (by the service's clock) the subjects written since the
last look are read again and indexed. A subject deleted elsewhere is taken off when
screening next finds it missing.

What "since the last look" means differs with the database. SQLite has one writer at a
time, so transactions commit in the order they write: the mark is the newest ``updated_at``
seen, less :data:`LOOK_BACK` (a writer stamps a row before it waits its turn to write, up
to the busy timeout). PostgreSQL commits concurrent transactions in any order:
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
from watchlink.store.dialect import BUSY_TIMEOUT_MS
from watchlink.store.tables import subjects
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["LOOK_BACK", "CatchUp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PAGE = 2_000
LOOK_BACK = timedelta(milliseconds=BUSY_TIMEOUT_MS + 5_000)
"""On SQLite, how far before the newest change seen each look reads again: a row is stamped
when its writer begins, and the writer may then wait for another's commit up to the busy
timeout: its rows commit after that other's, with older stamps."""
_HORIZON = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


class CatchUp:
    """The mark (newest ``updated_at`` indexed, or PostgreSQL's transaction horizon) and
    when it was last looked past."""

    def __init__(self, every: timedelta = timedelta(seconds=5)) -> None:
        self.every = every
        self.mark: datetime | None = None  # SQLite
        self.horizon: int | None = None  # PostgreSQL
        self.checked_at: datetime | None = None
        # What each look reads again and need not take in again: the subjects taken in
        # within LOOK_BACK of the mark, by their stamp (SQLite), or since the horizon, by
        # the transaction that wrote them (PostgreSQL: one still running holds it back)
        self._stamped: dict[str, datetime] = {}
        self._written_by: dict[str, int] = {}
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
        since, after = self.mark - LOOK_BACK, None
        while True:
            query = select(subjects.c.id, subjects.c.updated_at).where(
                subjects.c.updated_at > since
            )
            if after is not None:
                query = query.where(tuple_(subjects.c.updated_at, subjects.c.id) > after)
            rows = uow.connection.execute(
                query.order_by(subjects.c.updated_at, subjects.c.id).limit(_PAGE)
            ).all()
            fresh = [(r.id, r.updated_at) for r in rows if self._stamped.get(r.id) != r.updated_at]
            for subject in uow.subjects.get_screened([id_ for id_, _ in fresh]):
                screener.add(subject)
            self._stamped.update(fresh)
            taken += len(fresh)
            if rows:
                self.mark = max(self.mark, rows[-1].updated_at)
                after = (rows[-1].updated_at, rows[-1].id)
            if len(rows) < _PAGE:
                break
        edge = self.mark - LOOK_BACK
        self._stamped = {k: at for k, at in self._stamped.items() if at > edge}
        return taken

    def _past_horizon(self, uow: UnitOfWork, screener: WarmScreener) -> int:
        assert self.horizon is not None
        conn = uow.connection
        # Taken first: every transaction below it has ended, so the reads that follow see
        # all it wrote.
        horizon: int = conn.execute(_HORIZON).scalar_one()
        taken = 0
        for page in _written_since(conn, self.horizon):
            fresh = [(id_, xid) for id_, xid in page if self._written_by.get(id_) != xid]
            for subject in uow.subjects.get_screened([id_ for id_, _ in fresh]):
                screener.add(subject)
            self._written_by.update(fresh)
            taken += len(fresh)
        self.horizon = horizon
        self._written_by = {k: xid for k, xid in self._written_by.items() if xid >= horizon}
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
