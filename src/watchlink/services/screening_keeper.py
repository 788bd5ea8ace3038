"""The warm index kept in step off the requests' path: a thread of the serving process.

Screening catches up with the subjects other processes changed (``CatchUp``) before it
screens, when a look is due: a request that finds it due waits for it, and after an import
of fifty thousand subjects from the command line that request waits for all of them to be
indexed. In a server the keeper looks first: every quarter of the catch-up period it
takes in what is due half a period early, so no request finds a look due unless the keeper
has stopped; while a look is under way none is due, and requests screen against the index
as it stands (changes reach it within the period, as before, now without a request paying
for them). Started and stopped by the application's lifespan.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from watchlink.services.screening import ScreeningService
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["IndexKeeper"]

log = logging.getLogger(__name__)


class IndexKeeper:
    """Runs the screening service's catch-up in a daemon thread between ``start`` and
    ``stop``."""

    def __init__(self, service: ScreeningService, engine: Engine) -> None:
        self.service = service
        self.engine = engine
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def look(self) -> int:
        """Catch up now if a look is due half a period early; how many subjects were taken in."""
        service = self.service
        catch_up = service.catch_up
        now = service.clock.now()
        if not service.screener.built or not catch_up.due(now, early=catch_up.every / 2):
            return 0
        with UnitOfWork(self.engine) as uow:
            return catch_up.run(uow, service.screener, now)

    def start(self) -> None:
        """Begin looking, every quarter of the catch-up period."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="watchlink-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish the look under way and stop."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        pause = self.service.catch_up.every.total_seconds() / 4
        while not self._stop.wait(pause):
            try:
                taken = self.look()
            except Exception:  # a database away for a moment: the next look tries again
                log.exception("the screening index could not catch up")
                continue
            if taken:
                log.info("screening index: %d subjects changed elsewhere taken in", taken)
