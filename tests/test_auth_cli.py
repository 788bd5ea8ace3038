"""``watchlink user add|disable|token``: users and tokens from the command line, all audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from watchlink.cli.main import app
from watchlink.errors import Unauthenticated
from watchlink.services.access_wiring import AccessContext
from watchlink.settings import Settings, get_settings
from watchlink.store import tables as t

runner = CliRunner()


@pytest.fixture
def context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AccessContext]:
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    monkeypatch.delenv("WATCHLINK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    from watchlink.cli import access

    if not any(group.name == "user" for group in app.registered_groups):
        access.register(app)
    built = AccessContext.from_settings(Settings(home=tmp_path))
    with built.engine.begin() as conn:
        conn.execute(
            insert(t.agencies).values(code="FR-INT", name="Intel", country="FR", kind="police")
        )
    yield built
    get_settings.cache_clear()


def test_add_issue_revoke_disable(context: AccessContext) -> None:
    added = runner.invoke(
        app, ["user", "add", "ana", "--agency", "FR-INT", "--role", "analyst", "--password",
              "a long password"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert context.auth.login(context.engine, "ana", "a long password").agency == "FR-INT"
    issued = runner.invoke(app, ["user", "token", "issue", "ana", "--scope", "screen"])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[-1]
    with context.engine.begin() as conn:
        assert context.auth.token_actor(conn, token).user == "ana"
    token_id = token.split("_")[1]
    assert runner.invoke(app, ["user", "token", "revoke", token_id]).exit_code == 0
    with pytest.raises(Unauthenticated), context.engine.begin() as conn:
        context.auth.token_actor(conn, token)
    assert runner.invoke(app, ["user", "disable", "ana"]).exit_code == 0
    with pytest.raises(Unauthenticated):
        context.auth.login(context.engine, "ana", "a long password")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_bad_input_is_named(context: AccessContext) -> None:
    result = runner.invoke(
        app, ["user", "add", "bob", "--agency", "XX-NONE", "--role", "wizard", "--password",
              "a long password"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "wizard" in str(result.exception) and "XX-NONE" in str(result.exception)
