"""Single encounters reported at the same moment are screened in one call per user, and
each request still gets exactly its own hits or its own error, on every database.

The calls are made to meet deterministically: the test holds the warm index's lock, so
the first request's call waits inside it while the others queue behind; released, the
queued ones go together. The world: FR-INT lists one subject; GR-BOR and TR-BOR report.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from screening_support import NOW, Desk, actor, add_agencies
from watchlink.access import Actor
from watchlink.errors import Conflict
from watchlink.model import Encounter, EncounterKind, Name, PresentedPerson, Subject
from watchlink.services.screening import EncounterResult
from watchlink.services.screening_calls import SharedCalls
from watchlink.store.dialect import BUSY_TIMEOUT_MS
from watchlink.store.tables_access import audit_events, audit_head

LISTED = "Octave Brumairel"
Outcome = EncounterResult | Exception


def _desk(database: Any, home: Path) -> Desk:
    add_agencies(database, ("FR-INT", "FR"), ("GR-BOR", "GR"), ("TR-BOR", "TR"))
    desk = Desk(database, home)
    subject = Subject(id="fr-int-0001", agency="FR-INT", names=[Name(LISTED)])
    with database.unit_of_work() as uow:
        uow.subjects.upsert(subject)
    desk.screening.add(subject)
    return desk


def _crossing(encounter_id: str, name: str = LISTED, agency: str = "GR-BOR") -> Encounter:
    person = PresentedPerson([name])
    return Encounter(encounter_id, EncounterKind.BORDER_ENTRY, agency, NOW, agency[:2], person)


def _wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the requests did not queue"
        time.sleep(0.005)


def _together(
    calls: SharedCalls,
    desk: Desk,
    first: tuple[Actor, Encounter],
    rest: Sequence[tuple[Actor, Encounter]],
) -> list[Outcome]:
    """``first`` screened alone while ``rest`` queue behind it; the outcome of each."""
    outcomes: list[Outcome | None] = [None] * (1 + len(rest))

    def report(index: int, who: Actor, encounter: Encounter) -> None:
        try:
            outcomes[index] = calls.screen(who, encounter)
        except Exception as error:
            outcomes[index] = error

    threads = []
    with desk.screening.screener._lock:  # the first call waits inside, holding its turn
        threads.append(threading.Thread(target=report, args=(0, *first)))
        threads[0].start()
        _wait_for(lambda: calls.calls == 0 and calls.waiting == 0 and calls._busy)
        for index, (who, encounter) in enumerate(rest, start=1):
            threads.append(threading.Thread(target=report, args=(index, who, encounter)))
            threads[-1].start()
        _wait_for(lambda: calls.waiting == len(rest))
    for thread in threads:
        thread.join(60)
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


def _screen_lines(database: Any) -> list[tuple[str, list[str]]]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.actor, audit_events.c.records)
            .where(audit_events.c.action == "screen")
            .order_by(audit_events.c.seq)
        )
        return [(user, list(json.loads(records))) for user, records in rows]


def test_one_encounter_alone_is_screened_at_once_in_a_call_of_its_own(
    database: Any, tmp_path: Path
) -> None:
    desk = _desk(database, tmp_path)
    calls = SharedCalls(desk.screening, database.engine)
    result = calls.screen(actor(database, "desk", "GR-BOR"), _crossing("gr-bor-1"))
    assert [h.subject.id for h in result.hits] == ["fr-int-0001"]
    assert (calls.calls, calls.last_size, calls.waiting) == (1, 1, 0)
    hit = result.hits[0].hit.id
    assert _screen_lines(database) == [("desk", ["gr-bor-1", hit, "gr-bor-1", "fr-int-0001"])]


def test_encounters_waiting_together_go_in_one_call_per_user_each_with_its_own_outcome(
    database: Any, tmp_path: Path
) -> None:
    desk = _desk(database, tmp_path)
    calls = SharedCalls(desk.screening, database.engine)
    greek = actor(database, "desk", "GR-BOR")
    turkish = actor(database, "gate", "TR-BOR")
    outcomes = _together(
        calls,
        desk,
        (greek, _crossing("gr-bor-1", "Someone Else")),
        [
            (greek, _crossing("gr-bor-2")),  # a hit
            (turkish, _crossing("tr-bor-1", agency="TR-BOR")),  # another user: its own call
            (greek, _crossing("gr-bor-3", "Nobody Listed")),
            (greek, _crossing("gr-bor-1")),  # stored by the first call: 409 for it alone
            (greek, _crossing("gr-bor-3")),  # repeats an id of its own call
        ],
    )
    first, hit, turkish_hit, clear, stored, repeated = outcomes
    assert isinstance(first, EncounterResult) and first.hits == []
    assert isinstance(hit, EncounterResult) and [h.subject.id for h in hit.hits] == ["fr-int-0001"]
    assert isinstance(turkish_hit, EncounterResult) and len(turkish_hit.hits) == 1
    assert isinstance(clear, EncounterResult) and clear.hits == []
    assert isinstance(stored, Conflict) and isinstance(repeated, Conflict)
    assert calls.calls == 3  # the first alone, then one per user
    lines = _screen_lines(database)
    made, made_tr = hit.hits[0].hit.id, turkish_hit.hits[0].hit.id
    assert lines == [
        ("desk", ["gr-bor-1"]),
        ("desk", ["gr-bor-2", "gr-bor-3", made, "gr-bor-2", "fr-int-0001"]),
        ("gate", ["tr-bor-1", made_tr, "tr-bor-1", "fr-int-0001"]),
    ]
    with database.unit_of_work() as uow:
        kept = uow.encounters.get("gr-bor-3")
    assert kept is not None and kept.person.names == ["Nobody Listed"]  # the first of the two


def test_a_call_that_fails_as_a_whole_is_tried_again_encounter_by_encounter(
    database: Any, tmp_path: Path
) -> None:
    desk = _desk(database, tmp_path)
    calls = SharedCalls(desk.screening, database.engine)
    greek = actor(database, "desk", "GR-BOR")

    def refuse(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if statement.startswith("INSERT INTO encounters") and "gr-bor-bad" in repr(parameters):
            raise RuntimeError("the database refused this encounter")

    event.listen(database.engine, "before_cursor_execute", refuse)
    try:
        outcomes = _together(
            calls,
            desk,
            (greek, _crossing("gr-bor-1", "Someone Else")),
            [
                (greek, _crossing("gr-bor-2")),
                (greek, _crossing("gr-bor-bad")),
                (greek, _crossing("gr-bor-4")),
            ],
        )
    finally:
        event.remove(database.engine, "before_cursor_execute", refuse)
    _, good, bad, other = outcomes
    assert isinstance(bad, RuntimeError) and "refused this encounter" in str(bad)
    assert isinstance(good, EncounterResult) and len(good.hits) == 1
    assert isinstance(other, EncounterResult) and len(other.hits) == 1
    with database.unit_of_work() as uow:
        assert uow.encounters.get("gr-bor-bad") is None
        assert uow.encounters.get("gr-bor-2") is not None
    screened = [records[0] for _, records in _screen_lines(database)]
    assert screened == ["gr-bor-1", "gr-bor-2", "gr-bor-4"]  # the failed call left no line


def test_a_call_holds_at_least_one_encounter() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SharedCalls(None, None, most=0)  # type: ignore[arg-type]


def test_a_call_is_screened_before_its_transaction_so_others_may_write_meanwhile(
    database: Any, tmp_path: Path
) -> None:
    """The engine needs no database: while a call's encounter is screened, the call holds
    no lock (on SQLite, the one writer's), and another process's call may write."""
    desk = _desk(database, tmp_path)
    calls = SharedCalls(desk.screening, database.engine)
    greek = actor(database, "desk", "GR-BOR")
    outcome: list[Outcome] = []

    def report() -> None:
        outcome.append(calls.screen(greek, _crossing("gr-bor-1")))

    thread = threading.Thread(target=report)
    with desk.screening.screener._lock:  # the call waits inside its screening
        thread.start()
        _wait_for(lambda: calls._busy)
        time.sleep(0.2)  # well inside the screening, which waits for the lock
        with database.engine.connect() as other:
            if other.dialect.name == "sqlite":
                other.exec_driver_sql("PRAGMA busy_timeout=0")  # fail, not wait, if locked
                other.commit()
            with other.begin():  # another writer, meanwhile: the audit trail's head
                other.execute(update(audit_head).values(seq=audit_head.c.seq))
            if other.dialect.name == "sqlite":
                other.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                other.commit()
        assert calls.calls == 0  # the call was still screening
    thread.join(60)
    (result,) = outcome
    assert isinstance(result, EncounterResult)
    assert [h.subject.id for h in result.hits] == ["fr-int-0001"]
