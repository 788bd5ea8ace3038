"""A screening call is one line of the audit trail: its encounters, then each hit it
created as (hit, encounter, subject); an auditor finds the line by any of those ids.
The trail's head is visited once per call, a monitoring trigger's lines included (they
follow the call's line in the same insert); on every database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from access_support import access_engine
from monitoring_support import NOW as REST_NOW
from monitoring_support import actor as desk_of
from monitoring_support import trail_fixture, world_fixture  # noqa: F401 (fixtures)
from screening_support import NOW, Desk, actor, add_agencies, api_client, login
from watchlink.model import (
    AuditAction,
    Distribution,
    Encounter,
    EncounterKind,
    Gender,
    IdentityDocument,
    Name,
    PartnerGroup,
    PresentedPerson,
    Role,
    Sharing,
    Subject,
)
from watchlink.services.audit import AuditQuery, AuditTrail
from watchlink.services.screening import ScreeningService
from watchlink.services.screening_audit import screen_query
from watchlink.store import Database
from watchlink.store.tables_access import audit_events

__all__ = ["access_engine"]

NAMES = ["Octave Brumairel", "Ilse Varnholt"]


def _desk(database: Any, home: Path) -> Desk:
    add_agencies(database, ("FR-INT", "FR"), ("GR-BOR", "GR"))
    with database.unit_of_work() as uow:
        uow.agencies.upsert_group(PartnerGroup("CT", "CT", {"FR-INT", "GR-BOR"}))
    desk = Desk(database, home)
    for number, name in enumerate(NAMES, start=1):
        subject = Subject(
            id=f"fr-int-{number:04d}",
            agency="FR-INT",
            names=[Name(name)],
            sharing=Sharing(Distribution.PARTNER_GROUP, "CT"),
        )
        with database.unit_of_work() as uow:
            uow.subjects.upsert(subject)
        desk.screening.add(subject)
    return desk


def _crossing(id_: str, name: str, group_ref: str | None = None) -> Encounter:
    person = PresentedPerson([name])
    return Encounter(
        id_, EncounterKind.BORDER_ENTRY, "GR-BOR", NOW, "GR", person, group_ref=group_ref
    )


def _lines(database: Any) -> list[Any]:
    with database.engine.connect() as conn:
        return list(conn.execute(select(audit_events).order_by(audit_events.c.seq)).all())


def _appends(statement: str) -> bool:
    """Whether a statement appends lines to the trail (on PostgreSQL, with the head's move)."""
    return statement.startswith(("INSERT INTO access_audit_events", "WITH appended AS"))


@contextmanager
def _statements(database: Any) -> Iterator[list[str]]:
    """The statements run while the block runs, their first three words."""
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()[:3]).replace('"', ""))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


@pytest.mark.parametrize("booking", [None, "BK-1"])
def test_a_call_is_one_line_naming_its_encounters_and_every_hit(
    database: Any, tmp_path: Path, booking: str | None
) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    batch = [
        _crossing("gr-bor-1", NAMES[0], booking),
        _crossing("gr-bor-2", "Nobody Listed Here", booking),
        _crossing("gr-bor-3", NAMES[1], booking),
    ]
    before = len(_lines(database))
    with _statements(database) as seen, database.unit_of_work() as uow:
        results = desk.screening.screen_batch(uow, reporter, batch)
    made = [h.hit for r in results for h in r.hits]
    assert [(h.encounter_id, h.subject_id) for h in made] == [
        ("gr-bor-1", "fr-int-0001"),
        ("gr-bor-3", "fr-int-0002"),
    ]
    [line] = _lines(database)[before:]
    assert (line.actor, line.agency, line.action) == ("desk", "GR-BOR", "screen")
    assert line.query == screen_query(3, 2)
    created = [x for h in made for x in (h.id, h.encounter_id, h.subject_id)]
    assert json.loads(line.records) == ["gr-bor-1", "gr-bor-2", "gr-bor-3", *created]
    assert sum(1 for s in seen if _appends(s)) == 1
    with database.engine.connect() as conn:
        assert desk.trail.verify(conn) is None


