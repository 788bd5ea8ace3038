"""Who receives a hit under each distribution, the destination country, co-travellers,
the document trail and which subjects screening matches against, on every database.

The world: FR-INT (owner of the listed subject) and FR-POL in France, BE-INT and BE-POL
in Belgium, GR-BOR in Greece; FR-INT, BE-INT and GR-BOR form partner group CT.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from screening_support import NOW, Desk, actor, add_agencies, outbox_rows
from watchlink.model import (
    Distribution,
    Encounter,
    EncounterKind,
    HandlingCode,
    HitRecipientRole,
    IdentityDocument,
    Name,
    PartialDate,
    PartnerGroup,
    PresentedPerson,
    Role,
    Sharing,
    Subject,
    SubjectStatus,
)
from watchlink.services.screening_sync import LOOK_BACK
from watchlink.store.monitoring import ReviewTaskRepository
from watchlink.store.subjects import SubjectRepository, utc_now

OWN, REP, DST = HitRecipientRole.OWNER, HitRecipientRole.REPORTER, HitRecipientRole.DESTINATION
_count = iter(range(1, 10_000))


@pytest.fixture
def desk(database: Any, tmp_path: Path) -> Desk:
    add_agencies(
        database,
        ("FR-INT", "FR"),
        ("FR-POL", "FR"),
        ("BE-INT", "BE"),
        ("BE-POL", "BE"),
        ("GR-BOR", "GR"),
    )
    with database.unit_of_work() as uow:
        uow.agencies.upsert_group(PartnerGroup("CT", "CT", {"FR-INT", "BE-INT", "GR-BOR"}))
    return Desk(database, tmp_path)


def listed(desk: Desk, **overrides: Any) -> Subject:
    fields: dict[str, Any] = {
        "id": "fr-int-0001",
        "agency": "FR-INT",
        "names": [Name("Octave Brumairel")],
        "documents": [IdentityDocument("QX7730021", country="FR")],
    }
    fields.update(overrides)
    subject = Subject(**fields)
    with desk.database.unit_of_work() as uow:
        uow.subjects.upsert(subject)
    desk.screening.add(subject)
    return subject


def crossing(agency: str, **overrides: Any) -> Encounter:
    fields: dict[str, Any] = {
        "id": f"{agency.lower()}-enc-{next(_count)}",
        "kind": EncounterKind.BORDER_ENTRY,
        "agency": agency,
        "occurred_at": NOW,
        "country": "GR",
        "person": PresentedPerson(["Octave Brumairel"], birth_date=PartialDate(1979)),
        "destination_country": "BE",
    }
    fields.update(overrides)
    return Encounter(**fields)


def screen(desk: Desk, reporter: Any, *encounters: Encounter) -> list[Any]:
    with desk.database.unit_of_work() as uow:
        results = desk.screening.screen_batch(uow, reporter, list(encounters))
    return [h.hit for r in results for h in r.hits]


CT = "CT"
ROUTES = [
    # distribution, group, handling, reporter: expected recipients {agency: (role, blind)}
    ("own_agency", None, "H1", "GR-BOR", {"FR-INT": (OWN, False), "GR-BOR": (REP, True)}),
    ("own_country", None, "H1", "GR-BOR", {"FR-INT": (OWN, False), "GR-BOR": (REP, True)}),
    ("own_country", None, "H1", "FR-POL", {"FR-INT": (OWN, False), "FR-POL": (REP, False)}),
    (
        "partner_group",
        CT,
        "H1",
        "GR-BOR",
        {"FR-INT": (OWN, False), "GR-BOR": (REP, False), "BE-INT": (DST, False)},
    ),
    (
        "partner_group",
        CT,
        "H2",
        "FR-POL",
        {"FR-INT": (OWN, False), "FR-POL": (REP, True), "BE-INT": (DST, False)},
    ),
    (
        "all_partners",
        None,
        "H1",
        "GR-BOR",
        {
            "FR-INT": (OWN, False),
            "GR-BOR": (REP, False),
            "BE-INT": (DST, False),
            "BE-POL": (DST, False),
        },
    ),
    ("all_partners", None, "H3", "GR-BOR", {"FR-INT": (OWN, False), "GR-BOR": (REP, True)}),
    ("own_agency", None, "H1", "FR-INT", {"FR-INT": (OWN, False)}),
]


@pytest.mark.parametrize(("distribution", "group", "handling", "reporter", "expected"), ROUTES)
def test_who_receives_a_hit_under_each_distribution(
    database: Any,
    desk: Desk,
    distribution: str,
    group: str | None,
    handling: str,
    reporter: str,
    expected: dict[str, tuple[HitRecipientRole, bool]],
) -> None:
    sharing = Sharing(Distribution(distribution), group, HandlingCode(handling))
    listed(desk, sharing=sharing)
    [hit] = screen(desk, actor(database, "desk", reporter), crossing(reporter))
    assert {r.agency: (r.role, r.blind) for r in hit.recipients} == expected
    queued = [(agency, payload) for agency, ref, payload in outbox_rows(database) if ref == hit.id]
    assert sorted(a for a, _ in queued) == sorted(expected)
    for agency, payload in queued:
        role, blind = expected[agency]
        assert payload == {
            "hit_id": hit.id,
            "encounter_id": hit.encounter_id,
            "role": role.value,
            "blind": blind,
        }


def test_a_border_officer_reporter_is_blind_even_where_its_agency_may_read(
    database: Any, desk: Desk
) -> None:
    listed(desk, sharing=Sharing(Distribution.ALL_PARTNERS, None, HandlingCode.H0))
    officer = actor(database, "officer", "GR-BOR", Role.BORDER_OFFICER)
    [hit] = screen(desk, officer, crossing("GR-BOR"))
    assert {r.agency: r.blind for r in hit.recipients}["GR-BOR"] is True


def test_no_destination_no_destination_recipients(database: Any, desk: Desk) -> None:
    listed(desk, sharing=Sharing(Distribution.ALL_PARTNERS, None, HandlingCode.H1))
    reporter = actor(database, "desk", "GR-BOR")
    [hit] = screen(desk, reporter, crossing("GR-BOR", destination_country=None))
    assert {r.agency for r in hit.recipients} == {"FR-INT", "GR-BOR"}


def test_co_travellers_are_flagged_on_every_hit_of_the_group(database: Any, desk: Desk) -> None:
    listed(desk)
    reporter = actor(database, "desk", "GR-BOR")
    others = [
        crossing("GR-BOR", person=PresentedPerson(["Nadia Fenwick"]), group_ref="BK-77"),
        crossing("GR-BOR", person=PresentedPerson(["Tomas Ilvert"]), group_ref="BK-77"),
    ]
    him = crossing("GR-BOR", group_ref="BK-77")
    [hit] = screen(desk, reporter, others[0], him, others[1])
    assert sorted(hit.co_travellers) == sorted(e.id for e in others)
    late = crossing("GR-BOR", person=PresentedPerson(["Ria Coldwell"]), group_ref="BK-77")
    assert screen(desk, reporter, late) == []
    with database.unit_of_work() as uow:
        updated = uow.hits.get(hit.id)
    assert updated is not None and late.id in updated.co_travellers
    alone = crossing("GR-BOR")
    [solo] = screen(desk, reporter, alone)
    assert solo.co_travellers == []


def test_the_document_trail_follows_a_document_to_its_next_holder(
    database: Any, desk: Desk
) -> None:
    listed(desk)
    reporter = actor(database, "desk", "GR-BOR")
    blank = IdentityDocument("XS4210317", country="SY")
    [first] = screen(desk, reporter, crossing("GR-BOR", document=blank))
    later = crossing(
        "GR-BOR",
        person=PresentedPerson(["Someone Else Entirely"]),
        document=IdentityDocument("XS 4210317", country="SY"),
        occurred_at=NOW + timedelta(days=3),
    )
    [trailed] = screen(desk, reporter, later)
    assert trailed.subject_id == first.subject_id
    assert trailed.score == pytest.approx(first.score)
    assert "was presented at encounter" in trailed.explanation[0]
    officer = actor(database, "fr", "FR-INT")
    with database.unit_of_work() as uow:
        desk.hits.reject(uow, officer, first.id, "not him", None)
        desk.hits.reject(uow, officer, trailed.id, "not him either", None)
    again = crossing(
        "GR-BOR", person=PresentedPerson(["Third Person"]), document=IdentityDocument("XS4210317")
    )
    assert screen(desk, reporter, again) == []  # rejected hits leave no trail


@pytest.mark.parametrize(
    ("status", "caught"),
    [(SubjectStatus.ACTIVE, True), (SubjectStatus.DORMANT, True), (SubjectStatus.CLOSED, True)],
)
def test_screening_matches_every_subject_closed_files_included(
    database: Any, desk: Desk, status: SubjectStatus, caught: bool
) -> None:
    listed(desk, status=status)
    hits = screen(desk, actor(database, "desk", "GR-BOR"), crossing("GR-BOR"))
    assert bool(hits) is caught


def test_the_index_is_built_from_the_database_on_first_use(database: Any, tmp_path: Path) -> None:
    add_agencies(database, ("FR-INT", "FR"), ("GR-BOR", "GR"))
    with database.unit_of_work() as uow:
        uow.subjects.upsert(Subject("fr-int-0001", "FR-INT", names=[Name("Octave Brumairel")]))
    desk = Desk(database, tmp_path)  # a new process: nothing in memory yet
    assert not desk.screening.screener.built
    hits = screen(desk, actor(database, "desk", "GR-BOR"), crossing("GR-BOR"))
    assert [h.subject_id for h in hits] == ["fr-int-0001"]
    assert len(desk.screening.screener) == 1


def test_a_nameless_encounter_without_a_document_is_stored_without_hits(
    database: Any, desk: Desk
) -> None:
    listed(desk)
    reporter = actor(database, "desk", "GR-BOR")
    bare = crossing("GR-BOR", person=PresentedPerson())
    assert screen(desk, reporter, bare) == []
    with database.unit_of_work() as uow:
        assert uow.encounters.get(bare.id) is not None


def test_a_hit_on_a_dormant_subject_puts_it_back_before_its_desk(database: Any, desk: Desk) -> None:
    listed(desk, status=SubjectStatus.DORMANT)
    [hit] = screen(desk, actor(database, "desk", "GR-BOR"), crossing("GR-BOR"))
    with database.unit_of_work() as uow:
        tasks = ReviewTaskRepository(uow.connection).of_subject("fr-int-0001")
    assert [(t.trigger, t.evidence["hit_id"]) for t in tasks] == [("hit", hit.id)]
    with database.engine.connect() as conn:
        assert desk.trail.verify(conn) is None  # one trail, one chain


def test_subjects_changed_by_another_process_are_taken_in(database: Any, desk: Desk) -> None:
    listed(desk, id="fr-int-0000", names=[Name("Someone Listed Before")])
    reporter = actor(database, "desk", "GR-BOR")
    assert screen(desk, reporter, crossing("GR-BOR")) == []  # builds the index
    with database.unit_of_work() as uow:  # an import from the command line, say
        uow.subjects.upsert(Subject("fr-int-0001", "FR-INT", names=[Name("Octave Brumairel")]))
    assert screen(desk, reporter, crossing("GR-BOR")) == []  # not looked for yet
    desk.clock.advance(desk.screening.catch_up.every)
    assert [h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))] == ["fr-int-0001"]


def test_a_transaction_that_commits_late_is_taken_in_once_it_has(database: Any, desk: Desk) -> None:
    """PostgreSQL commits concurrent transactions in any order: an import that wrote first
    and commits last is read by the catch-up that follows its commit."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: transactions commit in the order they write")
    listed(desk, id="fr-int-0000", names=[Name("Someone Listed Before")])
    reporter = actor(database, "desk", "GR-BOR")
    assert screen(desk, reporter, crossing("GR-BOR")) == []  # builds the index
    octave = Subject("fr-int-0001", "FR-INT", names=[Name("Octave Brumairel")])
    with database.unit_of_work() as slow:  # a long import, say: it writes first
        slow.subjects.upsert(octave)
        with database.unit_of_work() as quick:  # a desk's edit, committed meanwhile
            quick.subjects.upsert(Subject("fr-int-0002", "FR-INT", names=[Name("Octave Brumaire")]))
        desk.clock.advance(desk.screening.catch_up.every)
        found = {h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))}
        assert found == {"fr-int-0002"}  # the import is not committed yet
        with database.unit_of_work() as uow:  # the import holds the horizon back: the
            # edit already taken in is not read again
            assert desk.screening.catch_up.run(uow, desk.screening.screener, NOW) == 0
    desk.clock.advance(desk.screening.catch_up.every)
    found = {h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))}
    assert found == {"fr-int-0001", "fr-int-0002"}


