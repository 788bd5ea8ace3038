"""The app wires the access services itself from its settings: no injection, real store."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from watchlink.api.app import create_app
from watchlink.services.access_wiring import AccessContext
from watchlink.settings import Settings
from watchlink.store import tables as t


def test_login_create_read_and_audit_on_a_fresh_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    context = AccessContext.from_settings(settings)
    with context.engine.begin() as conn:
        conn.execute(
            insert(t.agencies).values(code="FR-INT", name="Intel", country="FR", kind="police")
        )
        context.auth.add_user(conn, None, "ana", "FR-INT", ["analyst"], "a long password")
        context.auth.add_user(conn, None, "odile", "FR-INT", ["auditor"], "a long password")
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        login = {"username": "ana", "password": "a long password"}
        assert client.post("/api/v1/auth/login", json=login).status_code == 200
        body = {"id": "fr-int-1", "names": [{"full": "Imaginary Person"}]}
        assert client.post("/api/v1/subjects", json=body).status_code == 201
        assert client.get("/api/v1/subjects/fr-int-1").json()["agency"] == "FR-INT"
        assert client.get("/api/v1/subjects/count?q=imaginary").json() == {"count": 1}
        client.cookies.clear()
        login = {"username": "odile", "password": "a long password"}
        assert client.post("/api/v1/auth/login", json=login).status_code == 200
        actions = [e["action"] for e in client.get("/api/v1/audit/events").json()]
    assert actions == ["write", "write", "login", "write", "read", "search", "login"]
    with context.engine.connect() as conn:
        assert context.trail.verify(conn) is None
