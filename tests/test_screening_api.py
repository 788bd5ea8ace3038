"""``/encounters`` over HTTP: screening follows subject changes at once, batches have limits,
bad input is a 4xx in the one error shape, never a 500.

Agencies (from ``access_support``): FR-INT and FR-POL in France, BE-SUR in Belgium,
DE-BKA in Germany; FR-INT and BE-SUR share partner group G5.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from access_support import access_engine, trail
from screening_support import api_client, login
from watchlink.services.audit import AuditTrail
from watchlink.store.tables_casework import encounters, hits
from watchlink.store.tables_ops import outbox

__all__ = ["access_engine", "trail"]

LISTED = {
    "id": "fr-int-0001",
    "names": [{"full": "Octave Brumairel"}],
    "documents": [{"number": "QX7730021", "country": "FR"}],
    "distribution": "own_country",
}


def encounter(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "border_entry",
        "occurred_at": "2026-11-29T10:00:00Z",
        "country": "FR",
        "person": {"names": ["Octave Brumairel"], "birth_date": "1979"},
    }
    body.update(overrides)
    return body


USERS = (
    ("fr", "FR-INT", "analyst"),
    ("pol", "FR-POL", "border_officer"),
    ("be", "BE-SUR", "analyst"),
    ("odile", "FR-INT", "auditor"),
)


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    with api_client(tmp_path, access_engine, trail, USERS) as opened:
        yield opened


def count(client: TestClient, table: Any) -> int:
    engine = client.app.state.access.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_subject_created_over_the_api_is_caught_by_the_next_encounter(
    client: TestClient,
) -> None:
    login(client, "pol")
    before = client.post("/api/v1/encounters", json=encounter())
    assert before.status_code == 201, before.text
    assert before.json()["hits"] == []
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    login(client, "pol")
    after = client.post("/api/v1/encounters", json=encounter())
    assert after.status_code == 201, after.text
    [hit] = after.json()["hits"]
    # A border officer may not read subjects: the hit reaches the desk blind.
    assert hit["blind"] is True and hit["contact_agency"] == "FR-INT"
    assert "Brumairel" not in after.text and "fr-int-0001" not in after.text
    login(client, "fr")
    [mine] = client.get("/api/v1/hits").json()
    assert mine["subject"]["id"] == "fr-int-0001" and mine["score"] >= 0.7


def test_an_update_reaches_screening_at_once(client: TestClient) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    renamed = {"names": [{"full": "Octave Brumairel"}, {"full": "Anselme Quintavor"}]}
    response = client.patch("/api/v1/subjects/fr-int-0001", json=renamed)
    assert response.status_code == 200, response.text
    alias = encounter(person={"names": ["Anselme Quintavor"]})
    [hit] = client.post("/api/v1/encounters", json=alias).json()["hits"]
    assert hit["subject"]["id"] == "fr-int-0001"
    closed = client.patch("/api/v1/subjects/fr-int-0001", json={"status": "closed"})
    assert closed.status_code == 200  # a closed file stays on the list and keeps being screened
    [again] = client.post("/api/v1/encounters", json=alias).json()["hits"]
    assert again["subject"]["id"] == "fr-int-0001"


def test_only_the_owner_updates_and_others_get_the_same_404(client: TestClient) -> None:
    login(client, "fr")
    shared = dict(LISTED, distribution="partner_group", partner_group="G5")
    assert client.post("/api/v1/subjects", json=shared).status_code == 201
    login(client, "be")
    foreign = client.patch("/api/v1/subjects/fr-int-0001", json={"notes": "mine now"})
    missing = client.patch("/api/v1/subjects/fr-int-9999", json={"notes": "mine now"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_a_batch_answers_each_item(client: TestClient) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    items = [
        encounter(id="fr-int-e1"),
        encounter(id="fr-int-e2", person={"names": ["Nobody Atall"]}),
        encounter(id="fr-int-e1"),  # the same id again: refused on its own
    ]
    response = client.post("/api/v1/encounters/batch", json={"encounters": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["screened"], body["refused"], body["hits"]) == (2, 1, 1)
    assert [i["status"] for i in body["items"]] == ["screened", "screened", "refused"]
    assert "id in use" in body["items"][2]["reason"]
    assert count(client, encounters) == 2
    again = client.post("/api/v1/encounters", json=encounter(id="fr-int-e1"))
    assert again.status_code == 409


def test_more_than_ten_thousand_is_a_413_and_nothing_is_stored(client: TestClient) -> None:
    login(client, "fr")
    items = [encounter() for _ in range(10_001)]
    response = client.post("/api/v1/encounters/batch", json={"encounters": items})
    assert response.status_code == 413
    assert set(response.json()) == {"error"}
    assert count(client, encounters) == 0


def test_a_body_announced_too_large_is_a_413_before_it_is_read(client: TestClient) -> None:
    login(client, "fr")
    response = client.post(
        "/api/v1/encounters/batch",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(65 * 1024 * 1024)},
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"encounters": [encounter(kind="teleport")]}, "encounters.0.kind"),
        ({"encounters": [encounter(), encounter(country="France")]}, "encounters.1.country"),
        ({"encounters": [encounter(person={"birth_date": "1991-13-40"})]}, None),
        ({"encounters": [encounter(agency="BE-SUR")]}, "encounters.0.agency"),
        ({"encounters": "all of them"}, "encounters"),
        ({"encounters": [encounter(id="be-sur-0001")]}, "encounters.0.id"),
        ({}, "encounters"),
    ],
)
def test_malformed_batches_are_422_naming_the_item(
    client: TestClient, payload: dict[str, Any], field: str | None
) -> None:
    login(client, "fr")
    response = client.post("/api/v1/encounters/batch", json=payload)
    assert response.status_code == 422, response.text
    problems = response.json()["error"]["problems"]
    if field is not None:
        assert any(p["field"] == field for p in problems), problems
    assert count(client, encounters) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[]",
        b"null",
        b'{"kind": "border_entry"}',
        b'{"kind": "border_entry", "occurred_at": "yesterday", "country": "FR", "person": {}}',
        b'{"kind":"border_entry","occurred_at":"2026-01-01","country":"FR","person":{"names":["\\u0000"]}}',
        b'{"kind":"border_entry","occurred_at":"2026-01-01","country":"FR","person":{},"document":{"number":"A\\u0000"}}',
    ],
)
def test_junk_is_a_422_never_a_500(client: TestClient, raw: bytes) -> None:
    login(client, "fr")
    response = client.post(
        "/api/v1/encounters", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text


def test_an_encounter_without_a_name_is_stored_and_screened_by_its_document(
    client: TestClient,
) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    bare = encounter(person={}, document={"number": "QX 773 0021", "country": "FR"})
    response = client.post("/api/v1/encounters", json=bare)
    assert response.status_code == 201, response.text
    assert [h["subject"]["id"] for h in response.json()["hits"]] == ["fr-int-0001"]


def test_who_may_not_screen_is_refused(client: TestClient) -> None:
    login(client, "odile")  # an auditor
    assert client.post("/api/v1/encounters", json=encounter()).status_code == 403
    assert client.get("/api/v1/hits").status_code == 403
    client.cookies.clear()
    assert client.post("/api/v1/encounters", json=encounter()).status_code == 401


def test_a_token_not_honoured_is_refused_before_anything_is_stored(client: TestClient) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    client.cookies.clear()
    for header in ("Bearer wlk_0000_not-a-secret", "Bearer ", "Basic ZnI6ZnI="):
        answer = client.post(
            "/api/v1/encounters", json=encounter(), headers={"Authorization": header}
        )
        assert answer.status_code == 401, (header, answer.text)
        assert answer.json()["error"]["code"] and "hits" not in answer.json()
    client.cookies.set("watchlink_session", "a-session-never-opened")
    assert client.post("/api/v1/encounters", json=encounter()).status_code == 401
    assert count(client, encounters) == 0 and count(client, hits) == 0


def test_each_hit_queues_one_message_per_recipient(client: TestClient) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    login(client, "pol")
    client.post("/api/v1/encounters", json=encounter())
    assert count(client, hits) == 1
    engine = client.app.state.access.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.recipient, outbox.c.payload)).all()
    assert sorted((r, p["role"], p["blind"]) for r, p in rows) == [
        ("FR-INT", "owner", False),
        ("FR-POL", "reporter", True),
    ]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"agency": "BE-SUR"}, "agency"),
        ({"id": "fr-int-0002"}, "id"),
        ({"names": []}, "names"),
        ({"distribution": "partner_group", "partner_group": "G-NOT-MINE"}, None),
        ({"status": "asleep"}, "status"),
    ],
)
def test_an_update_that_cannot_be_made_is_a_422_and_changes_nothing(
    client: TestClient, patch: dict[str, Any], field: str | None
) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    response = client.patch("/api/v1/subjects/fr-int-0001", json=patch)
    assert response.status_code == 422, response.text
    if field is not None:
        assert any(p["field"] == field for p in response.json()["error"]["problems"])
    stored = client.get("/api/v1/subjects/fr-int-0001").json()
    assert stored["agency"] == "FR-INT" and stored["status"] == "active"
    assert stored["sharing"]["distribution"] == "own_country"


def test_an_update_keeps_what_it_does_not_name(client: TestClient) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    response = client.patch("/api/v1/subjects/fr-int-0001", json={"handling": "H2"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sharing"] == {
        "distribution": "own_country",
        "partner_group": None,
        "handling": "H2",
    }
    assert [d["number"] for d in body["documents"]] == ["QX7730021"]
    assert [n["full"] for n in body["names"]] == ["Octave Brumairel"]


def test_a_streamed_body_is_cut_at_the_limit_with_a_413(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchlink.api.encounters as encounters_api

    monkeypatch.setattr(encounters_api, "MAX_BODY_BYTES", 4_096)
    login(client, "fr")
    items = [encounter() for _ in range(50)]  # about 9 kB of JSON, sent without a length

    def chunks() -> Iterator[bytes]:
        text = json.dumps({"encounters": items}).encode()
        for start in range(0, len(text), 1_000):
            yield text[start : start + 1_000]

    response = client.post(
        "/api/v1/encounters/batch", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("the body is over")
    assert count(client, encounters) == 0
    small = client.post("/api/v1/encounters/batch", json={"encounters": items[:2]})
    assert small.status_code == 200, small.text


def test_a_hit_on_a_name_more_listed_persons_bear_asks_for_the_birth_date(
    client: TestClient,
) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    undated = encounter(person={"names": ["Octave Brumairel"]})
    login(client, "pol")
    alone = client.post("/api/v1/encounters", json=undated).json()
    assert len(alone["hits"]) == 1 and "advice" not in alone  # the one listed: it hit him
    login(client, "fr")
    for n in range(2, 13):  # a dozen namesakes in all
        namesake = dict(LISTED, id=f"fr-int-{n:04d}", documents=[])
        assert client.post("/api/v1/subjects", json=namesake).status_code == 201
    login(client, "pol")
    crowd = client.post("/api/v1/encounters", json=undated).json()
    assert len(crowd["hits"]) == 10 and "date of birth" in crowd["advice"]
    dated = client.post("/api/v1/encounters", json=encounter()).json()
    assert dated["hits"] and "advice" not in dated  # a birth date was given
    nobody = client.post("/api/v1/encounters", json=encounter(person={"names": ["Nobody Atall"]}))
    assert nobody.json() == {"encounter_id": nobody.json()["encounter_id"], "hits": []}
    login(client, "fr")
    items = [dict(undated, id="fr-int-e1"), encounter(id="fr-int-e2")]
    batch = client.post("/api/v1/encounters/batch", json={"encounters": items}).json()
    assert ["advice" in item for item in batch["items"]] == [True, False]
