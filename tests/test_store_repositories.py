"""Agencies, links, encounters and casework through the store, on every database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from factories import SEEN, make_agency, make_encounter, make_link, make_subject
from watchlink.model import (
    ConcernLevel,
    Decision,
    DecisionKind,
    HandlingCode,
    Hit,
    HitRecipient,
    HitRecipientRole,
    HitReview,
    HitState,
    InfoRequest,
    PartnerGroup,
    PresentedPerson,
    RequestMessage,
    RequestPriority,
    RequestState,
)
from watchlink.store import Database


def test_agencies_and_partner_groups(database: Database) -> None:
    fr, be = make_agency(), make_agency(code="BE-POL", country="BE", officers=None, contact=None)
    with database.unit_of_work() as uow:
        assert uow.agencies.add(fr) is True
        assert uow.agencies.add(make_agency(name="Another")) is False
        uow.agencies.upsert(be)
        uow.agencies.upsert_group(PartnerGroup("EU-CT", "Fictional group", {"FR-INT", "BE-POL"}))
        uow.agencies.upsert_group(PartnerGroup("EU-CT", "Renamed", {"FR-INT"}))
    with database.unit_of_work() as uow:
        assert uow.agencies.list() == [be, fr]
        assert uow.agencies.get("FR-INT") == fr
        assert uow.agencies.get("XX") is None
        assert uow.agencies.country_of("BE-POL") == "BE"
        assert uow.agencies.get_group("EU-CT") == PartnerGroup("EU-CT", "Renamed", {"FR-INT"})
        assert uow.agencies.groups_of("FR-INT") == {"EU-CT"}
        assert uow.agencies.groups_of("BE-POL") == set()


def test_links_of_a_subject_both_ways(database: Database) -> None:
    made = [make_link(), make_link(source_subject="s-3", target_subject="s-1", note=None)]
    with database.unit_of_work() as uow:
        assert uow.links.bulk_insert(iter(made)) == 2
        uow.links.add(make_link(source_subject="s-7", target_subject="s-8"))
    with database.unit_of_work() as uow:
        assert uow.links.of_subject("s-1") == made
        assert uow.links.count() == 3


def test_encounters_come_back_equal(database: Database) -> None:
    with_document = make_encounter()
    bare = make_encounter(id="e-2", document=None, person=PresentedPerson(["X"]), site=None)
    with database.unit_of_work() as uow:
        assert uow.encounters.bulk_insert([with_document, bare]) == 2
    with database.unit_of_work() as uow:
        assert uow.encounters.get("e-1") == with_document
        assert uow.encounters.get("e-2") == bare
        assert uow.encounters.by_document("12ab-34567") == [with_document]
        assert uow.encounters.by_group("BOOK-1") == [with_document, bare]
        assert list(uow.encounters.iter_all(batch_size=1)) == [with_document, bare]


def test_hits_with_recipients_and_append_only_reviews(database: Database) -> None:
    hit = Hit(
        "h-1", "e-1", "s-1", 0.93, ["same passport", "name 0.91"], SEEN,
        recipients=[
            HitRecipient("FR-INT", HitRecipientRole.OWNER),
            HitRecipient("GR-BORDER", HitRecipientRole.REPORTER, blind=True, delivered_at=SEEN),
        ],
        co_travellers=["e-2"],
    )  # fmt: skip
    review = HitReview(HitState.CONFIRMED, "analyst1", "FR-INT", SEEN, "same man", "watch")
    with database.unit_of_work() as uow:
        uow.hits.add(hit)
        uow.hits.add_review("h-1", review)
        uow.hits.mark_delivered_many([("h-1", "FR-INT")], SEEN)
    with database.unit_of_work() as uow:
        stored = uow.hits.get("h-1")
        assert stored is not None
        assert stored.state is HitState.CONFIRMED and stored.reviews == [review]
        assert [r.delivered_at for r in stored.recipients] == [SEEN, SEEN]
        assert stored.co_travellers == ["e-2"] and stored.explanation == hit.explanation
        assert [h.id for h in uow.hits.for_agency("GR-BORDER")] == ["h-1"]
        assert uow.hits.for_agency("BE-POL") == []


def test_requests_keep_their_conversation(database: Database) -> None:
    asked = RequestMessage("TR-INT", "liaison1", SEEN, "Is he known to you?")
    request = InfoRequest(
        "r-1", "TR-INT", "FR-INT", "Travel of a listed person", RequestPriority.HIGH,
        SEEN, SEEN + timedelta(days=3), subject_id="s-1", messages=[asked],
    )  # fmt: skip
    answer = RequestMessage("FR-INT", "analyst1", SEEN, "Yes.", HandlingCode.H2)
    with database.unit_of_work() as uow:
        uow.requests.add(request)
    request.state = RequestState.ANSWERED
    request.messages.append(answer)
    with database.unit_of_work() as uow:
        uow.requests.save(request)
    with database.unit_of_work() as uow:
        assert uow.requests.get("r-1") == request
        assert uow.requests.get("r-2") is None


def test_decisions_are_appended_and_the_latest_is_in_force(database: Database) -> None:
    start = Decision(
        "d-1", "s-1", DecisionKind.START, "returned from a conflict zone", "sup1", "FR-INT",
        datetime(2024, 1, 1, tzinfo=UTC), ConcernLevel.HIGH, "Fictional Act", date(2025, 1, 1),
    )  # fmt: skip
    stop = Decision(
        "d-2", "s-1", DecisionKind.STOP, "no activity", "sup1", "FR-INT", SEEN,
        supersedes="d-1",
    )  # fmt: skip
    with database.unit_of_work() as uow:
        uow.decisions.add(start)
        uow.decisions.add(stop)
    with database.unit_of_work() as uow:
        assert uow.decisions.of_subject("s-1") == [start, stop]
        assert uow.decisions.latest("s-1") == stop
        assert uow.decisions.latest("s-2") is None


def test_commit_inside_a_unit_keeps_the_committed_part_only(database: Database) -> None:
    with pytest.raises(KeyboardInterrupt), database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject(id="kept"))
        uow.commit()
        uow.subjects.upsert(make_subject(id="lost"))
        raise KeyboardInterrupt
    with database.unit_of_work() as uow:
        assert [s.id for s in uow.subjects.iter_all()] == ["kept"]


def test_a_unit_of_work_is_not_usable_outside_with(database: Database) -> None:
    uow = database.unit_of_work()
    with pytest.raises(RuntimeError, match="with"):
        uow.commit()


def test_a_bulk_load_after_a_mid_work_commit_is_kept(database: Database) -> None:
    """Batch-by-batch loads commit as they go: a bulk insert after a commit is not lost."""
    with database.unit_of_work() as uow:
        uow.agencies.add(make_agency())
        uow.commit()
        uow.subjects.bulk_insert([make_subject(id="s-1"), make_subject(id="s-2")])
        uow.commit()
        uow.subjects.bulk_insert([make_subject(id="s-3")])
    with database.unit_of_work() as uow:
        assert uow.subjects.count() == 3
        stored = uow.subjects.get("s-3")
        assert stored is not None
        assert [n.full for n in stored.names] == [n.full for n in make_subject().names]
