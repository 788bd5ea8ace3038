"""A transaction's first write waits its turn behind another writer and is not refused.

On SQLite a writer that finds another at work tries again every half millisecond until
that one commits (``first_write``), where SQLite's own busy handler would sleep 10 to 100
ms at a time; a transaction that can never write (it read before another committed)
fails at once, as before; and the connection keeps its busy timeout for the statements
that follow. On PostgreSQL the statement simply runs.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import OperationalError

from watchlink.services.audit_chain import GENESIS
from watchlink.store import Database, dialect
from watchlink.store.dialect import BUSY_TIMEOUT_MS, first_write
from watchlink.store.tables_access import audit_head

_TOUCH = update(audit_head).where(audit_head.c.id == 1).values(seq=audit_head.c.seq)
_MOVE = update(audit_head).where(audit_head.c.id == 1).values(seq=audit_head.c.seq + 1)


@pytest.fixture(autouse=True)
def _head(database: Database) -> None:
    """The audit trail's head, the row every first write touches."""
    with database.engine.begin() as conn:
        conn.execute(insert(audit_head).values(id=1, seq=0, hash=GENESIS))


def _sqlite(database: Database) -> Engine:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's locking")
    return database.engine


def _seq(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one())


def _tries(conn: Connection) -> list[str]:
    """The statements SQLite is asked to run on ``conn`` from now on, as it runs them."""
    seen: list[str] = []
    raw: Any = conn.connection.dbapi_connection
    raw.set_trace_callback(seen.append)
    return seen


def _writes(statements: list[str]) -> list[str]:
    """The writes among ``statements``: the tries for the write lock."""
    return [s for s in statements if not s.startswith("PRAGMA")]


def _busy_timeout(conn: Connection) -> int:
    raw: Any = conn.connection.dbapi_connection
    return int(raw.execute("PRAGMA busy_timeout").fetchone()[0])


def test_a_first_write_runs_and_its_result_is_the_statements(database: Database) -> None:
    engine = database.engine
    before = _seq(engine)
    with engine.begin() as conn:
        moved = first_write(conn, _MOVE)
        assert moved.rowcount == 1
        if engine.dialect.name == "sqlite":
            assert _busy_timeout(conn) == BUSY_TIMEOUT_MS
    assert _seq(engine) == before + 1


def test_a_writer_behind_another_tries_again_until_it_commits_then_writes(
    database: Database,
) -> None:
    engine = _sqlite(database)
    before = _seq(engine)
    holding = threading.Event()
    release = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        with engine.begin() as conn:
            first_write(conn, _MOVE)
            holding.set()
            release.wait(120)  # committed once the second has tried a few times (a writer
            # left to SQLite's busy handler would give up first, after 30 s)

    def second() -> None:
        with engine.begin() as conn:
            outcome["tries"] = tries = _tries(conn)
            moved = first_write(conn, _MOVE)
            outcome["rowcount"] = moved.rowcount
            outcome["timeout"] = _busy_timeout(conn)
            tries.clear()

    holder = threading.Thread(target=first)
    holder.start()
    assert holding.wait(30)
    waiter = threading.Thread(target=second)
    waiter.start()
    while len(_writes(outcome.get("tries", []))) < 5 and waiter.is_alive():
        release.wait(0.005)
    release.set()
    holder.join(30)
    waiter.join(30)
    assert not waiter.is_alive() and not holder.is_alive()
    assert outcome["rowcount"] == 1
    assert outcome["timeout"] == BUSY_TIMEOUT_MS  # the statements after wait as before
    assert _seq(engine) == before + 2  # both wrote, the second after the first's commit


def test_a_writer_whose_snapshot_is_stale_fails_at_once(database: Database) -> None:
    engine = _sqlite(database)
    with engine.connect() as stale:
        stale.begin()
        stale.execute(select(audit_head.c.seq)).all()  # a read: the snapshot is taken
        with engine.begin() as other:
            other.execute(_MOVE)  # another commits after it
        tries = _tries(stale)
        with pytest.raises(OperationalError, match="locked"):
            first_write(stale, _MOVE)
        assert len(_writes(tries)) == 1  # refused once, not tried again
        assert _busy_timeout(stale) == BUSY_TIMEOUT_MS
        stale.rollback()


def test_a_writer_gives_up_after_the_busy_timeout(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _sqlite(database)
    monkeypatch.setattr(dialect, "BUSY_TIMEOUT_MS", 50)
    with engine.begin() as holder:
        holder.execute(_TOUCH)  # the write lock, held to the end of the block
        with engine.connect() as late:
            late.begin()
            tries = _tries(late)
            with pytest.raises(OperationalError, match="locked"):
                first_write(late, _TOUCH)
            assert len(_writes(tries)) > 2  # tried again and again, then gave up
            assert _busy_timeout(late) == 50
            late.rollback()
