"""``AuditTrail.record_many``: several lines with one visit to the head, chained and
signed exactly as one ``record`` after another would, checkpoints included; on
PostgreSQL the lines and the head's move are one statement."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, event, select, update

from access_support import access_engine, trail
from watchlink.model import AuditAction
from watchlink.services.audit import AuditTrail, Line, Who
from watchlink.store.tables_access import audit_checkpoints, audit_events

__all__ = ["access_engine", "trail"]

ALICE = Who("alice", "FR-INT", "analyst")


def test_lines_are_appended_in_order_and_the_chain_verifies(
    access_engine: Engine, trail: AuditTrail
) -> None:
    with access_engine.begin() as conn:
        trail.record(conn, ALICE, AuditAction.READ, ["S-0"])
        seqs = trail.record_many(
            conn, [Line(ALICE, AuditAction.WRITE, [f"S-{n}"], f"q{n}") for n in range(1, 8)]
        )
        assert trail.record_many(conn, []) == []
    assert seqs == list(range(2, 9))
    with access_engine.connect() as conn:
        rows = conn.execute(select(audit_events).order_by(audit_events.c.seq)).all()
        checkpoints = list(conn.execute(select(audit_checkpoints.c.seq)).scalars())
        assert trail.verify(conn) is None
    assert [json.loads(r.records) for r in rows] == [[f"S-{n}"] for n in range(8)]
    assert [r.query for r in rows[1:]] == [f"q{n}" for n in range(1, 8)]
    assert sorted(checkpoints) == [3, 6]  # the fixture checkpoints every 3 lines


def test_a_checkpoint_inside_a_batch_is_signed_for_its_own_line(
    access_engine: Engine, trail: AuditTrail
) -> None:
    with access_engine.begin() as conn:
        trail.record_many(conn, [Line(ALICE, AuditAction.READ, [f"S-{n}"]) for n in range(4)])
    with access_engine.begin() as conn:  # someone rewrites line 3 and its checkpoint hash
        conn.execute(update(audit_events).where(audit_events.c.seq == 3).values(hash="0" * 64))
        conn.execute(
            update(audit_checkpoints).where(audit_checkpoints.c.seq == 3).values(hash="0" * 64)
        )
    with access_engine.connect() as conn:
        problem = trail.verify(conn)
    assert problem is not None and problem.seq == 3


def test_many_lines_at_once_still_chain(access_engine: Engine, trail: AuditTrail) -> None:
    with access_engine.begin() as conn:
        seqs = trail.record_many(
            conn, [Line(ALICE, AuditAction.READ, [f"S-{n}"]) for n in range(150)]
        )
    assert seqs == list(range(1, 151))
    with access_engine.connect() as conn:
        assert trail.verify(conn) is None


def test_a_visit_to_the_head_is_two_statements_on_postgresql(
    access_engine: Engine, trail: AuditTrail
) -> None:
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()[:3]).replace('"', ""))

    with access_engine.begin() as conn:  # lines 1-3; the next checkpoint is at 6
        trail.record_many(conn, [Line(ALICE, AuditAction.READ, [f"S-{n}"]) for n in range(3)])
    event.listen(access_engine, "before_cursor_execute", keep)
    try:
        with access_engine.begin() as conn:
            trail.record_many(
                conn,
                [Line(ALICE, AuditAction.READ, ["S-1"]), Line(ALICE, AuditAction.READ, ["S-2"])],
            )
    finally:
        event.remove(access_engine, "before_cursor_execute", keep)
    writes = [s for s in seen if not s.startswith(("SELECT", "BEGIN"))]
    if access_engine.dialect.name == "postgresql":
        assert writes == ["UPDATE access_audit_head SET", "WITH appended AS"]
    else:
        assert writes == [
            "UPDATE access_audit_head SET",
            "INSERT INTO access_audit_events",
            "UPDATE access_audit_head SET",
        ]
    with access_engine.connect() as conn:
        assert trail.verify(conn) is None
