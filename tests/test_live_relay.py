"""The live relay: a console's stream hears of hits routed by another process.

A dispatcher without a hub (another server worker, a ``watchlink deliver``) routes; the
relay of this process finds the routed messages in the database and hands them to the
listeners of their agency, once each, and never to another agency. Both databases.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from sqlalchemy import insert

from delivery_support import AT, add_hit
from watchlink.model import HitRecipientRole
from watchlink.services.clock import ManualClock
from watchlink.services.delivery import Dispatcher
from watchlink.services.delivery_http import HttpxSender
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.live import LiveEvent, LiveHub
from watchlink.services.live_relay import LiveRelay
from watchlink.store import Database
from watchlink.store import tables as t


def _agencies(database: Database) -> None:
    with database.engine.begin() as conn:
        for code, country in (("FR-INT", "FR"), ("GR-BORDER", "GR"), ("BE-POL", "BE")):
            conn.execute(
                insert(t.agencies).values(code=code, name=code, country=country, kind="police")
            )


def test_hits_routed_elsewhere_reach_this_process_listeners_once(database: Database) -> None:
    _agencies(database)
    clock = ManualClock(AT)
    elsewhere = Dispatcher(  # no hub: another process's dispatcher
        database.engine, HttpxSender(timeout=5), SecretBox(os.urandom(32)), clock=clock
    )
    with database.unit_of_work() as uow:  # routed before the relay starts: not news
        add_hit(uow, "h-old", (("FR-INT", HitRecipientRole.OWNER, False),), AT)
    elsewhere.run_once()
    clock.advance(seconds=1)

    async def scenario() -> None:
        hub = LiveHub()
        relay = LiveRelay(database.engine, hub, clock=clock, window=timedelta(seconds=10))
        fr, be = hub.subscribe("FR-INT"), hub.subscribe("BE-POL")
        assert relay.run_once() == 0
        clock.advance(seconds=1)
        with database.unit_of_work() as uow:
            (fr_id, gr_id) = add_hit(
                uow,
                "h-new",
                (
                    ("FR-INT", HitRecipientRole.OWNER, False),
                    ("GR-BORDER", HitRecipientRole.REPORTER, True),
                ),
                clock.now(),
            )
        elsewhere.run_once()
        assert relay.run_once() == 1  # France listens here; Greece does not
        await asyncio.sleep(0)
        event = await fr.next(1.0)
        assert event == LiveEvent(
            fr_id,
            "hit",
            "FR-INT",
            {"hit_id": "h-new", "encounter_id": "e-h-new", "role": "owner", "blind": False},
        )
        assert await be.next(0.01) is None  # nothing for Belgium
        clock.advance(seconds=2)
        assert relay.run_once() == 0  # seen: not handed twice
        await asyncio.sleep(0)
        assert await fr.next(0.01) is None
        assert gr_id != fr_id
        fr.close()
        be.close()

    asyncio.run(scenario())


def test_the_hub_drops_an_event_it_already_published() -> None:
    async def scenario() -> None:
        hub = LiveHub(remembered=2)
        listener = hub.subscribe("FR-INT")
        assert hub.publish(LiveEvent(7, "hit", "FR-INT")) == 1
        assert hub.publish(LiveEvent(7, "hit", "FR-INT")) == 0  # the relay finds it again
        assert hub.publish(LiveEvent(8, "hit", "FR-INT")) == 1
        assert hub.publish(LiveEvent(9, "hit", "FR-INT")) == 1  # 7 is forgotten now
        await asyncio.sleep(0)
        got = [await listener.next(1.0) for _ in range(3)]
        assert [e.id for e in got if e is not None] == [7, 8, 9]
        listener.close()

    asyncio.run(scenario())
