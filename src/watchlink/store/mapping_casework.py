"""Rows to model classes and back for encounters, hits, requests and decisions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from watchlink.model import (
    ConcernLevel,
    Decision,
    DecisionKind,
    DocumentStatus,
    DocumentType,
    Encounter,
    EncounterKind,
    Gender,
    HandlingCode,
    Hit,
    HitRecipient,
    HitRecipientRole,
    HitReview,
    HitState,
    IdentityDocument,
    InfoRequest,
    PartialDate,
    PresentedPerson,
    RequestMessage,
    RequestPriority,
    RequestState,
)
from watchlink.store.mapping import Row, document_key, handling_of, provenance_of

__all__ = [
    "decision_from_row",
    "decision_row",
    "encounter_from_row",
    "encounter_row",
    "hit_from_rows",
    "hit_rows",
    "message_rows",
    "request_from_rows",
    "request_row",
    "review_row",
]


def encounter_row(encounter: Encounter) -> dict[str, Any]:
    """The ``encounters`` row: the person and the document as presented, in columns."""
    person, doc = encounter.person, encounter.document
    prov = None if doc is None else doc.provenance
    return {
        "id": encounter.id,
        "kind": encounter.kind.value,
        "agency": encounter.agency,
        "occurred_at": encounter.occurred_at,
        "country": encounter.country,
        "site": encounter.site,
        "origin_country": encounter.origin_country,
        "destination_country": encounter.destination_country,
        "group_ref": encounter.group_ref,
        "person_names": list(person.names),
        "person_given": person.given,
        "person_family": person.family,
        "person_birth_date": None if person.birth_date is None else str(person.birth_date),
        "person_nationality": person.nationality,
        "person_gender": None if person.gender is None else person.gender.value,
        "person_birth_place": person.birth_place,
        "document_number": None if doc is None else doc.number,
        "document_number_key": None if doc is None else document_key(doc.number),
        "document_type": None if doc is None else doc.type.value,
        "document_country": None if doc is None else doc.country,
        "document_status": None if doc is None else doc.status.value,
        "document_handling": None if doc is None or doc.handling is None else doc.handling.value,
        "document_agency": None if prov is None else prov.agency,
        "document_first_seen": None if prov is None else prov.first_seen,
        "document_last_seen": None if prov is None else prov.last_seen,
    }


def encounter_from_row(row: Row) -> Encounter:
    """An encounter from its row."""
    birth = row["person_birth_date"]
    person = PresentedPerson(
        names=list(row["person_names"]),
        given=row["person_given"],
        family=row["person_family"],
        birth_date=None if birth is None else PartialDate.parse(birth),
        nationality=row["person_nationality"],
        gender=None if row["person_gender"] is None else Gender(row["person_gender"]),
        birth_place=row["person_birth_place"],
    )
    document = None
    if row["document_number"] is not None:
        document = IdentityDocument(
            row["document_number"],
            DocumentType(row["document_type"]),
            row["document_country"],
            DocumentStatus(row["document_status"]),
            provenance_of(
                {
                    "agency": row["document_agency"],
                    "first_seen": row["document_first_seen"],
                    "last_seen": row["document_last_seen"],
                }
            ),
            handling_of(row["document_handling"]),
        )
    return Encounter(
        id=row["id"],
        kind=EncounterKind(row["kind"]),
        agency=row["agency"],
        occurred_at=row["occurred_at"],
        country=row["country"],
        person=person,
        document=document,
        site=row["site"],
        origin_country=row["origin_country"],
        destination_country=row["destination_country"],
        group_ref=row["group_ref"],
    )


def hit_rows(hit: Hit) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``hits`` row, its recipient rows and its review rows."""
    row = {
        "id": hit.id,
        "encounter_id": hit.encounter_id,
        "subject_id": hit.subject_id,
        "score": hit.score,
        "explanation": list(hit.explanation),
        "created_at": hit.created_at,
        "state": hit.state.value,
        "co_travellers": list(hit.co_travellers),
    }
    recipients = [
        {
            "hit_id": hit.id,
            "agency": r.agency,
            "role": r.role.value,
            "blind": r.blind,
            "delivered_at": r.delivered_at,
        }
        for r in hit.recipients
    ]
    reviews = [review_row(hit.id, r) for r in hit.reviews]
    return row, recipients, reviews


