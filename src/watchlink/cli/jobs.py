"""``watchlink jobs run|list``: run the durable scheduler outside the server, or look at it.

``jobs run --once`` runs what is due now and stops (for cron, or after downtime);
without ``--once`` it passes every ``--interval`` seconds until Ctrl-C. Several may run
beside the servers: each job still runs once.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from watchlink.services.clock import SystemClock
from watchlink.services.scheduler import RunReport, configured_registry, run_due, worker_name
from watchlink.settings import get_settings
from watchlink.store import Database
from watchlink.store.jobs import JobRepository

__all__ = ["register"]

_out = Console()
jobs_app = typer.Typer(help="The scheduler: reminders, escalations, reviews.", no_args_is_help=True)


def _show(report: RunReport) -> None:
    table = Table("kind", "ran", "failed", title="jobs run")
    for kind in sorted(set(report.ran) | set(report.failed)):
        table.add_row(kind, str(report.ran[kind]), str(report.failed[kind]))
    _out.print(table if report.ran or report.failed else "no job was due")
    for error in report.errors:
        _out.print(f"[red]{error}[/]", highlight=False)


@jobs_app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then stop.")] = False,
    interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between passes (without --once).")
    ] = 30.0,
) -> None:
    """Run due jobs (each exactly once, however many runners and servers)."""
    settings = get_settings()
    database = Database.from_settings(settings)
    database.migrate()
    registry = configured_registry(settings)
    worker = worker_name()
    clock = SystemClock()
    try:
        while True:
            report = run_due(database, clock, worker, registry)
            if once or report.total or report.failed:
                _show(report)
            if once:
                if report.failed:
                    raise typer.Exit(1)
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        _out.print("stopped")
    finally:
        database.dispose()


@jobs_app.command("list")
def list_pending(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
) -> None:
    """The jobs not done yet, soonest first, with their attempts and last error."""
    database = Database.from_settings(get_settings())
    database.migrate()
    try:
        with database.unit_of_work() as uow:
            pending = JobRepository(uow.connection).pending(limit)
    finally:
        database.dispose()
    table = Table("id", "kind", "due (UTC)", "attempts", "last error", title="pending jobs")
    for job in pending:
        due = job.due_at.strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(str(job.id), job.kind, due, str(job.attempts), job.last_error or "")
    _out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``jobs`` command group."""
    app.add_typer(jobs_app, name="jobs")