def test_a_subject_stamped_before_the_last_look_is_taken_in(database: Any, desk: Desk) -> None:
    """A writer stamps its rows when it begins, then may wait its turn to write (SQLite's
    busy timeout): its subject commits after a look that saw a later stamp."""
    listed(desk, id="fr-int-0000", names=[Name("Someone Listed Before")])
    reporter = actor(database, "desk", "GR-BOR")
    assert screen(desk, reporter, crossing("GR-BOR")) == []  # builds the index
    with database.unit_of_work() as uow:  # the desk's edit, stamped now
        uow.subjects.upsert(Subject("fr-int-0002", "FR-INT", names=[Name("Octave Brumaire")]))
    desk.clock.advance(desk.screening.catch_up.every)
    assert {h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))} == {"fr-int-0002"}
    began = utc_now() - timedelta(seconds=20)  # within the busy timeout
    with database.unit_of_work() as uow:  # the writer that waited, stamped when it began
        waited = SubjectRepository(uow.connection, clock=lambda: began)
        waited.upsert(Subject("fr-int-0001", "FR-INT", names=[Name("Octave Brumairel")]))
    desk.clock.advance(desk.screening.catch_up.every)
    found = {h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))}
    assert found == {"fr-int-0001", "fr-int-0002"}
    with database.unit_of_work() as uow:  # read again within the look-back, not taken again
        assert desk.screening.catch_up.run(uow, desk.screening.screener, NOW) == 0


