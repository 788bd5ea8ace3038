"""``AuditTrail.record_many``: several lines with one visit to the head, chained and
signed exactly as one ``record`` after another would, checkpoints included."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select, update

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
