"""A screening call writes in bulk: a batch stores the same hits, recipients, co-travel
flags and outbox messages as the same encounters reported one call at a time, and its
inserts do not grow a statement per hit or per message; on every database.

The world: FR-INT (owner of the listed subjects) in France, BE-INT in Belgium, GR-BOR
in Greece; all three in partner group CT, so hits go to owner, reporter and destination.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from screening_support import NOW, Desk, actor, add_agencies
from watchlink.model import (
    Distribution,
    Encounter,
    EncounterKind,
    IdentityDocument,
    Name,
    PartialDate,
    PartnerGroup,
    PresentedPerson,
    Sharing,
    Subject,
)
from watchlink.store.tables_casework import hit_recipients, hits
from watchlink.store.tables_ops import outbox

NAMES = ["Octave Brumairel", "Ilse Varnholt", "Casimir Oudekerk"]


def _desk(database: Any, home: Path) -> Desk:
    add_agencies(database, ("FR-INT", "FR"), ("BE-INT", "BE"), ("GR-BOR", "GR"))
    with database.unit_of_work() as uow:
        uow.agencies.upsert_group(PartnerGroup("CT", "CT", {"FR-INT", "BE-INT", "GR-BOR"}))
    desk = Desk(database, home)
    for number, name in enumerate(NAMES, start=1):
        subject = Subject(
            id=f"fr-int-{number:04d}",
            agency="FR-INT",
            names=[Name(name)],
            documents=[IdentityDocument(f"QX77300{number:02d}", country="FR")],
            sharing=Sharing(Distribution.PARTNER_GROUP, "CT"),
        )
        with database.unit_of_work() as uow:
            uow.subjects.upsert(subject)
        desk.screening.add(subject)
    return desk


def _encounters(tag: str) -> list[Encounter]:
    """Nine crossings: each listed person three times, three of them on one booking, plus
    a stranger on the same booking; ids and booking carry ``tag``, so runs stay apart."""
    out = []
    for index in range(9):
        name = NAMES[index % 3]
        out.append(
            Encounter(
                id=f"gr-bor-{tag}-{index}",
                kind=EncounterKind.BORDER_ENTRY,
                agency="GR-BOR",
                occurred_at=NOW,
                country="GR",
                person=PresentedPerson([name], birth_date=PartialDate(1979)),
                destination_country="BE",
                group_ref=f"BK-{tag}" if index % 4 == 0 else None,
            )
        )
    stranger = PresentedPerson(["Nobody Listed Here"])
    out.insert(
        4, Encounter(f"gr-bor-{tag}-x", EncounterKind.BORDER_ENTRY, "GR-BOR", NOW, "GR", stranger)
    )
    out[4].group_ref = f"BK-{tag}"
    return out


def _stored(database: Any, tag: str) -> dict[str, Any]:
    """Hits, recipients and outbox rows, keyed by (encounter, subject) with ``tag`` cut out."""

    def plain(text: str) -> str:
        return text.replace(f"-{tag}-", "-")

    with database.engine.connect() as conn:
        found = {r.id: r for r in conn.execute(select(hits))}
        key = {i: (plain(r.encounter_id), r.subject_id) for i, r in found.items()}
        rows = {
            key[i]: (round(r.score, 6), sorted(plain(t) for t in r.co_travellers))
            for i, r in found.items()
        }
        routed = sorted(
            (key[r.hit_id], r.agency, r.role, r.blind) for r in conn.execute(select(hit_recipients))
        )
        messages = sorted(
            (key[r.reference], r.recipient, r.kind, r.payload["role"], r.payload["blind"])
            for r in conn.execute(select(outbox))
        )
    return {"hits": rows, "recipients": routed, "outbox": messages}


@contextmanager
def _inserts(database: Any) -> Iterator[Counter[str]]:
    """Counts INSERT and UPDATE statements by table while the block runs."""
    counted: Counter[str] = Counter()

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split()
        if words[0].upper() == "INSERT":
            counted[f"insert {words[2].strip(chr(34))}"] += 1
        elif words[0].upper() == "UPDATE":
            counted[f"update {words[1].strip(chr(34))}"] += 1

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def test_a_batch_stores_what_single_calls_store(database: Any, tmp_path: Path) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    with database.unit_of_work() as uow:
        batch = desk.screening.screen_batch(uow, reporter, _encounters("b"))
    assert sum(len(r.hits) for r in batch) == 9
    bulk = _stored(database, "b")
    with database.engine.begin() as conn:
        for table in (outbox, hit_recipients, hits):
            conn.execute(table.delete())
    for encounter in _encounters("s"):
        with database.unit_of_work() as uow:
            desk.screening.screen_batch(uow, reporter, [encounter])
    single = _stored(database, "s")
    assert bulk["recipients"] == single["recipients"]
    assert bulk["outbox"] == single["outbox"]
    assert {k: v[0] for k, v in bulk["hits"].items()} == {
        k: v[0] for k, v in single["hits"].items()
    }
    # co-travellers: the batch's hits list every other member of the booking at once; single
    # calls list those before them and are flagged with those after: the same in the end
    assert bulk["hits"] == single["hits"]
    assert bulk["hits"][("gr-bor-0", "fr-int-0001")][1] == ["gr-bor-4", "gr-bor-8", "gr-bor-x"]


def test_a_batch_writes_each_table_in_one_statement(database: Any, tmp_path: Path) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    with _inserts(database) as counted, database.unit_of_work() as uow:
        results = desk.screening.screen_batch(uow, reporter, _encounters("b"))
    made = [h.hit for r in results for h in r.hits]
    assert len(made) == 9 and all(len(h.recipients) == 3 for h in made)
    assert counted["insert hits"] == 1
    assert counted["insert hit_recipients"] == 1
    assert counted["insert outbox"] == 1
    assert counted["insert encounters"] == 1
    assert counted["update hits"] == 0  # no earlier hits on the booking to flag


def test_earlier_hits_of_a_booking_are_flagged_with_the_batch_in_order(
    database: Any, tmp_path: Path
) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    first = _encounters("a")[0]  # on booking BK-a, hits fr-int-0001
    with database.unit_of_work() as uow:
        [earlier] = desk.screening.screen_batch(uow, reporter, [first])[0].hits
    later = [e for e in _encounters("c") if e.group_ref is not None]
    for encounter in later:
        encounter.group_ref = first.group_ref
    with _inserts(database) as counted, database.unit_of_work() as uow:
        desk.screening.screen_batch(uow, reporter, later)
    assert counted["update hits"] == 1  # one executemany for every flagged hit
    with database.unit_of_work() as uow:
        stored = uow.hits.get(earlier.hit.id)
    assert stored is not None
    assert stored.co_travellers == [e.id for e in later]


@contextmanager
def _statements(database: Any) -> Iterator[list[str]]:
    """The statements run while the block runs, their first three words."""
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()[:3]).replace('"', ""))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


def test_hits_without_a_booking_are_written_before_the_trail_is_locked(
    database: Any, tmp_path: Path
) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    alone, booked = _encounters("a")[1], _encounters("b")[0]
    assert alone.group_ref is None and booked.group_ref is not None
    for encounter, before in ((alone, True), (booked, False)):
        with _statements(database) as seen, database.unit_of_work() as uow:
            [result] = desk.screening.screen_batch(uow, reporter, [encounter])
        assert len(result.hits) == 1
        heads = [i for i, s in enumerate(seen) if s.startswith("UPDATE access_audit_head")]
        if database.dialect == "sqlite":  # the write lock is claimed first, on purpose
            assert heads[0] == seen.index("BEGIN") + 1
            heads = heads[1:]
        lock = heads[0]  # the trail's head, locked until commit from here
        assert (seen.index("INSERT INTO hits") < lock) is before
        assert (seen.index("INSERT INTO outbox") < lock) is before
        appended = ("INSERT INTO access_audit_events", "WITH appended AS")  # the line
        line = next(i for i, s in enumerate(seen) if s.startswith(appended))
        assert line > seen.index("INSERT INTO hits")


def test_two_calls_of_one_booking_at_once_see_each_other(database: Any, tmp_path: Path) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    first, second = _encounters("c")[0], _encounters("d")[5]
    second.group_ref = first.group_ref
    later: list[Any] = []
    waiting = threading.Event()
    threads: list[int] = []

    def locking(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.get_ident() in threads and statement.startswith("UPDATE access_audit_head"):
            waiting.set()  # the second call asks for the trail the first one holds

    def other() -> None:
        threads.append(threading.get_ident())
        with database.unit_of_work() as uow:
            later.extend(desk.screening.screen_batch(uow, reporter, [second]))

    event.listen(database.engine, "before_cursor_execute", locking)
    try:
        with database.unit_of_work() as uow:
            [mine] = desk.screening.screen_batch(uow, reporter, [first])[0].hits
            thread = threading.Thread(target=other)
            thread.start()
            assert waiting.wait(120)
        thread.join(120)
    finally:
        event.remove(database.engine, "before_cursor_execute", locking)
    assert not thread.is_alive()
    [theirs] = later[0].hits
    assert theirs.hit.co_travellers == [first.id]
    with database.unit_of_work() as uow:
        stored = uow.hits.get(mine.hit.id)
    assert stored is not None and stored.co_travellers == [second.id]
