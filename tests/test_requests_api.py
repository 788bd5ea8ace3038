"""``/api/v1/requests`` end to end on both databases: real app, real logins, real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from access_support import FAST, directory
from factories import make_agency, make_subject
from requests_support import COUNTRIES, START
from watchlink.api.app import create_app
from watchlink.model import Distribution, HandlingCode, Sharing
from watchlink.services.access_wiring import AccessContext
from watchlink.services.auth import AuthService
from watchlink.services.clock import ManualClock
from watchlink.settings import Settings
from watchlink.store import Database

URL = "/api/v1/requests"
PASSWORD = "a long test password"
USERS = {
    "tr": ("TR-INT", "liaison_officer"),
    "fr": ("FR-INT", "analyst"),
    "fr.admin": ("FR-INT", "admin"),
    "be": ("BE-INT", "analyst"),
}
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def app(database: Database, tmp_path: Path) -> FastAPI:
    settings = Settings(home=tmp_path, database_url=database.url, scheduler_enabled=False)
    context = AccessContext.from_settings(settings, engine=database.engine)
    cheap = AuthService(context.trail, directory, FAST)  # cheap password hashes: fast logins
    with database.unit_of_work() as uow:
        for code, country in COUNTRIES.items():
            uow.agencies.upsert(make_agency(code=code, country=country))
        own = Sharing(Distribution.OWN_AGENCY, None, HandlingCode.H1)
        uow.subjects.upsert(make_subject(id="s-own", sharing=own))
        for user, (agency, role) in USERS.items():
            cheap.add_user(uow.connection, None, user, agency, [role], PASSWORD)
    application = create_app(settings)
    application.state.clock = ManualClock(START)
    return application


@pytest.fixture
def clients(app: FastAPI) -> Iterator[dict[str, TestClient]]:
    opened = {user: TestClient(app, base_url="https://testserver") for user in USERS}
    for user, client in opened.items():
        client.__enter__()
        login = client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
        assert login.status_code == 200, login.text
    yield opened
    for client in reversed(opened.values()):  # last in, first out: each restores what it found
        client.__exit__(None, None, None)


def _ask(tr: TestClient, **extra: object) -> dict[str, object]:
    body = {"to": "FR-INT", "title": "Known to you?", "body": "Please advise.", "priority": "high"}
    sent = tr.post(URL, json=body | extra)
    assert sent.status_code == 201, sent.text
    return dict(sent.json())


def test_a_request_from_question_to_close(clients: dict[str, TestClient]) -> None:
    tr, fr = clients["tr"], clients["fr"]
    request = _ask(tr)
    deadline = request["deadline"]
    assert request["state"] == "sent" and isinstance(deadline, str)
    assert deadline.startswith("2026-03-05T08:00")
    rid = request["id"]
    assert [r["id"] for r in fr.get(URL).json()] == [rid]
    assert [r["id"] for r in tr.get(URL, params={"box": "sent"}).json()] == [rid]
    assert fr.post(f"{URL}/{rid}/acknowledge").json()["state"] == "acknowledged"
    note = {"body": "internal only", "handling": "H3"}
    assert fr.post(f"{URL}/{rid}/messages", json=note).status_code == 201
    answered = fr.post(f"{URL}/{rid}/answer", json={"body": "Known; under watch."})
    assert answered.json()["state"] == "answered"
    seen = tr.get(f"{URL}/{rid}").json()
    assert [m["body"] for m in seen["messages"]] == ["Please advise.", "Known; under watch."]
    assert tr.post(f"{URL}/{rid}/close").json()["state"] == "closed"
    again = fr.post(f"{URL}/{rid}/messages", json={"body": "late"})
    assert again.status_code == 409


def test_an_agency_not_party_gets_404_for_every_act(clients: dict[str, TestClient]) -> None:
    rid = _ask(clients["tr"])["id"]
    be = clients["be"]
    assert be.get(f"{URL}/{rid}").status_code == 404
    assert be.post(f"{URL}/{rid}/acknowledge").status_code == 404
    assert be.post(f"{URL}/{rid}/answer", json={"body": "x"}).status_code == 404
    assert be.post(f"{URL}/{rid}/escalate").status_code == 404
    files = {"file": ("a.pdf", PDF, "application/pdf")}
    assert be.post(f"{URL}/{rid}/attachments", files=files).status_code == 404
    assert be.get(URL).json() == []
    assert clients["tr"].post(f"{URL}/{rid}/escalate").status_code == 403
    assert clients["fr"].post(f"{URL}/{rid}/escalate").json()["role"] == "desk"


def test_sharing_withholds_a_subject_the_receiver_may_not_read(
    clients: dict[str, TestClient],
) -> None:
    fr, tr = clients["fr"], clients["tr"]
    sent = fr.post(
        URL, json={"to": "TR-INT", "title": "Seen him?", "body": "?", "subject_id": "s-own"}
    )
    assert sent.status_code == 201 and sent.json()["subject_id"] == "s-own"
    seen = tr.get(f"{URL}/{sent.json()['id']}").json()
    assert seen["subject_withheld"] is True and seen["subject_id"] is None
    refused = tr.post(URL, json={"to": "FR-INT", "title": "t", "body": "b", "subject_id": "s-own"})
    assert refused.status_code == 404


def test_attachments_up_and_down(clients: dict[str, TestClient]) -> None:
    tr, fr = clients["tr"], clients["fr"]
    rid = _ask(tr)["id"]
    files = {"file": ("record.pdf", PDF, "application/pdf")}
    up = tr.post(f"{URL}/{rid}/attachments", files=files, data={"handling": "H2"})
    assert up.status_code == 201, up.text
    down = fr.get(f"{URL}/attachments/{up.json()['id']}")
    assert down.status_code == 200 and down.content == PDF
    assert down.headers["content-type"] == "application/pdf"
    assert "attachment" in down.headers["content-disposition"]
    lying = {"file": ("x.pdf", b"MZ\x90\x00", "application/pdf")}
    refused = tr.post(f"{URL}/{rid}/attachments", files=lying)
    assert refused.status_code == 422
    assert clients["be"].get(f"{URL}/attachments/{up.json()['id']}").status_code == 404


def test_the_chain_is_read_by_the_agency_and_set_by_its_admin(
    clients: dict[str, TestClient],
) -> None:
    default = clients["fr"].get(f"{URL}/escalation-chain").json()
    assert [s["role"] for s in default] == ["desk", "supervisor", "national_contact_point"]
    chain = {"steps": [{"level": 1, "role": "desk", "recipient": "FR-INT", "after_hours": 0}]}
    assert clients["fr"].put(f"{URL}/escalation-chain", json=chain).status_code == 403
    saved = clients["fr.admin"].put(f"{URL}/escalation-chain", json=chain)
    assert saved.status_code == 200 and len(saved.json()) == 1
    assert len(clients["fr"].get(f"{URL}/escalation-chain").json()) == 1
    bad = {"steps": [{"level": 1, "role": "desk", "recipient": "XX-NONE", "after_hours": 0}]}
    assert clients["fr.admin"].put(f"{URL}/escalation-chain", json=bad).status_code == 422


def test_overdue_and_responsiveness(app: FastAPI, clients: dict[str, TestClient]) -> None:
    tr, fr = clients["tr"], clients["fr"]
    answered, silent = _ask(tr)["id"], _ask(tr)["id"]
    app.state.clock.advance(hours=5)
    fr.post(f"{URL}/{answered}/answer", json={"body": "No record."})
    app.state.clock.advance(days=4)
    overdue = fr.get(URL, params={"overdue": "true"}).json()
    assert [r["id"] for r in overdue] == [silent]
    figures = clients["be"].get(f"{URL}/responsiveness").json()
    assert figures == [
        {
            "agency": "FR-INT", "partner": None, "received": 2, "answered": 1,
            "answered_on_time": 1, "open_overdue": 1, "median_hours": 5.0, "p90_hours": 5.0,
        }
    ]  # fmt: skip
    pairs = tr.get(f"{URL}/responsiveness", params={"by": "pair"}).json()
    assert [(p["agency"], p["partner"]) for p in pairs] == [("FR-INT", "TR-INT")]
