"""Subjects through the store, on every database: round trip, upsert, stream, count."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from factories import SEEN, make_subject
from watchlink.model import Name, NameKind, Provenance, SubjectStatus, Value
from watchlink.store import Database, subjects_of_agency
from watchlink.store.tables import subjects


def test_a_subject_comes_back_equal(database: Database) -> None:
    subject = make_subject()
    with database.unit_of_work() as uow:
        assert uow.subjects.upsert(subject) is True
    with database.unit_of_work() as uow:
        assert uow.subjects.get("s-1") == subject
        assert uow.subjects.get("s-404") is None


def test_a_bare_subject_comes_back_equal(database: Database) -> None:
    bare = make_subject(
        id="bare", names=[], birth_dates=[], birth_places=[], nationalities=[], gender=None,
        documents=[], phones=[], emails=[], addresses=[], legal_basis=None, review_date=None,
        notes=None,
    )  # fmt: skip
    with database.unit_of_work() as uow:
        uow.subjects.upsert(bare)
    with database.unit_of_work() as uow:
        assert uow.subjects.get("bare") == bare


def test_upsert_by_the_same_id_updates_and_never_duplicates(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject())
    changed = make_subject(status=SubjectStatus.DORMANT, names=[Name("Karim Ben Youssef")])
    with database.unit_of_work() as uow:
        assert uow.subjects.upsert(changed) is False
    with database.unit_of_work() as uow:
        assert uow.subjects.count() == 1
        assert uow.subjects.get("s-1") == changed
        assert uow.subjects.version("s-1") == 2


def test_upsert_keeps_first_seen_and_moves_last_seen(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject())
    later = datetime(2026, 11, 20, tzinfo=UTC)
    again = make_subject(
        birth_places=[Value("Oran", Provenance("FR-INT", later, later)), Value("Tlemcen")]
    )
    with database.unit_of_work() as uow:
        uow.subjects.upsert(again)
    with database.unit_of_work() as uow:
        stored = uow.subjects.get("s-1")
    assert stored is not None
    oran, tlemcen = stored.birth_places
    first = make_subject().birth_places[0].provenance
    assert first is not None
    assert oran.provenance == Provenance("FR-INT", first.first_seen, later)
    assert tlemcen == Value("Tlemcen")


def test_a_failed_unit_of_work_leaves_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject())
        uow.subjects.bulk_insert([make_subject(id=f"b-{n}") for n in range(10)])
        raise RuntimeError("stop")
    with database.unit_of_work() as uow:
        assert uow.subjects.count() == 0


def test_bulk_insert_then_stream_in_batches_with_a_filter(database: Database) -> None:
    owners = ["FR-INT", "BE-POL", "TR-INT"]
    made = [make_subject(id=f"b-{n:04d}", agency=owners[n % 3]) for n in range(250)]
    with database.unit_of_work() as uow:
        assert uow.subjects.bulk_insert(iter(made)) == 250
    with database.unit_of_work() as uow:
        streamed = list(uow.subjects.iter_all(batch_size=7))
        assert streamed == made
        mine = list(uow.subjects.iter_all(batch_size=40, where=subjects_of_agency("BE-POL")))
        assert [s.id for s in mine] == [s.id for s in made if s.agency == "BE-POL"]
        assert uow.subjects.count(subjects_of_agency("TR-INT")) == 83
        assert uow.subjects.count(subjects.c.status == "closed") == 0
        assert [s.id for s in uow.subjects.page(limit=3, offset=2)] == [
            "b-0002",
            "b-0003",
            "b-0004",
        ]


def test_lookups_by_document_and_name_and_delete(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject())
        uow.subjects.upsert(make_subject(id="s-2", names=[Name("Someone Else", NameKind.PRIMARY)]))
    with database.unit_of_work() as uow:
        assert uow.subjects.ids_by_document("12ab 345-67") == ["s-1", "s-2"]
        assert uow.subjects.ids_by_name("  karim   BENYOUSSEF") == ["s-1"]
        assert uow.subjects.delete("s-1") is True
        assert uow.subjects.delete("s-1") is False
    with database.unit_of_work() as uow:
        assert [s.id for s in uow.subjects.iter_all()] == ["s-2"]


def test_a_stored_time_is_utc(database: Database) -> None:
    subject = make_subject()
    with database.unit_of_work() as uow:
        uow.subjects.upsert(replace(subject))
    with database.unit_of_work() as uow:
        stored = uow.subjects.get("s-1")
    assert stored is not None and stored.names[0].provenance is not None
    assert stored.names[0].provenance.last_seen == SEEN
    assert stored.names[0].provenance.last_seen.tzinfo is not None
