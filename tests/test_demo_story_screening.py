"""Demo story, screening step: the returnee is caught at the Greek border and at the
Belgian hotel; France and Belgium receive their hits, the Greek border officer a blind one.

The demo world is loaded without its encounters, which are then reported the way the
desks report them: the Leros landing (him and his companion, one group) by the Greek
border officer, the hotel registration by the Belgian police.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from screening_support import Desk, actor, outbox_rows
from watchlink.model import HitRecipientRole, Role
from watchlink.services.world import load_demo
from watchlink.world.demo import DemoWorld, demo_world

SYNTHETIC = 300


@pytest.fixture(scope="module")
def demo() -> DemoWorld:
    return demo_world(SYNTHETIC)


@pytest.fixture
def desk(database: Any, demo: DemoWorld, tmp_path: Path) -> Desk:
    with database.unit_of_work() as uow:
        assert load_demo(uow, dataclasses.replace(demo, encounters=())) is not None
    return Desk(database, tmp_path)


def _recipients(hit: Any) -> dict[str, tuple[HitRecipientRole, bool]]:
    return {r.agency: (r.role, r.blind) for r in hit.recipients}


def test_step2_the_returnee_is_caught_in_greece_and_in_belgium(
    database: Any, demo: DemoWorld, desk: Desk
) -> None:
    story = demo.story
    encounters = {e.id: e for e in demo.encounters}
    greek = actor(database, "gr.border", "GR-BORDER", Role.BORDER_OFFICER)
    belgian_police = actor(database, "be.police", "BE-POL", Role.BORDER_OFFICER)
    landing = [encounters[story.companion_entry], encounters[story.greek_entry]]
    with database.unit_of_work() as uow:
        companion, entry = desk.screening.screen_batch(uow, greek, landing)
    with database.unit_of_work() as uow:
        hotel = desk.screening.screen_encounter(uow, belgian_police, encounters[story.hotel])

    entry_hits = {h.hit.subject_id: h.hit for h in entry.hits}
    hotel_hits = {h.hit.subject_id: h.hit for h in hotel.hits}
    # Caught twice: by name and date at the border, by the stolen passport's trail at the hotel.
    assert story.subject in entry_hits and story.subject in hotel_hits
    assert story.stolen_batch in entry_hits and story.stolen_batch in hotel_hits
    assert [h.hit.subject_id for h in companion.hits] == [story.stolen_batch]

    assert _recipients(entry_hits[story.subject]) == {
        "FR-INT": (HitRecipientRole.OWNER, False),
        "GR-BORDER": (HitRecipientRole.REPORTER, True),
    }
    assert _recipients(hotel_hits[story.subject]) == {
        "FR-INT": (HitRecipientRole.OWNER, False),
        "BE-POL": (HitRecipientRole.REPORTER, True),
        "BE-INT": (HitRecipientRole.DESTINATION, False),  # "he is heading to Belgium"
    }
    # The companion travelled in the same group: flagged on both sides.
    assert entry_hits[story.subject].co_travellers == [story.companion_entry]
    with database.unit_of_work() as uow:
        companion_hit = uow.hits.get(companion.hits[0].hit.id)
    assert companion_hit is not None and companion_hit.co_travellers == [story.greek_entry]

    # Every recipient has its outbox message, written with the hit.
    queued = {(agency, ref) for agency, ref, _ in outbox_rows(database)}
    for hit in [*entry_hits.values(), *hotel_hits.values()]:
        assert {(r.agency, hit.id) for r in hit.recipients} <= queued

    fr = actor(database, "fr.analyst", "FR-INT")
    be = actor(database, "be.analyst", "BE-INT")
    with database.unit_of_work() as uow:
        french = desk.hits.inbox(uow, fr)
        belgian = desk.hits.inbox(uow, be)
        greek_inbox = desk.hits.inbox(uow, greek)
    french_ids = {v.id for v in french}
    assert {entry_hits[story.subject].id, hotel_hits[story.subject].id} <= french_ids
    seen_by_be = {v.id: v for v in belgian}
    view = seen_by_be[hotel_hits[story.subject].id]
    assert not view.blind and view.subject is not None
    assert view.subject.primary_name == "Adnane Kessaci"

    mine = {v.id: v for v in greek_inbox}
    blind = mine[entry_hits[story.subject].id]
    assert blind.blind and blind.subject is None and blind.score is None
    assert blind.contact_agency == "FR-INT" and blind.action.value == "discreet_check"
    everything = json.dumps([dataclasses.asdict(v) for v in greek_inbox], default=str)
    for secret in ("Kessaci", "Adnane", "Qassasi", "19FR52817", story.subject, "Syria"):
        assert secret not in everything
