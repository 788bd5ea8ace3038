"""``/subjects/{id}/consents``: the owner's consent to onward use of an H2 subject.

Thin routes over ``services.consents``: granting and revoking need a writing role in
the owning agency; listing is for the owner. A subject the caller may not manage is a
404, the same as a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from watchlink.api.auth import AccessDep, ActorDep
from watchlink.services.consents import Consent, ConsentBook

__all__ = ["ConsentIn", "ConsentOut", "router"]

router = APIRouter(prefix="/subjects", tags=["subjects"])


async def get_book(access: AccessDep) -> ConsentBook:
    """The consent use cases over the app's audit trail (and its policy)."""
    return ConsentBook(access.trail)


BookDep = Annotated[ConsentBook, Depends(get_book)]
AgencyPath = Annotated[str, Path(min_length=1, max_length=32)]


class ConsentIn(BaseModel):
    """Consent for one agency; who granted it and when are the caller and now."""

    model_config = ConfigDict(extra="forbid")
    agency: str = Field(min_length=1, max_length=32, description="The agency consented to.")
    reason: str = Field(min_length=1, max_length=500, description="Why; kept on the trail.")


class ConsentOut(BaseModel):
    """One grant of consent, with its revocation when it was revoked."""

    id: int
    subject_id: str
    agency: str
    granted_by: str
    granted_at: datetime
    reason: str
    revoked_at: datetime | None
    revoked_by: str | None
    active: bool

    @classmethod
    def of(cls, consent: Consent) -> ConsentOut:
        """The wire form of a grant."""
        return cls(
            id=consent.id,
            subject_id=consent.subject_id,
            agency=consent.agency,
            granted_by=consent.granted_by,
            granted_at=consent.granted_at,
            reason=consent.reason,
            revoked_at=consent.revoked_at,
            revoked_by=consent.revoked_by,
            active=consent.active,
        )


@router.get("/{subject_id}/consents", response_model=list[ConsentOut])
def list_consents(
    subject_id: str, actor: ActorDep, book: BookDep, access: AccessDep
) -> list[ConsentOut]:
    """Every grant on a subject of the caller's agency, revoked ones included."""
    return [ConsentOut.of(c) for c in book.list_for(access.engine, actor, subject_id)]


@router.post("/{subject_id}/consents", response_model=ConsentOut, status_code=201)
def grant_consent(
    subject_id: str, body: ConsentIn, actor: ActorDep, book: BookDep, access: AccessDep
) -> ConsentOut:
    """Consent to onward use (export, sharing onward) of the subject by one agency."""
    consent = book.grant(access.engine, actor, subject_id, body.agency, body.reason)
    return ConsentOut.of(consent)


@router.delete("/{subject_id}/consents/{agency}", response_model=ConsentOut)
def revoke_consent(
    subject_id: str, agency: AgencyPath, actor: ActorDep, book: BookDep, access: AccessDep
) -> ConsentOut:
    """Withdraw the agency's consent; the grant is kept, marked revoked."""
    return ConsentOut.of(book.revoke(access.engine, actor, subject_id, agency))
