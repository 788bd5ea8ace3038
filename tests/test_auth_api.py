"""The HTTP side of authentication: session cookie, bearer tokens, one 401 for every failure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from access_support import FAST, access_engine, directory, trail
from watchlink.api import auth as auth_api
from watchlink.api.app import API_ROUTERS, create_app
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.settings import Settings

__all__ = ["access_engine", "trail"]

PASSWORD = "correct horse battery"


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    if auth_api.router not in API_ROUTERS:
        pytest.fail("the auth router is not listed in API_ROUTERS")
    app = create_app(Settings(home=tmp_path))
    context = AccessContext(access_engine, trail, AuthService(trail, directory, FAST))
    app.state.access = context
    with access_engine.begin() as conn:
        context.auth.add_user(conn, None, "alice", "FR-INT", ["analyst"], PASSWORD)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def test_login_sets_a_strict_session_cookie(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["agency"] == "FR-INT"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    assert client.get("/api/v1/auth/me").json()["username"] == "alice"
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_every_login_failure_looks_the_same(client: TestClient) -> None:
    wrong = client.post("/api/v1/auth/login", json={"username": "alice", "password": "nope"})
    nobody = client.post("/api/v1/auth/login", json={"username": "zed", "password": "nope"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()


def test_lockout_over_http(client: TestClient) -> None:
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"username": "alice", "password": "wrong"})
    locked = client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert locked.status_code == 401


def test_bearer_tokens_and_revocation(client: TestClient, access_engine: Engine) -> None:
    context = client.app.state.access  # type: ignore[attr-defined]
    with access_engine.begin() as conn:
        issued = context.auth.issue_token(conn, None, "alice", ["screen"], timedelta(days=1))
    bearer = {"Authorization": f"Bearer {issued.token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200
    with access_engine.begin() as conn:
        context.auth.revoke_token(conn, None, issued.id)
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401


def test_only_auditors_read_the_trail_over_http(client: TestClient, access_engine: Engine) -> None:
    context = client.app.state.access  # type: ignore[attr-defined]
    with access_engine.begin() as conn:
        context.auth.add_user(conn, None, "odile", "FR-INT", ["auditor"], PASSWORD)
    client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert client.get("/api/v1/audit/events").status_code == 403
    client.cookies.clear()
    client.post("/api/v1/auth/login", json={"username": "odile", "password": PASSWORD})
    events = client.get("/api/v1/audit/events").json()
    assert [e["action"] for e in events][-1] == "login"
    again = client.get("/api/v1/audit/events", params={"after_seq": events[-1]["seq"]}).json()
    assert [e["action"] for e in again] == ["audit_read"]


def test_a_nul_in_the_username_is_a_plain_failed_login(client: TestClient) -> None:
    """PostgreSQL refuses NUL in text: such a login fails like any other, never a 500."""
    for username, password in (("fr\x00", PASSWORD), ("fr", "pass\x00word")):
        response = client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 401, response.text
