"""``watchlink webhook add|list|remove|deliveries|retry`` and ``watchlink deliver``.

The command line acts as the local operator (trusted, as for users) and every act is
on the audit trail. ``deliver`` runs the dispatcher: beside the server, or instead of
it; any number may run at once, none delivers a message twice.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from watchlink.services.access_wiring import AccessContext
from watchlink.services.delivery import Dispatcher, PassReport
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.webhooks import EVENT_KINDS, WebhookService
from watchlink.settings import Settings, get_settings
from watchlink.store.delivery import DeliveryRepository

__all__ = ["deliver", "register"]

_out = Console()
_err = Console(stderr=True)

webhook_app = typer.Typer(
    help="Register, list and remove agencies' outgoing webhooks; see failed deliveries.",
    no_args_is_help=True,
)


def _service(settings: Settings) -> tuple[AccessContext, WebhookService]:
    context = AccessContext.from_settings(settings)
    box = SecretBox.load_or_create(settings.effective_webhook_key_path)
    allow_http = settings.environment != "production"
    return context, WebhookService(context.trail, box, allow_plain_http=allow_http)


@webhook_app.command("add")
def webhook_add(
    url: Annotated[str, typer.Argument(help="The receiver's address (https:// in production).")],
    agency: Annotated[str, typer.Option(help="The agency whose messages it receives.")],
    kind: Annotated[
        list[str] | None,
        typer.Option(help=f"Message kind, repeatable: {', '.join(EVENT_KINDS)} (default hit)."),
    ] = None,
    description: Annotated[str | None, typer.Option(help="A note for the admins.")] = None,
) -> None:
    """Register an endpoint; prints its signing secret, which is shown only this once."""
    settings = get_settings()
    context, service = _service(settings)
    with context.engine.begin() as conn:
        created = service.create(conn, None, agency, url, tuple(kind or ["hit"]), description)
    _out.print(f"webhook {created.subscription.id} added for {agency}: {url}", highlight=False)
    _out.print(f"signing secret (shown once): {created.secret}", highlight=False)


@webhook_app.command("list")
def webhook_list(agency: Annotated[str, typer.Option(help="The agency's code.")]) -> None:
    """The agency's endpoints."""
    context, service = _service(get_settings())
    with context.engine.begin() as conn:
        found = service.subscriptions(conn, None, agency)
    table = Table(title=f"Webhooks of {agency}", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("url", "kinds", "active", "created"):
        table.add_column(column, overflow="fold")
    for s in found:
        created = s.created_at.isoformat(timespec="seconds")
        table.add_row(s.id, s.url, ",".join(s.kinds), "yes" if s.active else "no", created)
    _out.print(table)


@webhook_app.command("remove")
def webhook_remove(subscription: Annotated[str, typer.Argument(help="The webhook id.")]) -> None:
    """Remove an endpoint: nothing more is sent to it."""
    context, service = _service(get_settings())
    with context.engine.begin() as conn:
        service.remove(conn, None, subscription)
    _out.print(f"webhook {subscription} removed")


@webhook_app.command("deliveries")
def webhook_deliveries(
    agency: Annotated[str, typer.Option(help="The agency's code.")],
    state: Annotated[
        str | None, typer.Option(help="pending, delivered or dead (default: any).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 50,
) -> None:
    """The agency's webhook deliveries, newest first; dead ones gave up."""
    context, service = _service(get_settings())
    with context.engine.begin() as conn:
        found = service.deliveries(conn, None, agency, state, limit)
    table = Table(title=f"Webhook deliveries of {agency}", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("message", "webhook", "state", "attempts", "next", "last error"):
        table.add_column(column, overflow="fold")
    for d in found:
        upcoming = "" if d.next_attempt_at is None else d.next_attempt_at.isoformat("T", "seconds")
        table.add_row(
            str(d.id), str(d.outbox_id), d.subscription_id, d.state, str(d.attempts),
            upcoming, d.last_error or "",
        )  # fmt: skip
    _out.print(table)


@webhook_app.command("retry")
def webhook_retry(delivery: Annotated[int, typer.Argument(help="The dead delivery's id.")]) -> None:
    """Give a dead delivery a fresh round of attempts."""
    context, service = _service(get_settings())
    with context.engine.begin() as conn:
        service.retry(conn, None, delivery)
    _out.print(f"delivery {delivery} queued again")


def _summary(total: PassReport) -> str:
    return (
        f"routed {total.routed}, webhook attempts {total.sent} "
        f"(accepted {total.accepted}, to retry {total.retrying}, given up {total.dead}), "
        f"routing failures {total.routing_failed}"
    )


def deliver(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then stop.")
    ] = False,
) -> None:
    """Run the delivery dispatcher: outbox to inboxes and webhooks, retries included.

    Without --once it runs until Ctrl-C or SIGTERM, pausing WATCHLINK_DELIVERY_POLL_SECONDS
    when idle. Any number of dispatchers (and servers) may run together.
    """
    settings = get_settings()
    context = AccessContext.from_settings(settings)
    dispatcher = Dispatcher.from_settings(settings, context.engine)
    if once:
        total = PassReport()
        while True:
            report = dispatcher.run_once()
            total.add(report)
            if not report.busy:
                break
        dispatcher.close()
        _out.print(_summary(total), soft_wrap=True)
        with context.engine.connect() as conn:
            stuck = DeliveryRepository(conn).dead_outbox()
        if stuck:
            ids = ", ".join(str(m.id) for m in stuck[:20])
            _err.print(
                f"{len(stuck)} message(s) could not be routed and were given up: {ids} "
                "(outbox.last_error says why)",
                soft_wrap=True,
            )
        return
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    _err.print(f"delivering as {dispatcher.worker}; Ctrl-C stops", highlight=False)
    dispatcher.run(stop, settings.delivery_poll_seconds)
    dispatcher.close()
    _err.print("stopped")


def register(app: typer.Typer) -> None:
    """Add ``webhook`` and ``deliver`` to the app."""
    app.add_typer(webhook_app, name="webhook")
    app.command()(deliver)
