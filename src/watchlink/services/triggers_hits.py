"""The monitoring trigger for every hit of a screening call at once.

``triggers.on_hit`` puts one hit's resting (dormant or closed) subject before its
owning desk. A screening call hands ``on_hits`` all the hits it made: the tasks of
those on resting subjects, the subjects' reopening decisions and the desks' outbox rows
are written with a statement per table for the whole call (``ReviewTaskWriter``), not
several per hit. What is stored, and the audit lines (one per task, in order), are those
``on_hit`` called for each hit in turn would leave: a piece of evidence makes at most
one task, and only a subject's first new task appends its ``reopen_for_review``
decision, unless that is already the decision in force.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from watchlink.model import AuditAction, Decision, Hit, Subject
from watchlink.services.audit import AuditTrail, Line, Who
from watchlink.services.triggers import (
    RESTING,
    SYSTEM_USER,
    TRIGGER_WEIGHTS,
    default_trail,
    hit_evidence,
    reopening,
)
from watchlink.store.monitoring import OPEN, ReviewTask
from watchlink.store.monitoring_bulk import ReviewTaskWriter
from watchlink.store.outbox import NewMessage
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["on_hits"]

TRIGGER = "hit"


def _task(hit: Hit, subject: Subject) -> ReviewTask:
    """The review task a hit on a resting subject opens, created when the hit was."""
    weight = TRIGGER_WEIGHTS[TRIGGER] * int(subject.concern)
    return ReviewTask(
        id=f"rt-{uuid.uuid4().hex}",
        subject_id=subject.id,
        agency=subject.agency,
        trigger=TRIGGER,
        evidence_key=f"hit:{hit.id}",
        evidence=hit_evidence(hit),
        weight=weight,
        priority=weight,
        state=OPEN,
        created_at=hit.created_at,
    )


def on_hits(
    uow: UnitOfWork, made: Sequence[tuple[Hit, Subject]], *, trail: AuditTrail | None = None
) -> list[ReviewTask]:
    """The hits on dormant or closed subjects, in order: each puts its subject before
    the owning desk. Returns the tasks stored (none for evidence already there)."""
    resting = [(hit, subject) for hit, subject in made if subject.status in RESTING]
    if not resting:
        return []
    trail = trail if trail is not None else default_trail()
    conn = uow.connection
    trail.claim_writer(conn)
    writer = ReviewTaskWriter(conn)
    stored = writer.add_many([_task(hit, subject) for hit, subject in resting])
    subjects = {subject.id: subject for _, subject in resting}
    histories = writer.histories(task.subject_id for task in stored)
    decisions: list[Decision] = []
    messages: list[NewMessage] = []
    lines: list[Line] = []
    for task in stored:
        subject = subjects[task.subject_id]
        records = [subject.id, task.id]
        history = histories.pop(subject.id, None)  # a subject's first new task only
        reopened = None if history is None else reopening(task, subject, history)
        if reopened is not None:
            decisions.append(reopened)
            records.append(reopened.id)
        payload = {"task_id": task.id, "subject_id": subject.id, "trigger": TRIGGER}
        messages.append(
            NewMessage("review_task", subject.agency, task.id, payload, task.created_at)
        )
        who = Who(SYSTEM_USER, subject.agency, "system")
        lines.append(Line(who, AuditAction.WRITE, records, f"review task {TRIGGER}"))
    writer.add_decisions(decisions)
    uow.outbox.add_many(messages)
    trail.record_many(conn, lines)
    return stored
