"""``watchlink audit verify`` exits 0 on an intact trail and 1 naming the first bad line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from watchlink.cli.main import app
from watchlink.model import AuditAction
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import Who
from watchlink.settings import Settings, get_settings
from watchlink.store.tables_access import audit_events

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    monkeypatch.delenv("WATCHLINK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    from watchlink.cli import access

    if not any(group.name == "audit" for group in app.registered_groups):
        access.register(app)
    yield tmp_path
    get_settings.cache_clear()


def test_verify_then_tamper_then_verify(home: Path) -> None:
    context = AccessContext.from_settings(Settings(home=home))
    for n in range(4):
        with context.engine.begin() as conn:
            context.trail.record(
                conn, Who("alice", "FR-INT", "analyst"), AuditAction.READ, [str(n)]
            )
    assert (home / "keys" / "audit-signing.key").exists()
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "intact" in intact.output
    with context.engine.begin() as conn:
        conn.execute(update(audit_events).where(audit_events.c.seq == 2).values(query="edited"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "line 2" in broken.output


def test_purge_keeps_the_trail_verifying(home: Path) -> None:
    context = AccessContext.from_settings(Settings(home=home))
    with context.engine.begin() as conn:
        context.trail.record(conn, Who("alice", "FR-INT", "analyst"), AuditAction.READ, ["1"])
    purged = runner.invoke(app, ["audit", "purge", "--days", "1"])
    assert purged.exit_code == 0, purged.output
    assert "0 audit lines purged" in purged.output
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
