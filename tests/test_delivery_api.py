"""``/webhooks`` for agency administrators, and who may open ``/hits/stream``, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from access_support import FAST
from watchlink.api.app import create_app
from watchlink.services.access_wiring import AccessContext, store_directory
from watchlink.services.auth import AuthService
from watchlink.settings import Settings
from watchlink.store import Database
from watchlink.store import tables as t
from watchlink.store.tables_access import audit_events

PASSWORD = "a long password"
USERS = {
    "fr.admin": ("FR-INT", "admin"),
    "fr.analyst": ("FR-INT", "analyst"),
    "fr.auditor": ("FR-INT", "auditor"),
    "be.admin": ("BE-POL", "admin"),
}


@pytest.fixture
def client(database: Database, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, database_url=database.url, delivery_in_server=False)
    built = AccessContext.from_settings(settings)
    context = AccessContext(
        built.engine, built.trail, AuthService(built.trail, store_directory(), FAST)
    )
    with context.engine.begin() as conn:
        for code, country in (("FR-INT", "FR"), ("BE-POL", "BE")):
            conn.execute(
                insert(t.agencies).values(code=code, name=code, country=country, kind="police")
            )
        for username, (agency, role) in USERS.items():
            context.auth.add_user(conn, None, username, agency, [role], PASSWORD)
    app = create_app(settings)
    app.state.access = context  # cheap password hashing for the suite
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client
    context.engine.dispose()


def login(client: TestClient, username: str) -> None:
    client.cookies.clear()
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200


def test_an_agency_admin_registers_lists_and_removes_webhooks(
    client: TestClient, database: Database
) -> None:
    login(client, "fr.admin")
    created = client.post(
        "/api/v1/webhooks", json={"url": "https://desk.fr-int.example/hooks", "kinds": ["hit"]}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["agency"] == "FR-INT" and body["secret"].startswith("whsec_")
    listed = client.get("/api/v1/webhooks").json()
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    assert client.get("/api/v1/webhooks/deliveries?state=dead").json() == []

    login(client, "be.admin")  # another agency's admin neither sees nor removes it
    assert client.get("/api/v1/webhooks").json() == []
    assert client.delete(f"/api/v1/webhooks/{body['id']}").status_code == 404

    login(client, "fr.admin")
    assert client.delete(f"/api/v1/webhooks/{body['id']}").status_code == 204
    assert client.get("/api/v1/webhooks").json() == []
    assert client.delete(f"/api/v1/webhooks/{body['id']}").status_code == 404
    assert client.delete("/api/v1/webhooks/%00").status_code == 404
    with database.engine.connect() as conn:
        logged = conn.execute(select(audit_events.c.query).where(audit_events.c.actor != ""))
        queries = [q for q in logged.scalars() if q and q.startswith("webhook")]
    assert queries == [
        "webhook add", "webhook list FR-INT", "webhook deliveries FR-INT state=dead",
        "webhook list BE-POL", "webhook remove", "webhook list FR-INT",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://desk.example/x"}, "url"),
        ({"url": "https://user:pw@desk.example/x"}, "url"),
        ({"url": "https://desk.example/x", "kinds": ["everything"]}, "kinds"),
        ({"url": "https://desk.example/x", "kinds": []}, "kinds"),
        ({"url": "https://desk.example/x", "agency": "BE-POL"}, "agency"),
        ({"url": "https://desk.example/\u0000"}, "url"),
        ({"url": "https://desk.example:99999/"}, "url"),
        ({"url": "https://desk.example/", "description": "a\u0000b"}, "description"),
    ],
)
def test_bad_registrations_say_which_field(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    login(client, "fr.admin")
    answer = client.post("/api/v1/webhooks", json=body)
    assert answer.status_code == 422
    fields = [p["field"] or "" for p in answer.json()["error"]["problems"]]
    assert any(f.split(".")[0] == field for f in fields), fields


def test_only_admins_manage_webhooks(client: TestClient) -> None:
    login(client, "fr.analyst")
    assert client.post("/api/v1/webhooks", json={"url": "https://x.example/"}).status_code == 403
    assert client.get("/api/v1/webhooks").status_code == 403
    client.cookies.clear()
    assert client.get("/api/v1/webhooks").status_code == 401


def test_a_stream_is_refused_for_another_agency_or_without_screening(client: TestClient) -> None:
    assert client.get("/api/v1/hits/stream").status_code == 401
    login(client, "fr.analyst")
    refused = client.get("/api/v1/hits/stream", params={"agency": "BE-POL"})
    assert refused.status_code == 403
    assert "own agency" in refused.json()["error"]["message"]
    login(client, "fr.auditor")
    assert client.get("/api/v1/hits/stream").status_code == 403
    assert client.get("/api/v1/hits/stream", params={"agency": "FR-INT"}).status_code == 403


def test_the_schema_lists_the_webhook_routes_and_leaves_the_endless_stream_out(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/webhooks", "/api/v1/webhooks/{webhook_id}"} <= set(paths)
    assert "/api/v1/webhooks/deliveries/{delivery_id}/retry" in paths
    assert "/api/v1/hits/stream" not in paths
