"""``watchlink request send|list|show|answer`` and ``watchlink responsiveness``.

The command line acts as a named user (``--as``), resolved from the database like a
login: the same checks, the same audit lines as the API.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from watchlink.access import Actor
from watchlink.model import HandlingCode, RequestPriority
from watchlink.services.access_wiring import AccessContext
from watchlink.services.clock import SystemClock
from watchlink.services.requests import RequestService
from watchlink.services.requests_views import RequestTerms, RequestView
from watchlink.services.responsiveness import ResponsivenessService
from watchlink.settings import get_settings
from watchlink.store import UnitOfWork

__all__ = ["register"]

_out = Console()
request_app = typer.Typer(help="Requests for information between agencies.", no_args_is_help=True)

As = Annotated[str, typer.Option("--as", help="The user acting, e.g. fr.analyst.")]


def _context(username: str) -> tuple[AccessContext, Actor, RequestService]:
    settings = get_settings()
    context = AccessContext.from_settings(settings)
    with context.engine.begin() as conn:
        actor = context.auth.resolve(conn, username)
    terms = RequestTerms.from_settings(settings)
    return context, actor, RequestService(context.trail, SystemClock(), terms)


def _print(view: RequestView) -> None:
    subject = view.subject_id or ("(withheld)" if view.subject_withheld else "-")
    late = " [red]OVERDUE[/]" if view.overdue else ""
    _out.print(f"[bold]{view.id}[/] {view.from_agency} → {view.to_agency}: {view.title}")
    _out.print(
        f"  {view.priority}, {view.state}{late}, deadline {view.deadline:%Y-%m-%d %H:%M} UTC, "
        f"escalation level {view.escalation_level}, subject {subject}"
    )
    for m in view.messages:
        _out.print(f"  [{m.handling}] {m.at:%Y-%m-%d %H:%M} {m.by_user}@{m.by_agency}: {m.body}")


@request_app.command("send")
def send(
    user: As,
    to: Annotated[str, typer.Option(help="The receiving agency, e.g. FR-INT.")],
    title: Annotated[str, typer.Option(help="The question's title.")],
    body: Annotated[str, typer.Option(help="The question.")],
    priority: Annotated[RequestPriority, typer.Option(help="urgent, high or normal.")] = (
        RequestPriority.NORMAL
    ),
    subject: Annotated[str | None, typer.Option(help="The subject asked about.")] = None,
    handling: Annotated[HandlingCode, typer.Option(help="H0, H1 or H2.")] = HandlingCode.H1,
) -> None:
    """Ask another agency; prints the request with its deadline."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        view = service.send(uow, actor, to, title, body, priority, subject, None, handling)
    _print(view)


@request_app.command("list")
def list_requests(
    user: As,
    sent: Annotated[bool, typer.Option("--sent", help="Requests sent, not received.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones.")] = False,
) -> None:
    """The requests the user's agency received (or sent)."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        views = service.list_requests(
            uow, actor, "sent" if sent else "received", None, True if overdue else None
        )
    whole_id = Column("id", no_wrap=True)  # whole, to copy into other commands
    table = Table(whole_id, "from", "to", "title", "priority", "state", "deadline (UTC)", "level")
    for v in views:
        state = f"{v.state} (overdue)" if v.overdue else v.state
        table.add_row(
            v.id, v.from_agency, v.to_agency, v.title, v.priority, state,
            f"{v.deadline:%Y-%m-%d %H:%M}", str(v.escalation_level),
        )  # fmt: skip
    _out.print(table)


@request_app.command("show")
def show(user: As, request_id: Annotated[str, typer.Argument(help="The request's id.")]) -> None:
    """One request with its conversation."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        _print(service.get(uow, actor, request_id))


@request_app.command("answer")
def answer(
    user: As,
    request_id: Annotated[str, typer.Argument(help="The request's id.")],
    body: Annotated[str, typer.Option(help="The answer.")],
    handling: Annotated[HandlingCode, typer.Option(help="H0, H1 or H2.")] = HandlingCode.H1,
) -> None:
    """Answer a request the user's agency received."""
    context, actor, service = _context(user)
    with UnitOfWork(context.engine) as uow:
        _print(service.reply(uow, actor, request_id, body, handling, answer=True))


def responsiveness(
    user: As,
    by_pair: Annotated[bool, typer.Option("--pairs", help="Per sender → receiver.")] = False,
) -> None:
    """Per receiving agency: received, answered on time, median and p90 hours, overdue."""
    context, actor, _ = _context(user)
    figures = ResponsivenessService(context.trail, SystemClock())
    with UnitOfWork(context.engine) as uow:
        rows = figures.figures(uow, actor, by_pair)
    table = Table(
        "agency", "from", "received", "answered", "on time", "median h", "p90 h", "overdue",
        title="responsiveness",
    )  # fmt: skip
    for r in rows:
        table.add_row(
            r.agency, r.partner or "all", str(r.received), str(r.answered),
            str(r.answered_on_time),
            "-" if r.median_hours is None else f"{r.median_hours:.1f}",
            "-" if r.p90_hours is None else f"{r.p90_hours:.1f}",
            str(r.open_overdue),
        )  # fmt: skip
    _out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``request`` group and the ``responsiveness`` command."""
    app.add_typer(request_app, name="request")
    app.command("responsiveness")(responsiveness)
