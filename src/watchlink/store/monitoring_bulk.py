"""Review tasks and reopening decisions written for many hits at once, a statement per
step rather than several per task.

A screening call whose hits put resting subjects before their desks stores all their
tasks with one insert (a task whose evidence already has one is skipped, as by
``ReviewTaskRepository.add``), gives every open task of those subjects the sum of
their weights with one update, reads those subjects' decision histories with one query
and appends the reopening decisions with one insert. The end state is the one that
adding the tasks one by one leaves. Like every repository: rows, no decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import Connection, func, insert, select, update

from watchlink.model import Decision
from watchlink.store.chunks import chunked
from watchlink.store.dialect import insert_ignore
from watchlink.store.mapping_casework import decision_from_row, decision_row
from watchlink.store.monitoring import OPEN, ReviewTask, in_force_order
from watchlink.store.tables_casework import decisions
from watchlink.store.tables_monitoring import review_tasks

__all__ = ["ReviewTaskWriter"]

_IN = 500  # ids per IN (...) list


class ReviewTaskWriter:
    """Bulk writes of new review tasks and reopening decisions on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add_many(self, tasks: Sequence[ReviewTask]) -> list[ReviewTask]:
        """Store new open tasks; returns those stored, in order, each with the priority
        it now carries. A task whose (subject, evidence key) already has one is left out."""
        if not tasks:
            return []
        rows = [{c.name: getattr(t, c.name) for c in review_tasks.columns} for t in tasks]
        statement = insert_ignore(
            review_tasks, self._conn.dialect.name, ["subject_id", "evidence_key"]
        ).returning(review_tasks.c.id)
        stored = set(self._conn.execute(statement, rows).scalars())
        kept = [t for t in tasks if t.id in stored]
        priority = self.reprioritise(sorted({t.subject_id for t in kept}))
        return [replace(t, priority=priority[t.id]) for t in kept]

    def reprioritise(self, subject_ids: Iterable[str]) -> dict[str, int]:
        """Give each subject's open tasks the sum of their weights; returns the priority
        of every open task of those subjects, by task id."""
        other = review_tasks.alias("other")
        total = (
            select(func.coalesce(func.sum(other.c.weight), 0))
            .where(other.c.subject_id == review_tasks.c.subject_id, other.c.state == OPEN)
            .scalar_subquery()
        )
        found: dict[str, int] = {}
        for chunk in chunked(subject_ids, _IN):
            statement = (
                update(review_tasks)
                .where(review_tasks.c.subject_id.in_(chunk), review_tasks.c.state == OPEN)
                .values(priority=total)
                .returning(review_tasks.c.id, review_tasks.c.priority)
            )
            found.update({r.id: int(r.priority) for r in self._conn.execute(statement)})
        return found

    def histories(self, subject_ids: Iterable[str]) -> dict[str, list[Decision]]:
        """Each subject's decisions in ``decision_history``'s order (the one in force
        last); an empty list for a subject without any."""
        found: dict[str, list[Decision]] = {}
        for chunk in chunked(sorted(set(subject_ids)), _IN):
            for subject_id in chunk:
                found[subject_id] = []
            query = (
                select(decisions)
                .where(decisions.c.subject_id.in_(chunk))
                .order_by(decisions.c.decided_at, decisions.c.id)
            )
            for row in self._conn.execute(query).mappings():
                found[row["subject_id"]].append(decision_from_row(row))
        return {subject_id: in_force_order(found_) for subject_id, found_ in found.items()}

    def add_decisions(self, appended: Sequence[Decision]) -> None:
        """Append decisions, in order, with one insert."""
        if appended:
            self._conn.execute(insert(decisions), [decision_row(d) for d in appended])
