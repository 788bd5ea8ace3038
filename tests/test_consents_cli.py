"""``watchlink consent grant|revoke|list`` act as a named user, through the same policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from access_support import access_engine, join
from watchlink.cli.main import app
from watchlink.errors import Conflict, NotFound
from watchlink.model import Distribution, HandlingCode, Name, Sharing, Subject
from watchlink.services.access_wiring import AccessContext
from watchlink.services.subjects import SubjectReader
from watchlink.settings import get_settings
from watchlink.store import Database

__all__ = ["access_engine"]

runner = CliRunner()
H2_ID = "fr-int-h2-0009"


@pytest.fixture
def cli(
    database: Database, access_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AccessContext]:
    """The test database as the configured one, an H2 subject of FR-INT shared with G5."""
    from watchlink.cli import access, consents
    from watchlink.services.access_wiring import store_subject_store

    monkeypatch.setenv("WATCHLINK_DATABASE_URL", database.url)
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    get_settings.cache_clear()
    if not any(group.name == "consent" for group in app.registered_groups):
        consents.register(app)
    if not any(group.name == "audit" for group in app.registered_groups):
        access.register(app)
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        for agency in ("FR-INT", "BE-SUR"):
            join(conn, "G5", agency)
        for user, agency in (("fr.analyst", "FR-INT"), ("be.analyst", "BE-SUR")):
            context.auth.add_user(conn, None, user, agency, ["analyst"], "a long password")
        owner = context.auth.resolve(conn, "fr.analyst")
    sharing = Sharing(Distribution.PARTNER_GROUP, "G5", HandlingCode.H2)
    made = Subject(id=H2_ID, agency="FR-INT", names=[Name("Orla Consentfield")], sharing=sharing)
    SubjectReader(store_subject_store(), context.trail).create(context.engine, owner, made)
    yield context
    get_settings.cache_clear()


def test_grant_list_revoke_and_the_trail_verifies(cli: AccessContext) -> None:
    as_fr = ["--as", "fr.analyst", H2_ID]
    granted = runner.invoke(app, ["consent", "grant", *as_fr, "BE-SUR", "--reason", "case 31"])
    assert granted.exit_code == 0, granted.output
    assert "BE-SUR may export" in granted.output
    again = runner.invoke(app, ["consent", "grant", *as_fr, "BE-SUR", "--reason", "case 31"])
    assert isinstance(again.exception, Conflict)
    revoked = runner.invoke(app, ["consent", "revoke", *as_fr, "BE-SUR"])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    listed = runner.invoke(app, ["consent", "list", *as_fr])
    assert listed.exit_code == 0 and "BE-SUR" in listed.output and "case 31" in listed.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_a_partner_cannot_grant_for_itself(cli: AccessContext) -> None:
    as_be = ["--as", "be.analyst", H2_ID]
    refused = runner.invoke(app, ["consent", "grant", *as_be, "BE-SUR", "--reason", "mine"])
    assert isinstance(refused.exception, NotFound)
    assert isinstance(runner.invoke(app, ["consent", "list", *as_be]).exception, NotFound)
