"""The demo story, step by step, on every database.

Step 1 (foundation): the demo loads, and its persons, links, stolen documents and
encounters are in the database. Later steps (screening, routing, requests, review,
resolution, capacity) add their test below: each one shows its part of the story caught.
"""

from __future__ import annotations

from typing import Any

import pytest

from watchlink.model import DocumentStatus, LinkKind, SubjectStatus
from watchlink.services.world import load_demo
from watchlink.world.demo import DemoWorld, demo_world

SYNTHETIC = 300  # subjects around the story: enough to be a list, few enough to stay fast


@pytest.fixture(scope="module")
def demo() -> DemoWorld:
    return demo_world(SYNTHETIC)


@pytest.fixture
def loaded(database: Any, demo: DemoWorld) -> Any:
    """The database with the demo world loaded once."""
    with database.unit_of_work() as uow:
        assert load_demo(uow, demo) is not None
    return database


def test_step1_the_demo_world_is_in_the_database(loaded: Any, demo: DemoWorld) -> None:
    story = demo.story
    with loaded.unit_of_work() as uow:
        codes = {a.code for a in uow.agencies.list()}
        assert {"FR-INT", "BE-POL", "GR-BORDER", "TR-INT", "US-SEC"} <= codes
        returnee = uow.subjects.get(story.subject)
        brother = uow.subjects.get(story.brother)
        assert returnee is not None and returnee.primary_name == "Adnane Kessaci"
        assert brother is not None and brother.status is SubjectStatus.DORMANT
        for us_id in (story.us_subject, story.us_brother):
            listed = uow.subjects.get(us_id)
            assert listed is not None and listed.agency == "US-SEC"
        batch = uow.subjects.get(story.stolen_batch)
        assert batch is not None
        statuses = {d.number: d.status for d in batch.documents}
        assert len(statuses) == 500
        assert statuses[story.stolen_passport] is DocumentStatus.STOLEN
        links = uow.links.of_subject(story.subject)
        assert any(
            link.kind is LinkKind.FAMILY
            and story.brother in (link.source_subject, link.target_subject)
            for link in links
        )
        entry = uow.encounters.get(story.greek_entry)
        hotel = uow.encounters.get(story.hotel)
        assert entry is not None and entry.document is not None
        assert entry.document.number == story.stolen_passport
        assert hotel is not None and hotel.country == "BE"


def test_step1_the_demo_loads_once(loaded: Any, demo: DemoWorld) -> None:
    with loaded.unit_of_work() as uow:
        assert load_demo(uow, demo, if_empty=True) is None


def test_the_demo_desks_report_their_encounters_and_the_inboxes_fill(
    database: Any, demo: DemoWorld, tmp_path: Any
) -> None:
    """`watchlink demo` has each desk report its encounters: hits wait in the inboxes."""
    import dataclasses

    from watchlink.services.demo_reports import report_demo_encounters
    from watchlink.settings import Settings

    with database.unit_of_work() as uow:
        assert load_demo(uow, dataclasses.replace(demo, encounters=())) is not None
    hits = report_demo_encounters(database, demo, Settings(home=tmp_path))
    story = demo.story
    with database.unit_of_work() as uow:
        french = {h.subject_id for h in uow.hits.for_agency("FR-INT")}
        greek = uow.hits.for_agency("GR-BORDER")
        assert sum(1 for _ in uow.encounters.iter_all()) == len(demo.encounters)
    assert hits >= 3
    assert story.subject in french
    assert greek, "the Greek border officer has a hit"
    for hit in greek:
        [mine] = [r for r in hit.recipients if r.agency == "GR-BORDER"]
        assert mine.blind, "the Greek desk may not read the French file: a blind hit"
