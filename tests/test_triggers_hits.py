"""``on_hits``, the trigger of a screening call's hits at once, leaves what ``on_hit``
called for each hit in turn leaves: the same tasks and priorities, reopening decisions,
outbox rows and audit lines, in order; in a few statements whatever the number of hits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from monitoring_support import NOW, actor, person, trail_fixture, world_fixture  # noqa: F401 (fixtures)
from watchlink.model import (
    Decision,
    DecisionKind,
    Encounter,
    EncounterKind,
    Hit,
    PresentedPerson,
    Subject,
    SubjectStatus,
)
from watchlink.services.audit import AuditTrail
from watchlink.services.screening import ScreeningService
from watchlink.services.screening_audit import HeldTrail
from watchlink.services.triggers import on_hit
from watchlink.services.triggers_hits import on_hits
from watchlink.store import Database
from watchlink.store.tables_access import audit_events
from watchlink.store.tables_casework import decisions
from watchlink.store.tables_monitoring import review_tasks
from watchlink.store.tables_ops import outbox

SUBJECTS = ("fr-int-rest", "fr-int-live", "fr-int-rest", "fr-int-shut", "fr-int-rest")


def _world(world: Database) -> None:
    """Adds a closed subject whose decision in force already reopened it."""
    shut = person("fr-int-shut", "Omar Quellec", status=SubjectStatus.CLOSED)
    reopened = Decision(
        id="dec-shut-1",
        subject_id="fr-int-shut",
        kind=DecisionKind.REOPEN_FOR_REVIEW,
        reason="earlier evidence",
        decided_by="fr-int.user",
        agency="FR-INT",
        decided_at=NOW,
        legal_basis="Fictional Act art. 3",
    )
    with world.unit_of_work() as uow:
        uow.subjects.upsert(shut)
        uow.decisions.add(reopened)


def _made(world: Database, tag: str) -> list[tuple[Hit, Subject]]:
    with world.unit_of_work() as uow:
        found = {s.id: s for s in uow.subjects.get_many(sorted(set(SUBJECTS)))}
    return [
        (Hit(f"hit-{tag}{n}", f"enc-{tag}{n}", s, 0.9, ["name: close"], NOW), found[s])
        for n, s in enumerate(SUBJECTS)
    ]


def _state(world: Database, tag: str, held: HeldTrail) -> dict[str, Any]:
    """What the trigger left, its random ids numbered in order of appearance and the
    run's tag cut out, so two runs compare; then cleared for the next run."""
    names: dict[str, str] = {}

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith(("rt-", "dec-")) and value != "dec-shut-1":
                return names.setdefault(value, f"id{len(names)}")
            return value.replace(f"-{tag}", "-")
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    with world.engine.begin() as conn:
        tasks = conn.execute(select(review_tasks).order_by(review_tasks.c.evidence_key))
        found = {
            "lines": [(line.who, line.action, plain(list(line.records)), line.query)
                      for line in held.held],
            "tasks": [plain(dict(r)) for r in tasks.mappings()],
            "decisions": [
                plain({k: v for k, v in r.items()})
                for r in conn.execute(select(decisions).order_by(decisions.c.id)).mappings()
            ],
            "outbox": [
                plain((r.kind, r.recipient, r.reference, r.payload))
                for r in conn.execute(select(outbox).order_by(outbox.c.id))
            ],
        }  # fmt: skip
        conn.execute(review_tasks.delete())
        conn.execute(outbox.delete())
        conn.execute(decisions.delete().where(decisions.c.id != "dec-shut-1"))
    return found


def _run(world: Database, trail: AuditTrail, tag: str, trigger: Callable[..., Any]) -> Any:
    held = HeldTrail(trail)
    with world.unit_of_work() as uow:
        trigger(uow, _made(world, tag), held)
    return _state(world, tag, held)


def test_a_call_s_hits_at_once_leave_what_one_by_one_leaves(
    world: Database, trail: AuditTrail
) -> None:
    _world(world)

    def one_by_one(uow: Any, made: list[tuple[Hit, Subject]], held: HeldTrail) -> None:
        for hit, subject in made:
            on_hit(uow, hit, subject, hit.created_at, trail=held)

    def at_once(uow: Any, made: list[tuple[Hit, Subject]], held: HeldTrail) -> None:
        on_hits(uow, made, trail=held)

    single = _run(world, trail, "Q7", one_by_one)
    batch = _run(world, trail, "Z9", at_once)
    assert batch == single
    assert len(single["tasks"]) == 4  # the active subject's hit makes none
    assert {t["priority"] for t in single["tasks"] if t["subject_id"] == "fr-int-rest"} == {18}
    # the dormant one is reopened once; the closed one's decision in force reopened it
    new = [d["subject_id"] for d in single["decisions"] if d["id"] != "dec-shut-1"]
    assert new == ["fr-int-rest"]
    assert [len(line[2]) for line in single["lines"]] == [3, 2, 2, 2]
    assert len(single["outbox"]) == 4


@contextmanager
def _counted(world: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(world.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(world.engine, "before_cursor_execute", keep)


def test_the_statements_do_not_grow_with_the_hits_and_evidence_counts_once(
    world: Database, trail: AuditTrail
) -> None:
    _world(world)
    with world.unit_of_work() as uow:  # the dormant subject is reopened already
        on_hits(uow, _made(world, "X1")[:1], trail=HeldTrail(trail, locked=True))
    counts = []
    for made in (_made(world, "Y1")[:1], _made(world, "Y2")):
        with _counted(world) as seen, world.unit_of_work() as uow:
            tasks = on_hits(uow, made, trail=HeldTrail(trail, locked=True))
        counts.append(len(seen))
    assert counts[0] == counts[1]  # insert, reprioritise, histories, outbox
    assert len(tasks) == 4
    with world.unit_of_work() as uow:
        assert on_hits(uow, made, trail=HeldTrail(trail, locked=True)) == []  # evidence once
        assert len(uow.reviews.of_subject("fr-int-rest")) == 1 + 1 + 3


def test_a_batch_meeting_a_dormant_subject_twice_reopens_it_once(
    world: Database, trail: AuditTrail
) -> None:
    def met(encounter_id: str) -> Encounter:
        person_ = PresentedPerson(["Walid Kessaci"], "Walid", "Kessaci", None, "FR")
        return Encounter(encounter_id, EncounterKind.POLICE_CHECK, "BE-INT", NOW, "BE", person_)

    with world.unit_of_work() as uow:
        results = ScreeningService(trail, 0.7).screen_batch(
            uow, actor("BE-INT"), [met("enc-be-1"), met("enc-be-2")]
        )
    hits = [h.hit.id for r in results for h in r.hits if h.subject.id == "fr-int-rest"]
    assert len(hits) == 2
    with world.unit_of_work() as uow:
        tasks = uow.reviews.of_subject("fr-int-rest")
        history = uow.decisions.of_subject("fr-int-rest")
    assert sorted(t.evidence["hit_id"] for t in tasks) == sorted(hits)
    assert [d.kind for d in history] == [DecisionKind.REOPEN_FOR_REVIEW]
    with world.engine.connect() as conn:
        lines = conn.execute(select(audit_events).order_by(audit_events.c.seq)).all()
        assert trail.verify(conn) is None
    assert [(line.action, line.actor) for line in lines] == [
        ("screen", "be-int.user"),
        ("write", "watchlink:triggers"),
        ("write", "watchlink:triggers"),
    ]