def test_the_first_look_does_not_take_in_again_what_the_index_was_built_from(
    database: Any, desk: Desk
) -> None:
    """A server started just after an import: its first look reads again the subjects
    written within the look-back (SQLite) or since the oldest transaction still running
    (PostgreSQL), and takes in none the build read; one committed after it, it does."""
    postgres = database.engine.dialect.name == "postgresql"
    reporter = actor(database, "desk", "GR-BOR")
    names = ["Octave Brumairel", "Ninon Floreal", "Achille Thermidor", "Mireille Germinal"]
    with contextlib.ExitStack() as stack:
        if postgres:  # a transaction still running holds the horizon back
            slow = stack.enter_context(database.unit_of_work())
            slow.subjects.upsert(Subject("fr-int-0009", "FR-INT", names=[Name("Octave Brumaire")]))
        with database.unit_of_work() as uow:  # the import, just before the server starts
            for n, name in enumerate(names, start=1):
                uow.subjects.upsert(Subject(f"fr-int-000{n}", "FR-INT", names=[Name(name)]))
        found = {h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))}
        assert found == {"fr-int-0001"}  # built from the database
        desk.clock.advance(desk.screening.catch_up.every)
        with database.unit_of_work() as uow:
            assert desk.screening.catch_up.run(uow, desk.screening.screener, NOW) == 0
    if postgres:
        with database.unit_of_work() as uow:
            assert desk.screening.catch_up.run(uow, desk.screening.screener, NOW) == 1