def test_an_auditor_finds_the_line_that_created_a_hit(database: Any, tmp_path: Path) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    with database.unit_of_work() as uow:
        desk.screening.screen_batch(uow, reporter, [_crossing("gr-bor-1", "Someone Else")])
        [result] = desk.screening.screen_batch(uow, reporter, [_crossing("gr-bor-2", NAMES[0])])
    [screened] = result.hits
    auditor = actor(database, "odile", "FR-INT", Role.AUDITOR)
    with database.engine.begin() as conn:
        [found] = desk.trail.events(conn, auditor, AuditQuery(subject=screened.hit.id))
    assert found.action is AuditAction.SCREEN and found.actor == "desk"
    assert found.records == ["gr-bor-2", screened.hit.id, "gr-bor-2", "fr-int-0001"]


def test_a_call_without_hits_names_its_encounters(database: Any, tmp_path: Path) -> None:
    desk = _desk(database, tmp_path)
    reporter = actor(database, "desk", "GR-BOR")
    with database.unit_of_work() as uow:
        desk.screening.screen_batch(uow, reporter, [_crossing("gr-bor-9", "Someone Else")])
    line = _lines(database)[-1]
    assert json.loads(line.records) == ["gr-bor-9"]
    assert line.query == "screen 1 encounter(s)"


def test_a_triggers_line_follows_the_calls_line_in_the_same_insert(
    world: Database, trail: AuditTrail
) -> None:
    met = Encounter(
        "enc-be-1", EncounterKind.POLICE_CHECK, "BE-INT", REST_NOW, "BE",
        PresentedPerson(["Walid Kessaci"], "Walid", "Kessaci", None, "FR", Gender.MALE),
        IdentityDocument("99XX00002", country="FR"),
    )  # fmt: skip
    before = len(_lines(world))
    with _statements(world) as seen, world.unit_of_work() as uow:
        (result,) = ScreeningService(trail, 0.7).screen_batch(uow, desk_of("BE-INT"), [met])
    [hit] = [h.hit for h in result.hits if h.subject.id == "fr-int-rest"]  # a dormant subject
    with world.unit_of_work() as uow:
        (task,) = uow.reviews.of_subject("fr-int-rest")
    lines = _lines(world)[before:]
    assert [(x.action, x.actor) for x in lines] == [
        ("screen", "be-int.user"),
        ("write", "watchlink:triggers"),
    ]
    assert hit.id in json.loads(lines[0].records)
    assert json.loads(lines[1].records)[:2] == ["fr-int-rest", task.id]
    assert lines[1].seq == lines[0].seq + 1
    assert sum(1 for s in seen if _appends(s)) == 1
    with world.engine.connect() as conn:
        assert trail.verify(conn) is None


def test_over_http_the_views_are_made_after_the_line_is_committed(
    tmp_path: Path, access_engine: Any, trail: AuditTrail
) -> None:
    users = [("fr", "FR-INT", "analyst")]
    with api_client(tmp_path, access_engine, trail, users) as client:
        login(client, "fr")
        listed = {"id": "fr-int-0001", "names": [{"full": "Octave Brumairel"}]}
        assert client.post("/api/v1/subjects", json=listed).status_code == 201
        body = {
            "kind": "border_entry",
            "occurred_at": "2026-11-29T10:00:00Z",
            "country": "FR",
            "person": {"names": ["Octave Brumairel"]},
        }
        seen: list[str] = []

        def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            seen.append(" ".join(statement.split()).replace('"', ""))

        def committed(conn: Any) -> None:
            seen.append("COMMIT")

        event.listen(access_engine, "before_cursor_execute", keep)
        event.listen(access_engine, "commit", committed)
        try:
            response = client.post("/api/v1/encounters", json=body)
        finally:
            event.remove(access_engine, "before_cursor_execute", keep)
            event.remove(access_engine, "commit", committed)
    assert response.status_code == 201, response.text
    [hit] = response.json()["hits"]
    assert hit["subject"]["id"] == "fr-int-0001"  # the owner's view, links read
    line = next(i for i, s in enumerate(seen) if _appends(s))
    commit = seen.index("COMMIT", line)
    links = next(i for i, s in enumerate(seen) if s.startswith("SELECT") and " FROM links" in s)
    assert line < commit < links
