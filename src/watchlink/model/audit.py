"""Audit events: one line per read, search, screening, export, write or login."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from watchlink.model.enums import AuditAction

__all__ = ["AuditEvent"]


@dataclass(slots=True)
class AuditEvent:
    """One line of the hash-chained audit trail."""

    seq: int
    at: datetime  # UTC
    actor: str
    agency: str
    role: str
    action: AuditAction
    records: list[str] = field(default_factory=list)
    query: str | None = None
    purpose: str | None = None
    prev_hash: str = ""
    hash: str = ""
