"""``/audit/events``: the audit trail, for auditors only; each reading is itself logged."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from watchlink.api.auth import AccessDep, ActorDep
from watchlink.services.audit import AuditQuery

__all__ = ["AuditEventOut", "router"]

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEventOut(BaseModel):
    """One line of the trail; purged lines keep their hashes and lose their content."""

    seq: int
    at: datetime
    actor: str
    agency: str
    role: str
    action: str
    records: list[str]
    query: str | None
    purpose: str | None
    prev_hash: str
    hash: str


@router.get("/events", response_model=list[AuditEventOut])
def audit_events(
    actor: ActorDep,
    access: AccessDep,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEventOut]:
    """Lines after ``after_seq``, oldest first; 403 for anyone but an auditor."""
    with access.engine.begin() as conn:
        events = access.trail.events(conn, actor, AuditQuery(after_seq=after_seq, limit=limit))
    return [
        AuditEventOut(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            agency=e.agency,
            role=e.role,
            action=e.action.value,
            records=e.records,
            query=e.query,
            purpose=e.purpose,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in events
    ]
