"""``watchlink request``, ``jobs`` and ``responsiveness`` on both databases, as a user would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from access_support import FAST, directory
from factories import make_agency
from requests_support import COUNTRIES
from watchlink.cli import jobs
from watchlink.cli import requests as request_commands
from watchlink.cli.main import app
from watchlink.errors import NotFound
from watchlink.services.access_wiring import AccessContext
from watchlink.services.auth import AuthService
from watchlink.settings import Settings, get_settings
from watchlink.store import Database

runner = CliRunner()
USERS = {
    "tr": ("TR-INT", "liaison_officer"),
    "fr": ("FR-INT", "analyst"),
    "be": ("BE-INT", "analyst"),
}


@pytest.fixture
def setup(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    monkeypatch.setenv("WATCHLINK_DATABASE_URL", database.url)
    get_settings.cache_clear()
    names = {group.name for group in app.registered_groups}
    if "request" not in names:
        request_commands.register(app)
    if "jobs" not in names:
        jobs.register(app)
    context = AccessContext.from_settings(Settings(home=tmp_path), engine=database.engine)
    auth = AuthService(context.trail, directory, FAST)
    with database.unit_of_work() as uow:
        for code, country in COUNTRIES.items():
            uow.agencies.upsert(make_agency(code=code, country=country))
        for user, (agency, role) in USERS.items():
            auth.add_user(uow.connection, None, user, agency, [role], "a long password")
    yield
    get_settings.cache_clear()


def _ok(*args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, (done.output, done.exception)
    return done.output


def test_send_list_answer_and_the_figures(setup: None) -> None:
    sent = _ok(
        "request", "send", "--as", "tr", "--to", "FR-INT", "--title", "Known to you?",
        "--body", "Please advise.", "--priority", "urgent",
    )  # fmt: skip
    found = re.search(r"req-[0-9a-f]{32}", sent)
    assert found is not None and "urgent, sent" in sent
    request_id = found.group(0)
    assert request_id in _ok("request", "list", "--as", "fr")
    assert request_id in _ok("request", "list", "--as", "tr", "--sent")
    assert request_id not in _ok("request", "list", "--as", "be")
    answered = _ok("request", "answer", request_id, "--as", "fr", "--body", "Not known.")
    assert "answered" in answered and "Not known." in answered
    figures = _ok("responsiveness", "--as", "be")
    assert "FR-INT" in figures and "responsiveness" in figures


def test_an_agency_not_party_cannot_read_it(setup: None) -> None:
    sent = _ok(
        "request", "send", "--as", "tr", "--to", "FR-INT", "--title", "t", "--body", "b"
    )  # fmt: skip
    request_id = re.findall(r"req-[0-9a-f]{32}", sent)[0]
    refused = runner.invoke(app, ["request", "show", request_id, "--as", "be"])
    assert refused.exit_code != 0 and isinstance(refused.exception, NotFound)


def test_jobs_run_once_and_list(setup: None) -> None:
    _ok("request", "send", "--as", "tr", "--to", "FR-INT", "--title", "t", "--body", "b")
    ran = _ok("jobs", "run", "--once")
    assert "requests.sweep" in ran
    pending = _ok("jobs", "list")
    for kind in ("requests.remind", "requests.escalate", "requests.sweep"):
        assert kind in pending
