"""Subjects: the persons of interest on an agency's watchlist, with provenance on every value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from watchlink.model.dates import PartialDate
from watchlink.model.enums import (
    ActionOnHit,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    Gender,
    HandlingCode,
    LinkKind,
    NameKind,
    SubjectStatus,
)

__all__ = [
    "BirthDate",
    "IdentityDocument",
    "Link",
    "Name",
    "Provenance",
    "Sharing",
    "Subject",
    "Value",
]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Which agency asserted a value, and when it was first and last seen."""

    agency: str
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass(slots=True)
class Name:
    """One name of a person, in any script, with its parts when they are known."""

    full: str
    kind: NameKind = NameKind.PRIMARY
    given: str | None = None
    family: str | None = None
    provenance: Provenance | None = None
    handling: HandlingCode | None = None  # stricter than the record's, when set


@dataclass(slots=True)
class BirthDate:
    """A (possibly partial) date of birth."""

    date: PartialDate
    provenance: Provenance | None = None
    handling: HandlingCode | None = None


@dataclass(slots=True)
class IdentityDocument:
    """A passport, identity card or other document, with its status."""

    number: str
    type: DocumentType = DocumentType.PASSPORT
    country: str | None = None  # issuing country, ISO alpha-2
    status: DocumentStatus = DocumentStatus.VALID
    provenance: Provenance | None = None
    handling: HandlingCode | None = None


@dataclass(slots=True)
class Value:
    """A plain text value: a place, a nationality, a phone, an email, an address."""

    value: str
    provenance: Provenance | None = None
    handling: HandlingCode | None = None


@dataclass(frozen=True, slots=True)
class Sharing:
    """Who may see a record: its distribution, partner group and handling code."""

    distribution: Distribution = Distribution.OWN_AGENCY
    partner_group: str | None = None
    handling: HandlingCode = HandlingCode.H1


@dataclass(slots=True)
class Subject:
    """A person of interest, as one agency holds it."""

    id: str  # stable, unique across agencies (imported ids are kept as they are)
    agency: str  # owning agency code
    names: list[Name] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[Value] = field(default_factory=list)
    nationalities: list[Value] = field(default_factory=list)  # ISO alpha-2
    gender: Gender | None = None
    documents: list[IdentityDocument] = field(default_factory=list)
    phones: list[Value] = field(default_factory=list)
    emails: list[Value] = field(default_factory=list)
    addresses: list[Value] = field(default_factory=list)
    concern: ConcernLevel = ConcernLevel.MEDIUM
    action_on_hit: ActionOnHit = ActionOnHit.NOTIFY_ONLY
    status: SubjectStatus = SubjectStatus.ACTIVE
    legal_basis: str | None = None
    review_date: date | None = None
    sharing: Sharing = field(default_factory=Sharing)
    notes: str | None = None  # the owner's intelligence; never shown in a blind hit

    @property
    def primary_name(self) -> str:
        """The first primary name, else the first name of any kind, else the id."""
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full
        return self.names[0].full if self.names else self.id

    def all_names(self) -> Iterator[str]:
        """Every name and alias, primary first."""
        yield from (n.full for n in sorted(self.names, key=lambda n: n.kind != NameKind.PRIMARY))


@dataclass(slots=True)
class Link:
    """A relation between two subjects, with where it comes from and how sure it is."""

    source_subject: str
    target_subject: str
    kind: LinkKind
    source: str  # agency or process that asserted it
    confidence: float = 1.0
    note: str | None = None
    created_at: datetime | None = None
