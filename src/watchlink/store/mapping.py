"""Rows to model classes and back, for subjects and their values, agencies and links.

Pure functions: a model object becomes plain dictionaries ready for ``insert``, and
result rows become model objects again, equal to what was saved. Casework (encounters,
hits, requests, decisions) is mapped in ``mapping_casework.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
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
    Gender,
    HandlingCode,
    IdentityDocument,
    Link,
    LinkKind,
    Name,
    NameKind,
    PartialDate,
    Provenance,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)
from watchlink.normalize.documents import document_number

__all__ = [
    "VALUE_FIELDS",
    "Row",
    "agency_from_row",
    "agency_row",
    "child_rows",
    "document_key",
    "handling_of",
    "link_from_row",
    "link_row",
    "name_key",
    "provenance_of",
    "subject_from_rows",
    "subject_row",
]

Row = Mapping[Any, Any]  # a result row by column name (RowMapping) or a dict

#: ``subject_values.prop`` -> the Subject attribute holding that list.
VALUE_FIELDS: dict[str, str] = {
    "birth_date": "birth_dates",
    "birth_place": "birth_places",
    "nationality": "nationalities",
    "phone": "phones",
    "email": "emails",
    "address": "addresses",
}


def name_key(full: str) -> str:
    """A name's lookup key: case-folded, spaces collapsed, cut to the column's width."""
    return " ".join(full.casefold().split())[:400]


def document_key(number: str) -> str:
    """A document number's lookup key: upper-case letters and digits only."""
    return (document_number(number) or number.strip().upper())[:200]


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value if hasattr(value, "value") else value)


def _provenance(prov: Provenance | None, handling: HandlingCode | None) -> dict[str, Any]:
    return {
        "agency": None if prov is None else prov.agency,
        "first_seen": None if prov is None else prov.first_seen,
        "last_seen": None if prov is None else prov.last_seen,
        "handling": _code(handling),
    }


def provenance_of(row: Row) -> Provenance | None:
    """The provenance of a value row; None when no agency was recorded."""
    if row["agency"] is None:
        return None
    return Provenance(row["agency"], row["first_seen"], row["last_seen"])


def distribution_of(value: str | None) -> Distribution:
    """A stored distribution; missing, empty or unknown means own agency only."""
    try:
        return Distribution(value) if value else Distribution.OWN_AGENCY
    except ValueError:
        return Distribution.OWN_AGENCY


def record_handling_of(value: str | None) -> HandlingCode:
    """A record's stored handling code; missing or unknown means the strictest, H3."""
    try:
        return HandlingCode(value) if value else HandlingCode.H3
    except ValueError:
        return HandlingCode.H3


def handling_of(value: str | None) -> HandlingCode | None:
    """A field's handling code column: None when unset, H3 when unknown."""
    return None if value is None else record_handling_of(value)


def subject_row(
    subject: Subject, version: int, created: datetime, updated: datetime
) -> dict[str, Any]:
    """The ``subjects`` row of a subject."""
    return {
        "id": subject.id,
        "agency": subject.agency,
        "gender": _code(subject.gender),
        "concern": int(subject.concern),
        "action_on_hit": subject.action_on_hit.value,
        "status": subject.status.value,
        "legal_basis": subject.legal_basis,
        "review_date": subject.review_date,
        "distribution": subject.sharing.distribution.value,
        "partner_group": subject.sharing.partner_group,
        "handling": subject.sharing.handling.value,
        "notes": subject.notes,
        "version": version,
        "created_at": created,
        "updated_at": updated,
    }


def child_rows(subject: Subject) -> tuple[list[dict[str, Any]], ...]:
    """The name, document and value rows of a subject, in its list order."""
    names = [
        {
            "subject_id": subject.id,
            "position": i,
            "full": n.full,
            "full_key": name_key(n.full),
            "kind": n.kind.value,
            "given": n.given,
            "family": n.family,
            **_provenance(n.provenance, n.handling),
        }
        for i, n in enumerate(subject.names)
    ]
    documents = [
        {
            "subject_id": subject.id,
            "position": i,
            "number": d.number,
            "number_key": document_key(d.number),
            "type": d.type.value,
            "country": d.country,
            "status": d.status.value,
            **_provenance(d.provenance, d.handling),
        }
        for i, d in enumerate(subject.documents)
    ]
    values: list[dict[str, Any]] = []
    for prop, attribute in VALUE_FIELDS.items():
        items: Sequence[BirthDate | Value] = getattr(subject, attribute)
        for i, item in enumerate(items):
            text = str(item.date) if isinstance(item, BirthDate) else item.value
            values.append(
                {
                    "subject_id": subject.id,
                    "prop": prop,
                    "position": i,
                    "value": text,
                    **_provenance(item.provenance, item.handling),
                }
            )
    return names, documents, values


def subject_from_rows(
    row: Row, names: Iterable[Row], documents: Iterable[Row], values: Iterable[Row]
) -> Subject:
    """A subject from its row and its child rows (each already in position order)."""
    subject = Subject(
        id=row["id"],
        agency=row["agency"],
        gender=None if row["gender"] is None else Gender(row["gender"]),
        concern=ConcernLevel(row["concern"]),
        action_on_hit=ActionOnHit(row["action_on_hit"]),
        status=SubjectStatus(row["status"]),
        legal_basis=row["legal_basis"],
        review_date=row["review_date"],
        sharing=Sharing(
            distribution_of(row["distribution"]),
            row["partner_group"],
            record_handling_of(row["handling"]),
        ),
        notes=row["notes"],
    )
    subject.names = [
        Name(
            n["full"],
            NameKind(n["kind"]),
            n["given"],
            n["family"],
            provenance_of(n),
            handling_of(n["handling"]),
        )
        for n in names
    ]
    subject.documents = [
        IdentityDocument(
            d["number"],
            DocumentType(d["type"]),
            d["country"],
            DocumentStatus(d["status"]),
            provenance_of(d),
            handling_of(d["handling"]),
        )
        for d in documents
    ]
    for v in values:
        prov, handling = provenance_of(v), handling_of(v["handling"])
        if v["prop"] == "birth_date":
            subject.birth_dates.append(BirthDate(PartialDate.parse(v["value"]), prov, handling))
        else:
            getattr(subject, VALUE_FIELDS[v["prop"]]).append(Value(v["value"], prov, handling))
    return subject


def agency_row(agency: Agency) -> dict[str, Any]:
    """The ``agencies`` row of an agency."""
    return {
        "code": agency.code,
        "name": agency.name,
        "country": agency.country,
        "kind": agency.kind.value,
        "contact": agency.contact,
        "officers": agency.officers,
    }


def agency_from_row(row: Row) -> Agency:
    """An agency from its row."""
    return Agency(
        row["code"], row["name"], row["country"], AgencyKind(row["kind"]), row["contact"],
        row["officers"],
    )  # fmt: skip


def link_row(link: Link) -> dict[str, Any]:
    """The ``links`` row of a link."""
    return {
        "source_subject": link.source_subject,
        "target_subject": link.target_subject,
        "kind": link.kind.value,
        "source": link.source,
        "confidence": link.confidence,
        "note": link.note,
        "created_at": link.created_at,
    }


def link_from_row(row: Row) -> Link:
    """A link from its row."""
    return Link(
        row["source_subject"], row["target_subject"], LinkKind(row["kind"]), row["source"],
        row["confidence"], row["note"], row["created_at"],
    )  # fmt: skip
