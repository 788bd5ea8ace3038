"""The warm index kept in step by a thread of the server, off the requests' path: what
other processes change is taken in before any request finds a look due, on every
database."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from access_support import access_engine, trail
from screening_support import Desk, api_client
from watchlink.model import Name, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.screening import ScreeningService
from watchlink.services.screening_keeper import IndexKeeper
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["access_engine", "trail"]

OCTAVE = Subject("fr-int-0001", "FR-INT", names=[Name("Octave Brumairel")])


def _built(desk: Desk) -> None:
    with UnitOfWork(desk.database.engine) as uow:
        desk.screening.warm(uow)


def _imported(database: Any, subject: Subject) -> None:
    """A subject written by another process: an import from the command line, say."""
    with database.unit_of_work() as uow:
        uow.subjects.upsert(subject)


def test_the_keeper_takes_changes_in_before_a_request_finds_a_look_due(
    database: Any, tmp_path: Path
) -> None:
    desk = Desk(database, tmp_path)
    keeper = IndexKeeper(desk.screening, database.engine)
    _built(desk)
    assert len(desk.screening.screener) == 0
    assert keeper.look() == 0  # nothing due yet
    _imported(database, OCTAVE)
    every = desk.screening.catch_up.every
    desk.clock.advance(every / 2)
    assert not desk.screening.catch_up.due(desk.clock.now())  # no request would look yet
    assert keeper.look() == 1  # the keeper does, half a period early
    assert len(desk.screening.screener) == 1
    desk.clock.advance(every / 4)
    assert keeper.look() == 0  # looked a quarter of a period ago
    desk.clock.advance(every)
    assert keeper.look() == 0  # due again: nothing new


def test_no_look_is_due_while_one_is_under_way(database: Any, tmp_path: Path) -> None:
    desk = Desk(database, tmp_path)
    _built(desk)
    catch_up = desk.screening.catch_up
    later = desk.clock.now() + 2 * catch_up.every
    assert catch_up.due(later)
    with catch_up._running:  # a look under way, in another thread
        assert not catch_up.due(later)
    assert catch_up.due(later)


def test_the_keeper_thread_takes_in_an_import_without_a_request(
    database: Any, tmp_path: Path
) -> None:
    desk = Desk(database, tmp_path)
    service = ScreeningService(desk.trail, 0.7, catch_up_every=timedelta(milliseconds=200))
    with UnitOfWork(database.engine) as uow:
        service.warm(uow)
    keeper = IndexKeeper(service, database.engine)
    keeper.start()
    try:
        _imported(database, OCTAVE)
        deadline = time.monotonic() + 20
        while len(service.screener) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(service.screener) == 1
    finally:
        keeper.stop()
    assert not any(t.name == "watchlink-index" for t in threading.enumerate())


def test_the_server_keeps_its_index_while_it_serves(
    tmp_path: Path, access_engine: Engine, trail: AuditTrail
) -> None:
    with api_client(tmp_path, access_engine, trail, []):
        assert any(t.name == "watchlink-index" for t in threading.enumerate())
    assert not any(t.name == "watchlink-index" for t in threading.enumerate())
