"""The review queue: own agency only, the subject with most evidence first, resolution."""

from __future__ import annotations

import pytest

from monitoring_support import NOW, actor, person, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.errors import AccessDenied, Conflict, InputError, NotFound
from watchlink.model import ConcernLevel, Hit, Role, SubjectStatus
from watchlink.services.audit import AuditTrail
from watchlink.services.review_queue import ReviewService
from watchlink.services.triggers import on_hit, on_import_match
from watchlink.store import Database


def _evidence(world: Database, trail: AuditTrail) -> None:
    """fr-int-rest: one import match; fr-int-calm (low concern): one; fr-int-rest gets a hit."""
    with world.unit_of_work() as uow:
        uow.subjects.upsert(
            person(
                "fr-int-calm", "Calm Person", status=SubjectStatus.CLOSED, concern=ConcernLevel.LOW
            )
        )
        for subject_id in ("fr-int-calm", "fr-int-rest"):
            evidence = {"agency": "US-SEC", "record_id": f"us-{subject_id}"}
            on_import_match(uow, subject_id, evidence, NOW, trail=trail)
        resting = uow.subjects.get("fr-int-rest")
        assert resting is not None
        on_hit(uow, Hit("hit-1", "enc-1", "fr-int-rest", 0.9, [], NOW), resting, NOW, trail=trail)


def test_the_queue_puts_the_subject_with_most_evidence_first(
    world: Database, trail: AuditTrail
) -> None:
    _evidence(world, trail)
    service = ReviewService(trail)
    with world.unit_of_work() as uow:
        queue = service.queue(uow, actor("FR-INT"))
        foreign = service.queue(uow, actor("US-SEC"))
    assert [t.subject_id for t in queue] == ["fr-int-rest", "fr-int-rest", "fr-int-calm"]
    assert queue[0].priority == queue[1].priority > queue[2].priority
    assert foreign == []


def test_resolving_lowers_the_subject_and_only_the_owner_resolves(
    world: Database, trail: AuditTrail
) -> None:
    _evidence(world, trail)
    service = ReviewService(trail)
    with world.unit_of_work() as uow:
        first = service.queue(uow, actor("FR-INT"))[0]
    for who in ("US-SEC", "BE-INT"):
        with pytest.raises(NotFound), world.unit_of_work() as uow:
            service.resolve(uow, actor(who), first.id, "not mine", NOW)
    with pytest.raises(InputError), world.unit_of_work() as uow:
        service.resolve(uow, actor("FR-INT"), first.id, "  ", NOW)
    with world.unit_of_work() as uow:
        done, decision = service.resolve(uow, actor("FR-INT"), first.id, "a namesake", NOW)
        left = uow.reviews.of_subject("fr-int-rest")
    assert done.state == "resolved" and done.resolved_by == "fr-int.user" and decision is None
    (still_open,) = [t for t in left if t.state == "open"]
    assert still_open.priority == still_open.weight
    with pytest.raises(Conflict), world.unit_of_work() as uow:
        service.resolve(uow, actor("FR-INT"), first.id, "again", NOW)


def test_a_role_without_reading_rights_has_no_queue(world: Database, trail: AuditTrail) -> None:
    with pytest.raises(AccessDenied), world.unit_of_work() as uow:
        ReviewService(trail).queue(uow, actor("FR-INT", Role.BORDER_OFFICER))
