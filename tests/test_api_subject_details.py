"""A subject's details over ``/subjects``: birth dates, nationalities, sex, places, contacts,
the document's status, the legal basis and review date; checked where they arrive, shown as
the policy lets each caller see them, and screened by at once.

Agencies (from ``access_support``): FR-INT and FR-POL in France, BE-SUR in Belgium; FR-INT
and BE-SUR share partner group G5.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from access_support import access_engine, trail
from screening_support import api_client, login
from watchlink.services.audit import AuditTrail

__all__ = ["access_engine", "trail"]

USERS = (
    ("fr", "FR-INT", "analyst"),
    ("pol", "FR-POL", "border_officer"),
    ("be", "BE-SUR", "analyst"),
)
LISTED: dict[str, Any] = {
    "id": "fr-int-0007",
    "names": [{"full": "Karim Haddad"}],
    "birth_dates": ["1981-04-02", "1981"],
    "nationalities": ["fr", "DZ"],
    "gender": "male",
    "birth_places": ["Oran"],
    "phones": ["+33 6 12 34 56 78"],
    "emails": ["k.haddad@example.org"],
    "addresses": ["12 rue des Lilas, 75011 Paris"],
    "documents": [{"number": "XK220931", "country": "FR", "status": "stolen"}],
    "legal_basis": "Article 12 of the fictional surveillance act",
    "review_date": "2027-05-01",
    "distribution": "partner_group",
    "partner_group": "G5",
}


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    with api_client(tmp_path, access_engine, trail, USERS) as opened:
        yield opened


def test_details_are_kept_and_each_caller_sees_what_the_policy_lets_it(
    client: TestClient,
) -> None:
    login(client, "fr")
    created = client.post("/api/v1/subjects", json=LISTED)
    assert created.status_code == 201, created.text
    mine = client.get("/api/v1/subjects/fr-int-0007").json()
    assert mine["birth_dates"] == ["1981-04-02", "1981"]  # as given
    assert mine["nationalities"] == ["FR", "DZ"] and mine["gender"] == "male"
    assert mine["birth_places"] == ["Oran"] and mine["emails"] == ["k.haddad@example.org"]
    assert mine["phones"] == ["+33 6 12 34 56 78"] and len(mine["addresses"]) == 1
    assert mine["documents"][0]["status"] == "stolen"
    assert mine["legal_basis"].startswith("Article 12") and mine["review_date"] == "2027-05-01"
    login(client, "be")  # a partner of the group: the person, not the owner's file
    theirs = client.get("/api/v1/subjects/fr-int-0007").json()
    assert theirs["gender"] == "male" and theirs["birth_places"] == ["Oran"]
    assert theirs["legal_basis"] is None and theirs["review_date"] is None


def test_a_change_replaces_the_details_sent_and_keeps_the_others(client: TestClient) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    patch = {"birth_dates": ["1981-02-04"], "gender": None, "legal_basis": None}
    changed = client.patch("/api/v1/subjects/fr-int-0007", json=patch)
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["birth_dates"] == ["1981-02-04"] and body["gender"] is None
    assert body["legal_basis"] is None and body["review_date"] == "2027-05-01"
    assert body["nationalities"] == ["FR", "DZ"] and body["birth_places"] == ["Oran"]


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"birth_dates": ["1981-13-40"]}, "birth_dates.0"),
        ({"birth_dates": ["soon"]}, "birth_dates.0"),
        ({"nationalities": ["FRA"]}, "nationalities.0"),
        ({"emails": ["not an address"]}, "emails.0"),
        ({"gender": "unknown-value"}, "gender"),
        ({"review_date": "next spring"}, "review_date"),
        ({"birth_places": ["Or\u0000an"]}, "birth_places.0"),
        ({"documents": [{"number": "XK220931", "status": "misplaced"}]}, "documents.0.status"),
    ],
)
def test_a_bad_detail_is_a_422_naming_it_and_nothing_is_stored(
    client: TestClient, details: dict[str, Any], field: str
) -> None:
    login(client, "fr")
    body = {"id": "fr-int-0008", "names": [{"full": "Leila Mansour"}], **details}
    response = client.post("/api/v1/subjects", json=body)
    assert response.status_code == 422, response.text
    fields = [p["field"] for p in response.json()["error"]["problems"]]
    assert field in fields, fields
    assert client.get("/api/v1/subjects/fr-int-0008").status_code == 404


def test_screening_tells_namesakes_apart_by_the_birth_date_and_stops_the_stolen_passport(
    client: TestClient,
) -> None:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=LISTED).status_code == 201
    namesake = {"id": "fr-int-0009", "names": [{"full": "Karim Haddad"}], "birth_dates": ["1990"]}
    assert client.post("/api/v1/subjects", json=namesake).status_code == 201
    crossing = {
        "kind": "border_entry",
        "occurred_at": "2026-11-29T10:00:00Z",
        "country": "FR",
        "person": {"names": ["Kareem Hadad"], "birth_date": "1981-04-02"},
    }
    hits = client.post("/api/v1/encounters", json=crossing).json()["hits"]
    ranked = [h["subject"]["id"] for h in hits]
    assert ranked[0] == "fr-int-0007"  # the namesake born in 1990, if hit at all, comes after
    assert any("same date of birth" in line for line in hits[0]["explanation"])
    login(client, "pol")  # another name altogether, on the passport reported stolen
    stolen = dict(crossing, person={"names": ["Jan Novak"]}, document={"number": "XK220931"})
    [hit] = client.post("/api/v1/encounters", json=stolen).json()["hits"]
    assert hit["blind"] is True and hit["contact_agency"] == "FR-INT"
