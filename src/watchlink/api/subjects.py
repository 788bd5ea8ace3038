"""``/subjects``: get, list, search, count, export and create, all through the policy.

Routes are thin: the wire shapes are here, the decisions in ``services.subjects``. The
create payload has no owner, creator or audit fields at all; sending one is a 422.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from watchlink.access import Actor
from watchlink.api.auth import AccessDep, ActorDep
from watchlink.api.subject_details import DetailsIn, DetailsOut, DetailsPatch, details
from watchlink.model import (
    ActionOnHit,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    Sharing,
    Subject,
    SubjectStatus,
)
from watchlink.services.subjects import MAX_PAGE, SubjectReader

__all__ = ["SubjectIn", "SubjectOut", "SubjectPatch", "get_reader", "router"]

router = APIRouter(prefix="/subjects", tags=["subjects"])


async def get_reader(request: Request, access: AccessDep) -> SubjectReader:
    """The app's subject reader, built once over the store on first use (no I/O: a
    coroutine, resolved without a trip to the thread pool)."""
    reader = getattr(request.app.state, "subject_reader", None)
    if reader is None:
        from watchlink.services.access_wiring import store_subject_store

        reader = SubjectReader(store_subject_store(), access.trail)
        request.app.state.subject_reader = reader
    assert isinstance(reader, SubjectReader)
    from watchlink.api.hits import screening_of  # the warm index follows every change

    reader.watch(screening_of(request.app, access))
    return reader


ReaderDep = Annotated[SubjectReader, Depends(get_reader)]


class NameOut(BaseModel):
    full: str
    kind: str


class DocumentOut(BaseModel):
    number: str
    type: str
    country: str | None
    status: str


class SharingOut(BaseModel):
    distribution: str
    partner_group: str | None
    handling: str


class SubjectOut(DetailsOut):
    """A subject as the caller may see it: fields with a stricter handling are left out."""

    id: str
    agency: str
    names: list[NameOut]
    documents: list[DocumentOut]
    birth_dates: list[str]
    nationalities: list[str]
    concern: int
    action_on_hit: str
    status: str
    sharing: SharingOut
    notes: str | None = Field(default=None, description="Only for the owning agency.")

    @classmethod
    def of(cls, subject: Subject, actor: Actor) -> SubjectOut:
        """The wire form of a subject already redacted for ``actor``."""
        return cls(
            id=subject.id,
            agency=subject.agency,
            names=[NameOut(full=n.full, kind=n.kind.value) for n in subject.names],
            documents=[
                DocumentOut(number=d.number, type=d.type.value, country=d.country, status=d.status)
                for d in subject.documents
            ],
            birth_dates=[str(b.date) for b in subject.birth_dates],
            nationalities=[v.value for v in subject.nationalities],
            concern=int(subject.concern),
            action_on_hit=subject.action_on_hit.value,
            status=subject.status.value,
            sharing=SharingOut(
                distribution=subject.sharing.distribution.value,
                partner_group=subject.sharing.partner_group,
                handling=subject.sharing.handling.value,
            ),
            notes=subject.notes if subject.agency == actor.agency else None,
            **cast(dict[str, Any], DetailsOut.fields_of(subject, subject.agency == actor.agency)),
        )


class SubjectPage(BaseModel):
    items: list[SubjectOut]
    limit: int
    offset: int


class Count(BaseModel):
    count: int


class NameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    full: str = Field(min_length=1, max_length=300)
    kind: NameKind = NameKind.PRIMARY
    handling: HandlingCode | None = None


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(min_length=1, max_length=64)
    type: DocumentType = DocumentType.PASSPORT
    country: str | None = Field(default=None, min_length=2, max_length=2)
    status: DocumentStatus = Field(
        default=DocumentStatus.VALID,
        description="stolen, lost or forged: whoever presents it is a hit, whatever the name",
    )
    handling: HandlingCode | None = None


class SubjectIn(DetailsIn):
    """A new subject. The owner is the caller's agency; there is no field to say otherwise."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="Starts with the caller's agency code in lower case, e.g. fr-int-0042.",
    )
    names: list[NameIn] = Field(min_length=1)
    documents: list[DocumentIn] = Field(default_factory=list)
    concern: ConcernLevel = ConcernLevel.MEDIUM
    action_on_hit: ActionOnHit = ActionOnHit.NOTIFY_ONLY
    distribution: Distribution = Distribution.OWN_AGENCY
    partner_group: str | None = None
    handling: HandlingCode = HandlingCode.H1
    notes: str | None = Field(default=None, max_length=10_000)

    def to_subject(self, actor: Actor) -> Subject:
        """The domain subject, owned by the caller's agency."""
        return Subject(
            id=self.id,
            agency=actor.agency,
            names=[Name(n.full, n.kind, handling=n.handling) for n in self.names],
            documents=_documents(self.documents),
            concern=self.concern,
            action_on_hit=self.action_on_hit,
            sharing=Sharing(self.distribution, self.partner_group, self.handling),
            notes=self.notes,
            **cast(dict[str, Any], details(self)),
        )