def test_after_an_import_its_rows_are_read_again_only_while_a_late_commit_may_come(
    database: Any, desk: Desk
) -> None:
    """SQLite: a look reads again the rows stamped within LOOK_BACK of the newest seen or of
    when it began, whichever is later; once a look began longer than that after an import,
    no look reads the import again (it did at every look, until the next change)."""
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reads by transaction, from the oldest still running")
    reporter = actor(database, "desk", "GR-BOR")
    assert screen(desk, reporter, crossing("GR-BOR")) == []  # builds the index
    with database.unit_of_work() as uow:
        uow.subjects.upsert(Subject("fr-int-0001", "FR-INT", names=[Name("Octave Brumairel")]))
    desk.clock.advance(desk.screening.catch_up.every)
    assert [h.subject_id for h in screen(desk, reporter, crossing("GR-BOR"))] == ["fr-int-0001"]
    catch_up = desk.screening.catch_up
    assert catch_up.mark is not None and catch_up.since is not None
    assert catch_up.since < catch_up.mark  # read again by the next look: it may be late
    with database.unit_of_work() as uow:  # a look beginning LOOK_BACK after the import
        uow.began_at = catch_up.mark + LOOK_BACK + timedelta(seconds=1)
        assert catch_up.run(uow, desk.screening.screener, NOW) == 0
    assert catch_up.since > catch_up.mark  # no look reads the import again
