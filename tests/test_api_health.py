"""The API's foundations: health, the OpenAPI page, and one error shape for every error."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from watchlink import __version__
from watchlink.api.app import API_PREFIX, SWITCH_INTERVAL, create_app
from watchlink.errors import AccessDenied, InputError, InputProblem, NotFound, WatchlinkError
from watchlink.settings import Settings

POSTGRES_URL = os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(POSTGRES_URL is None, reason="WATCHLINK_TEST_POSTGRES_URL unset"),
        ],
    ),
]


def settings_for(dialect: str, home: Path) -> Settings:
    if dialect == "postgresql":
        return Settings(home=home, database_url=POSTGRES_URL)
    return Settings(home=home)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(home=tmp_path))) as test_client:
        yield test_client


@pytest.mark.parametrize("dialect", DATABASES)
def test_health_reports_version_and_a_reachable_database(dialect: str, tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(dialect, tmp_path))) as client:
        response = client.get(f"{API_PREFIX}/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": __version__,
        "database": {"reachable": True, "dialect": dialect},
    }


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("sqlite:////nonexistent-folder/for/watchlink.db", id="sqlite"),
        pytest.param("postgresql+psycopg://nobody@127.0.0.1:1/none", id="postgresql"),
    ],
)
def test_health_is_503_when_the_database_does_not_answer(url: str, tmp_path: Path) -> None:
    with TestClient(create_app(Settings(home=tmp_path, database_url=url))) as client:
        response = client.get(f"{API_PREFIX}/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["reachable"] is False
    assert "nobody" not in response.text  # the URL (it may hold a password) is not shown


def test_openapi_describes_the_versioned_api_and_the_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "watchlink"
    assert schema["info"]["version"] == __version__
    assert f"{API_PREFIX}/health" in schema["paths"]
    assert "ErrorResponse" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


def test_the_root_is_the_console_which_asks_a_stranger_to_log_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2F"


class Encounter(BaseModel):
    """A tiny request model to provoke validation errors."""

    name: str
    year: int


def app_with_failing_routes(home: Path) -> FastAPI:
    """The real app plus routes that fail on purpose, the way product routes can."""
    router = APIRouter(prefix=f"{API_PREFIX}/failing")

    @router.post("/echo")
    def echo(encounter: Encounter) -> Encounter:
        return encounter

    @router.get("/input")
    def bad_input() -> None:
        raise InputError(
            "cannot import the list",
            [InputProblem("not a date", source="list.csv", line=3, field="birth_date")],
        )

    @router.get("/missing")
    def missing() -> None:
        raise NotFound("no subject s-404")

    @router.get("/forbidden")
    def forbidden() -> None:
        raise AccessDenied("BE-POL may not read FR-INT's subject")

    @router.get("/bug")
    def bug() -> None:
        raise RuntimeError("secret internal detail")

    app = create_app(Settings(home=home))
    app.include_router(router)
    return app


@pytest.fixture
def failing(tmp_path: Path) -> Iterator[TestClient]:
    app = app_with_failing_routes(tmp_path)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_an_input_error_lists_every_problem_with_where(failing: TestClient) -> None:
    response = failing.get(f"{API_PREFIX}/failing/input")
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "invalid_input",
            "message": "cannot import the list",
            "problems": [
                {"reason": "not a date", "source": "list.csv", "line": 3, "field": "birth_date"}
            ],
        }
    }


@pytest.mark.parametrize(
    ("path", "status", "code", "message"),
    [
        ("missing", 404, "not_found", "no subject s-404"),
        ("forbidden", 403, "forbidden", "BE-POL may not read FR-INT's subject"),
    ],
)
def test_a_watchlink_error_keeps_its_status_and_code(
    failing: TestClient, path: str, status: int, code: str, message: str
) -> None:
    response = failing.get(f"{API_PREFIX}/failing/{path}")
    assert response.status_code == status
    assert response.json() == {"error": {"code": code, "message": message, "problems": []}}


def test_a_validation_error_names_each_field(failing: TestClient) -> None:
    response = failing.post(f"{API_PREFIX}/failing/echo", json={"year": "nineteen"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    fields = {problem["field"]: problem for problem in error["problems"]}
    assert set(fields) == {"name", "year"}
    assert fields["year"]["source"] == "body"
    assert fields["year"]["line"] is None
    assert "integer" in fields["year"]["reason"]


def test_malformed_json_is_a_422_naming_the_line(failing: TestClient) -> None:
    body = '{\n  "name": "Karim Haddad",\n  "year": 19 81\n}'
    response = failing.post(
        f"{API_PREFIX}/failing/echo",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    (problem,) = response.json()["error"]["problems"]
    assert problem["source"] == "body"
    assert problem["line"] == 3
    assert problem["reason"].startswith("not valid JSON")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", f"{API_PREFIX}/no-such-thing", 404, "not_found"),
        ("DELETE", f"{API_PREFIX}/health", 405, "method_not_allowed"),
    ],
)
def test_routing_errors_take_the_same_shape(
    failing: TestClient, method: str, path: str, status: int, code: str
) -> None:
    response = failing.request(method, path)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert response.json()["error"]["code"] == code


def test_an_unexpected_error_is_a_500_without_its_detail(failing: TestClient) -> None:
    response = failing.get(f"{API_PREFIX}/failing/bug")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": WatchlinkError.code,
            "message": "internal error; the server logged it",
            "problems": [],
        }
    }
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


def test_a_serving_process_gives_the_event_loop_its_turn_sooner_and_restores_it_after(
    tmp_path: Path,
) -> None:
    before = sys.getswitchinterval()
    assert before != SWITCH_INTERVAL
    with TestClient(create_app(Settings(home=tmp_path))) as served:
        assert served.get(f"{API_PREFIX}/health").status_code == 200
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
    assert sys.getswitchinterval() == pytest.approx(before)
