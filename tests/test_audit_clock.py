"""The time of an audit line is the database's, read in the statement that locks the
trail's head (no round trip of its own): on PostgreSQL the transaction's start, on SQLite
that statement's time, so the lines' times follow their order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, select

from access_support import access_engine, trail
from watchlink.model import AuditAction
from watchlink.services.audit import AuditTrail, Line, Who
from watchlink.store.tables_access import audit_events, database_now

__all__ = ["access_engine", "trail"]

ALICE = Who("alice", "FR-INT", "analyst")


def test_a_line_carries_the_database_time_read_with_the_lock(
    access_engine: Engine, trail: AuditTrail
) -> None:
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split()[0].upper())

    with access_engine.begin() as conn:
        before = database_now(conn)
        event.listen(access_engine, "before_cursor_execute", keep)
        try:
            trail.record_many(conn, [Line(ALICE, AuditAction.READ, ["S-1"])])
        finally:
            event.remove(access_engine, "before_cursor_execute", keep)
        after = database_now(conn)
    with access_engine.connect() as conn:
        at = conn.execute(select(audit_events.c.at)).scalar_one().replace(tzinfo=None)
        assert trail.verify(conn) is None
    if access_engine.dialect.name == "postgresql":
        assert at == before == after  # the transaction's start
        assert seen == ["UPDATE", "WITH"]  # the lock (with the time), then the append
    else:
        assert before <= at <= after
        assert seen == [
            "UPDATE",
            "INSERT",
            "UPDATE",
        ]  # the lock (with the time), the line, the head
