"""``GET /metrics`` speaks Prometheus: requests by route template, screening, hits, backlog.

An encounter that hits a listed subject moves every screening figure: one encounter
screened, one hit, the screening histogram's count, and one undelivered outbox message
per recipient; a subject id in a path never becomes a label.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from access_support import FAST, SUBJECT_STORE, access_engine, directory, trail
from watchlink.api.app import create_app
from watchlink.model import BirthDate, Name, PartialDate, Subject
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.settings import Settings

__all__ = ["access_engine", "trail"]

PASSWORD = "correct horse battery"
LISTED = Subject(
    id="fr-int-0042",
    agency="FR-INT",
    names=[Name("Ottoline Brackenridge", given="Ottoline", family="Brackenridge")],
    birth_dates=[BirthDate(PartialDate(1983, 7, 19))],
)
ENCOUNTER = {
    "id": "fr-int-enc-1",
    "kind": "border_entry",
    "occurred_at": "2026-11-02T08:15:00",
    "country": "FR",
    "person": {"names": ["Ottoline Brackenridge"], "birth_date": "1983-07-19"},
}


@pytest.fixture
def client(tmp_path: Path, access_engine: Engine, trail: AuditTrail) -> Iterator[TestClient]:
    context = AccessContext(access_engine, trail, AuthService(trail, directory, FAST))
    with access_engine.begin() as conn:
        SUBJECT_STORE.save(conn, LISTED)
        context.auth.add_user(conn, None, "fr", "FR-INT", ["analyst"], PASSWORD)
    app = create_app(Settings(home=tmp_path))
    app.state.access = context
    with TestClient(app, base_url="https://testserver") as test_client:
        login = {"username": "fr", "password": PASSWORD}
        assert test_client.post("/api/v1/auth/login", json=login).status_code == 200
        yield test_client


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    assert client.get("/api/v1/subjects/fr-int-0042").status_code == 200
    assert client.get("/api/v1/subjects/fr-int-9999").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    samples = scrape(client)
    route = "/api/v1/subjects/{subject_id}"
    total = "watchlink_http_requests_total"
    assert value(samples, total, method="GET", route=route, status="200") == 1
    assert value(samples, total, method="GET", route=route, status="404") == 1
    assert value(samples, total, method="GET", route="unmatched", status="404") == 1
    count = "watchlink_http_request_duration_seconds_count"
    assert value(samples, count, method="GET", route=route) == 2
    assert not any("fr-int-0042" in str(labels) for _, labels in samples)


def test_a_hit_moves_the_screening_figures(client: TestClient) -> None:
    before = scrape(client)
    assert value(before, "watchlink_encounters_screened_total") == 0
    assert value(before, "watchlink_outbox_backlog") == 0
    response = client.post("/api/v1/encounters", json=ENCOUNTER)
    assert response.status_code == 201, response.text
    assert len(response.json()["hits"]) == 1
    after = scrape(client)
    assert value(after, "watchlink_encounters_screened_total") == 1
    assert value(after, "watchlink_hits_created_total") == 1
    assert value(after, "watchlink_screening_queries_total") == 1
    assert value(after, "watchlink_screening_duration_seconds_count") == 1
    assert value(after, "watchlink_outbox_backlog") >= 1  # one message per recipient
