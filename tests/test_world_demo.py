"""The demo world holds every element of its story (pure: no database)."""

from __future__ import annotations

from collections import Counter

import pytest

from watchlink.model import (
    DecisionKind,
    DocumentStatus,
    LinkKind,
    RequestState,
    SubjectStatus,
)
from watchlink.world.demo import DEMO_USERS, DemoWorld, demo_world
from watchlink.world.people import AS_OF


@pytest.fixture(scope="module")
def demo() -> DemoWorld:
    return demo_world()


def test_agencies_of_seven_countries_and_a_short_staffed_french_service(demo: DemoWorld) -> None:
    codes = {a.code for a in demo.agencies}
    assert {"FR-INT", "BE-POL", "GR-BORDER", "TR-INT", "US-SEC"} <= codes
    assert {a.country for a in demo.agencies} >= {"FR", "BE", "DE", "NL", "GR", "TR", "US"}
    french = next(a for a in demo.agencies if a.code == "FR-INT")
    owners = Counter(s.agency for s in demo.synthetic.subjects())
    assert owners["FR-INT"] >= 2000  # thousands of subjects …
    assert french.officers is not None and french.officers * 20 < owners["FR-INT"]  # … few officers


def test_the_returnee_crosses_greece_on_a_stolen_passport_and_goes_to_belgium(
    demo: DemoWorld,
) -> None:
    story = demo.story
    subjects = {s.id: s for s in demo.subjects}
    returnee = subjects[story.subject]
    assert returnee.agency == "FR-INT" and returnee.status is SubjectStatus.ACTIVE
    batch = subjects[story.stolen_batch]
    stolen = {d.number: d.status for d in batch.documents}
    assert stolen[story.stolen_passport] is DocumentStatus.STOLEN
    assert stolen[story.companion_passport] is DocumentStatus.STOLEN
    encounters = {e.id: e for e in demo.encounters}
    entry, hotel = encounters[story.greek_entry], encounters[story.hotel]
    assert (entry.agency, entry.country, entry.origin_country) == ("GR-BORDER", "GR", "TR")
    assert entry.document is not None and entry.document.number == story.stolen_passport
    assert (hotel.agency, hotel.country) == ("BE-POL", "BE")
    assert hotel.occurred_at > entry.occurred_at
    # The name is spelt the English way and the birth date has day and month swapped.
    listed = returnee.birth_dates[0].date
    shown = entry.person.birth_date
    assert shown is not None and (shown.month, shown.day) == (listed.day, listed.month)
    assert entry.person.names[0] not in set(returnee.all_names())
    assert encounters[story.companion_entry].group_ref == entry.group_ref


def test_turkish_request_overdue_brother_stopped_and_us_list_names_both(demo: DemoWorld) -> None:
    story = demo.story
    (request,) = demo.requests
    assert (request.from_agency, request.to_agency) == ("TR-INT", "FR-INT")
    assert request.state is RequestState.SENT and request.is_overdue(AS_OF)
    assert request.subject_id == story.subject
    brother = next(s for s in demo.subjects if s.id == story.brother)
    assert brother.status is SubjectStatus.DORMANT
    assert {d.subject_id for d in demo.decisions} == {story.subject, story.brother}
    stop = next(d for d in demo.decisions if d.kind is DecisionKind.STOP)
    assert stop.subject_id == story.brother and stop.reason
    assert stop.supersedes == story.brother_start
    assert (AS_OF - stop.decided_at).days >= 700
    us = {s.id: s for s in demo.subjects if s.agency == "US-SEC"}
    assert set(us) == {story.us_subject, story.us_brother}
    family = {(link.source_subject, link.target_subject) for link in demo.links}
    assert (story.subject, story.brother) in family
    assert all(link.kind is LinkKind.FAMILY for link in demo.links)


def test_demo_users_cover_the_story_agencies() -> None:
    agencies = {u.agency for u in DEMO_USERS}
    assert {"FR-INT", "GR-BORDER", "BE-POL", "TR-INT", "US-SEC"} <= agencies
    assert len({u.username for u in DEMO_USERS}) == len(DEMO_USERS)
