"""The triggers wired in: links created through the service, partner list imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitoring_support import NOW, actor, person, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.errors import AccessDenied, Conflict, InputError, NotFound
from watchlink.formats.ftm import write_ftm_lines
from watchlink.model import BirthDate, LinkKind, PartialDate, Role, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.import_matches import ImportMatchWatcher
from watchlink.services.interchange import import_subjects
from watchlink.services.links import LinkInput, LinkService
from watchlink.store import Database

CO_TRAVEL = LinkInput("fr-int-live", "fr-int-rest", LinkKind.CO_TRAVELLER, 0.8, "same booking")
SELF_LINK = LinkInput("fr-int-rest", "fr-int-rest", LinkKind.FAMILY)
TO_NOBODY = LinkInput("fr-int-live", "fr-int-gone", LinkKind.FAMILY)


def test_a_new_link_is_stored_audited_and_reopens_the_resting_subject(
    world: Database, trail: AuditTrail
) -> None:
    with world.unit_of_work() as uow:
        link, tasks = LinkService(trail).create(uow, actor("FR-INT"), CO_TRAVEL, NOW)
    assert link.source == "FR-INT" and link.created_at == NOW
    assert [(t.subject_id, t.trigger) for t in tasks] == [("fr-int-rest", "link")]
    with pytest.raises(Conflict), world.unit_of_work() as uow:
        LinkService(trail).create(uow, actor("FR-INT"), CO_TRAVEL, NOW)
    with world.unit_of_work() as uow:
        assert len(uow.links.of_subject("fr-int-rest")) == 1
        assert len(uow.reviews.of_subject("fr-int-rest")) == 1
    with world.engine.connect() as conn:
        assert trail.verify(conn) is None


@pytest.mark.parametrize(
    ("who", "roles", "given", "error"),
    [
        ("BE-INT", (Role.ANALYST,), CO_TRAVEL, NotFound),  # may not see the French subjects
        ("FR-INT", (Role.BORDER_OFFICER,), CO_TRAVEL, AccessDenied),
        (
            "FR-INT",
            (Role.ANALYST,),
            LinkInput("fr-int-rest", "fr-int-rest", LinkKind.FAMILY),
            InputError,
        ),
        (
            "FR-INT",
            (Role.ANALYST,),
            LinkInput("fr-int-live", "fr-int-gone", LinkKind.FAMILY),
            NotFound,
        ),
    ],
)
def test_links_the_caller_may_not_make_are_refused(
    world: Database,
    trail: AuditTrail,
    who: str,
    roles: tuple[Role, ...],
    given: LinkInput,
    error: type,
) -> None:
    with pytest.raises(error), world.unit_of_work() as uow:
        LinkService(trail).create(uow, actor(who, *roles), given, NOW)
    with world.unit_of_work() as uow:
        assert uow.links.of_subject("fr-int-live") == []
        assert uow.reviews.of_subject("fr-int-rest") == []


def _partner_list(path: Path, *listed: Subject) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_ftm_lines(iter(listed), out)
    return path


def _walid(record_id: str, full: str) -> Subject:
    found = person(record_id, full, agency="US-SEC")
    found.birth_dates = [BirthDate(PartialDate(1987, 11))]
    return found


def test_a_partner_list_import_naming_a_resting_subject_opens_one_task(
    world: Database, trail: AuditTrail, tmp_path: Path
) -> None:
    with world.unit_of_work() as uow:
        resting = uow.subjects.get("fr-int-rest")
        assert resting is not None
        resting.birth_dates = [BirthDate(PartialDate(1987, 11, 23))]
        uow.subjects.upsert(resting)
    listed = _partner_list(
        tmp_path / "us.jsonl",
        _walid("us-sec-1", "Walid Kessaci"),
        person("us-sec-2", "Someone Else Entirely", agency="US-SEC"),
    )
    for _ in range(2):  # importing the same list again adds no second task
        with world.unit_of_work() as uow:
            watcher = ImportMatchWatcher(uow, "US-SEC", NOW, trail=trail)
            report = import_subjects(uow, listed, "US-SEC", "ftm", observer=watcher)
            assert report.imported == 2
    with world.unit_of_work() as uow:
        (task,) = uow.reviews.of_subject("fr-int-rest")
        assert uow.reviews.of_subject("fr-int-live") == []  # active: not a resting subject
    assert task.trigger == "import_match" and task.agency == "FR-INT"
    assert task.evidence["agency"] == "US-SEC" and task.evidence["record_id"] == "us-sec-1"
    assert task.evidence["name"] == "Walid Kessaci"  # the CT group lets FR-INT read it


def test_an_import_by_the_owner_itself_never_matches_its_own_subjects(
    world: Database, trail: AuditTrail, tmp_path: Path
) -> None:
    listed = _partner_list(tmp_path / "fr.jsonl", person("fr-int-9", "Walid Kessaci"))
    with world.unit_of_work() as uow:
        watcher = ImportMatchWatcher(uow, "FR-INT", NOW, trail=trail)
        import_subjects(uow, listed, "FR-INT", "ftm", observer=watcher)
        assert watcher.tasks == []


def test_the_import_command_path_screens_by_default(world: Database, tmp_path: Path) -> None:
    listed = _partner_list(tmp_path / "us.jsonl", _walid("us-sec-1", "Walid Kessaci"))
    with world.unit_of_work() as uow:
        import_subjects(uow, listed, "US-SEC", "ftm")
    with world.unit_of_work() as uow:
        assert [t.trigger for t in uow.reviews.of_subject("fr-int-rest")] == ["import_match"]
