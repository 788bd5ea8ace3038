"""Reading and appending the owner's consents to onward use (``subject_consents``).

The policy asks two questions of consents, one per path: ``consented_to(agency)`` is
the SQL test the visibility filter puts in a query (an ``EXISTS`` correlated with the
``subjects`` row), ``consenting(conn, ids)`` loads the same facts for ``allowed()``.
Both count a row as consent exactly while it is not revoked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, exists, insert, select, update

from watchlink.store.chunks import chunked
from watchlink.store.tables import subjects
from watchlink.store.tables_consents import subject_consents

__all__ = ["Consent", "ConsentRepository", "consented_to", "consenting"]

_CHUNK = 1000
_c = subject_consents.c


@dataclass(frozen=True, slots=True)
class Consent:
    """One grant of consent, and its revocation when there was one."""

    id: int
    subject_id: str
    agency: str
    granted_by: str
    granted_at: datetime
    reason: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        """Whether the consent holds now (it was not revoked)."""
        return self.revoked_at is None


def consented_to(agency: str) -> ColumnElement[bool]:
    """SQL: the owner of the ``subjects`` row holds an unrevoked consent for ``agency``."""
    return exists().where(
        _c.subject_id == subjects.c.id,
        _c.agency == agency,
        _c.revoked_at.is_(None),
    )


def consenting(conn: Connection, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    """The agencies holding an unrevoked consent, by subject id (absent: none)."""
    found: dict[str, set[str]] = {}
    for chunk in chunked(dict.fromkeys(ids), _CHUNK):
        rows = conn.execute(
            select(_c.subject_id, _c.agency).where(
                _c.subject_id.in_(chunk), _c.revoked_at.is_(None)
            )
        )
        for subject_id, agency in rows:
            found.setdefault(subject_id, set()).add(agency)
    return {k: frozenset(v) for k, v in found.items()}


def _consent(row: Row[Any]) -> Consent:
    r = row._mapping
    return Consent(
        int(r["id"]), r["subject_id"], r["agency"], r["granted_by"], r["granted_at"],
        r["reason"], r["revoked_at"], r["revoked_by"],
    )  # fmt: skip


class ConsentRepository:
    """The consents of subjects, over one connection (the caller's transaction)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def for_subject(self, subject_id: str) -> list[Consent]:
        """Every grant for the subject, revoked ones included, oldest first."""
        rows = self._conn.execute(
            select(subject_consents).where(_c.subject_id == subject_id).order_by(_c.id)
        )
        return [_consent(r) for r in rows]

    def active(self, subject_id: str, agency: str) -> Consent | None:
        """The agency's unrevoked consent on the subject, if any."""
        row = self._conn.execute(
            select(subject_consents)
            .where(_c.subject_id == subject_id, _c.agency == agency, _c.revoked_at.is_(None))
            .order_by(_c.id)
        ).first()
        return None if row is None else _consent(row)

    def grant(self, subject_id: str, agency: str, by: str, at: datetime, reason: str) -> Consent:
        """Append a grant; returns it with its id."""
        new_id = self._conn.execute(
            insert(subject_consents)
            .values(subject_id=subject_id, agency=agency, granted_by=by, granted_at=at,
                    reason=reason)
            .returning(_c.id)
        ).scalar_one()  # fmt: skip
        return Consent(int(new_id), subject_id, agency, by, at, reason)

    def revoke(self, consent_id: int, by: str, at: datetime) -> bool:
        """Mark an unrevoked grant revoked; False when it was revoked already."""
        done = self._conn.execute(
            update(subject_consents)
            .where(_c.id == consent_id, _c.revoked_at.is_(None))
            .values(revoked_at=at, revoked_by=by)
        )
        return done.rowcount == 1
