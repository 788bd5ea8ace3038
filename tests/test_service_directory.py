"""The agency directory is kept between screening calls: read once, read again at once
after a change made in this process (committed or rolled back), and within the interval
after a change made elsewhere; on every database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event

from screening_support import NOW, Desk, actor, add_agencies
from watchlink.model import (
    Distribution,
    Encounter,
    EncounterKind,
    Name,
    PartnerGroup,
    PresentedPerson,
    Sharing,
    Subject,
)
from watchlink.services.screening_directory import DirectoryCache
from watchlink.store import Database
from watchlink.store.unit_of_work import UnitOfWork


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def _queries(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.split()[0].upper() == "SELECT":
            seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


def _groups(cache: DirectoryCache, database: Database, agency: str) -> frozenset[str]:
    with database.unit_of_work() as uow:
        return cache.get(uow).groups.get(agency, frozenset())


def _join(uow: UnitOfWork, *members: str) -> None:
    uow.agencies.upsert_group(PartnerGroup("CT", "CT", set(members)))


def test_the_directory_is_read_once_then_kept(database: Database) -> None:
    add_agencies(database, ("FR-INT", "FR"), ("BE-INT", "BE"))
    cache = DirectoryCache(clock=Ticks())
    with _queries(database) as first, database.unit_of_work() as uow:
        directory = cache.get(uow)
    assert [a.code for a in directory.agencies] == ["BE-INT", "FR-INT"]
    assert len(first) == 2
    with _queries(database) as again, database.unit_of_work() as uow:
        assert cache.get(uow) is directory
    assert again == []


def test_a_change_in_this_process_applies_at_once(database: Database) -> None:
    add_agencies(database, ("FR-INT", "FR"), ("BE-INT", "BE"))
    cache = DirectoryCache(clock=Ticks())
    assert _groups(cache, database, "BE-INT") == frozenset()
    with database.unit_of_work() as uow:
        _join(uow, "FR-INT", "BE-INT")
        assert cache.get(uow).groups["BE-INT"] == {"CT"}  # its own write, uncommitted
    assert _groups(cache, database, "BE-INT") == {"CT"}
    add_agencies(database, ("GR-BOR", "GR"))
    with database.unit_of_work() as uow:
        assert cache.get(uow).country_of("GR-BOR") == "GR"


def test_a_rolled_back_change_is_not_kept(database: Database) -> None:
    add_agencies(database, ("FR-INT", "FR"), ("BE-INT", "BE"))
    cache = DirectoryCache(clock=Ticks())
    assert _groups(cache, database, "BE-INT") == frozenset()
    uow = database.unit_of_work()
    with uow:
        _join(uow, "FR-INT", "BE-INT")
        assert cache.get(uow).groups["BE-INT"] == {"CT"}
        uow.rollback()
    assert _groups(cache, database, "BE-INT") == frozenset()


def test_a_change_elsewhere_applies_within_the_interval(database: Database) -> None:
    add_agencies(database, ("FR-INT", "FR"), ("BE-INT", "BE"))
    ticks = Ticks()
    cache = DirectoryCache(timedelta(seconds=5), clock=ticks)
    assert _groups(cache, database, "BE-INT") == frozenset()
    elsewhere = create_engine(database.engine.url)  # another process's connection
    try:
        with UnitOfWork(elsewhere) as uow:
            _join(uow, "FR-INT", "BE-INT")
    finally:
        elsewhere.dispose()
    ticks.now += 4.9
    assert _groups(cache, database, "BE-INT") == frozenset()  # kept, within the interval
    ticks.now += 0.2
    assert _groups(cache, database, "BE-INT") == {"CT"}


def test_a_destination_agency_joining_a_group_receives_the_next_hit(
    database: Database, tmp_path: Path
) -> None:
    add_agencies(database, ("FR-INT", "FR"), ("BE-INT", "BE"), ("GR-BOR", "GR"))
    with database.unit_of_work() as uow:
        _join(uow, "FR-INT", "GR-BOR")
    desk = Desk(database, tmp_path)
    subject = Subject(
        id="fr-int-0001",
        agency="FR-INT",
        names=[Name("Octave Brumairel")],
        sharing=Sharing(Distribution.PARTNER_GROUP, "CT"),
    )
    with database.unit_of_work() as uow:
        uow.subjects.upsert(subject)
    desk.screening.add(subject)
    reporter = actor(database, "desk", "GR-BOR")

    def recipients(number: int) -> set[str]:
        encounter = Encounter(
            f"gr-bor-{number}",
            EncounterKind.BORDER_ENTRY,
            "GR-BOR",
            NOW,
            "GR",
            PresentedPerson(["Octave Brumairel"]),
            destination_country="BE",
        )
        with database.unit_of_work() as uow:
            [result] = desk.screening.screen_batch(uow, reporter, [encounter])
        return {r.agency for h in result.hits for r in h.hit.recipients}

    assert recipients(1) == {"FR-INT", "GR-BOR"}
    with database.unit_of_work() as uow:
        _join(uow, "FR-INT", "GR-BOR", "BE-INT")
    assert recipients(2) == {"FR-INT", "GR-BOR", "BE-INT"}
