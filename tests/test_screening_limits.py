"""An oversize batch is a 413 decided before its items are validated: more than 10,000
items is refused whatever they hold (a malformed item among them does not turn it into a
422), and nothing is stored; bodies that are not JSON still get FastAPI's own answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from access_support import FAST, SUBJECT_STORE, access_engine, directory, trail
from watchlink.api.app import create_app
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.services.subjects import SubjectReader
from watchlink.settings import Settings
from watchlink.store.tables_casework import encounters

__all__ = ["access_engine", "trail"]

PASSWORD = "correct horse battery"
CROSSING = {
    "kind": "border_entry",
    "occurred_at": "2026-11-29T10:00:00Z",
    "country": "FR",
    "person": {"names": ["Octave Brumairel"]},
}


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    app = create_app(Settings(home=tmp_path))
    context = AccessContext(access_engine, trail, AuthService(trail, directory, FAST))
    app.state.access = context
    app.state.subject_reader = SubjectReader(SUBJECT_STORE, trail)
    with access_engine.begin() as conn:
        context.auth.add_user(conn, None, "pol", "FR-POL", ["border_officer"], PASSWORD)
    with TestClient(app, base_url="https://testserver") as test_client:
        answer = test_client.post(
            "/api/v1/auth/login", json={"username": "pol", "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        yield test_client


def _stored(client: TestClient) -> int:
    engine = client.app.state.access.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(encounters)).scalar_one())


def test_an_oversize_batch_is_a_413_whatever_its_items_hold(client: TestClient) -> None:
    items: list[Any] = [dict(CROSSING) for _ in range(10_001)]
    items[5] = {"kind": "teleport"}  # validated, this would be a 422 on encounters.5
    response = client.post("/api/v1/encounters/batch", json={"encounters": items})
    assert response.status_code == 413, response.text
    assert response.json()["error"]["message"] == "at most 10000 encounters in a batch"
    assert _stored(client) == 0


def test_a_batch_at_the_limit_is_validated_as_usual(client: TestClient) -> None:
    items: list[Any] = [dict(CROSSING) for _ in range(3)]
    items[1] = {"kind": "teleport"}
    response = client.post("/api/v1/encounters/batch", json={"encounters": items})
    assert response.status_code == 422
    assert any(p["field"].startswith("encounters.1") for p in response.json()["error"]["problems"])
    good = client.post("/api/v1/encounters/batch", json={"encounters": [CROSSING, CROSSING]})
    assert good.status_code == 200, good.text
    assert good.json()["screened"] == 2


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"encounters": [', "application/json"),
        (b"\xff\xfe not utf-8", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b'{"encounters": []}', "text/plain"),
    ],
)
def test_bodies_that_are_not_json_batches_are_never_a_500(
    client: TestClient, content: bytes, content_type: str
) -> None:
    response = client.post(
        "/api/v1/encounters/batch", content=content, headers={"content-type": content_type}
    )
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"error"}
