"""Live streams: each agency's console hears, in-process, of every message routed to it.

The dispatcher publishes after its routing transaction commits; subscribers are the
server-sent-events streams of one agency. The dispatcher runs in a thread while the
streams live on the event loop, so ``publish`` hands events over with
``call_soon_threadsafe``. A subscriber that falls ``queue_size`` events behind is cut
off (its stream ends) rather than holding memory: the console reconnects and reloads
its inbox, which is the durable record.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from watchlink.access import Action, Actor, Policy, Resource
from watchlink.errors import AccessDenied

__all__ = ["LiveEvent", "LiveHub", "LiveSubscription", "StreamEnded", "may_listen"]


def may_listen(policy: Policy, actor: Actor, agency: str) -> None:
    """Refuse unless ``agency`` is the actor's own and its roles receive hits (screen)."""
    if agency != actor.agency:
        raise AccessDenied("a live stream is open to its own agency only")
    own = Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
    verdict = policy.allowed(actor, Action.SCREEN, own)
    if not verdict.allow:
        raise AccessDenied(f"the live stream is refused ({verdict.reason})")


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One routed message as a console hears of it: ids only, never content."""

    id: int  # the outbox message id
    kind: str
    agency: str
    data: dict[str, Any] = field(default_factory=dict)


class StreamEnded(Exception):
    """The listener was cut off (it lagged) or the server is shutting down."""


class LiveSubscription:
    """One listener of one agency; iterate it for events (None: nothing for ``timeout``)."""

    def __init__(self, hub: LiveHub, agency: str, loop: asyncio.AbstractEventLoop, size: int):
        self.agency = agency
        self._hub = hub
        self._loop = loop
        self._size = size
        self._queue: asyncio.Queue[LiveEvent | None] = asyncio.Queue()
        self.closed = False

    def _offer(self, event: LiveEvent | None) -> None:
        """On the loop: queue an event, or end the stream when the listener lags too far
        (what it has queued is still read, then the end)."""
        if self.closed:
            return
        if event is None or self._queue.qsize() >= self._size:
            self.closed = True
            event = None
        self._queue.put_nowait(event)

    async def next(self, timeout: float) -> LiveEvent | None:
        """The next event, or None after ``timeout`` seconds of quiet; raises when ended."""
        try:
            event = await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None
        if event is None:
            raise StreamEnded(self.agency)
        return event

    async def events(self, keepalive: float) -> AsyncIterator[LiveEvent | None]:
        """Events as they come; None every ``keepalive`` seconds of quiet."""
        while True:
            try:
                yield await self.next(keepalive)
            except StreamEnded:
                return

    def close(self) -> None:
        """Stop listening."""
        self.closed = True
        self._hub._drop(self)


class LiveHub:
    """The in-process broadcast of routed messages, per agency."""

    def __init__(self, queue_size: int = 1000, remembered: int = 10_000) -> None:
        self.queue_size = queue_size
        self.remembered = remembered
        self._lock = threading.Lock()
        self._listeners: dict[str, set[LiveSubscription]] = {}
        self._published: dict[int, None] = {}  # recent event ids, oldest first

    def agencies(self) -> set[str]:
        """The agencies someone listens to now."""
        with self._lock:
            return set(self._listeners)

    def subscribe(self, agency: str) -> LiveSubscription:
        """A new listener for ``agency``; call from the event loop. Authorisation is the
        caller's (the stream route lets an actor listen to its own agency only)."""
        listener = LiveSubscription(self, agency, asyncio.get_running_loop(), self.queue_size)
        with self._lock:
            self._listeners.setdefault(agency, set()).add(listener)
        return listener

    def listeners(self, agency: str) -> int:
        """How many listen to ``agency`` now."""
        with self._lock:
            return len(self._listeners.get(agency, ()))

    def publish(self, event: LiveEvent) -> int:
        """Hand ``event`` to every listener of its agency, from any thread; how many.

        An event id already published (the dispatcher here, then the relay) is dropped.
        """
        with self._lock:
            if event.id in self._published:
                return 0
            self._published[event.id] = None
            if len(self._published) > self.remembered:
                del self._published[next(iter(self._published))]
            targets = list(self._listeners.get(event.agency, ()))
        for listener in targets:
            try:
                listener._loop.call_soon_threadsafe(listener._offer, event)
            except RuntimeError:  # its loop has closed: the listener is gone
                listener.close()
        return len(targets)

    def close_all(self) -> None:
        """End every stream (server shutdown)."""
        with self._lock:
            everyone = [x for group in self._listeners.values() for x in group]
            self._listeners.clear()
        for listener in everyone:
            with contextlib.suppress(RuntimeError):
                listener._loop.call_soon_threadsafe(listener._offer, None)

    def _drop(self, listener: LiveSubscription) -> None:
        with self._lock:
            group = self._listeners.get(listener.agency)
            if group is not None:
                group.discard(listener)
                if not group:
                    del self._listeners[listener.agency]
