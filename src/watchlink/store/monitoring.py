"""Repositories of monitoring review: review tasks, extensions, retention, subject state.

They store and fetch; the services decide. A review task is added at most once per
``(subject, evidence key)``; adding it again returns None and changes nothing. While a
subject has open tasks, every one of them carries the subject's priority (the sum of
the open tasks' weights), so the queue orders subjects by how much evidence waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from watchlink.model import ConcernLevel, Decision, SubjectStatus
from watchlink.store.dialect import insert_ignore
from watchlink.store.mapping import Row
from watchlink.store.tables import subjects
from watchlink.store.tables_casework import decisions
from watchlink.store.tables_monitoring import review_extensions, review_tasks, subject_retention

__all__ = [
    "OPEN",
    "RESOLVED",
    "Extension",
    "Retention",
    "RetentionRepository",
    "ReviewTask",
    "ReviewTaskRepository",
    "decision_history",
    "in_force_order",
    "set_monitoring_state",
]

OPEN = "open"
RESOLVED = "resolved"


@dataclass(slots=True)
class ReviewTask:
    """One piece of evidence before the owning desk, and what the desk made of it."""

    id: str
    subject_id: str
    agency: str
    trigger: str
    evidence_key: str
    evidence: dict[str, Any]
    weight: int
    priority: int
    state: str
    created_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None
    decision_id: str | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    """A review date moved on, by whom and why (append-only)."""

    subject_id: str
    agency: str
    by_user: str
    at: datetime
    previous_date: date | None
    new_date: date
    reason: str


@dataclass(frozen=True, slots=True)
class Retention:
    """A subject closed for a missed review: when, and from when it may be deleted."""

    subject_id: str
    agency: str
    review_date: date | None
    closed_at: datetime
    delete_after: datetime
    deleted_at: datetime | None = None


def _task(row: Row) -> ReviewTask:
    return ReviewTask(**{c.name: row[c.name] for c in review_tasks.columns})


class ReviewTaskRepository:
    """Review tasks on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, task: ReviewTask) -> ReviewTask | None:
        """Store a new open task; None when this evidence already has a task."""
        row = {c.name: getattr(task, c.name) for c in review_tasks.columns}
        statement = insert_ignore(
            review_tasks, self._conn.dialect.name, ["subject_id", "evidence_key"]
        )
        added = self._conn.execute(statement.returning(review_tasks.c.id), [row]).first()
        if added is None:
            return None
        self.reprioritise(task.subject_id)
        return self.get(task.id)

    def reprioritise(self, subject_id: str) -> int:
        """Give the subject's open tasks the sum of their weights; returns that sum."""
        open_ = (review_tasks.c.subject_id == subject_id) & (review_tasks.c.state == OPEN)
        total = self._conn.execute(
            select(func.coalesce(func.sum(review_tasks.c.weight), 0)).where(open_)
        ).scalar_one()
        self._conn.execute(update(review_tasks).where(open_).values(priority=int(total)))
        return int(total)

    def get(self, task_id: str) -> ReviewTask | None:
        """The task with this id, or None."""
        row = self._conn.execute(select(review_tasks).where(review_tasks.c.id == task_id))
        found = row.mappings().first()
        return None if found is None else _task(found)

    def of_subject(self, subject_id: str) -> list[ReviewTask]:
        """A subject's tasks, oldest first."""
        query = (
            select(review_tasks)
            .where(review_tasks.c.subject_id == subject_id)
            .order_by(review_tasks.c.created_at, review_tasks.c.id)
        )
        return [_task(r) for r in self._conn.execute(query).mappings()]

    def queue(
        self, agency: str, state: str = OPEN, limit: int = 100, offset: int = 0
    ) -> list[ReviewTask]:
        """An agency's tasks in a state, highest priority first, then oldest first."""
        query = (
            select(review_tasks)
            .where(review_tasks.c.agency == agency, review_tasks.c.state == state)
            .order_by(
                review_tasks.c.priority.desc(),
                review_tasks.c.created_at,
                review_tasks.c.id,
            )
            .limit(limit)
            .offset(offset)
        )
        return [_task(r) for r in self._conn.execute(query).mappings()]

    def open_evidence(self, subject_id: str, except_trigger: str) -> int:
        """How many open tasks of the subject come from triggers other than ``except_trigger``."""
        query = select(func.count()).where(
            review_tasks.c.subject_id == subject_id,
            review_tasks.c.state == OPEN,
            review_tasks.c.trigger != except_trigger,
        )
        return int(self._conn.execute(query).scalar_one())

    def resolve(
        self, task_id: str, by_user: str, at: datetime, resolution: str, decision_id: str | None
    ) -> bool:
        """Close an open task with what was made of it; False when it was not open."""
        done = self._conn.execute(
            update(review_tasks)
            .where(review_tasks.c.id == task_id, review_tasks.c.state == OPEN)
            .values(
                state=RESOLVED,
                resolved_at=at,
                resolved_by=by_user,
                resolution=resolution,
                decision_id=decision_id,
            )
        )
        return done.rowcount == 1

    def add_extension(self, extension: Extension) -> None:
        """Append a review extension."""
        row = {
            c.name: getattr(extension, c.name) for c in review_extensions.columns if c.name != "id"
        }
        self._conn.execute(insert(review_extensions), [row])

    def extensions(self, subject_id: str) -> list[Extension]:
        """A subject's extensions, oldest first."""
        query = (
            select(review_extensions)
            .where(review_extensions.c.subject_id == subject_id)
            .order_by(review_extensions.c.at, review_extensions.c.id)
        )
        return [
            Extension(**{k: v for k, v in r.items() if k != "id"})
            for r in self._conn.execute(query).mappings()
        ]

    def forget_subject(self, subject_id: str) -> None:
        """Delete a subject's tasks, extensions and decisions (retention deletion)."""
        for table in (review_tasks, review_extensions, decisions):
            self._conn.execute(delete(table).where(table.c.subject_id == subject_id))


