"""Storage of what surrounds a request: history, reminders, escalation, shares, attachments.

State changes are conditional updates (``... WHERE state IN (...)``, ``... WHERE
escalation_level < n``): when two servers or two officers act at once, exactly one
update matches and the other learns it lost (False), so an escalation step or a state
change happens once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from watchlink.store.dialect import insert_ignore
from watchlink.store.tables_casework import info_requests
from watchlink.store.tables_requests import (
    escalation_steps,
    request_attachments,
    request_events,
    request_reminders,
    request_shares,
)

__all__ = [
    "AttachmentRecord",
    "EscalationStep",
    "RequestCaseRepository",
    "RequestEvent",
    "SubjectShare",
]


@dataclass(frozen=True, slots=True)
class RequestEvent:
    """One step of a request's history."""

    kind: str
    at: datetime
    by_agency: str
    by_user: str
    level: int | None = None
    detail: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """One level of a receiving agency's chain: whom to notify, how long past the deadline."""

    level: int
    role: str
    recipient: str
    after_hours: float


@dataclass(frozen=True, slots=True)
class SubjectShare:
    """What the sender could reveal about the request's subject, fixed when it asked."""

    subject_id: str
    summary: dict[str, Any]
    handling: str


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    """An attachment's description (its bytes are read separately)."""

    id: str
    request_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    handling: str
    by_agency: str
    by_user: str
    at: datetime
    path: str | None


_ATTACHMENT_COLUMNS = [c for c in request_attachments.c if c.name != "data"]


class RequestCaseRepository:
    """The request side tables on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    # -- state, conditionally -------------------------------------------------------
    def change_state(self, request_id: str, from_states: Collection[str], to_state: str) -> bool:
        """Move a request to ``to_state`` if it is in one of ``from_states``; True if moved."""
        done = self._conn.execute(
            update(info_requests)
            .where(info_requests.c.id == request_id, info_requests.c.state.in_(from_states))
            .values(state=to_state)
        )
        return done.rowcount == 1

    def raise_escalation(self, request_id: str, level: int, open_states: Collection[str]) -> bool:
        """Set the escalation level to ``level`` if it is lower and the request open."""
        done = self._conn.execute(
            update(info_requests)
            .where(
                info_requests.c.id == request_id,
                info_requests.c.escalation_level < level,
                info_requests.c.state.in_(open_states),
            )
            .values(escalation_level=level)
        )
        return done.rowcount == 1

    def lock_writer(self, request_id: str) -> None:
        """Take the request's row lock first (PostgreSQL) / the write lock (SQLite)."""
        self._conn.execute(
            update(info_requests)
            .where(info_requests.c.id == request_id)
            .values(escalation_level=info_requests.c.escalation_level)
        )

    # -- history --------------------------------------------------------------------
    def add_event(self, request_id: str, event: RequestEvent) -> None:
        """Append one step to the request's history."""
        self._conn.execute(
            insert(request_events).values(
                request_id=request_id,
                kind=event.kind,
                at=event.at,
                by_agency=event.by_agency,
                by_user=event.by_user,
                level=event.level,
                detail=event.detail,
            )
        )

    def events(self, request_id: str) -> list[RequestEvent]:
        """The request's history, oldest first."""
        rows = self._conn.execute(
            select(request_events)
            .where(request_events.c.request_id == request_id)
            .order_by(request_events.c.at, request_events.c.id)
        ).mappings()
        return [
            RequestEvent(r["kind"], r["at"], r["by_agency"], r["by_user"], r["level"], r["detail"])
            for r in rows
        ]

    # -- reminders ------------------------------------------------------------------
    def mark_reminded(self, request_id: str, kind: str, at: datetime) -> bool:
        """Record that a reminder went out; False when it had already (so it goes once)."""
        statement = insert_ignore(
            request_reminders, self._conn.dialect.name, ["request_id", "kind"]
        )
        done = self._conn.execute(
            statement.values(request_id=request_id, kind=kind, sent_at=at).returning(
                request_reminders.c.request_id
            )
        )
        return done.first() is not None

    # -- escalation chains ----------------------------------------------------------
    def chain(self, agency: str) -> list[EscalationStep]:
        """The agency's configured chain, lowest level first (empty: not configured)."""
        rows = self._conn.execute(
            select(escalation_steps)
            .where(escalation_steps.c.agency == agency)
            .order_by(escalation_steps.c.level)
        ).mappings()
        return [
            EscalationStep(r["level"], r["role"], r["recipient"], float(r["after_hours"]))
            for r in rows
        ]

    def set_chain(
        self, agency: str, steps: Sequence[EscalationStep], by_user: str, at: datetime
    ) -> None:
        """Replace the agency's chain."""
        self._conn.execute(delete(escalation_steps).where(escalation_steps.c.agency == agency))
        if steps:
            self._conn.execute(
                insert(escalation_steps),
                [
                    {
                        "agency": agency,
                        "level": s.level,
                        "role": s.role,
                        "recipient": s.recipient,
                        "after_hours": s.after_hours,
                        "updated_by": by_user,
                        "updated_at": at,
                    }
                    for s in steps
                ],
            )

    # -- what the sender shared -----------------------------------------------------
    def add_share(self, request_id: str, share: SubjectShare, by_user: str, at: datetime) -> None:
        """Keep what the sender revealed about the subject."""
        self._conn.execute(
            insert(request_shares).values(
                request_id=request_id,
                subject_id=share.subject_id,
                summary=share.summary,
                handling=share.handling,
                shared_by=by_user,
                shared_at=at,
            )
        )

    def share(self, request_id: str) -> SubjectShare | None:
        """What the sender revealed about the subject, or None."""
        row = (
            self._conn.execute(
                select(request_shares).where(request_shares.c.request_id == request_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return SubjectShare(row["subject_id"], dict(row["summary"]), row["handling"])

    # -- attachments ----------------------------------------------------------------
    def add_attachment(self, record: AttachmentRecord, data: bytes | None) -> None:
        """Store an attachment's description, and its bytes when kept in the database."""
        self._conn.execute(
            insert(request_attachments).values(
                id=record.id,
                request_id=record.request_id,
                filename=record.filename,
                content_type=record.content_type,
                size=record.size,
                sha256=record.sha256,
                handling=record.handling,
                by_agency=record.by_agency,
                by_user=record.by_user,
                at=record.at,
                data=data,
                path=record.path,
            )
        )

    def attachments(self, request_id: str) -> list[AttachmentRecord]:
        """The request's attachments, oldest first."""
        rows = self._conn.execute(
            select(*_ATTACHMENT_COLUMNS)
            .where(request_attachments.c.request_id == request_id)
            .order_by(request_attachments.c.at, request_attachments.c.id)
        ).mappings()
        return [AttachmentRecord(**dict(r)) for r in rows]

    def attachment(self, attachment_id: str) -> tuple[AttachmentRecord, bytes | None] | None:
        """One attachment and its bytes when kept in the database, or None."""
        row = (
            self._conn.execute(
                select(request_attachments).where(request_attachments.c.id == attachment_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        values = {k: v for k, v in row.items() if k != "data"}
        data = row["data"]
        return AttachmentRecord(**values), None if data is None else bytes(data)
