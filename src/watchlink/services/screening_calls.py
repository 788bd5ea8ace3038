"""Single encounters reported at the same moment, screened together in one call.

Under load a server receives single encounters faster than it screens them one by one:
each call pays its own transaction, its own statements and its own audit line, and the
threads waiting for the one warm index take turns at it. ``SharedCalls`` lets the
requests that are waiting go together. The first request to arrive screens alone, at
once; the ones arriving while it is screened wait, and the next of them screens all of
them as one call (``ScreeningService.screen_batch``), grouped by the user who reported
them, then hands on to whichever request arrived meanwhile. No request waits for a
timer: with nothing else waiting, a request is screened the moment it arrives, as
before; under load the work per encounter drops to that of a batch.

Each request still gets exactly its own outcome: its encounter's hits, or its own error
(an id in use is a ``Conflict``, a refused encounter an ``InputError``). A call that
fails as a whole (a database error) is tried again encounter by encounter, so one
request's failure is never another's. A user's call has one audit line naming the
encounters it screened, as a batch of theirs has.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.model import Encounter
from watchlink.services.screening import EncounterResult, ScreeningService, single_refusal
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["MOST_PER_CALL", "SharedCalls"]

MOST_PER_CALL = 64
"""At most this many waiting encounters go in one call; the rest wait for the next."""


@dataclass(slots=True)
class _Waiting:
    """One request's encounter, and what came of it."""

    actor: Actor
    encounter: Encounter
    woken: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # this request screens the next call
    result: EncounterResult | None = None
    error: Exception | None = None

    def outcome(self) -> EncounterResult:
        if self.error is not None:
            raise self.error
        assert self.result is not None, "a request left its call without an outcome"
        return self.result


class SharedCalls:
    """Screens single encounters, the ones waiting at the same moment in one call."""

    def __init__(
        self, service: ScreeningService, engine: Engine, *, most: int = MOST_PER_CALL
    ) -> None:
        if most < 1:
            raise ValueError("a call screens at least one encounter")
        self.service = service
        self.engine = engine
        self.most = most
        self._lock = threading.Lock()
        self._waiting: list[_Waiting] = []
        self._busy = False  # a request is screening a call (then ``_waiting`` may fill)
        self.calls = 0  # calls made, for the tests and the metrics
        self.last_size = 0

    @property
    def waiting(self) -> int:
        """Requests waiting for the next call (not those in the call being screened)."""
        with self._lock:
            return len(self._waiting)

    def screen(self, actor: Actor, encounter: Encounter) -> EncounterResult:
        """Store and screen one encounter, committed; its hits, or its own error."""
        me = _Waiting(actor, encounter)
        with self._lock:
            self._waiting.append(me)
            if not self._busy:
                self._busy = me.leads = True
        if not me.leads:
            me.woken.wait()  # for its outcome, or to lead the next call
        if me.leads:
            self._lead()
        return me.outcome()

    def _lead(self) -> None:
        """Screen what is waiting (self first), then hand on to the next to arrive."""
        with self._lock:
            taken, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
        try:
            self._screen_all(taken)
        finally:
            with self._lock:
                if self._waiting:
                    following = self._waiting[0]
                    following.leads = True
                    following.woken.set()
                else:
                    self._busy = False
            for waiting in taken:
                waiting.woken.set()

    def _screen_all(self, taken: Sequence[_Waiting]) -> None:
        """One call per user, in order of arrival."""
        by_user: dict[Actor, list[_Waiting]] = {}
        for waiting in taken:
            by_user.setdefault(waiting.actor, []).append(waiting)
        for actor, together in by_user.items():
            try:
                self._call(actor, together)
            except Exception as error:
                if len(together) == 1:
                    together[0].error = error
                    continue
                for alone in together:  # one request's failure is not another's
                    try:
                        self._call(actor, [alone])
                    except Exception as own:
                        alone.error = own

    def _call(self, actor: Actor, together: Sequence[_Waiting]) -> None:
        encounters = [w.encounter for w in together]
        ahead = self.service.screen_ahead(self.engine, actor, encounters)  # no lock held
        with UnitOfWork(self.engine) as uow:
            results = self.service.screen_batch(uow, actor, encounters, ahead)
            uow.commit()
        self.calls += 1
        self.last_size = len(together)
        for waiting, result in zip(together, results, strict=True):
            waiting.result, waiting.error = result, single_refusal(result)
