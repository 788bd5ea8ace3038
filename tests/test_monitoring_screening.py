"""A suspended or stopped subject stays on the watchlist: screening still hits it, and the
hit brings it back before its desk (the screening service calls ``triggers_hits.on_hits``)."""

from __future__ import annotations

import pytest

from monitoring_support import NOW, actor, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.model import (
    DecisionKind,
    Encounter,
    EncounterKind,
    Gender,
    IdentityDocument,
    PresentedPerson,
)
from watchlink.services.audit import AuditTrail
from watchlink.services.monitoring import DecisionInput, MonitoringService
from watchlink.services.screening import ScreeningService
from watchlink.store import Database


@pytest.mark.parametrize(
    "kind",
    [DecisionKind.SUSPEND, DecisionKind.STOP],
)
def test_a_resting_subject_still_hits_and_the_hit_reopens_it(
    world: Database, trail: AuditTrail, kind: DecisionKind
) -> None:
    rest = DecisionInput(kind, "judged no longer dangerous", "Fictional Act art. 3")
    with world.unit_of_work() as uow:
        MonitoringService(trail).decide(uow, actor("FR-INT"), "fr-int-live", rest, NOW)
    met = Encounter(
        "enc-be-1", EncounterKind.POLICE_CHECK, "BE-INT", NOW, "BE",
        PresentedPerson(["Adnane Kessaci"], "Adnane", "Kessaci", None, "FR", Gender.MALE),
        IdentityDocument("99XX00001", country="FR"),
    )  # fmt: skip
    with world.unit_of_work() as uow:
        (result,) = ScreeningService(trail, 0.7).screen_batch(uow, actor("BE-INT"), [met])
    assert "fr-int-live" in {hit.subject.id for hit in result.hits}
    with world.unit_of_work() as uow:
        (task,) = uow.reviews.of_subject("fr-int-live")
        history = uow.decisions.of_subject("fr-int-live")
    assert task.trigger == "hit" and task.evidence["encounter_id"] == "enc-be-1"
    assert [d.kind for d in history] == [kind, DecisionKind.REOPEN_FOR_REVIEW]
    with world.engine.connect() as conn:
        assert trail.verify(conn) is None
