"""``watchlink webhook ...`` and ``watchlink deliver --once`` in-process, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from delivery_support import FR_ONLY, Receiver, add_hit, receiver
from watchlink.cli import delivery
from watchlink.cli.main import app
from watchlink.settings import get_settings
from watchlink.store import Database
from watchlink.store import tables as t
from watchlink.store.delivery import DeliveryRepository

runner = CliRunner()


@pytest.fixture
def cli(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    monkeypatch.setenv("WATCHLINK_DATABASE_URL", database.url)
    monkeypatch.setenv("WATCHLINK_DELIVERY_MAX_ATTEMPTS", "1")
    get_settings.cache_clear()
    if not any(group.name == "webhook" for group in app.registered_groups):
        delivery.register(app)
    with database.engine.begin() as conn:
        conn.execute(
            insert(t.agencies).values(code="FR-INT", name="FR", country="FR", kind="police")
        )
    yield
    get_settings.cache_clear()


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    yield from receiver()


def run(*args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


def test_add_list_deliver_see_dead_retry_and_remove(
    cli: None, database: Database, hooks: Receiver
) -> None:
    added = run("webhook", "add", hooks.url, "--agency", "FR-INT", "--kind", "hit")
    webhook_id = added.split()[1]
    hooks.secret = added.split("shown once):")[1].split()[0]
    assert webhook_id in run("webhook", "list", "--agency", "FR-INT")
    hooks.script.append(500)  # the one attempt allowed fails: dead at once
    with database.unit_of_work() as uow:
        add_hit(uow, "h-1", FR_ONLY, datetime.now(UTC))

    assert "given up 1" in run("deliver", "--once")
    dead = run("webhook", "deliveries", "--agency", "FR-INT", "--state", "dead")
    with database.engine.connect() as conn:
        (given_up,) = DeliveryRepository(conn).deliveries("FR-INT", "dead")
    delivery_id = str(given_up.id)
    assert "HTTP 500" in dead and webhook_id in dead
    assert "queued again" in run("webhook", "retry", delivery_id)
    assert "accepted 1" in run("deliver", "--once")
    assert list(hooks.acted.values()) == [1]

    assert "removed" in run("webhook", "remove", webhook_id)
    assert webhook_id not in run("webhook", "list", "--agency", "FR-INT")
    failed = runner.invoke(app, ["webhook", "add", "ftp://x", "--agency", "FR-INT"])
    assert failed.exit_code != 0


def test_deliver_names_the_messages_it_could_not_route(cli: None, database: Database) -> None:
    with database.unit_of_work() as uow:
        broken = uow.outbox.add("hit", "FR-INT", "h-9", {}, datetime.now(UTC))
    done = runner.invoke(app, ["deliver", "--once"])
    assert done.exit_code == 0
    assert "routing failures 1" in done.output
    assert f"given up: {broken}" in done.output
