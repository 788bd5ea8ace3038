"""``watchlink serve``: run the API (and the console, once it exists) with uvicorn."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from watchlink.settings import Settings, get_settings

__all__ = ["APP_FACTORY", "register", "serve"]

APP_FACTORY = "watchlink.api.app:create_app"  # what each worker process imports and calls

_console = Console()

WORKER_HEALTHCHECK_SECONDS = 60
"""How long uvicorn's supervisor waits for a worker's answer to its health ping before it
kills the worker and starts another. The answer needs the interpreter's lock, which the
build of a large index holds for seconds at a time (a million subjects: 3 s in one step of
the build and 3.3 s in the collector's pass before the index is frozen, on an idle machine;
longer with two workers building on two cores): uvicorn's 5 s killed such workers, each
then building its index again, minutes with a worker fewer. A worker that is really hung
is still replaced, a minute later."""


class Balancer(StrEnum):
    """How several workers share the requests."""

    KERNEL = "kernel"  # one port shared: each connection stays with the worker that took it
    NGINX = "nginx"  # nginx in front: each request to the worker with the fewest in flight


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: WATCHLINK_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default: WATCHLINK_PORT).")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes. Each builds its own warm screening index at start and "
            "runs its own outbox dispatcher (claims keep delivery exactly-once); a live "
            "stream sees only the hits its own process dispatched, so keep 1 for consoles "
            "that rely on live streams.",
        ),
    ] = 1,
    balancer: Annotated[
        Balancer,
        typer.Option(
            case_sensitive=False,
            help="With several workers: 'kernel' shares the port between them (a "
            "connection stays with the worker that accepted it); 'nginx' puts nginx in "
            "front, each worker on a Unix socket under WATCHLINK_HOME/run, and sends each "
            "request to the worker with the fewest in flight (needs nginx installed).",
        ),
    ] = Balancer.KERNEL,
    access_log: Annotated[
        bool, typer.Option(help="Log each request served (uvicorn's access log).")
    ] = True,
) -> None:
    """Serve the API on HOST:PORT (127.0.0.1:8000 unless configured); Ctrl-C stops it.

    The OpenAPI documentation is at /docs, the schema at /openapi.json, and the
    versioned API under /api/v1 (health at /api/v1/health). With --workers N, N
    processes serve, each with the settings of this environment: sharing the port, or
    behind nginx with --balancer nginx.
    """
    import uvicorn

    from watchlink.api.app import API_PREFIX, create_app

    settings = get_settings()
    host = host if host is not None else settings.host
    port = port if port is not None else settings.port
    shown_host = f"[{host}]" if ":" in host else host
    if settings.database_url is None:  # the embedded database lives in WATCHLINK_HOME
        settings.home.mkdir(parents=True, exist_ok=True)
    base = f"http://{shown_host}:{port}"
    _console.print(f"watchlink serving on [bold]{base}[/]", highlight=False)
    _console.print(f"  API documentation  {base}/docs", highlight=False)
    _console.print(f"  health             {base}{API_PREFIX}/health", highlight=False)
    _print_demo_logins(settings)
    if workers == 1 and balancer is Balancer.KERNEL:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="info", access_log=access_log
        )
        return
    _console.print(f"  worker processes   {workers}", highlight=False)
    _prepare_for_workers(settings)
    if balancer is Balancer.NGINX:
        _serve_behind_nginx(settings, workers, host, port, access_log)
        return
    uvicorn.run(  # each worker builds the app from the environment, as get_settings does
        APP_FACTORY,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def _serve_behind_nginx(
    settings: Settings, workers: int, host: str, port: int, access_log: bool
) -> None:
    """The workers on Unix sockets behind nginx until stopped (``server_balancer``)."""
    from watchlink.cli.server_balancer import serve_balanced

    run = settings.home / "run"
    code = serve_balanced(APP_FACTORY, run, workers, host, port, _console.print, access_log)
    if code:
        raise typer.Exit(code)


def _prepare_for_workers(settings: Settings) -> None:
    """Before several workers start: migrate the schema and create the audit chain's head
    and key and the webhook key once, here, so no two workers race to create them."""
    from watchlink.services.access_wiring import AccessContext
    from watchlink.services.delivery_secrets import SecretBox

    AccessContext.from_settings(settings).engine.dispose()
    SecretBox.load_or_create(settings.effective_webhook_key_path)


def _print_demo_logins(settings: Settings) -> None:
    """Outside production, the demo logins that exist in this database (none: say how)."""
    if settings.environment == "production":
        return
    from sqlalchemy import create_engine, select

    from watchlink.store.tables_access import users
    from watchlink.world.demo import DEMO_USERS

    engine = create_engine(settings.effective_database_url)
    try:
        with engine.connect() as conn:
            names = [user.username for user in DEMO_USERS]
            present = set(conn.scalars(select(users.c.username).where(users.c.username.in_(names))))
    except SQLAlchemyError:  # no database yet: `watchlink init` has not run
        present = set()
    finally:
        engine.dispose()
    if not present:
        _console.print("  demo logins        none: load the demo with `watchlink demo`")
        return
    logins = Table(title="Demo logins (development only)", title_justify="left")
    for column in ("username", "password", "agency", "role"):
        logins.add_column(column)
    for user in DEMO_USERS:
        if user.username in present:
            logins.add_row(user.username, user.password, user.agency, user.role.value)
    _console.print(logins)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command()(serve)
