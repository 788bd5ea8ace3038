"""The document trail read from the store, on both databases: the hits (not rejected) of the
encounters that presented each number, oldest first, by the number's key; more numbers and
more encounters than one statement takes at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from watchlink.model import HitState
from watchlink.store import Database
from watchlink.store.hits_query import HitQueries
from watchlink.store.mapping import document_key
from watchlink.store.tables_casework import encounters, hits

AT = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def _encounter(n: int, number: str | None, minutes: int) -> dict[str, object]:
    return {
        "id": f"gr-bor-e{n:05d}",
        "kind": "border_entry",
        "agency": "GR-BOR",
        "occurred_at": AT + timedelta(minutes=minutes),
        "country": "GR",
        "person_names": ["Pavlo Terrin"],
        "document_number": number,
        "document_number_key": None if number is None else document_key(number),
    }


def _hit(hit_id: str, encounter: int, state: HitState = HitState.NEW) -> dict[str, object]:
    return {
        "id": hit_id,
        "encounter_id": f"gr-bor-e{encounter:05d}",
        "subject_id": f"fr-int-{encounter:04d}",
        "score": 0.5 + encounter / 100_000,
        "explanation": [],
        "created_at": AT,
        "state": state.value,
        "co_travellers": [],
    }


def test_a_trail_is_each_numbers_unrejected_hits_oldest_first(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(
            insert(encounters),
            [
                _encounter(1, "XS4210317", 30),
                _encounter(2, "xs 4210317", 10),  # the same number, written otherwise, earlier
                _encounter(3, "XS4210317", 10),  # at the same minute: by hit id
                _encounter(4, "AB1234567", 5),
                _encounter(5, None, 1),
                _encounter(6, "ZZ0000001", 2),  # presented, never hit
            ],
        )
        conn.execute(
            insert(hits),
            [
                _hit("h-b", 1),
                _hit("h-d", 2),
                _hit("h-c", 3),
                _hit("h-a", 3, HitState.REJECTED),
                _hit("h-e", 4),
                _hit("h-f", 5),
            ],
        )
    with database.engine.connect() as conn:
        found = HitQueries(conn).trails(["XS 4210317", "AB1234567", "ZZ0000001", "QQ9"])
        alone = HitQueries(conn).trails(["XS4210317"], exclude=["gr-bor-e00003"])
        others = HitQueries(conn).trails(["AB1234567", "XS4210317"], exclude=["gr-bor-e00004"])

    assert {k: [h.hit_id for h in v] for k, v in found.items()} == {
        document_key("XS4210317"): ["h-c", "h-d", "h-b"],
        document_key("AB1234567"): ["h-e"],
    }
    first = found[document_key("XS4210317")][0]
    assert (first.encounter_id, first.subject_id) == ("gr-bor-e00003", "fr-int-0003")
    assert first.occurred_at == AT + timedelta(minutes=10)
    assert first.score == 0.5 + 3 / 100_000
    assert [h.hit_id for h in alone[document_key("XS4210317")]] == ["h-d", "h-b"]
    assert {k: [h.hit_id for h in v] for k, v in others.items()} == {
        document_key("XS4210317"): ["h-c", "h-d", "h-b"]
    }


def test_a_trail_over_more_numbers_and_encounters_than_one_statement_takes(
    database: Database,
) -> None:
    count = 1_201  # numbers, and encounters of each step: three statements each
    with database.engine.begin() as conn:
        conn.execute(
            insert(encounters), [_encounter(n, f"P{n % 601:07d}", -n) for n in range(count)]
        )
        conn.execute(insert(hits), [_hit(f"h-{n:05d}", n) for n in range(count)])
    with database.engine.connect() as conn:
        found = HitQueries(conn).trails([f"P{n:07d}" for n in range(count)])

    assert sum(len(v) for v in found.values()) == count
    assert len(found) == 601
    two = found[document_key("P0000003")]  # encounters 3 and 604: 604 is the older
    assert [h.encounter_id for h in two] == ["gr-bor-e00604", "gr-bor-e00003"]
