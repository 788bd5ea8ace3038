"""What one party of a request sees of it, and the deadlines a deployment sets.

A request shows its subject to a party only when that party may read the subject now,
or when the sender was allowed to share it onward when asking (then the summary the
sender could share, and nothing more). Otherwise the subject is withheld: the
question's own words are all that cross. An H3 message is its author agency's own
note and never reaches the other party.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from watchlink.model import HandlingCode, InfoRequest, RequestPriority, RequestState, Subject
from watchlink.settings import Settings
from watchlink.store.requests_store import AttachmentRecord, RequestEvent, SubjectShare

__all__ = [
    "OPEN_STATES",
    "MessageView",
    "RequestTerms",
    "RequestView",
    "share_summary",
    "view_of",
    "visible_to",
]

OPEN_STATES: tuple[str, ...] = (RequestState.SENT.value, RequestState.ACKNOWLEDGED.value)
"""States in which a request waits for its answer (and can become overdue)."""


@dataclass(frozen=True, slots=True)
class RequestTerms:
    """Deadlines per priority and when the receiving desk is reminded (per deployment)."""

    deadlines: Mapping[RequestPriority, timedelta]
    reminder_fraction: float = 0.25

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestTerms:
        """The terms the settings configure."""
        return cls(
            {
                RequestPriority.URGENT: timedelta(hours=settings.request_deadline_urgent_hours),
                RequestPriority.HIGH: timedelta(hours=settings.request_deadline_high_hours),
                RequestPriority.NORMAL: timedelta(hours=settings.request_deadline_normal_hours),
            },
            settings.request_reminder_fraction,
        )

    def deadline(self, priority: RequestPriority, sent_at: datetime) -> datetime:
        """When an answer is due."""
        return sent_at + self.deadlines[priority]

    def reminder_at(self, request: InfoRequest) -> datetime:
        """When the receiving desk is reminded: with ``reminder_fraction`` of the time left."""
        window = request.deadline - request.created_at
        return request.deadline - window * self.reminder_fraction


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message as a party sees it."""

    by_agency: str
    by_user: str
    at: datetime
    body: str
    handling: str


@dataclass(frozen=True, slots=True)
class RequestView:
    """A request as one party sees it."""

    id: str
    from_agency: str
    to_agency: str
    title: str
    priority: str
    state: str
    overdue: bool
    created_at: datetime
    deadline: datetime
    escalation_level: int
    subject_id: str | None
    subject_withheld: bool
    subject_summary: dict[str, Any] | None
    hit_id: str | None
    messages: list[MessageView] = field(default_factory=list)
    events: list[RequestEvent] = field(default_factory=list)
    attachments: list[AttachmentRecord] = field(default_factory=list)


def share_summary(subject: Subject) -> dict[str, Any]:
    """What a request reveals of a subject the sender may share (already redacted).

    Names, birth dates and nationalities only, and nothing marked H3 (owner's eyes only).
    """
    h3 = HandlingCode.H3
    if subject.sharing.handling is h3:
        return {}
    return {
        "names": [n.full for n in subject.names if n.handling is not h3],
        "birth_dates": [str(b.date) for b in subject.birth_dates if b.handling is not h3],
        "nationalities": [v.value for v in subject.nationalities if v.handling is not h3],
        "owner_agency": subject.agency,
    }


def visible_to(handling: str, author_agency: str, agency: str) -> bool:
    """An H3 item stays with its author agency; any other reaches both parties."""
    return handling != HandlingCode.H3.value or author_agency == agency


def view_of(
    request: InfoRequest,
    agency: str,
    now: datetime,
    *,
    reads_subject: bool,
    share: SubjectShare | None,
    sees_hit: bool,
    events: list[RequestEvent] | None = None,
    attachments: list[AttachmentRecord] | None = None,
) -> RequestView:
    """The request as ``agency`` sees it (a party, already checked)."""
    subject_id: str | None = None
    summary: dict[str, Any] | None = None
    if request.subject_id is not None and reads_subject:
        subject_id = request.subject_id
    elif request.subject_id is not None and share is not None:
        subject_id, summary = share.subject_id, share.summary
    messages = [
        MessageView(m.by_agency, m.by_user, m.at, m.body, m.handling.value)
        for m in request.messages
        if visible_to(m.handling.value, m.by_agency, agency)
    ]
    shown = [a for a in attachments or [] if visible_to(a.handling, a.by_agency, agency)]
    return RequestView(
        id=request.id,
        from_agency=request.from_agency,
        to_agency=request.to_agency,
        title=request.subject,
        priority=request.priority.value,
        state=request.state.value,
        overdue=request.is_overdue(now),
        created_at=request.created_at,
        deadline=request.deadline,
        escalation_level=request.escalation_level,
        subject_id=subject_id,
        subject_withheld=request.subject_id is not None and subject_id is None,
        subject_summary=summary,
        hit_id=request.hit_id if sees_hit else None,
        messages=messages,
        events=list(events or []),
        attachments=shown,
    )
