"""The stored audit trail: verifies when intact, names the first bad line when tampered.

Each kind of tampering (update, delete, insert, reorder, truncate, rewritten chain
without the key) is done with plain SQL, as someone with database access would.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from access_support import access_engine, trail
from watchlink.access import Actor
from watchlink.errors import AccessDenied
from watchlink.model import AuditAction, Role
from watchlink.services.audit import AuditQuery, AuditTrail, Who
from watchlink.services.audit_chain import content_digest, line_hash
from watchlink.store.tables_access import audit_events

__all__ = ["access_engine", "trail"]

ALICE = Who("alice", "FR-INT", "analyst")


def fill(engine: Engine, audit: AuditTrail, count: int) -> None:
    for n in range(count):
        with engine.begin() as conn:
            audit.record(conn, ALICE, AuditAction.READ, [f"S-{n}"], query=f"q{n}")


def verdict(engine: Engine, audit: AuditTrail) -> int | None:
    with engine.connect() as conn:
        problem = audit.verify(conn)
    return None if problem is None else problem.seq


def test_an_intact_trail_verifies(access_engine: Engine, trail: AuditTrail) -> None:
    assert verdict(access_engine, trail) is None
    fill(access_engine, trail, 7)
    assert verdict(access_engine, trail) is None


def _alter(conn: Connection) -> None:
    conn.execute(update(audit_events).where(audit_events.c.seq == 4).values(actor="mallory"))


def _delete(conn: Connection) -> None:
    conn.execute(delete(audit_events).where(audit_events.c.seq == 4))


def _insert(conn: Connection) -> None:
    rows = conn.execute(select(audit_events).where(audit_events.c.seq >= 4)).all()
    conn.execute(delete(audit_events).where(audit_events.c.seq >= 4))
    for row in rows:
        values = row._asdict()
        values["seq"] += 1
        conn.execute(insert(audit_events).values(**values))
    forged = dict(rows[0]._asdict(), seq=4, actor="mallory")
    conn.execute(insert(audit_events).values(**forged))


def _reorder(conn: Connection) -> None:
    four, five = (
        conn.execute(select(audit_events).where(audit_events.c.seq == s)).one()._asdict()
        for s in (4, 5)
    )
    conn.execute(delete(audit_events).where(audit_events.c.seq.in_([4, 5])))
    conn.execute(insert(audit_events).values(**dict(five, seq=4)))
    conn.execute(insert(audit_events).values(**dict(four, seq=5)))


def _truncate(conn: Connection) -> None:
    conn.execute(delete(audit_events).where(audit_events.c.seq >= 7))


def _rewrite(conn: Connection) -> None:
    """Alter line 4 and recompute every digest and hash after it, without the key."""
    rows = conn.execute(
        select(audit_events).where(audit_events.c.seq >= 3).order_by(audit_events.c.seq)
    ).all()
    prev = rows[0].hash
    for row in rows[1:]:
        actor = "mallory" if row.seq == 4 else row.actor
        digest = content_digest(
            row.seq, row.at, actor, row.agency, row.role, row.action,
            [f"S-{row.seq - 1}"], row.query, row.purpose,
        )  # fmt: skip
        current = line_hash(prev, digest)
        conn.execute(
            update(audit_events)
            .where(audit_events.c.seq == row.seq)
            .values(actor=actor, digest=digest, prev_hash=prev, hash=current)
        )
        prev = current


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [
        (_alter, 4),
        (_delete, 4),
        (_insert, 4),
        (_reorder, 4),
        (_truncate, 7),
        (_rewrite, 6),  # the first signed checkpoint after the rewrite
    ],
)
def test_tampering_is_caught_at_the_first_bad_line(
    access_engine: Engine,
    trail: AuditTrail,
    tamper: Callable[[Connection], None],
    first_bad: int,
) -> None:
    fill(access_engine, trail, 8)
    with access_engine.begin() as conn:
        tamper(conn)
    assert verdict(access_engine, trail) == first_bad


def test_a_purge_keeps_the_chain_verifying(access_engine: Engine, trail: AuditTrail) -> None:
    fill(access_engine, trail, 5)
    with access_engine.begin() as conn:
        old = conn.execute(select(audit_events.c.at).where(audit_events.c.seq == 1)).scalar_one()
        conn.execute(
            update(audit_events)
            .where(audit_events.c.seq <= 3)
            .values(at=old.replace(year=old.year - 4))
        )
    # ageing lines by hand breaks their digests; once purged, only the digest and the
    # hash remain, and the chain verifies again
    with access_engine.begin() as conn:
        assert trail.purge(conn, retention_days=365) == 3
    assert verdict(access_engine, trail) is None
    with access_engine.connect() as conn:
        kept = conn.execute(select(audit_events.c.actor).order_by(audit_events.c.seq)).scalars()
        assert list(kept) == [None, None, None, "alice", "alice"]


def test_a_failed_audit_line_makes_the_act_fail(access_engine: Engine, trail: AuditTrail) -> None:
    with access_engine.begin() as conn:
        conn.execute(text("CREATE TABLE acts (n INTEGER)"))
    with access_engine.begin() as conn:  # the line is refused: the act is rolled back
        conn.execute(text("DROP TABLE access_audit_events"))
    with pytest.raises(Exception), access_engine.begin() as conn:  # noqa: B017
        conn.execute(text("INSERT INTO acts VALUES (1)"))
        trail.record(conn, ALICE, AuditAction.WRITE, ["S-1"])
    with access_engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM acts")).scalar_one() == 0
        conn.execute(text("DROP TABLE acts"))
    audit_events.create(access_engine)  # back for the next test


def test_only_auditors_read_the_trail_and_the_reading_is_logged(
    access_engine: Engine, trail: AuditTrail
) -> None:
    fill(access_engine, trail, 2)
    analyst = Actor("alice", "FR-INT", "FR", frozenset({Role.ANALYST}))
    auditor = Actor("odile", "FR-INT", "FR", frozenset({Role.AUDITOR}))
    with pytest.raises(AccessDenied), access_engine.begin() as conn:
        trail.events(conn, analyst)
    with access_engine.begin() as conn:
        events = trail.events(conn, auditor)
    assert [e.seq for e in events] == [1, 2]
    with access_engine.connect() as conn:
        last = conn.execute(select(audit_events).order_by(audit_events.c.seq.desc())).first()
    assert last is not None and last.action == "audit_read" and last.actor == "odile"
    assert json.loads(last.records) == ["1", "2"] and last.query == "after_seq=0 limit=100"
    assert verdict(access_engine, trail) is None


def test_the_filters_pick_lines_by_user_subject_time_and_order(
    access_engine: Engine, trail: AuditTrail
) -> None:
    fill(access_engine, trail, 3)  # alice reads S-0, S-1, S-2
    with access_engine.begin() as conn:
        trail.record(conn, Who("bob", "FR-INT", "analyst"), AuditAction.READ, ["S-1", "S_1%"])
        first = conn.execute(select(audit_events.c.at).where(audit_events.c.seq == 1)).scalar()
    auditor = Actor("odile", "FR-INT", "FR", frozenset({Role.AUDITOR}))
    assert first is not None
    later = first.replace(tzinfo=UTC) + timedelta(days=1)
    cases: list[tuple[AuditQuery, list[int]]] = [
        (AuditQuery(user="alice"), [1, 2, 3]),
        (AuditQuery(subject="S-1"), [2, 4]),
        (AuditQuery(subject="S_1%"), [4]),  # wildcards are taken literally
        (AuditQuery(subject="S-"), []),  # a whole record id, not a part of one
        (AuditQuery(user="alice", after_seq=1, newest_first=True), [3, 2]),
        (AuditQuery(since=later), []),
        (AuditQuery(until=later, limit=2, newest_first=True, user="alice"), [3, 2]),
    ]
    for wanted, seqs in cases:
        with access_engine.begin() as conn:
            assert [e.seq for e in trail.events(conn, auditor, wanted)] == seqs, wanted
    with access_engine.connect() as conn:
        logged = conn.execute(select(audit_events.c.query).where(audit_events.c.seq > 4))
        assert list(logged.scalars()) == [wanted.describe() for wanted, _ in cases]


def test_concurrent_writers_never_fork_the_sequence(
    access_engine: Engine, trail: AuditTrail
) -> None:
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for n in range(10):
                with access_engine.begin() as conn:
                    trail.record(
                        conn, Who(name, "FR-INT", "analyst"), AuditAction.SEARCH, [], str(n)
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with access_engine.connect() as conn:
        seqs = list(conn.execute(select(audit_events.c.seq).order_by(audit_events.c.seq)).scalars())
    assert seqs == list(range(1, 41))
    assert verdict(access_engine, trail) is None
