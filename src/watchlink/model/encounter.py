"""Encounters: a person meeting an agency (border, booking, visa, asylum, police, hotel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from watchlink.model.dates import PartialDate
from watchlink.model.enums import EncounterKind, Gender
from watchlink.model.subject import IdentityDocument

__all__ = ["Encounter", "PresentedPerson"]


@dataclass(slots=True)
class PresentedPerson:
    """The person as presented at the encounter: what the papers or the booking say."""

    names: list[str] = field(default_factory=list)
    given: str | None = None
    family: str | None = None
    birth_date: PartialDate | None = None
    nationality: str | None = None
    gender: Gender | None = None
    birth_place: str | None = None


@dataclass(slots=True)
class Encounter:
    """One screening event: who was presented, where, when, and where they are going."""

    id: str
    kind: EncounterKind
    agency: str  # reporting agency
    occurred_at: datetime
    country: str  # where it happened, ISO alpha-2
    person: PresentedPerson
    document: IdentityDocument | None = None
    site: str | None = None  # e.g. airport, crossing point, hotel
    origin_country: str | None = None
    destination_country: str | None = None
    group_ref: str | None = None  # booking or group reference, for co-travel
