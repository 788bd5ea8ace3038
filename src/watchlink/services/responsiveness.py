"""Responsiveness, visible to every partner: the number that makes silence costly.

Per receiving agency and per sender → receiver pair: requests received, answered,
answered on time, median and 90th-percentile hours to answer, and requests open past
their deadline now. Any signed-in desk may read them (they are aggregates, no record
crosses); each reading is a line of the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from watchlink.access import Actor
from watchlink.errors import AccessDenied, InputError, InputProblem
from watchlink.model import AuditAction
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.clock import Clock
from watchlink.services.requests_views import OPEN_STATES
from watchlink.store import UnitOfWork
from watchlink.store.requests_stats import ResponsivenessRow, responsiveness_rows

__all__ = ["ResponsivenessRow", "ResponsivenessService"]


class ResponsivenessService:
    """Reads the responsiveness figures."""

    def __init__(self, audit: AuditTrail, clock: Clock) -> None:
        self.audit = audit
        self.clock = clock

    def figures(
        self,
        uow: UnitOfWork,
        actor: Actor,
        by_pair: bool = False,
        since: datetime | None = None,
        agency: str | None = None,
    ) -> list[ResponsivenessRow]:
        """Per receiving agency (or per pair), optionally for requests sent ``since``."""
        if not actor.roles:
            raise AccessDenied("responsiveness is shown to agency users")
        if agency is not None and "\x00" in agency:
            raise InputError("bad agency", [InputProblem("an agency code", field="agency")])
        conn = uow.connection
        self.audit.claim_writer(conn)
        rows = responsiveness_rows(conn, self.clock.now(), OPEN_STATES, by_pair, since, agency)
        scope = "pairs" if by_pair else "agencies"
        query = f"responsiveness {scope} since={since} agency={agency}"
        self.audit.record(conn, Who.of(actor), AuditAction.READ, [], query)
        return rows
