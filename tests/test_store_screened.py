"""The screening index's read of the list: what the engine reads, the same as the full read."""

from __future__ import annotations

from dataclasses import replace

from factories import make_subject
from watchlink.matching import Screener
from watchlink.matching.record import prepare
from watchlink.model import BirthDate, IdentityDocument, Name, Subject, Value
from watchlink.services.screening_engine import encounter_query
from watchlink.store import Database
from watchlink.world.synth import generate


def _engine_view(subject: Subject) -> tuple[object, ...]:
    """Every value of a subject the matching engine reads, without who recorded it."""
    return (
        subject.id,
        subject.agency,
        subject.gender,
        [(n.full, n.kind, n.given, n.family) for n in subject.names],
        [b.date for b in subject.birth_dates],
        [(d.number, d.type, d.country, d.status) for d in subject.documents],
        *(
            [v.value for v in getattr(subject, field)]
            for field in ("birth_places", "nationalities", "phones", "emails", "addresses")
        ),
    )


def test_the_screened_read_gives_the_engine_what_the_full_read_gives(database: Database) -> None:
    world = generate(3, 400, 10)
    listed = list(world.subjects())
    bare = replace(make_subject(id="zz-bare"), names=[], documents=[], birth_dates=[])
    full = make_subject(id="zz-full")  # every kind of value, each with its provenance
    with database.unit_of_work() as uow:
        uow.subjects.bulk_insert([*listed, bare, full])
    with database.unit_of_work() as uow:
        every = list(uow.subjects.iter_all(batch_size=37))
        screened = list(uow.subjects.iter_screened(batch_size=37))
    assert [s.id for s in screened] == [s.id for s in every]
    assert len(screened) == len(listed) + 2
    for lean, whole in zip(screened, every, strict=True):
        assert _engine_view(lean) == _engine_view(whole)
        assert prepare(lean) == prepare(whole)
    assert any(s.documents and s.birth_dates and len(s.names) > 1 for s in screened)
    with database.unit_of_work() as uow:  # by ids, as a catch-up takes them: by id, once
        wanted = ["zz-full", "missing", screened[5].id, "zz-full", screened[0].id]
        by_ids = uow.subjects.get_screened(wanted)
    assert by_ids == [screened[0], screened[5], screened[-1]]
    assert screened[-1].addresses and screened[-1].phones and screened[-1].emails


def test_the_screened_read_leaves_out_who_recorded_each_value(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject())
        (lean,) = uow.subjects.iter_screened()
        stored = uow.subjects.get("s-1")
    assert stored is not None and stored.names[0].provenance is not None
    values: list[Name | IdentityDocument | BirthDate | Value] = [
        *lean.names,
        *lean.documents,
        *lean.birth_dates,
        *lean.nationalities,
    ]
    assert values and all(v.provenance is None and v.handling is None for v in values)
    assert lean.notes is None and stored.notes is not None


def test_an_index_built_from_the_screened_read_screens_as_one_from_the_full_read(
    database: Database,
) -> None:
    world = generate(5, 300, 40)
    with database.unit_of_work() as uow:
        uow.subjects.bulk_insert(list(world.subjects()))
    with database.unit_of_work() as uow:
        lean: Screener[object] = Screener.build(uow.subjects.iter_screened(batch_size=64))
        whole: Screener[object] = Screener.build(uow.subjects.iter_all(batch_size=64))
    hits = 0
    for encounter, _ in world.encounters():
        query = encounter_query(encounter)
        found = [(m.subject_id, m.score, m.explanation) for m in lean.screen(query)]
        assert found == [(m.subject_id, m.score, m.explanation) for m in whole.screen(query)]
        hits += bool(found)
    assert hits > 10
