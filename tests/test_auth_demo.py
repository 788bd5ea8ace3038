"""Loading the demo world creates the demo logins, and each can log in with its role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from watchlink.services.access_wiring import AccessContext
from watchlink.services.world import load_demo
from watchlink.settings import Settings, get_settings
from watchlink.store import Database
from watchlink.world.demo import DEMO_USERS, demo_world


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    monkeypatch.delenv("WATCHLINK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_the_demo_logins_work_after_loading(home: Path) -> None:
    database = Database.from_settings()
    database.migrate()
    with database.unit_of_work() as uow:
        assert load_demo(uow, demo_world(50)) is not None
    context = AccessContext.from_settings(Settings(home=home))
    for user in DEMO_USERS:
        actor = context.auth.login(context.engine, user.username, user.password)
        assert (actor.agency, actor.roles) == (user.agency, frozenset({user.role}))
    with context.engine.connect() as conn:
        assert context.trail.verify(conn) is None
    database.dispose()
