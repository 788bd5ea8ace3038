"""The audit trail: one hash-chained line per act, written in the act's own transaction.

``AuditTrail.record`` is called inside the transaction of the read, search, screening,
export, write or login it describes: when the line cannot be written the whole act
rolls back. Writers lock the single ``audit_head`` row first (an UPDATE, which is a
row lock on PostgreSQL and the write lock on SQLite), so sequence numbers never fork;
the lock is held until commit, so concurrent writers queue on it. ``record_many``
appends several lines with one visit to the head (lock and read, one insert, move on).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from watchlink.access import DEFAULT_POLICY, Action, Actor, Policy, Resource
from watchlink.errors import AccessDenied
from watchlink.model import AuditAction, AuditEvent
from watchlink.services.audit_chain import (
    GENESIS,
    ChainLine,
    Problem,
    SigningKey,
    content_digest,
    line_hash,
    verify_chain,
)
from watchlink.services.audit_query import AuditQuery, lines
from watchlink.settings import Settings
from watchlink.store.dialect import dml_in_cte, first_write
from watchlink.store.tables_access import (
    audit_checkpoints,
    audit_events,
    audit_head,
    clock_column,
    clock_value,
    database_now,
)

__all__ = ["AuditQuery", "AuditTrail", "Line", "Who"]

_HEAD_ID = 1
_LINES_IN_ONE_STATEMENT = 16  # more go by executemany, then the head's move
_LINE = ("seq", "at", "actor", "agency", "role", "action", "records", "query", "purpose",
         "digest", "prev_hash", "hash")  # fmt: skip

# Built once, with bound parameters, so each is compiled once and the CPU spent while
# the head is locked is the round trips' (a statement built per call is compiled anew).
_TOUCH_HEAD = update(audit_head).where(audit_head.c.id == _HEAD_ID).values(seq=audit_head.c.seq)
# The lock returns the lines' time too (one round trip less than ``database_now``): on
# PostgreSQL the transaction's start, on SQLite the lock's own statement's, so the lines'
# times follow their order (a time read before the lock could precede the line before it).
_LOCK_HEAD = {
    dialect: _TOUCH_HEAD.returning(
        audit_head.c.seq, audit_head.c.hash, clock_column(dialect).label("at")
    )
    for dialect in ("postgresql", "sqlite")
}
_MOVE_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == _HEAD_ID)
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"),
            signature=bindparam("head_signature"))
)  # fmt: skip
_INSERT_LINES = insert(audit_events)


@lru_cache(maxsize=4 * _LINES_IN_ONE_STATEMENT)
def _append(count: int, dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """``count`` lines inserted and the head moved, in one statement (``WITH``), as SQL
    compiled once with its fixed parameters: SQLAlchemy does not cache a statement
    carrying an ``INSERT`` in its ``WITH`` and would compile it again each time."""
    rows = [
        {c: bindparam(f"l{i}_{c}", type_=audit_events.c[c].type) for c in _LINE}
        for i in range(count)
    ]
    compiled = _MOVE_HEAD.add_cte(insert(audit_events).values(rows).cte("appended")).compile(
        dialect=dialect
    )
    return compiled.string, dict(compiled.params)


@dataclass(frozen=True, slots=True)
class Who:
    """Who acted, as the trail records it (a failed login may name no agency)."""

    user: str
    agency: str
    role: str

    @classmethod
    def of(cls, actor: Actor) -> Who:
        """The audit identity of an actor."""
        return cls(actor.user, actor.agency, actor.role_label)


@dataclass(frozen=True, slots=True)
class Line:
    """One line to append: who did what, to which records, asked how and why."""

    who: Who
    action: AuditAction
    records: Sequence[str] = ()
    query: str | None = None
    purpose: str | None = None


def _storable(text: str) -> str:
    """Text as the trail keeps it: NUL bytes (refused by PostgreSQL) written out visibly."""
    return text.replace("\x00", "\\x00")


class AuditTrail:
    """Appends, reads, verifies and purges the audit trail with one signing key."""

    def __init__(
        self, key: SigningKey, checkpoint_every: int = 100, policy: Policy = DEFAULT_POLICY
    ) -> None:
        self.key = key
        self.checkpoint_every = checkpoint_every
        self.policy = policy

    @classmethod
    def from_settings(cls, settings: Settings, policy: Policy = DEFAULT_POLICY) -> AuditTrail:
        """The trail signing with the configured key (created on first use)."""
        key = SigningKey.load_or_create(settings.effective_audit_key_path)
        return cls(key, settings.audit_checkpoint_every, policy)

    def ensure_head(self, engine: Engine) -> None:
        """Create the chain head row once (safe to call at every start)."""
        try:
            with engine.begin() as conn:
                exists = conn.execute(
                    select(audit_head.c.id).where(audit_head.c.id == _HEAD_ID)
                ).first()
                if exists is None:
                    conn.execute(
                        insert(audit_head).values(id=_HEAD_ID, seq=0, hash=GENESIS, signature=None)
                    )
        except IntegrityError:
            pass  # another process created it first

    def claim_writer(self, conn: Connection) -> None:
        """Call first in a transaction that will write: on SQLite, take the write lock now.

        A SQLite transaction that reads and then writes fails outright (no waiting) when
        another writer committed in between; becoming the writer first avoids that. On
        PostgreSQL it does nothing: the head row is locked only when the line is added.
        """
        if conn.dialect.name == "sqlite":
            first_write(conn, _TOUCH_HEAD)

    def lock_head(self, conn: Connection) -> None:
        """Take the head's lock now, held until commit: for a caller that must read under
        it before it writes its line (a screening call reading its booking's hits)."""
        locked = first_write(conn, _TOUCH_HEAD)
        if locked.rowcount == 0:
            conn.execute(insert(audit_head).values(id=_HEAD_ID, seq=0, hash=GENESIS))

    def record(
        self,
        conn: Connection,
        who: Who,
        action: AuditAction,
        records: Sequence[str] = (),
        query: str | None = None,
        purpose: str | None = None,
    ) -> int:
        """Append one line in the caller's transaction; returns its sequence number."""
        return self.record_many(conn, [Line(who, action, records, query, purpose)])[0]

    def record_many(self, conn: Connection, lines: Sequence[Line]) -> list[int]:
        """Append lines in order in the caller's transaction, with one visit to the head:
        lock and read it, insert the lines, move it on. Returns their sequence numbers."""
        if not lines:
            return []
        head = conn.execute(_LOCK_HEAD[conn.dialect.name]).first()
        at = database_now(conn) if head is None else clock_value(head.at)
        if head is None:
            conn.execute(insert(audit_head).values(id=_HEAD_ID, seq=0, hash=GENESIS))
            seq, prev = 0, GENESIS
        else:
            seq, prev = int(head.seq), str(head.hash)
        rows: list[dict[str, Any]] = []
        chain: list[tuple[int, str]] = []  # (seq, hash) of each line appended
        for line in lines:
            seq += 1
            ids = [_storable(r) for r in line.records]
            query = None if line.query is None else _storable(line.query)
            purpose = None if line.purpose is None else _storable(line.purpose)
            who = line.who
            user, agency, role = _storable(who.user), _storable(who.agency), _storable(who.role)
            action = line.action.value
            digest = content_digest(seq, at, user, agency, role, action, ids, query, purpose)
            current = line_hash(prev, digest)
            rows.append(
                {
                    "seq": seq, "at": at, "actor": user, "agency": agency, "role": role,
                    "action": action, "records": json.dumps(ids), "query": query,
                    "purpose": purpose, "digest": digest, "prev_hash": prev, "hash": current,
                }
            )  # fmt: skip
            chain.append((seq, current))
            prev = current
        moved = {"head_seq": seq, "head_hash": prev, "head_signature": self.key.sign(seq, prev)}
        if dml_in_cte(conn.dialect.name) and len(rows) <= _LINES_IN_ONE_STATEMENT:
            # the lines and the head's move in one round trip: the lock is held for less
            sql, fixed = _append(len(rows), conn.dialect)
            lines_in = {f"l{i}_{c}": row[c] for i, row in enumerate(rows) for c in _LINE}
            conn.exec_driver_sql(sql, {**fixed, **moved, **lines_in})
        else:
            conn.execute(_INSERT_LINES, rows)
            conn.execute(_MOVE_HEAD, moved)
        checkpoints = [
            {"seq": n, "hash": h, "at": at, "signature": self.key.sign(n, h)}
            for n, h in chain
            if n % self.checkpoint_every == 0
        ]
        if checkpoints:
            conn.execute(insert(audit_checkpoints), checkpoints)
        return [n for n, _ in chain]

    def verify(self, conn: Connection) -> Problem | None:
        """Recompute the chain and check every signature; the first problem, or None."""
        checkpoints = [
            (int(r.seq), r.hash, r.signature)
            for r in conn.execute(select(audit_checkpoints).order_by(audit_checkpoints.c.seq))
        ]
        row = conn.execute(select(audit_head).where(audit_head.c.id == _HEAD_ID)).first()
        head = None
        if row is not None and int(row.seq) > 0:
            head = (int(row.seq), row.hash, row.signature or "")
        return verify_chain(self._lines(conn), checkpoints, head, self.key)

    def _lines(self, conn: Connection) -> Iterator[ChainLine]:
        result = conn.execution_options(yield_per=2000).execute(
            select(audit_events).order_by(audit_events.c.seq)
        )
        for r in result:
            recomputed = None
            if r.purged_at is None:
                records = json.loads(r.records) if r.records else []
                recomputed = content_digest(
                    int(r.seq), r.at, r.actor, r.agency, r.role, r.action,
                    records, r.query, r.purpose,
                )  # fmt: skip
            yield ChainLine(int(r.seq), r.prev_hash, r.digest, r.hash, recomputed)

    def check_reader(self, actor: Actor) -> None:
        """Refuse anyone the policy does not let read the trail (auditors, by default)."""
        verdict = self.policy.allowed(actor, Action.READ_AUDIT, Resource(owner_agency=actor.agency))
        if not verdict.allow:
            raise AccessDenied(f"reading the audit trail is refused ({verdict.reason})")

    def events(
        self, conn: Connection, actor: Actor, wanted: AuditQuery | None = None
    ) -> list[AuditEvent]:
        """Lines for an auditor, as ``wanted`` filters them; the reading is itself a line.

        The one read path of the trail: the API and the console both come here, so the
        permission check and the logged reading cannot differ between them.
        """
        self.check_reader(actor)
        wanted = AuditQuery() if wanted is None else wanted
        events = lines(conn, wanted)
        seqs = [str(e.seq) for e in events]
        self.record(conn, Who.of(actor), AuditAction.AUDIT_READ, seqs, wanted.describe())
        return events

    def verify_as(self, conn: Connection, actor: Actor) -> Problem | None:
        """``verify`` for an auditor; the verification and its outcome are a line."""
        self.check_reader(actor)
        problem = self.verify(conn)
        outcome = "intact" if problem is None else str(problem)
        self.record(conn, Who.of(actor), AuditAction.AUDIT_READ, [], f"verify chain: {outcome}")
        return problem

    def purge(self, conn: Connection, retention_days: int) -> int:
        """Clear the content of lines older than the retention period, keeping hashes."""
        cutoff: datetime = database_now(conn) - timedelta(days=retention_days)
        result = conn.execute(
            update(audit_events)
            .where(audit_events.c.at < cutoff, audit_events.c.purged_at.is_(None))
            .values(
                actor=None,
                agency=None,
                role=None,
                action=None,
                records=None,
                query=None,
                purpose=None,
                purged_at=database_now(conn),
            )
        )
        return int(result.rowcount)
