"""Scheduled jobs in the ``jobs`` table: add, claim one due job, finish or fail it.

A claim is one ``UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING`` statement. On
PostgreSQL the inner select takes ``FOR UPDATE SKIP LOCKED``, so several servers never
pick the same row and never wait on each other; on SQLite the update is the first write
of the transaction and takes the database's single write lock. The scheduler runs the
job's handler and ``finish`` in the claiming transaction, so the work and the mark that
it is done commit together, or neither does.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, func, insert, literal, or_, select, update

from watchlink.store.tables_ops import jobs

__all__ = ["Job", "JobRepository"]


@dataclass(frozen=True, slots=True)
class Job:
    """One scheduled unit of work, as stored."""

    id: int
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    locked_by: str | None
    locked_until: datetime | None
    done_at: datetime | None
    attempts: int
    last_error: str | None


def _job(row: Any) -> Job:
    return Job(
        id=int(row["id"]),
        kind=row["kind"],
        due_at=row["due_at"],
        payload=dict(row["payload"] or {}),
        locked_by=row["locked_by"],
        locked_until=row["locked_until"],
        done_at=row["done_at"],
        attempts=int(row["attempts"] or 0),
        last_error=row["last_error"],
    )


class JobRepository:
    """Job rows on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, kind: str, due_at: datetime, payload: dict[str, Any]) -> int:
        """Schedule a job; returns its id."""
        result = self._conn.execute(
            insert(jobs)
            .values(kind=kind, due_at=due_at, payload=payload, attempts=0)
            .returning(jobs.c.id)
        )
        return int(result.scalar_one())

    def add_unless_pending(self, kind: str, due_at: datetime, payload: dict[str, Any]) -> bool:
        """Schedule ``kind`` only when no job of that kind is pending; True when added.

        PostgreSQL serialises callers on a transaction-scoped advisory lock named by the
        kind; SQLite has one writer at a time already.
        """
        if self._conn.dialect.name == "postgresql":
            key = zlib.crc32(f"watchlink.jobs:{kind}".encode())
            self._conn.execute(select(func.pg_advisory_xact_lock(key)))
        pending = exists().where(jobs.c.kind == kind, jobs.c.done_at.is_(None))
        row = select(
            literal(kind, jobs.c.kind.type),
            literal(due_at, jobs.c.due_at.type),
            literal(payload, jobs.c.payload.type),
            literal(0, jobs.c.attempts.type),
        ).where(~pending)
        added = self._conn.execute(
            insert(jobs).from_select(["kind", "due_at", "payload", "attempts"], row)
        )
        return added.rowcount == 1

    def claim(
        self, now: datetime, worker: str, lease_until: datetime, kinds: Collection[str]
    ) -> Job | None:
        """Claim the oldest due job of one of ``kinds`` for ``worker``, or None."""
        if not kinds:
            return None
        free = or_(jobs.c.locked_until.is_(None), jobs.c.locked_until <= now)
        candidate = (
            select(jobs.c.id)
            .where(jobs.c.done_at.is_(None), jobs.c.due_at <= now, free, jobs.c.kind.in_(kinds))
            .order_by(jobs.c.due_at, jobs.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        row = (
            self._conn.execute(
                update(jobs)
                .where(jobs.c.id == candidate, jobs.c.done_at.is_(None))
                .values(locked_by=worker, locked_until=lease_until, attempts=jobs.c.attempts + 1)
                .returning(*jobs.c)
            )
            .mappings()
            .first()
        )
        return None if row is None else _job(row)

    def finish(self, job_id: int, at: datetime) -> None:
        """Mark a job done (in the transaction that did its work)."""
        self._conn.execute(
            update(jobs).where(jobs.c.id == job_id).values(done_at=at, last_error=None)
        )

    def fail(self, job_id: int, error: str, retry_at: datetime | None, at: datetime) -> None:
        """Count a failed attempt: retry at ``retry_at``, or give up (done) when None."""
        values: dict[str, Any] = {
            "attempts": jobs.c.attempts + 1,
            "last_error": error[:2000],
            "locked_by": None,
            "locked_until": None,
        }
        if retry_at is None:
            values["done_at"] = at
        else:
            values["due_at"] = retry_at
        self._conn.execute(update(jobs).where(jobs.c.id == job_id).values(values))

    def get(self, job_id: int) -> Job | None:
        """One job by id."""
        row = self._conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        return None if row is None else _job(row)

    def of_kind(self, kind: str, pending_only: bool = False) -> list[Job]:
        """The jobs of one kind, by due time."""
        query = select(jobs).where(jobs.c.kind == kind).order_by(jobs.c.due_at, jobs.c.id)
        if pending_only:
            query = query.where(jobs.c.done_at.is_(None))
        return [_job(row) for row in self._conn.execute(query).mappings()]

    def pending(self, limit: int = 100) -> list[Job]:
        """Jobs not done yet, soonest first."""
        query = (
            select(jobs)
            .where(jobs.c.done_at.is_(None))
            .order_by(jobs.c.due_at, jobs.c.id)
            .limit(limit)
        )
        return [_job(row) for row in self._conn.execute(query).mappings()]

    def count_due(self, now: datetime) -> int:
        """How many jobs are due and not done."""
        query = select(func.count()).where(jobs.c.done_at.is_(None), jobs.c.due_at <= now)
        return int(self._conn.execute(query).scalar_one())
