"""An encounter id already stored, or repeated in the call, is refused on its own with a
clear reason, the stored encounter left as it was; on every database, and also when
another call storing that id has not committed yet (a call of a few encounters).

The world: FR-INT owns one listed subject; GR-BOR reports crossings.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from screening_support import NOW, Desk, actor, add_agencies
from watchlink.errors import Conflict
from watchlink.model import Encounter, EncounterKind, Name, PresentedPerson, Subject
from watchlink.store.tables_access import audit_events

LISTED = "Octave Brumairel"


def _desk(database: Any, home: Path) -> Desk:
    add_agencies(database, ("FR-INT", "FR"), ("GR-BOR", "GR"))
    desk = Desk(database, home)
    subject = Subject(id="fr-int-0001", agency="FR-INT", names=[Name(LISTED)])
    with database.unit_of_work() as uow:
        uow.subjects.upsert(subject)
    desk.screening.add(subject)
    return desk


def _crossing(encounter_id: str, name: str = LISTED) -> Encounter:
    person = PresentedPerson([name])
    return Encounter(encounter_id, EncounterKind.BORDER_ENTRY, "GR-BOR", NOW, "GR", person)


def _last_line_records(database: Any) -> list[str]:
    with database.engine.connect() as conn:
        query = select(audit_events.c.records).order_by(audit_events.c.seq.desc()).limit(1)
        records = conn.execute(query).scalar_one()
    return list(json.loads(records))


@pytest.mark.parametrize("others", [0, 5], ids=["few", "many"])  # the two ways of storing
def test_a_stored_or_repeated_id_is_refused_and_the_stored_encounter_kept(
    database: Any, tmp_path: Path, others: int
) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    with database.unit_of_work() as uow:
        desk.screening.screen_batch(uow, reporter, [_crossing("gr-bor-1", "Someone Else")])
    batch = [_crossing("gr-bor-1"), _crossing("gr-bor-2"), _crossing("gr-bor-2", "Another One")]
    batch += [_crossing(f"gr-bor-x{n}", "Nobody Listed") for n in range(others)]
    with database.unit_of_work() as uow:
        results = desk.screening.screen_batch(uow, reporter, batch)
    problems = [(r.error.reason, r.error.field) if r.error else None for r in results]
    assert (
        problems
        == [
            ("id in use: choose another id", "encounters.0.id"),
            None,
            ("id in use: choose another id", "encounters.2.id"),
        ]
        + [None] * others
    )
    assert [len(r.hits) for r in results] == [0, 1, 0] + [0] * others
    with database.unit_of_work() as uow:
        kept = uow.encounters.get("gr-bor-1")
        second = uow.encounters.get("gr-bor-2")
    assert kept is not None and kept.person.names == ["Someone Else"]  # not overwritten
    assert second is not None and second.person.names == [LISTED]  # the first of the two
    hit = results[1].hits[0].hit
    screened = ["gr-bor-2", *(f"gr-bor-x{n}" for n in range(others))]
    assert _last_line_records(database) == [*screened, hit.id, "gr-bor-2", "fr-int-0001"]
    with database.unit_of_work() as uow, pytest.raises(Conflict, match="already stored"):
        desk.screening.screen_encounter(uow, reporter, _crossing("gr-bor-1"))


def test_an_id_stored_by_a_call_not_yet_committed_is_refused_once_it_commits(
    database: Any, tmp_path: Path
) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    started = threading.Event()
    other_thread: list[int] = []
    later: list[Any] = []
    failed: list[BaseException] = []

    def storing(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # PostgreSQL: the other call stores its encounter while the first holds the id;
        # SQLite: it waits for the write lock the first holds, from its first statement
        if threading.get_ident() in other_thread and (
            database.dialect == "sqlite" or statement.startswith("INSERT INTO encounters")
        ):
            started.set()

    def other() -> None:
        other_thread.append(threading.get_ident())
        try:
            with database.unit_of_work() as uow:
                later.extend(desk.screening.screen_batch(uow, reporter, [_crossing("gr-bor-7")]))
        except BaseException as error:  # reported below, on the test's thread
            failed.append(error)

    event.listen(database.engine, "before_cursor_execute", storing)
    try:
        with database.unit_of_work() as uow:
            [mine] = desk.screening.screen_batch(uow, reporter, [_crossing("gr-bor-7")])
            thread = threading.Thread(target=other)
            thread.start()
            assert started.wait(120)
        thread.join(120)
    finally:
        event.remove(database.engine, "before_cursor_execute", storing)
    assert not thread.is_alive() and failed == []
    assert mine.error is None and len(mine.hits) == 1
    [theirs] = later
    assert theirs.error is not None and theirs.error.reason.startswith("id in use")
    assert theirs.hits == []
