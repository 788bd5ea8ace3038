"""The monitoring API: decisions, links, the review queue, resolution and extension, with
the cross-agency calls that must fail (403 when the subject is visible, 404 when not)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from monitoring_support import NOW, world_fixture  # noqa: F401 (fixtures)
from watchlink.api.app import create_app
from watchlink.services.access_wiring import AccessContext
from watchlink.services.clock import ManualClock
from watchlink.settings import Settings
from watchlink.store import Database

PASSWORD = "a long password"
USERS = {"fr.analyst": "FR-INT", "us.analyst": "US-SEC", "be.analyst": "BE-INT"}
V1 = "/api/v1"


def _client(world: Database, home: Path) -> TestClient:
    settings = Settings(home=home, database_url=world.url)
    context = AccessContext.from_settings(settings)
    with context.engine.begin() as conn:
        for user, agency in USERS.items():
            context.auth.add_user(conn, None, user, agency, ["analyst"], PASSWORD)
    app = create_app(settings)
    app.state.clock = ManualClock(NOW)
    return TestClient(app, base_url="https://testserver")


def _as(client: TestClient, user: str) -> TestClient:
    client.cookies.clear()
    answer = client.post(f"{V1}/auth/login", json={"username": user, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client


STOP = {"kind": "stop", "reason": "no new signs", "legal_basis": "Fictional Act art. 3"}


def test_decisions_links_queue_resolution_and_extension(world: Database, tmp_path: Path) -> None:
    with _client(world, tmp_path) as client:
        fr = _as(client, "fr.analyst")
        link = {"source_subject": "fr-int-live", "target_subject": "fr-int-rest"}
        made = fr.post(f"{V1}/links", json={**link, "kind": "co_traveller", "confidence": 0.8})
        assert made.status_code == 201, made.text
        assert made.json()["source"] == "FR-INT" and len(made.json()["review_tasks"]) == 1
        queue = fr.get(f"{V1}/reviews").json()
        assert [(t["subject_id"], t["trigger"]) for t in queue] == [("fr-int-rest", "link")]
        task_id = queue[0]["id"]

        us = _as(client, "us.analyst")
        assert us.get(f"{V1}/reviews").json() == []
        refused = us.post(f"{V1}/reviews/{task_id}/resolve", json={"resolution": "mine now"})
        assert refused.status_code == 404
        assert us.get(f"{V1}/subjects/fr-int-live/decisions").status_code == 403
        assert us.post(f"{V1}/subjects/fr-int-live/decisions", json=STOP).status_code == 403
        extend = us.post(f"{V1}/subjects/fr-int-rest/extend", json={"reason": "x"})
        assert extend.status_code == 403
        be = _as(client, "be.analyst")
        assert be.get(f"{V1}/subjects/fr-int-live/decisions").status_code == 404
        assert be.post(f"{V1}/subjects/fr-int-live/decisions", json=STOP).status_code == 404

        fr = _as(client, "fr.analyst")
        start = {"kind": "start", "reason": "travels with his brother", "legal_basis": "Act 3"}
        body = {"resolution": "co-travel confirmed", "decision": {**start, "level": 3}}
        resolved = fr.post(f"{V1}/reviews/{task_id}/resolve", json=body)
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["task"]["state"] == "resolved"
        assert resolved.json()["decision"]["kind"] == "start"
        again = fr.post(f"{V1}/reviews/{task_id}/resolve", json={"resolution": "again"})
        assert again.status_code == 409
        assert fr.get(f"{V1}/subjects/fr-int-rest").json()["status"] == "active"
        history = fr.get(f"{V1}/subjects/fr-int-rest/decisions").json()
        assert [d["kind"] for d in history] == ["reopen_for_review", "start"]
        assert history[1]["supersedes"] == history[0]["id"]

        stopped = fr.post(f"{V1}/subjects/fr-int-live/decisions", json=STOP)
        assert stopped.status_code == 201 and stopped.json()["decided_by"] == "fr.analyst"
        extended = fr.post(f"{V1}/subjects/fr-int-live/extend", json={"reason": "appeal pending"})
        assert extended.status_code == 200, extended.text
        assert extended.json()["previous_date"] == stopped.json()["review_date"]


def test_bad_bodies_are_422(world: Database, tmp_path: Path) -> None:
    with _client(world, tmp_path) as client:
        fr = _as(client, "fr.analyst")
        reopen = {**STOP, "kind": "reopen_for_review"}
        assert fr.post(f"{V1}/subjects/fr-int-live/decisions", json=reopen).status_code == 422
        owner = {**STOP, "decided_by": "someone else"}
        assert fr.post(f"{V1}/subjects/fr-int-live/decisions", json=owner).status_code == 422
        level = {"kind": "change_level", "reason": "r", "legal_basis": "b"}
        assert fr.post(f"{V1}/subjects/fr-int-live/decisions", json=level).status_code == 422


def test_ids_no_record_can_have_are_404_not_errors(world: Database, tmp_path: Path) -> None:
    with _client(world, tmp_path) as client:
        fr = _as(client, "fr.analyst")
        assert fr.get(f"{V1}/subjects/a%00b/decisions").status_code == 404
        assert fr.get(f"{V1}/subjects/{'x' * 300}/decisions").status_code == 404
        answer = fr.post(f"{V1}/reviews/a%00b/resolve", json={"resolution": "r"})
        assert answer.status_code == 404
        link = {"source_subject": "fr-int-live", "target_subject": "a\x00b", "kind": "family"}
        assert fr.post(f"{V1}/links", json=link).status_code == 404
