"""Tiny factories of fictional records for tests: every field set, any of them overridable.

``make_subject(id="s-2", names=[...])`` gives a subject with names in two scripts,
partial and full birth dates, documents, contact values and provenance on each value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from watchlink.model import (
    ActionOnHit,
    Agency,
    AgencyKind,
    BirthDate,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    Encounter,
    EncounterKind,
    Gender,
    HandlingCode,
    IdentityDocument,
    Link,
    LinkKind,
    Name,
    NameKind,
    PartialDate,
    PresentedPerson,
    Provenance,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)

__all__ = ["SEEN", "make_agency", "make_encounter", "make_link", "make_subject"]

FIRST = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
SEEN = datetime(2026, 10, 2, 17, 5, 12, tzinfo=UTC)


def make_subject(**overrides: Any) -> Subject:
    """A fictional subject with every field filled in."""
    agency = overrides.get("agency", "FR-INT")
    prov = Provenance(agency, FIRST, SEEN)
    fields: dict[str, Any] = {
        "id": "s-1",
        "agency": agency,
        "names": [
            Name("Karim Benyoussef", NameKind.PRIMARY, "Karim", "Benyoussef", prov),
            Name("كريم بن يوسف", NameKind.ALIAS, provenance=prov),
            Name("Abu Yasin", NameKind.WEAK_ALIAS, provenance=None, handling=HandlingCode.H2),
        ],
        "birth_dates": [BirthDate(PartialDate(1987, 4, 12), prov), BirthDate(PartialDate(1987))],
        "birth_places": [Value("Oran", prov)],
        "nationalities": [Value("DZ", prov), Value("FR", Provenance("BE-POL"))],
        "gender": Gender.MALE,
        "documents": [
            IdentityDocument("12AB34567", DocumentType.PASSPORT, "FR", DocumentStatus.VALID, prov),
            IdentityDocument(
                "X-99 001", DocumentType.ID_CARD, "DZ", DocumentStatus.STOLEN, None, HandlingCode.H3
            ),
        ],
        "phones": [Value("+33 6 00 00 00 01", prov)],
        "emails": [Value("k.b@example.org", prov, HandlingCode.H2)],
        "addresses": [Value("1 rue Imaginaire, 75000 Paris", prov)],
        "concern": ConcernLevel.HIGH,
        "action_on_hit": ActionOnHit.DISCREET_CHECK,
        "status": SubjectStatus.ACTIVE,
        "legal_basis": "Fictional Act art. 1",
        "review_date": date(2027, 1, 31),
        "sharing": Sharing(Distribution.PARTNER_GROUP, "EU-CT", HandlingCode.H1),
        "notes": "fictional test person",
    }
    fields.update(overrides)
    return Subject(**fields)


def make_agency(**overrides: Any) -> Agency:
    """A fictional agency."""
    fields: dict[str, Any] = {
        "code": "FR-INT",
        "name": "Fictional French intelligence",
        "country": "FR",
        "kind": AgencyKind.INTELLIGENCE,
        "contact": "desk@fr-int.example",
        "officers": 12,
    }
    fields.update(overrides)
    return Agency(**fields)


def make_link(**overrides: Any) -> Link:
    """A family link between two fictional subjects."""
    fields: dict[str, Any] = {
        "source_subject": "s-1",
        "target_subject": "s-2",
        "kind": LinkKind.FAMILY,
        "source": "FR-INT",
        "confidence": 0.9,
        "note": "brothers",
        "created_at": FIRST,
    }
    fields.update(overrides)
    return Link(**fields)


def make_encounter(**overrides: Any) -> Encounter:
    """A border entry of a fictional person on a passport."""
    fields: dict[str, Any] = {
        "id": "e-1",
        "kind": EncounterKind.BORDER_ENTRY,
        "agency": "GR-BORDER",
        "occurred_at": SEEN,
        "country": "GR",
        "person": PresentedPerson(
            ["BENYOUSSEF KARIM"], "Karim", "Benyoussef", PartialDate(1987, 4), "FR", Gender.MALE
        ),
        "document": IdentityDocument("12AB34567", country="FR"),
        "site": "Fictional port",
        "origin_country": "TR",
        "destination_country": "BE",
        "group_ref": "BOOK-1",
    }
    fields.update(overrides)
    return Encounter(**fields)
