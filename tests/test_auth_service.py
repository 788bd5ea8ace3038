"""Users, logins, lockout, sessions and tokens, on SQLite and PostgreSQL, all audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, Engine, create_engine, event, select, update

from access_support import access_engine, auth, join, leave, trail
from watchlink.access import Action, Actor, Resource, allowed
from watchlink.errors import AccessDenied, Conflict, InputError, Unauthenticated
from watchlink.model import Role
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.store.dialect import configure_engine, is_sqlite
from watchlink.store.tables_access import api_tokens, audit_events, database_now, sessions, users

__all__ = ["access_engine", "auth", "trail"]

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(access_engine: Engine, auth: AuthService) -> str:
    with access_engine.begin() as conn:
        auth.add_user(conn, None, "alice", "FR-INT", ["analyst"], PASSWORD, "Alice Test")
    return "alice"


def shift(engine: Engine, column: Column[datetime], by: timedelta) -> None:
    """Move a time column back (SQLite has no interval arithmetic: done in Python)."""
    with engine.begin() as conn:
        table = column.table
        for key, value in conn.execute(select(table.primary_key.columns[0], column)).all():
            conn.execute(
                update(table)
                .where(table.primary_key.columns[0] == key)
                .values({column: value - by})
            )


def outcomes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.query)
            .where(audit_events.c.action == "login")
            .order_by(audit_events.c.seq)
        )
        return [str(q).split("=")[1] for q in rows.scalars()]


def test_login_resolves_the_actor(access_engine: Engine, auth: AuthService, alice: str) -> None:
    actor = auth.login(access_engine, alice, PASSWORD)
    assert actor == Actor("alice", "FR-INT", "FR", frozenset({Role.ANALYST}))
    assert outcomes(access_engine) == ["success"]


def test_passwords_are_stored_with_argon2(access_engine: Engine, alice: str) -> None:
    with access_engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_five_failures_lock_the_account_for_fifteen_minutes(
    access_engine: Engine, auth: AuthService, alice: str
) -> None:
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            auth.login(access_engine, alice, "wrong password!")
    with pytest.raises(Unauthenticated):  # the right password no longer helps
        auth.login(access_engine, alice, PASSWORD)
    assert outcomes(access_engine) == ["bad_password"] * 4 + ["locked_now", "locked"]
    with access_engine.begin() as conn:
        locked = conn.execute(select(users.c.locked_until)).scalar_one()
        assert locked is not None
        conn.execute(update(users).values(locked_until=locked - timedelta(minutes=15, seconds=1)))
    assert auth.login(access_engine, alice, PASSWORD).user == "alice"


def test_unknown_users_and_disabled_users_cannot_log_in(
    access_engine: Engine, auth: AuthService, alice: str
) -> None:
    with pytest.raises(Unauthenticated):
        auth.login(access_engine, "nobody", PASSWORD)
    with access_engine.begin() as conn:
        auth.disable_user(conn, None, alice)
    with pytest.raises(Unauthenticated):
        auth.login(access_engine, alice, PASSWORD)
    assert outcomes(access_engine) == ["unknown_user", "disabled"]


def test_sessions_time_out_when_idle_and_after_twelve_hours(
    access_engine: Engine, auth: AuthService, alice: str
) -> None:
    actor = auth.login(access_engine, alice, PASSWORD)
    with access_engine.begin() as conn:
        raw = auth.start_session(conn, actor)
    with access_engine.begin() as conn:
        assert auth.session_actor(conn, raw).user == "alice"
    shift(access_engine, sessions.c.last_seen_at, timedelta(minutes=31))
    with pytest.raises(Unauthenticated), access_engine.begin() as conn:
        auth.session_actor(conn, raw)
    with access_engine.begin() as conn:
        fresh = auth.start_session(conn, actor)
    shift(access_engine, sessions.c.created_at, timedelta(hours=12, minutes=1))
    with access_engine.begin() as conn:  # not idle, but past the absolute limit
        conn.execute(update(sessions).values(last_seen_at=database_now(conn)))
    with pytest.raises(Unauthenticated), access_engine.begin() as conn:
        auth.session_actor(conn, fresh)


def test_a_logged_out_session_ends(access_engine: Engine, auth: AuthService, alice: str) -> None:
    actor = auth.login(access_engine, alice, PASSWORD)
    with access_engine.begin() as conn:
        raw = auth.start_session(conn, actor)
        auth.end_session(conn, raw)
    with pytest.raises(Unauthenticated), access_engine.begin() as conn:
        auth.session_actor(conn, raw)


def test_tokens_are_scoped_hashed_expiring_and_revocable(
    access_engine: Engine, auth: AuthService, alice: str
) -> None:
    with access_engine.begin() as conn:
        issued = auth.issue_token(conn, None, alice, ["screen"], timedelta(days=1))
    with access_engine.connect() as conn:
        stored = conn.execute(select(api_tokens.c.token_hash)).scalar_one()
    assert issued.token not in stored and issued.token.split("_", 2)[2] not in stored
    with access_engine.begin() as conn:
        actor = auth.token_actor(conn, issued.token)
    assert allowed(actor, Action.SCREEN, Resource(owner_agency="FR-INT")).allow
    assert not allowed(actor, Action.READ, Resource(owner_agency="FR-INT")).allow
    with access_engine.begin() as conn:
        auth.revoke_token(conn, None, issued.id)
    with pytest.raises(Unauthenticated), access_engine.begin() as conn:
        auth.token_actor(conn, issued.token)
    with access_engine.begin() as conn:
        other = auth.issue_token(conn, None, alice, ["screen"], timedelta(days=1))
    shift(access_engine, api_tokens.c.expires_at, timedelta(days=1, seconds=1))
    with pytest.raises(Unauthenticated), access_engine.begin() as conn:
        auth.token_actor(conn, other.token)
    with pytest.raises(Unauthenticated), access_engine.begin() as conn:
        auth.token_actor(conn, issued.token[:-2] + "xx")


class _Rollback(Exception):
    pass


def test_a_token_is_read_in_one_statement_and_its_connection_is_pooled_ready_for_work(
    access_engine: Engine, auth: AuthService, alice: str
) -> None:
    """On PostgreSQL the token's one query runs outside any transaction (no BEGIN and
    COMMIT round trips around it); the connection then goes back to the pool as it was:
    the next unit of work on it is one transaction that rolls back whole."""
    with access_engine.begin() as conn:
        issued = auth.issue_token(conn, None, alice, ["screen"], timedelta(days=1))
    auth.actor_of_token(access_engine, issued.token)  # its use recorded: the next writes none
    one = create_engine(access_engine.url, pool_size=1, max_overflow=0)  # one connection
    configure_engine(one)
    postgres = not is_sqlite(one.dialect.name)
    opened: list[bool] = []  # after each statement: a transaction open on the server?

    def after(conn: Any, *_: Any) -> None:
        if postgres:
            status = conn.connection.dbapi_connection.info.transaction_status
            opened.append(status.name != "IDLE")

    event.listen(one, "after_cursor_execute", after)
    try:
        assert auth.actor_of_token(one, issued.token).user == alice
        token_reads, opened[:] = list(opened), []
        with pytest.raises(_Rollback), one.begin() as conn:
            conn.execute(update(users).where(users.c.username == alice).values(active=False))
            raise _Rollback
        with one.connect() as conn:
            active = conn.execute(select(users.c.active).where(users.c.username == alice))
            assert active.scalar_one() is True
        if postgres:
            assert token_reads and not any(token_reads)
            assert opened[0] is True  # the unit of work's statements ran in its transaction
    finally:
        one.dispose()


@pytest.mark.parametrize(
    ("roles", "password", "agency", "field"),
    [
        (["wizard"], PASSWORD, "FR-INT", "roles"),
        ([], PASSWORD, "FR-INT", "roles"),
        (["analyst"], "too-short", "FR-INT", "password"),
        (["analyst"], PASSWORD, "XX-NONE", "agency"),
    ],
)
def test_bad_user_input_is_refused(
    access_engine: Engine,
    auth: AuthService,
    roles: list[str],
    password: str,
    agency: str,
    field: str,
) -> None:
    with pytest.raises(InputError) as caught, access_engine.begin() as conn:
        auth.add_user(conn, None, "bob", agency, roles, password)
    assert [p.field for p in caught.value.problems] == [field]


def test_admins_manage_their_own_agency_only(
    access_engine: Engine, auth: AuthService, alice: str
) -> None:
    admin = Actor("root", "BE-SUR", "BE", frozenset({Role.ADMIN}))
    with pytest.raises(AccessDenied), access_engine.begin() as conn:
        auth.disable_user(conn, admin, alice)
    with pytest.raises(AccessDenied), access_engine.begin() as conn:
        auth.add_user(conn, admin, "eve", "FR-INT", ["analyst"], PASSWORD)
    with access_engine.begin() as conn:
        auth.add_user(conn, admin, "bea", "BE-SUR", ["analyst"], PASSWORD)
    with pytest.raises(Conflict), access_engine.begin() as conn:
        auth.add_user(conn, admin, "bea", "BE-SUR", ["analyst"], PASSWORD)


def test_leaving_a_group_applies_to_the_next_request(
    access_engine: Engine, auth: AuthService, trail: AuditTrail, alice: str
) -> None:
    with access_engine.begin() as conn:
        join(conn, "G5", "FR-INT")
        raw = auth.start_session(conn, auth.resolve(conn, alice))
    with access_engine.begin() as conn:
        assert auth.session_actor(conn, raw).groups == {"G5"}
        leave(conn)
    with access_engine.begin() as conn:
        assert auth.session_actor(conn, raw).groups == frozenset()
    with access_engine.connect() as conn:
        assert trail.verify(conn) is None
