"""The access policy's filter runs on the store's tables through ``where``, on every database."""

from __future__ import annotations

from factories import make_agency, make_subject
from watchlink.access import Actor, subject_visibility_filter
from watchlink.model import Distribution, HandlingCode, Role, Sharing
from watchlink.store import Database
from watchlink.store.policy_columns import agency_country, load_subjects, subject_columns

SHARINGS = {
    "own": Sharing(Distribution.OWN_AGENCY),
    "country": Sharing(Distribution.OWN_COUNTRY),
    "all": Sharing(Distribution.ALL_PARTNERS),
    "owner-eyes": Sharing(Distribution.ALL_PARTNERS, handling=HandlingCode.H3),
}


def test_a_partner_analyst_counts_and_streams_only_what_is_shared(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.agencies.add(make_agency())
        uow.agencies.add(make_agency(code="FR-POL", name="Fictional police"))
        uow.agencies.add(make_agency(code="BE-POL", name="Fictional Belgian police", country="BE"))
        for key, sharing in SHARINGS.items():
            uow.subjects.upsert(make_subject(id=key, sharing=sharing))
    belgian = Actor("analyst-be", "BE-POL", "BE", frozenset({Role.ANALYST}))
    french = Actor("analyst-fr", "FR-POL", "FR", frozenset({Role.ANALYST}))
    with database.unit_of_work() as uow:
        seen_be = subject_visibility_filter(belgian, subject_columns())
        seen_fr = subject_visibility_filter(french, subject_columns())
        assert [s.id for s in uow.subjects.iter_all(where=seen_be)] == ["all"]
        assert uow.subjects.count(seen_be) == 1
        assert sorted(s.id for s in uow.subjects.iter_all(where=seen_fr)) == ["all", "country"]
        assert agency_country(uow.connection, "BE-POL") == "BE"
        assert agency_country(uow.connection, "XX") is None
        assert [s.id for s in load_subjects(uow.connection, ["own", "nope"])] == ["own"]


def test_unknown_stored_sharing_reads_as_own_agency_and_owner_eyes(database: Database) -> None:
    from sqlalchemy import update

    from watchlink.store.tables import subjects

    with database.unit_of_work() as uow:
        uow.agencies.add(make_agency())
        uow.agencies.add(make_agency(code="FR-POL", name="Fictional police"))
        uow.subjects.upsert(make_subject(id="odd", sharing=Sharing(Distribution.ALL_PARTNERS)))
        uow.connection.execute(
            update(subjects)
            .where(subjects.c.id == "odd")
            .values(distribution="everyone-please", handling="H9")
        )
    french = Actor("analyst-fr", "FR-POL", "FR", frozenset({Role.ANALYST}))
    with database.unit_of_work() as uow:
        [odd] = load_subjects(uow.connection, ["odd"])
        assert odd.sharing.distribution is Distribution.OWN_AGENCY
        assert odd.sharing.handling is HandlingCode.H3
        seen_fr = subject_visibility_filter(french, subject_columns())
        assert uow.subjects.count(seen_fr) == 0
