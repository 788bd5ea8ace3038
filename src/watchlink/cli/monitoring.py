"""``watchlink decision add|list`` and ``watchlink review list|sweep|extend|resolve``.

Decisions and the review queue act as a named user (``--as``), resolved from the
database like a login: the same policy and the same audit lines as the API. The sweep
is the operator's (it is also the scheduler's ``reviews.sweep`` job).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from watchlink.access import Actor
from watchlink.errors import InputError, InputProblem
from watchlink.model import ConcernLevel, DecisionKind
from watchlink.services.access_wiring import AccessContext
from watchlink.services.clock import SystemClock
from watchlink.services.monitoring import DECIDABLE, DecisionInput
from watchlink.services.review import sweep
from watchlink.services.review_periods import ReviewPeriods
from watchlink.services.review_queue import ReviewService
from watchlink.settings import get_settings
from watchlink.store import UnitOfWork

__all__ = ["register"]

_out = Console()
decision_app = typer.Typer(help="Monitoring decisions on a subject.", no_args_is_help=True)
review_app = typer.Typer(
    help="The review queue, extensions and the review sweep.", no_args_is_help=True
)

As = Annotated[str, typer.Option("--as", help="The user acting, e.g. fr.supervisor.")]
SubjectId = Annotated[str, typer.Argument(help="The subject's id.")]


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("not a date", [InputProblem("use YYYY-MM-DD", field=option)]) from None


def _input(
    kind: str, reason: str, basis: str, level: int | None, when: str | None
) -> DecisionInput:
    problems = []
    if kind not in {k.value for k in DECIDABLE}:
        allowed = ", ".join(k.value for k in DECIDABLE)
        problems.append(InputProblem(f"use one of {allowed}", field="--kind"))
    if level is not None and level not in {int(c) for c in ConcernLevel}:
        problems.append(InputProblem("a level from 1 (low) to 4 (critical)", field="--level"))
    if problems:
        raise InputError("the decision is not valid", problems)
    concern = None if level is None else ConcernLevel(level)
    return DecisionInput(DecisionKind(kind), reason, basis, concern, _date(when, "--review-date"))


def _context(username: str) -> tuple[AccessContext, Actor, ReviewService]:
    settings = get_settings()
    context = AccessContext.from_settings(settings)
    with context.engine.begin() as conn:
        actor = context.auth.resolve(conn, username)
    return context, actor, ReviewService(context.trail, ReviewPeriods.from_settings(settings))


@decision_app.command("add")
def decision_add(
    user: As,
    subject: SubjectId,
    kind: Annotated[str, typer.Option(help="start, change_level, suspend or stop.")],
    reason: Annotated[str, typer.Option(help="Why; kept in the history.")],
    legal_basis: Annotated[str, typer.Option("--legal-basis", help="The legal basis.")],
    level: Annotated[int | None, typer.Option(help="Concern level, 1 (low) to 4.")] = None,
    review_date: Annotated[
        str | None, typer.Option("--review-date", help="YYYY-MM-DD; default by category.")
    ] = None,
) -> None:
    """Append a monitoring decision on one of the user's agency's subjects."""
    context, actor, service = _context(user)
    given = _input(kind, reason, legal_basis, level, review_date)
    with UnitOfWork(context.engine) as uow:
        made = service.monitoring.decide(uow, actor, subject, given, SystemClock().now())
    _out.print(f"{made.id}: {made.kind.value} on {made.subject_id}, review {made.review_date}")


@decision_app.command("list")
def decision_list(user: As, subject: SubjectId) -> None:
    """The subject's decisions, oldest first; the last is in force."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        found = service.monitoring.history(uow, actor, subject)
    table = Table("decided", "kind", "level", "by", "review", "reason")
    for d in found:
        level = "" if d.level is None else str(int(d.level))
        table.add_row(
            f"{d.decided_at:%Y-%m-%d %H:%M}", d.kind.value, level, d.decided_by,
            str(d.review_date or ""), d.reason,
        )  # fmt: skip
    _out.print(table)


@review_app.command("list")
def review_list(
    user: As,
    resolved: Annotated[bool, typer.Option("--resolved", help="Resolved tasks instead.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
) -> None:
    """The user's agency's review tasks, highest priority first."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        tasks = service.queue(uow, actor, "resolved" if resolved else "open", limit)
    table = Table("priority", "task", "subject", "trigger", "since", "evidence")
    for t in tasks:
        evidence = ", ".join(f"{k}={v}" for k, v in t.evidence.items() if v not in (None, []))
        table.add_row(
            str(t.priority), t.id, t.subject_id, t.trigger, f"{t.created_at:%Y-%m-%d}", evidence
        )
    _out.print(table)


@review_app.command("resolve")
def review_resolve(
    user: As,
    task: Annotated[str, typer.Argument(help="The review task's id.")],
    resolution: Annotated[str, typer.Option(help="What was made of the evidence.")],
) -> None:
    """Resolve a review task of the user's agency (decide with ``decision add``)."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        done, _ = service.resolve(uow, actor, task, resolution, SystemClock().now())
    _out.print(f"{done.id} resolved")


@review_app.command("extend")
def review_extend(
    user: As,
    subject: SubjectId,
    reason: Annotated[str, typer.Option(help="Why the subject is kept.")],
    until: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD; default and latest: one period from today.")
    ] = None,
) -> None:
    """Move a subject's review date on, with the reason."""
    context, actor, service = _context(user)
    new_date = _date(until, "--until")
    with UnitOfWork(context.engine) as uow:
        done = service.extend(uow, actor, subject, reason, SystemClock().now(), new_date)
    _out.print(f"{done.subject_id}: review {done.previous_date} → {done.new_date}")


@review_app.command("sweep")
def review_sweep() -> None:
    """Date, warn, close and delete as the review rules say, now (the job does it on its own)."""
    settings = get_settings()
    context = AccessContext.from_settings(settings)
    periods = ReviewPeriods.from_settings(settings)
    with UnitOfWork(context.engine) as uow:
        report = sweep(
            uow, SystemClock(), periods=periods, trail=context.trail, commit_batches=True
        )
    _out.print(
        f"review sweep: {report.dated} dated, {report.warned} warned, {report.closed} closed, "
        f"{report.deleted} deleted, {report.held} held for open evidence"
    )


def register(app: typer.Typer) -> None:
    """Add the ``decision`` and ``review`` command groups."""
    app.add_typer(decision_app, name="decision")
    app.add_typer(review_app, name="review")
