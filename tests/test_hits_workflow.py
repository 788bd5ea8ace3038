"""The hit workflow on every database: reviews append and never overwrite, each is on the
audit trail, confirmations and rejections become labelled pairs, the inbox filters.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from screening_support import NOW, Desk, actor, add_agencies
from watchlink.errors import AccessDenied, InputError, NotFound
from watchlink.model import (
    Encounter,
    EncounterKind,
    HitState,
    IdentityDocument,
    Name,
    PresentedPerson,
    Role,
    Subject,
)
from watchlink.services.screening_audit import screen_query
from watchlink.store.hits_query import HitQueries
from watchlink.store.tables_access import audit_events
from watchlink.store.tables_casework import hit_reviews


@pytest.fixture
def desk(database: Any, tmp_path: Path) -> Desk:
    add_agencies(database, ("FR-INT", "FR"), ("FR-POL", "FR"), ("DE-BKA", "DE"))
    desk = Desk(database, tmp_path)
    subject = Subject(
        "fr-int-0001",
        "FR-INT",
        names=[Name("Octave Brumairel")],
        documents=[IdentityDocument("QX7730021")],
    )
    with database.unit_of_work() as uow:
        uow.subjects.upsert(subject)
    return desk


def report(desk: Desk, encounter_id: str, name: str = "Octave Brumairel") -> str:
    """A French police check; returns the id of its hit."""
    police = actor(desk.database, "pol", "FR-POL")
    encounter = Encounter(
        encounter_id,
        EncounterKind.POLICE_CHECK,
        "FR-POL",
        desk.clock.now(),
        "FR",
        PresentedPerson([name]),
    )
    with desk.database.unit_of_work() as uow:
        result = desk.screening.screen_encounter(uow, police, encounter)
    [screened] = result.hits
    return screened.hit.id


def reviews(desk: Desk) -> list[dict[str, Any]]:
    with desk.database.engine.connect() as conn:
        rows = conn.execute(select(hit_reviews).order_by(hit_reviews.c.id)).mappings()
        return [dict(r) for r in rows]


def test_reviews_append_and_supersede_never_overwrite(database: Any, desk: Desk) -> None:
    hit_id = report(desk, "fr-pol-e1")
    fr = actor(database, "claire", "FR-INT")
    with database.unit_of_work() as uow:
        view = desk.hits.acknowledge(uow, fr, hit_id, "desk informed")
    assert view.state is HitState.ACKNOWLEDGED
    first = reviews(desk)
    desk.clock.advance(minutes=5)
    with database.unit_of_work() as uow:
        view = desk.hits.confirm(uow, fr, hit_id, "photo and date match", "discreet check done")
    assert view.state is HitState.CONFIRMED
    desk.clock.advance(minutes=5)
    with database.unit_of_work() as uow:
        view = desk.hits.acknowledge(uow, actor(database, "pol", "FR-POL"), hit_id)
        stored = uow.hits.get(hit_id)
    assert view.blind and view.state is HitState.ACKNOWLEDGED  # its own agency's state
    assert stored is not None and stored.state is HitState.CONFIRMED  # a verdict stays
    desk.clock.advance(hours=1)
    with database.unit_of_work() as uow:
        view = desk.hits.reject(uow, fr, hit_id, "fingerprints differ", "released")
    assert view.state is HitState.REJECTED
    rows = reviews(desk)
    assert rows[: len(first)] == first  # what was written stays as written
    assert [(r["state"], r["agency"], r["reason"], r["action_taken"]) for r in rows] == [
        ("acknowledged", "FR-INT", None, "desk informed"),
        ("confirmed", "FR-INT", "photo and date match", "discreet check done"),
        ("acknowledged", "FR-POL", None, None),
        ("rejected", "FR-INT", "fingerprints differ", "released"),
    ]
    assert [r["at"] for r in rows] == [
        NOW,
        NOW + timedelta(minutes=5),
        NOW + timedelta(minutes=10),
        NOW + timedelta(minutes=70),
    ]
    # The owner sees every review; the reporter its own agency's.
    assert [r.agency for r in view.reviews] == ["FR-INT", "FR-INT", "FR-POL", "FR-INT"]
    with database.unit_of_work() as uow:
        police_view = desk.hits.detail(uow, actor(database, "pol", "FR-POL"), hit_id)
    assert [r.agency for r in police_view.reviews] == ["FR-POL"]


def test_confirmations_and_rejections_are_labelled_pairs(database: Any, desk: Desk) -> None:
    yes = report(desk, "fr-pol-e1")
    no = report(desk, "fr-pol-e2")
    fr = actor(database, "claire", "FR-INT")
    with database.unit_of_work() as uow:
        desk.hits.acknowledge(uow, fr, yes)
        desk.hits.confirm(uow, fr, yes, "same person", None)
        desk.hits.reject(uow, fr, no, "a namesake", None)
    with database.unit_of_work() as uow:
        pairs = HitQueries(uow.connection).labelled_pairs()
    assert [(p["left_id"], p["right_id"], p["is_match"]) for p in pairs] == [
        ("fr-pol-e1", "fr-int-0001", True),
        ("fr-pol-e2", "fr-int-0001", False),
    ]
    assert pairs[0]["source"] == f"hit-review:{yes}" and pairs[0]["labelled_by"] == "claire"
    assert pairs[0]["left_record"]["person"]["names"] == ["Octave Brumairel"]
    assert pairs[0]["right_record"]["properties"]["name"] == ["Octave Brumairel"]


def test_each_review_is_on_the_audit_trail(database: Any, desk: Desk) -> None:
    hit_id = report(desk, "fr-pol-e1")
    fr = actor(database, "claire", "FR-INT")
    with database.unit_of_work() as uow:
        desk.hits.confirm(uow, fr, hit_id, "same person", None)
    with database.engine.connect() as conn:
        lines = conn.execute(select(audit_events).order_by(audit_events.c.seq)).mappings().all()
    described = [(r["actor"], r["action"], r["query"], json.loads(r["records"])) for r in lines]
    created = ["fr-pol-e1", hit_id, "fr-pol-e1", "fr-int-0001"]  # the encounter, then the hit
    assert ("pol", "screen", screen_query(1, 1), created) in described
    assert ("claire", "write", "hit confirmed", [hit_id, "fr-int-0001"]) in described
    with database.engine.connect() as conn:
        assert desk.trail.verify(conn) is None


@pytest.mark.parametrize(
    ("reason", "action_taken"),
    [(None, None), ("   ", None), ("x" * 2001, None), ("ok", "\x00")],
)
def test_a_verdict_needs_a_reason(
    database: Any, desk: Desk, reason: Any, action_taken: Any
) -> None:
    hit_id = report(desk, "fr-pol-e1")
    fr = actor(database, "claire", "FR-INT")
    with database.unit_of_work() as uow, pytest.raises(InputError):
        desk.hits.confirm(uow, fr, hit_id, reason, action_taken)
    assert reviews(desk) == []


def test_who_may_review(database: Any, desk: Desk) -> None:
    hit_id = report(desk, "fr-pol-e1")
    auditor = actor(database, "odile", "FR-INT", Role.AUDITOR)
    stranger = actor(database, "dieter", "DE-BKA")
    officer = actor(database, "pol", "FR-POL", Role.BORDER_OFFICER)
    with database.unit_of_work() as uow, pytest.raises(AccessDenied):
        desk.hits.acknowledge(uow, auditor, hit_id)
    with database.unit_of_work() as uow, pytest.raises(NotFound):
        desk.hits.acknowledge(uow, stranger, hit_id)
    with database.unit_of_work() as uow, pytest.raises(AccessDenied):
        desk.hits.reject(uow, officer, hit_id, "does not look like him", None)  # blind
    with database.unit_of_work() as uow:
        assert desk.hits.acknowledge(uow, officer, hit_id, "checked").state is HitState.ACKNOWLEDGED


def test_the_inbox_filters_by_state_since_and_blindness(database: Any, desk: Desk) -> None:
    old = report(desk, "fr-pol-e1")
    desk.clock.advance(days=2)
    new = report(desk, "fr-pol-e2")
    fr = actor(database, "claire", "FR-INT")
    officer = actor(database, "pol", "FR-POL", Role.BORDER_OFFICER)
    with database.unit_of_work() as uow:
        desk.hits.confirm(uow, fr, old, "same person", None)

        def ids(who: Any, **filters: Any) -> list[str]:
            return [v.id for v in desk.hits.inbox(uow, who, **filters)]

        assert ids(fr) == [new, old]  # newest first
        assert ids(fr, state=HitState.CONFIRMED) == [old]
        assert ids(fr, state=HitState.NEW) == [new]
        assert ids(fr, since=NOW + timedelta(days=1)) == [new]
        assert ids(fr, blind=True) == []
        assert ids(fr, limit=1) == [new] and ids(fr, limit=1, offset=1) == [old]
        assert ids(officer, blind=True) == [new, old]
        assert ids(officer, state=HitState.CONFIRMED) == []  # the owner's verdict is not its
        with pytest.raises(InputError):
            desk.hits.inbox(uow, fr, limit=0)
