"""A canary probed over HTTP by an agency that may not see it, through every endpoint.

Its name, id and document number never appear in any response body or header; a
foreign id gets the very same 404 as a missing one; payloads that try to set the
owner, the creator or someone else's partner group are refused; leaving a partner
group takes effect on the next request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from access_support import access_engine, leave, trail
from screening_support import api_client, login
from watchlink.services.audit import AuditTrail

__all__ = ["access_engine", "trail"]

CANARY = {
    "id": "fr-int-canary-7781",
    "names": [{"full": "Zephyrin Canarywood"}],
    "documents": [{"number": "CNRY998877", "country": "FR"}],
    "distribution": "own_country",
}
SECRETS = ("fr-int-canary-7781", "Zephyrin", "Canarywood", "CNRY998877")
GROUP_SUBJECT = {
    "id": "fr-int-g5-0001",
    "names": [{"full": "Albert Groupshared"}],
    "distribution": "partner_group",
    "partner_group": "G5",
}


USERS = (("fr", "FR-INT", "analyst"), ("be", "BE-SUR", "analyst"), ("pol", "FR-POL", "analyst"))


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    with api_client(tmp_path, access_engine, trail, USERS) as opened:
        yield opened


class Answer(Protocol):
    """A response of the test client (httpx2's, or httpx's where it is missing)."""

    @property
    def text(self) -> str: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


def clean(response: Answer) -> bool:
    text = response.text + " ".join(f"{k}:{v}" for k, v in response.headers.items())
    return not any(secret in text for secret in SECRETS)


@pytest.fixture
def seeded(client: TestClient) -> TestClient:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=CANARY).status_code == 201
    assert client.post("/api/v1/subjects", json=GROUP_SUBJECT).status_code == 201
    login(client, "pol")
    assert client.get(f"/api/v1/subjects/{CANARY['id']}").status_code == 200  # own country
    login(client, "be")
    return client


PROBES: list[tuple[str, str, dict[str, object] | None]] = [
    ("GET", "/api/v1/subjects", None),
    ("GET", "/api/v1/subjects?q=Zephyrin", None),
    ("GET", "/api/v1/subjects?q=CNRY998877", None),
    ("GET", "/api/v1/subjects?q=fr-int-canary-7781", None),
    ("GET", "/api/v1/subjects?q=cnry&limit=500", None),
    ("GET", "/api/v1/subjects/count", None),
    ("GET", "/api/v1/subjects/count?q=Canarywood", None),
    ("GET", "/api/v1/subjects/fr-int-canary-7781", None),
    ("GET", "/api/v1/subjects/FR-INT-CANARY-7781", None),
    ("GET", "/api/v1/subjects/fr-int-canary-7781%00", None),
    ("GET", "/api/v1/subjects?limit=0", None),
    ("GET", "/api/v1/subjects?limit=abc", None),
    ("POST", "/api/v1/subjects/export", {"purpose": "probe"}),
    ("POST", "/api/v1/subjects/export", {"purpose": "probe", "q": "Zephyrin"}),
    ("POST", "/api/v1/subjects/export", {"q": "Zephyrin"}),
]


def test_every_endpoint_keeps_the_canary_hidden(seeded: TestClient) -> None:
    leaking = []
    for method, url, body in PROBES:
        response = seeded.request(method, url, json=body)
        if not clean(response):
            leaking.append((method, url, response.status_code, response.text[:200]))
    assert leaking == []


def test_counts_agree_with_lists(seeded: TestClient) -> None:
    assert seeded.get("/api/v1/subjects/count?q=Zephyrin").json() == {"count": 0}
    listed = seeded.get("/api/v1/subjects").json()["items"]
    assert [s["id"] for s in listed] == ["fr-int-g5-0001"]
    assert seeded.get("/api/v1/subjects/count").json() == {"count": 1}


def test_a_foreign_id_is_the_same_404_as_a_missing_one(seeded: TestClient) -> None:
    foreign = seeded.get("/api/v1/subjects/fr-int-canary-7781")
    missing = seeded.get("/api/v1/subjects/never-was-0000")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert foreign.headers.get("content-length") == missing.headers.get("content-length")


@pytest.mark.parametrize(
    "forged",
    [
        {"agency": "BE-SUR"},
        {"owner_agency": "BE-SUR"},
        {"created_by": "someone-else"},
        {"creator": "someone-else"},
        {"distribution": "partner_group", "partner_group": "G-NOT-MINE"},
    ],
)
def test_mass_assignment_is_rejected(client: TestClient, forged: dict[str, object]) -> None:
    login(client, "fr")
    payload = dict(CANARY, id="fr-int-forged-0001", **forged)
    response = client.post("/api/v1/subjects", json=payload)
    assert response.status_code == 422
    assert client.get("/api/v1/subjects/count").json() == {"count": 0}


def test_unauthenticated_calls_get_401(client: TestClient) -> None:
    client.cookies.clear()
    for url in ("/api/v1/subjects", "/api/v1/subjects/count", "/api/v1/subjects/x"):
        assert client.get(url).status_code == 401


def test_leaving_a_partner_group_applies_on_the_next_request(
    seeded: TestClient, access_engine: Engine
) -> None:
    assert seeded.get("/api/v1/subjects/fr-int-g5-0001").status_code == 200
    with access_engine.begin() as conn:
        leave(conn, "G5", "BE-SUR")
    gone = seeded.get("/api/v1/subjects/fr-int-g5-0001")
    assert gone.status_code == 404
    assert seeded.get("/api/v1/subjects/count").json() == {"count": 0}


def test_the_probes_are_on_the_audit_trail(seeded: TestClient, trail: AuditTrail) -> None:
    for method, url, body in PROBES:
        seeded.request(method, url, json=body)
    with trail_engine(seeded).connect() as conn:
        assert trail.verify(conn) is None


def trail_engine(client: TestClient) -> Engine:
    engine = client.app.state.access.engine  # type: ignore[attr-defined]
    assert isinstance(engine, Engine)
    return engine


def test_creating_under_another_agencys_id_tells_nothing(seeded: TestClient) -> None:
    taken = seeded.post("/api/v1/subjects", json=dict(CANARY, id="fr-int-canary-7781"))
    free = seeded.post("/api/v1/subjects", json=dict(CANARY, id="fr-int-never-used"))
    assert taken.status_code == free.status_code == 422
    assert taken.json() == free.json()
    own = seeded.post("/api/v1/subjects", json=dict(CANARY, id="be-sur-own-0001"))
    assert own.status_code == 201


ENCOUNTER = {
    "kind": "border_entry",
    "occurred_at": "2026-11-02T08:00:00Z",
    "country": "BE",
    "person": {"names": ["Zefirin Kanariwood"]},
    "document": {"number": "CNRY-998877", "country": "FR"},
}

SCREENING_PROBES: list[tuple[str, str, dict[str, object] | None]] = [
    ("GET", "/api/v1/hits", None),
    ("GET", "/api/v1/hits?blind=true", None),
    ("POST", "/match/default", {"queries": {"q": {"schema": "Person", "properties": {
        "name": ["Zefirin Kanariwood"], "passportNumber": ["CNRY-998877"]}}}}),
    ("GET", "/api/v1/subjects/fr-int-canary-7781/decisions", None),
    ("POST", "/api/v1/subjects/fr-int-canary-7781/decisions", {
        "kind": "stop", "reason": "probe", "legal_basis": "none"}),
    ("GET", "/api/v1/subjects/fr-int-canary-7781/consents", None),
    ("PATCH", "/api/v1/subjects/fr-int-canary-7781", {"notes": "probe"}),
    ("POST", "/api/v1/links", {"source_subject": "fr-int-canary-7781",
                               "target_subject": "fr-int-g5-0001", "kind": "associate"}),
    ("POST", "/api/v1/requests", {"to": "FR-INT", "title": "probe", "body": "who is it?",
                                  "subject_id": "fr-int-canary-7781"}),
    ("GET", "/api/v1/requests", None),
    ("GET", "/api/v1/reviews", None),
]  # fmt: skip


def test_screening_and_casework_keep_the_canary_hidden(seeded: TestClient) -> None:
    """Screening hits the canary by its document, but the foreign desk gets a blind hit:
    no name, id or number of the canary in any answer of the casework endpoints."""
    screened = seeded.post("/api/v1/encounters", json=ENCOUNTER)
    assert screened.status_code in (200, 201), screened.text
    assert clean(screened), screened.text
    hits = screened.json()["hits"]
    assert hits, "the canary's document is on the list: the encounter is a hit"
    leaking = []
    for hit in hits:
        for method, url in (("GET", f"/api/v1/hits/{hit['id']}"),):
            response = seeded.request(method, url)
            if not clean(response):
                leaking.append((method, url, response.status_code, response.text[:200]))
    for method, url, body in SCREENING_PROBES:
        response = seeded.request(method, url, json=body)
        assert response.status_code < 500, (method, url, response.text)
        if not clean(response):
            leaking.append((method, url, response.status_code, response.text[:200]))
    assert leaking == []
