"""Keeping the warm index in step with subjects changed by other processes.

Changes made through this server reach the index at once (``SubjectReader`` watchers).
An import from the command line, or a second server, changes subjects this process
never hears of: every ``every`` (by the service's clock) the subjects whose
``updated_at`` is past the newest one already seen are read again and indexed. A
subject deleted elsewhere is taken off when screening next finds it missing. A
transaction that commits long after it wrote (a long import) can carry ``updated_at``
values older than the mark; a restart, which rebuilds the index, takes those in.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from watchlink.services.screening_engine import WarmScreener
from watchlink.store.tables import subjects
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["CatchUp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PAGE = 2_000


class CatchUp:
    """The mark (newest ``updated_at`` indexed) and when it was last looked past."""

    def __init__(self, every: timedelta = timedelta(seconds=5)) -> None:
        self.every = every
        self.mark: datetime | None = None
        self.checked_at: datetime | None = None
        self._running = threading.Lock()  # one catch-up at a time; others go on without

    def start(self, uow: UnitOfWork, now: datetime) -> None:
        """Before a build reads the subjects: remember the newest change it will include."""
        newest = uow.connection.execute(select(func.max(subjects.c.updated_at))).scalar()
        self.mark = _EPOCH if newest is None else newest
        self.checked_at = now

    def due(self, now: datetime) -> bool:
        """Whether it is time to look again."""
        if self.mark is None:
            return False
        return self.checked_at is None or now - self.checked_at >= self.every

    def run(self, uow: UnitOfWork, screener: WarmScreener, now: datetime) -> int:
        """Index the subjects changed since the mark; returns how many (none when another
        thread is catching up already: a call screened ahead of its transaction and one
        screened inside it may both find it due)."""
        if self.mark is None or not self._running.acquire(blocking=False):
            return 0
        try:
            return self._run(uow, screener, now)
        finally:
            self._running.release()

    def _run(self, uow: UnitOfWork, screener: WarmScreener, now: datetime) -> int:
        assert self.mark is not None
        self.checked_at = now
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