def _documents(documents: list[DocumentIn]) -> list[IdentityDocument]:
    return [
        IdentityDocument(d.number, d.type, d.country, d.status, handling=d.handling)
        for d in documents
    ]


class ExportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    purpose: str = Field(min_length=1, max_length=500, description="Why; kept on the trail.")
    q: str | None = Field(default=None, max_length=200)
    format: Literal["json"] = "json"


Q = Annotated[str | None, Query(max_length=200, description="Part of a name or document.")]


@router.get("", response_model=SubjectPage)
def list_subjects(
    actor: ActorDep,
    reader: ReaderDep,
    access: AccessDep,
    q: Q = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SubjectPage:
    """The subjects the caller may see; with ``q``, those with a visible name or document."""
    found = reader.list_visible(access.engine, actor, q, limit, offset)
    return SubjectPage(items=[SubjectOut.of(s, actor) for s in found], limit=limit, offset=offset)


@router.get("/count", response_model=Count)
def count_subjects(actor: ActorDep, reader: ReaderDep, access: AccessDep, q: Q = None) -> Count:
    """How many subjects ``GET /subjects`` would page through."""
    return Count(count=reader.count(access.engine, actor, q))


@router.post("/export", response_model=list[SubjectOut])
def export_subjects(
    body: ExportIn, actor: ActorDep, reader: ReaderDep, access: AccessDep
) -> list[SubjectOut]:
    """Everything the caller may take out of watchlink, for a stated purpose."""
    found = reader.export(access.engine, actor, body.purpose, body.q)
    return [SubjectOut.of(s, actor) for s in found]


@router.get("/{subject_id}", response_model=SubjectOut)
def get_subject(
    subject_id: str, actor: ActorDep, reader: ReaderDep, access: AccessDep
) -> SubjectOut:
    """One subject; 404 alike when it does not exist or is not the caller's to see."""
    return SubjectOut.of(reader.get(access.engine, actor, subject_id), actor)


class SubjectPatch(DetailsPatch):
    """Fields to change on a subject of the caller's agency; those left out are kept."""

    model_config = ConfigDict(extra="forbid")
    names: list[NameIn] | None = Field(default=None, min_length=1)
    documents: list[DocumentIn] | None = None
    concern: ConcernLevel | None = None
    action_on_hit: ActionOnHit | None = None
    status: SubjectStatus | None = None
    distribution: Distribution | None = None
    partner_group: str | None = None
    handling: HandlingCode | None = None
    notes: str | None = Field(default=None, max_length=10_000)

    def changes(self, current_sharing: Sharing | None = None) -> dict[str, object]:
        """The domain fields to change (the sharing as one value when any part is sent)."""
        sent = self.model_fields_set
        changed: dict[str, object] = {}
        if self.names is not None:
            changed["names"] = [Name(n.full, n.kind, handling=n.handling) for n in self.names]
        if self.documents is not None:
            changed["documents"] = _documents(self.documents)
        changed.update(details(self))
        for name in ("concern", "action_on_hit", "status"):
            value = getattr(self, name)
            if value is not None:
                changed[name] = value
        if "notes" in sent:
            changed["notes"] = self.notes
        if sent & {"distribution", "partner_group", "handling"}:
            base = current_sharing or Sharing()
            changed["sharing"] = Sharing(
                self.distribution or base.distribution,
                self.partner_group if "partner_group" in sent else base.partner_group,
                self.handling or base.handling,
            )
        return changed


@router.patch("/{subject_id}", response_model=SubjectOut)
def update_subject(
    subject_id: str, body: SubjectPatch, actor: ActorDep, reader: ReaderDep, access: AccessDep
) -> SubjectOut:
    """Change a subject of the caller's agency; 404 alike when missing or not its own.

    Sending any of distribution, partner_group and handling replaces the sharing, the
    parts left out taken from the stored record. Screening follows at once.
    """
    current = None
    if body.model_fields_set & {"distribution", "partner_group", "handling"}:
        current = reader.get(access.engine, actor, subject_id).sharing
    updated = reader.update(access.engine, actor, subject_id, body.changes(current))
    return SubjectOut.of(updated, actor)


@router.post("", response_model=SubjectOut, status_code=201)
def create_subject(
    body: SubjectIn, actor: ActorDep, reader: ReaderDep, access: AccessDep
) -> SubjectOut:
    """Add a subject to the caller's agency's list."""
    created = reader.create(access.engine, actor, body.to_subject(actor))
    return SubjectOut.of(created, actor)
