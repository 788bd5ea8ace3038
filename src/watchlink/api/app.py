"""The FastAPI application: versioned routers under ``/api/v1``, one error shape, OpenAPI.

Routers are listed here, in one place: a router for the versioned API goes into
``API_ROUTERS`` (served under ``/api/v1``); one that must sit at the root (a console,
a compatibility endpoint, metrics) goes into ``ROOT_ROUTERS``.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse

from watchlink import __version__, web
from watchlink.api import (
    audit,
    auth,
    consents,
    encounters,
    health,
    hits,
    metrics,
    monitoring,
    subjects,
    yente,
)
from watchlink.api import requests as info_requests
from watchlink.api import stream as live_stream
from watchlink.api import webhooks as webhook_routes
from watchlink.api.errors import ERROR_RESPONSES, install_error_handlers
from watchlink.services.access_wiring import load_policy
from watchlink.services.delivery_background import BackgroundDelivery
from watchlink.services.scheduler import BackgroundScheduler
from watchlink.settings import Settings, get_settings

__all__ = ["API_PREFIX", "API_ROUTERS", "ROOT_ROUTERS", "create_app"]

API_PREFIX = "/api/v1"

API_ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    subjects.router,
    consents.router,
    audit.router,
    encounters.router,
    live_stream.router,  # before hits: /hits/stream is no hit id
    hits.router,
    info_requests.router,
    monitoring.router,
    webhook_routes.router,
]
"""Routers served under ``/api/v1``."""

ROOT_ROUTERS: list[APIRouter] = [yente.router, metrics.router, *web.ROUTERS]
"""Routers served at the root, outside the versioned API."""

SWITCH_INTERVAL = 0.001
"""Seconds a thread of a serving process may hold the interpreter before another gets its
turn (Python's default: 0.005). A screening call computes for milliseconds on end while
the event loop waits to read the next request and send the last answer: at a millisecond
the loop's turn comes five times sooner (measured with ``benchmarks/service.py``, 100,000
subjects, 200 requests/s on two workers: the median under load 42 → 25 ms)."""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    jobs = BackgroundScheduler(app.state.settings)  # reminders, escalations, reviews
    jobs.start()
    delivery = BackgroundDelivery(app.state.settings, live_stream.live_hub(app))
    delivery.start()  # outbox to inboxes, live streams and webhooks
    await anyio.to_thread.run_sync(encounters.warm_screening, app)  # the warm index
    keeper = encounters.keep_screening(app)  # and what other processes change, taken in
    if keeper is not None:
        keeper.start()
    try:
        yield
    finally:
        if keeper is not None:
            await anyio.to_thread.run_sync(keeper.stop)
        await delivery.stop()
        await jobs.stop()
        app.state.health_engine.dispose()
        sys.setswitchinterval(switch)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: the process settings from the environment)."""
    settings = settings if settings is not None else get_settings()
    app = FastAPI(
        title="watchlink",
        version=__version__,
        summary=(
            "Shared watchlists of persons of interest, screening of every encounter, "
            "and hits routed to the agencies that must act."
        ),
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.access_policy = load_policy(settings)  # unknown roles/permissions stop start-up
    app.state.health_engine = health.health_engine(settings.effective_database_url)
    install_error_handlers(app)
    metrics.install_metrics(app)  # /metrics: requests, latency, screening, outbox
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    for router in ROOT_ROUTERS:
        app.include_router(router)
    if not any(getattr(route, "path", None) == "/" for route in app.routes):
        app.add_api_route("/", _to_docs, methods=["GET", "HEAD"], include_in_schema=False)
    return app


def _to_docs() -> RedirectResponse:
    """Until a console is served at ``/``, the root leads to the API documentation."""
    return RedirectResponse("/docs")