class RetentionRepository:
    """Subjects closed for a missed review, until and after their deletion."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, retention: Retention) -> bool:
        """Record a closing; False when the subject already has a retention row."""
        row = {c.name: getattr(retention, c.name) for c in subject_retention.columns}
        statement = insert_ignore(subject_retention, self._conn.dialect.name, ["subject_id"])
        return (
            self._conn.execute(statement.returning(subject_retention.c.subject_id), [row]).first()
            is not None
        )

    def get(self, subject_id: str) -> Retention | None:
        """The retention row of a subject, or None."""
        query = select(subject_retention).where(subject_retention.c.subject_id == subject_id)
        row = self._conn.execute(query).mappings().first()
        return None if row is None else Retention(**dict(row))

    def cancel(self, subject_id: str) -> bool:
        """Drop a pending deletion (the review was extended or monitoring restarted)."""
        done = self._conn.execute(
            delete(subject_retention).where(
                subject_retention.c.subject_id == subject_id,
                subject_retention.c.deleted_at.is_(None),
            )
        )
        return done.rowcount == 1

    def due(self, now: datetime, limit: int = 1_000) -> list[Retention]:
        """Pending deletions whose grace period is over, oldest first."""
        query = (
            select(subject_retention)
            .where(
                subject_retention.c.deleted_at.is_(None), subject_retention.c.delete_after <= now
            )
            .order_by(subject_retention.c.delete_after, subject_retention.c.subject_id)
            .limit(limit)
        )
        return [Retention(**dict(r)) for r in self._conn.execute(query).mappings()]

    def mark_deleted(self, subject_id: str, at: datetime) -> None:
        """Keep the row as a tombstone: the subject was deleted at ``at``."""
        self._conn.execute(
            update(subject_retention)
            .where(subject_retention.c.subject_id == subject_id)
            .values(deleted_at=at)
        )


def decision_history(conn: Connection, subject_id: str) -> list[Decision]:
    """A subject's decisions oldest first, the one in force last.

    Ordered by time, and within the same instant by the ``supersedes`` chain, so two
    decisions taken in one transaction keep the order they were taken in.
    """
    from watchlink.store.repositories import DecisionRepository

    return in_force_order(DecisionRepository(conn).of_subject(subject_id))


def in_force_order(found: list[Decision]) -> list[Decision]:
    """One subject's decisions (read by time, then id) in ``decision_history``'s order."""
    parent = {d.id: d.supersedes for d in found}
    depth: dict[str, int] = {}
    for decision in found:
        steps, current = 0, decision.supersedes
        while current is not None and current in parent and steps <= len(found):
            steps, current = steps + 1, parent[current]
        depth[decision.id] = steps
    return sorted(found, key=lambda d: (d.decided_at, depth[d.id]))


def set_monitoring_state(
    conn: Connection,
    subject_id: str,
    at: datetime,
    *,
    status: SubjectStatus | None = None,
    concern: ConcernLevel | None = None,
    review_date: date | None = None,
    legal_basis: str | None = None,
) -> None:
    """Update a subject's monitoring fields (those given) and bump its version."""
    values: dict[str, Any] = {"version": subjects.c.version + 1, "updated_at": at}
    if status is not None:
        values["status"] = status.value
    if concern is not None:
        values["concern"] = int(concern)
    if review_date is not None:
        values["review_date"] = review_date
    if legal_basis is not None:
        values["legal_basis"] = legal_basis
    conn.execute(update(subjects).where(subjects.c.id == subject_id).values(values))
