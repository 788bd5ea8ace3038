"""Casework: hits and their recipients, requests between agencies, monitoring decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from watchlink.model.enums import (
    ConcernLevel,
    DecisionKind,
    HandlingCode,
    HitRecipientRole,
    HitState,
    RequestPriority,
    RequestState,
)

__all__ = [
    "Decision",
    "Hit",
    "HitRecipient",
    "HitReview",
    "InfoRequest",
    "RequestMessage",
]


@dataclass(slots=True)
class HitRecipient:
    """An agency a hit is delivered to, why, and whether it may read the subject."""

    agency: str
    role: HitRecipientRole
    blind: bool = False
    delivered_at: datetime | None = None


@dataclass(slots=True)
class HitReview:
    """An append-only step of a hit's workflow: acknowledge, confirm or reject."""

    state: HitState
    by_user: str
    agency: str
    at: datetime
    reason: str | None = None
    action_taken: str | None = None


@dataclass(slots=True)
class Hit:
    """An encounter matched to a subject above the screening threshold."""

    id: str
    encounter_id: str
    subject_id: str
    score: float
    explanation: list[str]
    created_at: datetime
    state: HitState = HitState.NEW
    recipients: list[HitRecipient] = field(default_factory=list)
    reviews: list[HitReview] = field(default_factory=list)
    co_travellers: list[str] = field(default_factory=list)  # encounter ids


@dataclass(slots=True)
class RequestMessage:
    """One message of a request's conversation."""

    by_agency: str
    by_user: str
    at: datetime
    body: str
    handling: HandlingCode = HandlingCode.H1


@dataclass(slots=True)
class InfoRequest:
    """A request for information from one agency to another, tracked until answered."""

    id: str
    from_agency: str
    to_agency: str
    subject: str  # the question's title
    priority: RequestPriority
    created_at: datetime
    deadline: datetime
    state: RequestState = RequestState.SENT
    subject_id: str | None = None
    hit_id: str | None = None
    messages: list[RequestMessage] = field(default_factory=list)
    escalation_level: int = 0

    def is_overdue(self, now: datetime) -> bool:
        """Overdue is derived: open past its deadline."""
        open_states = (RequestState.SENT, RequestState.ACKNOWLEDGED)
        return self.state in open_states and now > self.deadline


@dataclass(slots=True)
class Decision:
    """A monitoring decision; a new one supersedes the last, nothing is overwritten."""

    id: str
    subject_id: str
    kind: DecisionKind
    reason: str
    decided_by: str
    agency: str
    decided_at: datetime
    level: ConcernLevel | None = None
    legal_basis: str | None = None
    review_date: date | None = None
    supersedes: str | None = None
