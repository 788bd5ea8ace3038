"""Triggers put evidence before the owning desk: one task per evidence, audited, queued."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from monitoring_support import NOW, person, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.model import (
    DecisionKind,
    Hit,
    InfoRequest,
    Link,
    LinkKind,
    RequestPriority,
    SubjectStatus,
)
from watchlink.services.audit import AuditTrail
from watchlink.services.triggers import on_hit, on_import_match, on_link, on_request
from watchlink.store import Database
from watchlink.store.tables_access import audit_events


def _hit(hit_id: str = "hit-1", subject_id: str = "fr-int-rest") -> Hit:
    return Hit(hit_id, "enc-1", subject_id, 0.93, ["name: close"], NOW)


def test_a_hit_on_a_dormant_subject_opens_one_task_and_reopens_it(
    world: Database, trail: AuditTrail
) -> None:
    with world.unit_of_work() as uow:
        subject = uow.subjects.get("fr-int-rest")
        assert subject is not None
        task = on_hit(uow, _hit(), subject, NOW, trail=trail)
        again = on_hit(uow, _hit(), subject, NOW + timedelta(hours=1), trail=trail)
        assert task is not None and again is None
        assert task.agency == "FR-INT" and task.trigger == "hit"
        assert task.evidence["hit_id"] == "hit-1" and task.evidence["score"] == 0.93
        history = uow.decisions.of_subject("fr-int-rest")
        assert [d.kind for d in history] == [DecisionKind.REOPEN_FOR_REVIEW]
        outbox = uow.outbox.due(NOW)
        assert [(m.kind, m.recipient, m.reference) for m in outbox] == [
            ("review_task", "FR-INT", task.id)
        ]
    with world.engine.connect() as conn:
        assert trail.verify(conn) is None
        assert conn.execute(select(func.count()).select_from(audit_events)).scalar_one() == 1


def test_a_hit_on_an_active_subject_makes_no_task(world: Database, trail: AuditTrail) -> None:
    with world.unit_of_work() as uow:
        subject = uow.subjects.get("fr-int-live")
        assert subject is not None
        assert on_hit(uow, _hit(subject_id="fr-int-live"), subject, NOW, trail=trail) is None
        assert uow.reviews.of_subject("fr-int-live") == []


def test_a_link_to_an_active_subject_reopens_the_resting_one(
    world: Database, trail: AuditTrail
) -> None:
    link = Link("fr-int-live", "fr-int-rest", LinkKind.CO_TRAVELLER, "GR-BORDER", 0.8, "same boat")
    with world.unit_of_work() as uow:
        made = on_link(uow, link, NOW, trail=trail)
        assert [t.subject_id for t in made] == ["fr-int-rest"]
        assert made[0].evidence["linked_subject"] == "fr-int-live"
        assert on_link(uow, link, NOW, trail=trail) == []  # the same evidence again


def test_a_link_hides_a_subject_the_desk_may_not_read(world: Database, trail: AuditTrail) -> None:
    secret = person("be-int-x", "Hidden Person", agency="BE-INT")
    secret.sharing = type(secret.sharing)()  # own agency only
    link = Link("be-int-x", "fr-int-rest", LinkKind.ASSOCIATE, "BE-INT")
    with world.unit_of_work() as uow:
        uow.subjects.upsert(secret)
        (task,) = on_link(uow, link, NOW, trail=trail)
        assert task.evidence["linked_subject"] is None
        assert task.evidence["linked_agency"] == "BE-INT"
        assert task.evidence["note"] is None


def test_a_link_between_two_resting_subjects_makes_nothing(
    world: Database, trail: AuditTrail
) -> None:
    with world.unit_of_work() as uow:
        uow.subjects.upsert(person("fr-int-rest2", "Other Rest", status=SubjectStatus.CLOSED))
        link = Link("fr-int-rest2", "fr-int-rest", LinkKind.FAMILY, "FR-INT")
        assert on_link(uow, link, NOW, trail=trail) == []


def test_import_and_request_evidence_each_make_one_task_and_raise_priority(
    world: Database, trail: AuditTrail
) -> None:
    request = InfoRequest(
        "req-1", "US-SEC", "FR-INT", "Known to you?", RequestPriority.HIGH, NOW,
        NOW + timedelta(days=3), subject_id="fr-int-rest",
    )  # fmt: skip
    with world.unit_of_work() as uow:
        first = on_import_match(
            uow, "fr-int-rest", {"agency": "US-SEC", "record_id": "us-1", "score": 0.9}, NOW,
            trail=trail,
        )  # fmt: skip
        assert first is not None and first.priority == first.weight
        second = on_request(uow, request, NOW + timedelta(minutes=5), trail=trail)
        assert second is not None and second.priority == first.weight + second.weight
        again = on_import_match(
            uow, "fr-int-rest", {"agency": "US-SEC", "record_id": "us-1"}, NOW, trail=trail
        )
        assert again is None and on_request(uow, request, NOW, trail=trail) is None
        tasks = uow.reviews.of_subject("fr-int-rest")
        assert len(tasks) == 2
        assert {t.priority for t in tasks} == {first.weight + second.weight}
        reopened = [d for d in uow.decisions.of_subject("fr-int-rest")]
        assert len(reopened) == 1  # reopened once, not once per evidence


def test_a_request_not_addressed_to_the_owner_makes_nothing(
    world: Database, trail: AuditTrail
) -> None:
    request = InfoRequest(
        "req-2", "US-SEC", "BE-INT", "About him", RequestPriority.NORMAL, NOW, NOW,
        subject_id="fr-int-rest",
    )  # fmt: skip
    with world.unit_of_work() as uow:
        assert on_request(uow, request, NOW, trail=trail) is None
