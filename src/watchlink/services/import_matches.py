"""Partner list imports screened against the other agencies' dormant and closed subjects.

When an agency imports a list, each record it brings is screened with the matching
engine against every resting (dormant or closed) subject of *other* agencies; a match
puts the record before the resting subject's owning desk (``triggers.on_import_match``),
in the import's own transaction. A match counts from the hit threshold
(``WATCHLINK_SCREENING_THRESHOLD``): a partner's record is evidence only when it would
have been a hit had the person crossed a border. The resting subjects are the index and the imported
records the queries, so a list of any length streams through one record at a time.
The evidence names the imported record only when the desk may read it; otherwise it
says which agency imported what reference, like a blind hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from watchlink.matching import Screener
from watchlink.model import Subject, SubjectStatus
from watchlink.services.audit import AuditTrail
from watchlink.services.triggers import default_trail, may_read, on_import_match
from watchlink.store.monitoring import ReviewTask
from watchlink.store.tables import subjects
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["ImportMatchWatcher"]

_RESTING = (SubjectStatus.DORMANT.value, SubjectStatus.CLOSED.value)


class ImportMatchWatcher:
    """Screens each imported record as it is stored; ``tasks`` holds what it opened."""

    def __init__(
        self,
        uow: UnitOfWork,
        agency: str,
        at: datetime,
        *,
        threshold: float | None = None,
        trail: AuditTrail | None = None,
    ) -> None:
        self.uow = uow
        self.agency = agency
        self.at = at
        self.threshold = threshold
        self.trail = trail
        self.tasks: list[ReviewTask] = []
        self._screener: Screener[Any] | None = None
        self._empty = False

    def _resting(self) -> Iterator[Subject]:
        ids = list(
            self.uow.connection.scalars(
                select(subjects.c.id).where(
                    subjects.c.agency != self.agency, subjects.c.status.in_(_RESTING)
                )
            )
        )
        for start in range(0, len(ids), 1_000):
            yield from self.uow.subjects.get_many(ids[start : start + 1_000])

    def _index(self) -> Screener[Any] | None:
        if self._screener is None and not self._empty:
            resting = list(self._resting())
            self._empty = not resting
            if resting:
                self._screener = Screener.build(resting)
        return self._screener

    def imported(self, record: Subject) -> None:
        """Screen one stored record of the import against the resting subjects."""
        screener = self._index()
        if screener is None:
            return
        threshold = self.threshold
        if threshold is None:
            from watchlink.settings import get_settings

            threshold = get_settings().screening_threshold  # as strong as a hit, no weaker
        for match in screener.screen(record, top=5, threshold=threshold):
            self._raise(record, match.subject_id, match.score, match.explanation)

    def _raise(self, record: Subject, subject_id: str, score: float, why: list[str]) -> None:
        trail = self.trail if self.trail is not None else default_trail()
        owner = self.uow.subjects.get(subject_id)
        if owner is None:
            return
        visible = may_read(self.uow, trail, owner.agency, record)
        evidence: dict[str, Any] = {
            "agency": self.agency,
            "record_id": record.id,
            "score": round(float(score), 4),
            "name": record.primary_name if visible else None,
            "explanation": why[:10] if visible else [],
        }
        task = on_import_match(self.uow, subject_id, evidence, self.at, trail=trail)
        if task is not None:
            self.tasks.append(task)

    def finished(self) -> None:
        """Nothing is left to do at the end: every record was screened as it came."""
