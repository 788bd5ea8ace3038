"""Pooled PostgreSQL connections: one that rested in the pool is checked before use and
replaced when the server dropped it; one handed straight back out is not pinged."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from watchlink.store import Database
from watchlink.store import dialect as store_dialect
from watchlink.store.dialect import is_sqlite, normalise_url


def _postgres(database: Database) -> Engine:
    if is_sqlite(database.engine.dialect.name):
        pytest.skip("a SQLite file has no server to drop a connection")
    return database.engine


def _backend(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        made.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return made


def test_a_connection_the_server_dropped_while_it_rested_is_replaced_before_use(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _postgres(database)
    first = _backend(engine)
    other = create_engine(normalise_url(database.url), poolclass=NullPool)
    try:  # the server drops it, as a restart would
        with other.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        other.dispose()
    monkeypatch.setattr(store_dialect, "RESTED_BEFORE_PING", 0.0)  # it rested long enough
    pings = _pings(engine, monkeypatch)
    second = _backend(engine)  # no error: pinged, found gone, replaced
    assert second != first and pings == [1]


def test_a_connection_handed_straight_back_out_is_not_pinged(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _postgres(database)
    _backend(engine)
    pings = _pings(engine, monkeypatch)
    monkeypatch.setattr(store_dialect, "RESTED_BEFORE_PING", 60.0)
    assert _backend(engine) == _backend(engine) and pings == []
    monkeypatch.setattr(store_dialect, "RESTED_BEFORE_PING", 0.0)
    _backend(engine)
    assert pings == [1]
