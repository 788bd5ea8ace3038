"""Demo story step: the brother's closed file comes back for review.

Walid Kessaci's surveillance was stopped two years ago (FR-INT). When US-SEC imports its
partner list naming "Walid Qassasi", and France links Walid to his returning brother as a
co-traveller, each piece of evidence opens exactly one review task for FR-INT's desk, his
history gains one ``reopen_for_review`` decision, and he rises in FR-INT's review queue.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from watchlink.access import Actor
from watchlink.errors import Conflict
from watchlink.formats.ftm import write_ftm_lines
from watchlink.model import DecisionKind, LinkKind, Role, SubjectStatus
from watchlink.services.import_matches import ImportMatchWatcher
from watchlink.services.interchange import import_subjects
from watchlink.services.links import LinkInput, LinkService
from watchlink.services.review_queue import ReviewService
from watchlink.services.triggers import TRIGGER_WEIGHTS, default_trail
from watchlink.services.world import load_demo
from watchlink.world.agencies import CT_GROUP
from watchlink.world.demo import DemoWorld, demo_world

SYNTHETIC = 300
AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> DemoWorld:
    return demo_world(SYNTHETIC)


@pytest.fixture
def loaded(database: Any, demo: DemoWorld) -> Any:
    with database.unit_of_work() as uow:
        assert load_demo(uow, demo) is not None
    return database


def _us_list(path: Path, demo: DemoWorld) -> Path:
    listed = [s for s in demo.subjects if s.agency == "US-SEC"]
    with path.open("w", encoding="utf-8") as out:
        write_ftm_lines(iter(listed), out)
    return path


def _import(loaded: Any, listed: Path) -> ImportMatchWatcher:
    with loaded.unit_of_work() as uow:
        watcher = ImportMatchWatcher(uow, "US-SEC", AT, trail=default_trail())
        import_subjects(uow, listed, "US-SEC", "ftm", observer=watcher)
    return watcher


def test_step_review_the_brothers_closed_file_is_reopened(
    loaded: Any, demo: DemoWorld, tmp_path: Path
) -> None:
    story = demo.story
    trail = default_trail()
    listed = _us_list(tmp_path / "us-sec.jsonl", demo)

    watcher = _import(loaded, listed)
    assert story.brother in {t.subject_id for t in watcher.tasks}

    co_travel = LinkInput(story.subject, story.brother, LinkKind.CO_TRAVELLER, 0.9, "Leros")
    analyst = Actor("fr.analyst", "FR-INT", "FR", frozenset({Role.ANALYST}), frozenset({CT_GROUP}))
    with loaded.unit_of_work() as uow:
        _, linked = LinkService(trail).create(uow, analyst, co_travel, AT)
    assert [t.subject_id for t in linked] == [story.brother]

    # The same evidence again adds nothing: the list re-imported, the link re-asserted.
    assert story.brother not in {t.subject_id for t in _import(loaded, listed).tasks}
    with pytest.raises(Conflict), loaded.unit_of_work() as uow:
        LinkService(trail).create(uow, analyst, co_travel, AT)

    with loaded.unit_of_work() as uow:
        tasks = uow.reviews.of_subject(story.brother)
        history = uow.decisions.of_subject(story.brother)
        brother = uow.subjects.get(story.brother)
        queue = ReviewService(trail).queue(uow, analyst)
    by_trigger = {t.trigger: t for t in tasks}
    assert sorted(by_trigger) == ["import_match", "link"] and len(tasks) == 2
    imported = by_trigger["import_match"]
    assert imported.agency == "FR-INT"
    assert imported.evidence["agency"] == "US-SEC"
    assert imported.evidence["record_id"] == story.us_brother
    assert imported.evidence["name"] == "Walid Qassasi"  # CT group, H1: FR-INT may read it
    assert by_trigger["link"].evidence["linked_subject"] == story.subject
    assert by_trigger["link"].evidence["link_kind"] == "co_traveller"

    kinds = [d.kind for d in history]
    assert kinds == [DecisionKind.START, DecisionKind.STOP, DecisionKind.REOPEN_FOR_REVIEW]
    assert history[-1].supersedes == story.brother_stop
    assert brother is not None and brother.status is SubjectStatus.DORMANT  # still screened

    concern = int(brother.concern)
    expected = (TRIGGER_WEIGHTS["import_match"] + TRIGGER_WEIGHTS["link"]) * concern
    assert {t.priority for t in tasks} == {expected}
    assert queue[0].subject_id == story.brother  # at the top of FR-INT's queue

    with loaded.engine.connect() as conn:
        assert trail.verify(conn) is None