def review_row(hit_id: str, review: HitReview) -> dict[str, Any]:
    """A ``hit_reviews`` row."""
    return {
        "hit_id": hit_id,
        "state": review.state.value,
        "by_user": review.by_user,
        "agency": review.agency,
        "at": review.at,
        "reason": review.reason,
        "action_taken": review.action_taken,
    }


def hit_from_rows(row: Row, recipients: Iterable[Row], reviews: Iterable[Row]) -> Hit:
    """A hit from its row, recipients and reviews (reviews in order)."""
    return Hit(
        id=row["id"],
        encounter_id=row["encounter_id"],
        subject_id=row["subject_id"],
        score=row["score"],
        explanation=list(row["explanation"]),
        created_at=row["created_at"],
        state=HitState(row["state"]),
        recipients=[
            HitRecipient(r["agency"], HitRecipientRole(r["role"]), r["blind"], r["delivered_at"])
            for r in recipients
        ],
        reviews=[
            HitReview(
                HitState(r["state"]),
                r["by_user"],
                r["agency"],
                r["at"],
                r["reason"],
                r["action_taken"],
            )
            for r in reviews
        ],
        co_travellers=list(row["co_travellers"]),
    )


def request_row(request: InfoRequest) -> dict[str, Any]:
    """The ``info_requests`` row of a request (messages apart)."""
    return {
        "id": request.id,
        "from_agency": request.from_agency,
        "to_agency": request.to_agency,
        "subject": request.subject,
        "priority": request.priority.value,
        "created_at": request.created_at,
        "deadline": request.deadline,
        "state": request.state.value,
        "subject_id": request.subject_id,
        "hit_id": request.hit_id,
        "escalation_level": request.escalation_level,
    }


def message_rows(
    request_id: str, messages: Iterable[RequestMessage], start: int = 0
) -> list[dict[str, Any]]:
    """``request_messages`` rows, numbered from ``start``."""
    return [
        {
            "request_id": request_id,
            "position": start + i,
            "by_agency": m.by_agency,
            "by_user": m.by_user,
            "at": m.at,
            "body": m.body,
            "handling": m.handling.value,
        }
        for i, m in enumerate(messages)
    ]


def request_from_rows(row: Row, messages: Iterable[Row]) -> InfoRequest:
    """A request from its row and its messages (in order)."""
    return InfoRequest(
        id=row["id"],
        from_agency=row["from_agency"],
        to_agency=row["to_agency"],
        subject=row["subject"],
        priority=RequestPriority(row["priority"]),
        created_at=row["created_at"],
        deadline=row["deadline"],
        state=RequestState(row["state"]),
        subject_id=row["subject_id"],
        hit_id=row["hit_id"],
        messages=[
            RequestMessage(
                m["by_agency"], m["by_user"], m["at"], m["body"], HandlingCode(m["handling"])
            )
            for m in messages
        ],
        escalation_level=row["escalation_level"],
    )


def decision_row(decision: Decision) -> dict[str, Any]:
    """The ``decisions`` row of a decision."""
    return {
        "id": decision.id,
        "subject_id": decision.subject_id,
        "kind": decision.kind.value,
        "reason": decision.reason,
        "decided_by": decision.decided_by,
        "agency": decision.agency,
        "decided_at": decision.decided_at,
        "level": None if decision.level is None else int(decision.level),
        "legal_basis": decision.legal_basis,
        "review_date": decision.review_date,
        "supersedes": decision.supersedes,
    }


def decision_from_row(row: Row) -> Decision:
    """A decision from its row."""
    return Decision(
        id=row["id"],
        subject_id=row["subject_id"],
        kind=DecisionKind(row["kind"]),
        reason=row["reason"],
        decided_by=row["decided_by"],
        agency=row["agency"],
        decided_at=row["decided_at"],
        level=None if row["level"] is None else ConcernLevel(row["level"]),
        legal_basis=row["legal_basis"],
        review_date=row["review_date"],
        supersedes=row["supersedes"],
    )
