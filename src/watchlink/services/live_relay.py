"""The live relay: every server process's streams hear of hits routed by any process.

A dispatcher publishes to the live streams of its own process only. With several server
workers, or a ``watchlink deliver`` beside the server, a console connected to one process
would miss what another routed. The relay polls the outbox for messages routed in the
last ``window`` to the agencies that have listeners here, and publishes those it has not
seen; the hub drops an event it already published, so a message routed by this process
reaches each listener once. The inbox stays the durable record: a stream is a nudge.
Processes are assumed to share a clock to within ``window`` (routing times are theirs).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import Engine

from watchlink.services.clock import Clock, SystemClock
from watchlink.services.delivery import LIVE_FIELDS
from watchlink.services.live import LiveEvent, LiveHub
from watchlink.store.live_feed import routed_since

__all__ = ["LiveRelay"]

log = logging.getLogger(__name__)


class LiveRelay:
    """Polls routed messages for the agencies listening in this process and publishes them."""

    def __init__(
        self,
        engine: Engine,
        hub: LiveHub,
        *,
        clock: Clock | None = None,
        window: timedelta = timedelta(seconds=10),
        limit: int = 1000,
    ) -> None:
        self.engine = engine
        self.hub = hub
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.window = window
        self.limit = limit
        self._started: datetime | None = None
        self._seen: dict[int, datetime] = {}  # message id -> routed at, for ``window`` × 2

    def run_once(self) -> int:
        """One poll: how many events were handed to listeners."""
        now = self.clock.now()
        if self._started is None:
            self._started = now  # what was routed before the relay started is not news
        agencies = self.hub.agencies()
        handed = 0
        if agencies:
            since = max(self._started, now - self.window)
            with self.engine.connect() as conn:
                messages = routed_since(conn, since, agencies, self.limit)
            for message in messages:
                if message.id in self._seen:
                    continue
                self._seen[message.id] = message.routed_at
                data = {k: message.payload[k] for k in LIVE_FIELDS if k in message.payload}
                event = LiveEvent(message.id, message.kind, message.recipient, data)
                handed += self.hub.publish(event)
        horizon = now - 2 * self.window
        self._seen = {i: at for i, at in self._seen.items() if at >= horizon}
        return handed

    def run(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        """Poll until ``stop`` is set; a database outage is logged and waited out."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # never end the loop on a passing outage
                log.exception("live relay poll failed; next try in %s s", 10 * poll_seconds)
                stop.wait(10 * poll_seconds)
                continue
            stop.wait(poll_seconds)
