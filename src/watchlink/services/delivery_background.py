"""The server's dispatcher: a thread started and stopped by the application's lifespan.

It feeds the server's live streams (``LiveHub``) at once with what it routes;
``watchlink deliver`` processes and other server workers may run beside it, and a
second thread, the live relay, brings what they route to this process's streams too.
The dispatcher is off when ``WATCHLINK_DELIVERY_IN_SERVER`` is false; the relay runs
whenever the database is there.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import anyio
from sqlalchemy.engine import make_url

from watchlink.services.delivery import Dispatcher
from watchlink.services.live import LiveHub
from watchlink.services.live_relay import LiveRelay
from watchlink.settings import Settings
from watchlink.store import Database

__all__ = ["BackgroundDelivery"]

log = logging.getLogger(__name__)


class BackgroundDelivery:
    """Runs a ``Dispatcher`` in a daemon thread between ``start`` and ``stop``."""

    def __init__(self, settings: Settings, hub: LiveHub) -> None:
        self.settings = settings
        self.hub = hub
        self.dispatcher: Dispatcher | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._relay: threading.Thread | None = None
        self._database: Database | None = None

    def start(self) -> None:
        """Start the live relay, and delivering unless the settings turn it off."""
        if self._database is not None:
            return
        url = make_url(self.settings.effective_database_url)
        embedded = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if embedded and not Path(str(url.database)).parent.is_dir():
            log.warning("delivery is off: the database folder does not exist")
            return  # never create a folder behind the operator's back
        self._database = Database.from_settings(self.settings)
        poll = self.settings.delivery_poll_seconds
        relay = LiveRelay(self._database.engine, self.hub)
        self._relay = threading.Thread(
            target=relay.run, args=(self._stop, poll), name="watchlink-live-relay", daemon=True
        )
        self._relay.start()
        if not self.settings.delivery_in_server:
            return
        self.dispatcher = Dispatcher.from_settings(self.settings, self._database.engine, self.hub)
        self._thread = threading.Thread(
            target=self.dispatcher.run,
            args=(self._stop, poll),
            name="watchlink-delivery",
            daemon=True,
        )
        self._thread.start()

    async def stop(self) -> None:
        """Finish the pass under way, then stop and end the live streams."""
        self._stop.set()
        self.hub.close_all()
        for thread in (self._thread, self._relay):
            if thread is not None:
                await anyio.to_thread.run_sync(thread.join)
        self._thread = self._relay = None
        if self.dispatcher is not None:
            self.dispatcher.close()
        if self._database is not None:
            self._database.dispose()
            self._database = None
