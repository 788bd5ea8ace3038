"""A token request costs one query: the token, its user, roles, agency and partner
groups read together, nothing cached (a revoked token, a disabled user, an agency leaving
a group apply to the next request), and ``last_used_at`` written at most once a minute;
on every database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, update

from access_support import access_engine, auth, join, leave, trail
from watchlink.errors import Unauthenticated
from watchlink.model import Role
from watchlink.services.auth import AuthService
from watchlink.store.tables_access import api_tokens, users

__all__ = ["access_engine", "auth", "trail"]

PASSWORD = "correct horse battery"


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` while the block runs (BEGIN/COMMIT aside)."""
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        word = statement.split()[0].upper()
        if word not in {"BEGIN", "COMMIT", "ROLLBACK"}:
            seen.append(word)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


@pytest.fixture
def token(access_engine: Engine, auth: AuthService) -> str:
    """A screening token of an analyst and border officer of FR-INT (in groups G5, G7)."""
    with access_engine.begin() as conn:
        auth.add_user(conn, None, "ana", "FR-INT", ["analyst", "border_officer"], PASSWORD)
        join(conn, "G5", "FR-INT")
        join(conn, "G7", "FR-INT")
        return auth.issue_token(conn, None, "ana", ["screen"], timedelta(days=1)).token


def _actor(engine: Engine, auth: AuthService, token: str) -> Any:
    with engine.begin() as conn:
        return auth.token_actor(conn, token)


def test_a_token_is_checked_and_resolved_in_one_query(
    access_engine: Engine, auth: AuthService, token: str
) -> None:
    with _statements(access_engine) as first:
        actor = _actor(access_engine, auth, token)
    assert actor.user == "ana" and actor.agency == "FR-INT" and actor.country == "FR"
    assert actor.roles == frozenset({Role.ANALYST, Role.BORDER_OFFICER})
    assert actor.groups == frozenset({"G5", "G7"})
    assert actor.scopes == frozenset({"screen"})
    assert first == ["SELECT", "UPDATE"]  # the first use is recorded
    with _statements(access_engine) as again:
        assert _actor(access_engine, auth, token) == actor
    assert again == ["SELECT"]  # used a moment ago: nothing to write


def test_last_use_is_kept_to_the_minute(
    access_engine: Engine, auth: AuthService, token: str
) -> None:
    _actor(access_engine, auth, token)
    with access_engine.connect() as conn:
        used = conn.execute(select(api_tokens.c.last_used_at)).scalar_one()
    assert used is not None
    with access_engine.begin() as conn:
        earlier = used - timedelta(minutes=2)
        conn.execute(update(api_tokens).values(last_used_at=earlier))
    with _statements(access_engine) as seen:
        _actor(access_engine, auth, token)
    assert seen == ["SELECT", "UPDATE"]
    with access_engine.connect() as conn:
        assert conn.execute(select(api_tokens.c.last_used_at)).scalar_one() > earlier


def test_changes_apply_to_the_next_request(
    access_engine: Engine, auth: AuthService, token: str
) -> None:
    _actor(access_engine, auth, token)
    with access_engine.begin() as conn:
        leave(conn, "G7", "FR-INT")
    assert _actor(access_engine, auth, token).groups == frozenset({"G5"})
    with access_engine.begin() as conn:
        leave(conn, agency="FR-INT")
    assert _actor(access_engine, auth, token).groups == frozenset()
    with access_engine.begin() as conn:
        conn.execute(update(users).values(active=False))
    with pytest.raises(Unauthenticated, match="not active"):
        _actor(access_engine, auth, token)
    with access_engine.begin() as conn:
        conn.execute(update(users).values(active=True))
    assert _actor(access_engine, auth, token).user == "ana"
    token_id = token.split("_")[1]
    with access_engine.begin() as conn:
        auth.revoke_token(conn, None, token_id)
    with pytest.raises(Unauthenticated, match="revoked"):
        _actor(access_engine, auth, token)


@pytest.mark.parametrize("bad", ["wlk_nothing", "wlk_{id}_wrongsecret", "not-a-token"])
def test_a_wrong_token_is_refused(
    access_engine: Engine, auth: AuthService, token: str, bad: str
) -> None:
    with pytest.raises(Unauthenticated):
        _actor(access_engine, auth, bad.format(id=token.split("_")[1]))
