"""A blind hit leaks nothing: probed over HTTP by the desks that receive it blind.

FR-INT lists a subject (own agency only) with an alias under H3, a linked brother and
notes. A French border officer (FR-POL) and a Belgian analyst (BE-SUR) meet him: both
get the hit blind. Nothing of the subject (name, alias, id, document, score, links,
how many received it) may appear in any response, whatever they try; a partner reading
the subject sees it without the H3 alias, even in the explanation.
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
from watchlink.model import Link, LinkKind
from watchlink.services.audit import AuditTrail
from watchlink.store import LinkRepository

__all__ = ["access_engine", "trail"]

SUBJECT = {
    "id": "fr-int-hidden-4411",
    "names": [
        {"full": "Octave Brumairel"},
        {"full": "Anselme Quintavor", "kind": "alias", "handling": "H3"},
    ],
    "documents": [{"number": "QX7730021", "country": "FR"}],
    "action_on_hit": "discreet_check",
    "notes": "Seen with the Lomarde network",
}
BROTHER = {"id": "fr-int-hidden-4412", "names": [{"full": "Basile Brumairel"}]}
SECRETS = (
    "Brumairel",
    "Quintavor",
    "fr-int-hidden-4411",
    "fr-int-hidden-4412",
    "QX7730021",
    "Lomarde",
    "FR-POL",  # who else received it: no counts, no list
    "BE-SUR",
)
WITHHELD = {"subject", "score", "explanation", "links", "recipients", "co_travellers"}


USERS = (
    ("fr", "FR-INT", "analyst"),
    ("pol", "FR-POL", "border_officer"),
    ("be", "BE-SUR", "analyst"),
    ("de", "DE-BKA", "analyst"),
)


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    with api_client(tmp_path, access_engine, trail, USERS) as opened:
        yield opened


def meet(client: TestClient, user: str, country: str = "FR") -> dict[str, Any]:
    login(client, user)
    body = {
        "kind": "police_check",
        "occurred_at": "2026-11-29T10:00:00Z",
        "country": country,
        "person": {"names": ["Octave Brumairel"]},
        "document": {"number": "QX7730021", "country": "FR"},
    }
    response = client.post("/api/v1/encounters", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def listed(client: TestClient, access_engine: Engine) -> TestClient:
    login(client, "fr")
    assert client.post("/api/v1/subjects", json=SUBJECT).status_code == 201
    assert client.post("/api/v1/subjects", json=BROTHER).status_code == 201
    with access_engine.begin() as conn:
        LinkRepository(conn).add(
            Link(SUBJECT["id"], BROTHER["id"], LinkKind.FAMILY, "FR-INT")  # type: ignore[arg-type]
        )
    return client


def leaks(text: str, own_agency: str = "") -> list[str]:
    secrets = [s for s in SECRETS if s != own_agency]  # its own encounter ids name it
    return [secret for secret in secrets if secret.lower() in text.lower()]


@pytest.mark.parametrize("user", ["pol", "be"])
def test_a_blind_recipient_learns_nothing_it_may_not_read(listed: TestClient, user: str) -> None:
    client = listed
    country, own = ("FR", "FR-POL") if user == "pol" else ("BE", "BE-SUR")
    answered = meet(client, user, country)
    [hit] = answered["hits"]
    assert hit["blind"] is True
    assert set(hit) & WITHHELD == set()
    assert hit["action"] == "discreet_check" and hit["contact_agency"] == "FR-INT"
    assert hit["reference"] == f"H-{hit['id']}"
    hit_id = hit["id"]
    # The owner confirms: the blind desk's filters must not tell.
    login(client, "fr")
    confirmed = client.post(f"/api/v1/hits/{hit_id}/confirm", json={"reason": "him"})
    assert confirmed.status_code == 200, confirmed.text
    login(client, user)
    probes = [
        client.get("/api/v1/hits"),
        client.get("/api/v1/hits?blind=true"),
        client.get("/api/v1/hits?blind=false"),
        client.get("/api/v1/hits?state=confirmed"),
        client.get("/api/v1/hits?state=new"),
        client.get(f"/api/v1/hits/{hit_id}"),
        client.post(f"/api/v1/hits/{hit_id}/acknowledge", json={"action_taken": "checked"}),
        client.post(f"/api/v1/hits/{hit_id}/confirm", json={"reason": "looks like him"}),
        client.post(f"/api/v1/hits/{hit_id}/reject", json={"reason": "not him"}),
        client.get("/api/v1/subjects/fr-int-hidden-4411"),
        client.get("/api/v1/subjects?q=Brumairel"),
    ]
    for response in probes:
        assert response.status_code < 500
        assert leaks(response.text + str(dict(response.headers)), own) == [], response.text
    inbox, blind_only, unblinded, confirmed_only, new_only, detail = (p.json() for p in probes[:6])
    assert [h["id"] for h in inbox] == [hit_id] == [h["id"] for h in blind_only]
    assert unblinded == [] and confirmed_only == []  # its own state: not the owner's
    assert [h["id"] for h in new_only] == [hit_id]
    assert set(detail) & WITHHELD == set() and detail["state"] == "new"
    assert probes[6].json()["state"] == "acknowledged"
    assert probes[7].status_code == probes[8].status_code == 403


def test_an_agency_that_did_not_receive_a_hit_cannot_tell_it_exists(listed: TestClient) -> None:
    client = listed
    hit_id = meet(client, "pol")["hits"][0]["id"]
    login(client, "de")
    assert client.get("/api/v1/hits").json() == []
    foreign = client.get(f"/api/v1/hits/{hit_id}")
    missing = client.get("/api/v1/hits/0123456789abcdef0123456789abcdef")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    for action, body in (
        ("acknowledge", {}),
        ("confirm", {"reason": "x"}),
        ("reject", {"reason": "x"}),
    ):
        response = client.post(f"/api/v1/hits/{hit_id}/{action}", json=body)
        assert response.status_code == 404


def test_a_partner_reader_sees_the_hit_without_what_the_owner_withholds(
    listed: TestClient,
) -> None:
    client = listed
    shared = {"distribution": "partner_group", "partner_group": "G5"}
    assert client.patch(f"/api/v1/subjects/{SUBJECT['id']}", json=shared).status_code == 200
    login(client, "be")
    alias = {
        "kind": "border_entry",
        "occurred_at": "2026-11-29T10:00:00Z",
        "country": "BE",
        "person": {"names": ["Anselme Quintavor"]},
        "document": {"number": "QX7730021"},
    }
    response = client.post("/api/v1/encounters", json=alias)
    [hit] = response.json()["hits"]
    assert hit["blind"] is False
    assert hit["subject"]["id"] == SUBJECT["id"]
    names = [n["full"] for n in hit["subject"]["names"]]
    assert names == ["Octave Brumairel"]  # the H3 alias stays with the owner
    detail = client.get(f"/api/v1/hits/{hit['id']}").json()
    text = str(detail).lower()
    assert "quintavor" not in text and "lomarde" not in text
    assert "recipients" not in detail
    assert detail.get("links", []) == []  # the brother is not the partner's to see
    login(client, "fr")
    owner = client.get(f"/api/v1/hits/{hit['id']}").json()
    assert any("quintavor" in line.lower() for line in owner["explanation"])
    assert [lk["target_subject"] for lk in owner["links"]] == [BROTHER["id"]]
    assert {r["agency"] for r in owner["recipients"]} == {"FR-INT", "BE-SUR"}
    assert client.patch(f"/api/v1/subjects/{BROTHER['id']}", json=shared).status_code == 200
    login(client, "be")
    detail = client.get(f"/api/v1/hits/{hit['id']}").json()
    assert [lk["target_subject"] for lk in detail["links"]] == [BROTHER["id"]]  # now readable


def test_the_order_of_blind_hits_says_nothing_of_their_scores(listed: TestClient) -> None:
    client = listed
    login(client, "fr")
    for index, name in enumerate(("Octave Brumairelle", "Octave Brumair", "Octavo Brumairel")):
        twin = {"id": f"fr-int-twin-{index}", "names": [{"full": name}]}
        assert client.post("/api/v1/subjects", json=twin).status_code == 201
    login(client, "pol")
    body = {
        "kind": "police_check",
        "occurred_at": "2026-11-29T10:00:00Z",
        "country": "FR",
        "person": {"names": ["Octave Brumairel"]},
    }
    for path, wrap in (("/api/v1/encounters", False), ("/api/v1/encounters/batch", True)):
        response = client.post(path, json={"encounters": [body]} if wrap else body)
        answered = response.json()["items"][0] if wrap else response.json()
        references = [h["reference"] for h in answered["hits"]]
        assert len(references) >= 2 and all(h["blind"] for h in answered["hits"])
        assert references == sorted(references)
