"""What an auditor asks of the trail, and the lines that answer it.

``AuditQuery`` holds every filter the API and the console offer (after a sequence
number, by user, by subject or record id, in a time window, oldest or newest first);
``AuditTrail.events`` checks the reader and logs the reading, then calls ``lines``.
Times are naive UTC, as the trail stores them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from watchlink.model import AuditAction, AuditEvent
from watchlink.store.tables_access import audit_events

__all__ = ["AuditQuery", "lines"]


def _stored_time(moment: datetime) -> datetime:
    """A moment as the trail stores it: naive UTC (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _like(text: str) -> str:
    """A LIKE pattern finding ``text`` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which lines are wanted; empty fields do not filter."""

    after_seq: int = 0
    limit: int = 100
    newest_first: bool = False
    user: str = ""
    subject: str = ""  # a subject or record id among the line's records
    since: datetime | None = None
    until: datetime | None = None  # excluded

    def where(self) -> list[ColumnElement[bool]]:
        """The conditions on ``audit_events`` that these filters make."""
        where: list[ColumnElement[bool]] = [audit_events.c.seq > self.after_seq]
        if self.user:
            where.append(audit_events.c.actor == self.user)
        if self.subject:
            needle = _like(json.dumps(self.subject))
            where.append(audit_events.c.records.like(needle, escape="\\"))
        if self.since is not None:
            where.append(audit_events.c.at >= _stored_time(self.since))
        if self.until is not None:
            where.append(audit_events.c.at < _stored_time(self.until))
        return where

    def describe(self) -> str:
        """The query as the reading's own line of the trail records it."""
        parts = [f"after_seq={self.after_seq}", f"limit={self.limit}"]
        if self.newest_first:
            parts.append("newest_first")
        if self.user:
            parts.append(f"user={self.user!r}")
        if self.subject:
            parts.append(f"subject={self.subject!r}")
        if self.since is not None:
            parts.append(f"since={self.since.isoformat()}")
        if self.until is not None:
            parts.append(f"until={self.until.isoformat()}")
        return " ".join(parts)


def _event(row: Any) -> AuditEvent:
    """One stored line; a purged line keeps its hashes and reads as an empty READ."""
    return AuditEvent(
        seq=int(row.seq),
        at=row.at,
        actor=row.actor or "",
        agency=row.agency or "",
        role=row.role or "",
        action=AuditAction(row.action) if row.action else AuditAction.READ,
        records=json.loads(row.records) if row.records else [],
        query=row.query,
        purpose=row.purpose,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def lines(conn: Connection, wanted: AuditQuery) -> list[AuditEvent]:
    """The lines matching ``wanted``, at most ``wanted.limit``, unchecked and unlogged."""
    order = audit_events.c.seq.desc() if wanted.newest_first else audit_events.c.seq
    rows: Sequence[Any] = conn.execute(
        select(audit_events).where(*wanted.where()).order_by(order).limit(wanted.limit)
    ).all()
    return [_event(r) for r in rows]
