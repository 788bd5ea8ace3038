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
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, text, tuple_

from watchlink.services.screening_engine import WarmScreener
from watchlink.store.dialect import BUSY_TIMEOUT_MS
from watchlink.store.tables import subjects
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["LOOK_BACK", "CatchUp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PAGE = 2_000
LOOK_BACK = timedelta(milliseconds=BUSY_TIMEOUT_MS + 5_000)
"""On SQLite, how long before it commits a row may have been stamped: a row is stamped when
its writer begins, and the writer may then wait for another's commit up to the busy
timeout: its rows commit after that other's, with older stamps. Each look reads again the
rows stamped within this of the newest seen, or of when the last look began, whichever is
later (all stamped before that had committed when it read): after an import, a server
reads its last rows again for that long, not at every look until the next change."""
_HORIZON = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


class CatchUp:
    """The mark (newest ``updated_at`` indexed, or PostgreSQL's transaction horizon) and
    when it was last looked past."""

    def __init__(self, every: timedelta = timedelta(seconds=5)) -> None:
        self.every = every
        self.mark: datetime | None = None  # SQLite: the newest stamp seen
        self.since: datetime | None = None  # SQLite: rows stamped after it may be unseen
        self.horizon: int | None = None  # PostgreSQL
        self.checked_at: datetime | None = None
        # What each look reads again and need not take in again: the subjects taken in
        # within LOOK_BACK of the mark, by their stamp (SQLite), or since the horizon, by
        # the transaction that wrote them (PostgreSQL: one still running holds it back)
        self._stamped: dict[str, datetime] = {}
        self._written_by: dict[str, int] = {}
        self._running = threading.Lock()  # one catch-up at a time; others go on without

    def start(self, uow: UnitOfWork, now: datetime) -> None:
        """Before a build reads the subjects: remember where the changes it will include end,
        and which of the subjects the first look will read again the build takes in already
        (those written within :data:`LOOK_BACK` of the mark, or since the horizon): a server
        started just after an import would otherwise index its subjects twice, the second
        time inside a request."""
        conn = uow.connection
        if conn.dialect.name == "postgresql":
            self.horizon = conn.execute(_HORIZON).scalar_one()
            xid = subjects.c.changed_xid
            self._written_by = _seen(conn, xid, xid >= self.horizon)
        else:
            newest = conn.execute(select(func.max(subjects.c.updated_at))).scalar()
            self.mark = _EPOCH if newest is None else newest
            self.since = _since(self.mark, uow)
            stamp = subjects.c.updated_at
            self._stamped = _seen(conn, stamp, stamp > self.since)
        self.checked_at = now

    def due(self, now: datetime, early: timedelta = timedelta(0)) -> bool:
        """Whether it is time to look again (``early``: that much before the period is
        over); never while a look is under way."""
        if (self.mark is None and self.horizon is None) or self._running.locked():
            return False
        return self.checked_at is None or now - self.checked_at >= self.every - early

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
        assert self.mark is not None and self.since is not None
        stamp = subjects.c.updated_at
        taken = 0
        for page in _written(uow.connection, stamp, stamp > self.since):
            taken += _take(uow, screener, page, self._stamped)
            self.mark = max(self.mark, page[-1][1])
        self.since = max(self.since, _since(self.mark, uow))
        edge = self.since
        self._stamped = {k: at for k, at in self._stamped.items() if at > edge}
        return taken

    def _past_horizon(self, uow: UnitOfWork, screener: WarmScreener) -> int:
        assert self.horizon is not None
        conn = uow.connection
        # Taken first: every transaction below it has ended, so the reads that follow see
        # all it wrote.
        horizon: int = conn.execute(_HORIZON).scalar_one()
        xid = subjects.c.changed_xid
        taken = 0
        for page in _written(conn, xid, xid >= self.horizon):
            taken += _take(uow, screener, page, self._written_by)
        self.horizon = horizon
        self._written_by = {k: x for k, x in self._written_by.items() if x >= horizon}
        return taken


def _since(mark: datetime, uow: UnitOfWork) -> datetime:
    """Before when every row stamped has been read by ``uow``'s reads, or by the reads
    before them (whose stamps reach ``mark``): :data:`LOOK_BACK` before the newest stamp
    seen, or before the transaction began, whichever is later."""
    began = uow.began_at
    return (mark if began is None else max(mark, began)) - LOOK_BACK


def _take(
    uow: UnitOfWork, screener: WarmScreener, page: list[tuple[str, Any]], taken: dict[str, Any]
) -> int:
    """Index the subjects of ``page`` not in ``taken`` as written (by stamp or transaction),
    and note them there; how many."""
    fresh = [(id_, mark) for id_, mark in page if taken.get(id_) != mark]
    for subject in uow.subjects.get_screened([id_ for id_, _ in fresh]):
        screener.add(subject)
    taken.update(fresh)
    return len(fresh)


def _seen(conn: Connection, mark: ColumnElement[Any], since: ColumnElement[bool]) -> dict[str, Any]:
    """Each subject ``since`` selects, by id, with its ``mark`` as written now: what a build
    that reads next takes in (a subject written again after has another mark, and is)."""
    return {id_: at for page in _written(conn, mark, since) for id_, at in page}


def _written(
    conn: Connection, mark: ColumnElement[Any], since: ColumnElement[bool]
) -> Iterator[list[tuple[str, Any]]]:
    """The ids of the subjects ``since`` selects, each with its ``mark`` (its stamp or the
    transaction that wrote it), in ``mark`` order, a page at a time: the first by ``since``,
    each next one past the last row of the one before alone, so that the index on (mark,
    id) finds it where it begins (both conditions together, SQLite searched the index by
    ``since`` and sorted every row past it again for each page)."""
    after: tuple[Any, str] | None = None
    while True:
        query = select(subjects.c.id, mark)
        if after is None:
            query = query.where(since)
        else:
            query = query.where(tuple_(mark, subjects.c.id) > after)
        rows = conn.execute(query.order_by(mark, subjects.c.id).limit(_PAGE)).all()
        if rows:
            yield [(row[0], row[1]) for row in rows]
            after = (rows[-1][1], rows[-1][0])
        if len(rows) < _PAGE:
            return
