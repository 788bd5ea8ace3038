"""``watchlink decision add|list`` and ``watchlink review list|sweep|extend|resolve``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from monitoring_support import world_fixture  # noqa: F401 (fixtures)
from watchlink.cli.main import app
from watchlink.errors import AccessDenied, InputError
from watchlink.services.access_wiring import AccessContext
from watchlink.settings import get_settings
from watchlink.store import Database

runner = CliRunner()


@pytest.fixture
def cli(world: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The world's database as the configured one, with a French and a US analyst."""
    from watchlink.cli import monitoring

    monkeypatch.setenv("WATCHLINK_DATABASE_URL", world.url)
    get_settings.cache_clear()
    if not any(group.name == "decision" for group in app.registered_groups):
        monitoring.register(app)
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        for user, agency in (("fr.analyst", "FR-INT"), ("us.analyst", "US-SEC")):
            context.auth.add_user(conn, None, user, agency, ["analyst"], "a long password")
    yield world
    get_settings.cache_clear()


def test_decide_list_extend_and_sweep(cli: Database) -> None:
    stop = ["--kind", "stop", "--reason", "no new signs", "--legal-basis", "Act 3"]
    added = runner.invoke(app, ["decision", "add", "--as", "fr.analyst", "fr-int-live", *stop])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["decision", "list", "--as", "fr.analyst", "fr-int-live"])
    assert listed.exit_code == 0 and "stop" in listed.output and "no new signs" in listed.output
    extend = ["review", "extend", "--as", "fr.analyst", "fr-int-live", "--reason", "appeal"]
    assert runner.invoke(app, extend).exit_code == 0
    swept = runner.invoke(app, ["review", "sweep"])
    assert swept.exit_code == 0 and "review sweep:" in swept.output
    queue = runner.invoke(app, ["review", "list", "--as", "fr.analyst"])
    assert queue.exit_code == 0, queue.output


def test_a_foreign_agency_and_bad_options_are_refused(cli: Database) -> None:
    stop = ["--kind", "stop", "--reason", "mine", "--legal-basis", "US law"]
    foreign = runner.invoke(app, ["decision", "add", "--as", "us.analyst", "fr-int-live", *stop])
    assert isinstance(foreign.exception, AccessDenied)
    bad = ["--kind", "pause", "--reason", "r", "--legal-basis", "b", "--level", "9"]
    wrong = runner.invoke(app, ["decision", "add", "--as", "fr.analyst", "fr-int-live", *bad])
    assert isinstance(wrong.exception, InputError)
    assert {p.field for p in wrong.exception.problems} == {"--kind", "--level"}
