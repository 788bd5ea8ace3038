"""Prometheus metrics at ``GET /metrics``: requests, latency, screening, hits, outbox backlog.

Each app holds its own registry (``app.state.metrics``), so two apps in one process (the
tests) never collide. The middleware counts every request by method, route template
(``/api/v1/subjects/{subject_id}``, never the raw path: ids stay out of the metrics and
the label set stays small) and status, and times it. Screening is timed by wrapping the
warm engine's batch call; encounters screened, hits created and the outbox backlog are
read from the database at scrape time, so they are right across restarts and workers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchlink.store.metrics_queries import store_counts

__all__ = ["Metrics", "MetricsMiddleware", "install_metrics", "router"]

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The app's registry and the metrics the process itself counts."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "watchlink_http_requests",
            "HTTP requests served, by method, route template and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "watchlink_http_request_duration_seconds",
            "Time from request to the end of the response body, by route template.",
            ("method", "route"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.screening = Histogram(
            "watchlink_screening_duration_seconds",
            "Time the warm engine took to screen one batch of encounters (one or more).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.screened = Counter(
            "watchlink_screening_queries",
            "Encounters screened by the warm engine in this process.",
            registry=self.registry,
        )

    def instrument(self, state: Any) -> None:
        """Time the app's warm engine once its screening service exists (done once)."""
        service = getattr(state, "screening", None)
        screener = getattr(service, "screener", None)
        if screener is None or getattr(screener, "_watchlink_timed", False):
            return
        screener.screen_many = self.timed(screener.screen_many)
        screener._watchlink_timed = True

    def timed(self, screen_many: Callable[..., Any]) -> Callable[..., Any]:
        """``screen_many`` observed: its time into the histogram, its queries counted."""

        def observed(queries: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return screen_many(queries, *args, **kwargs)
            finally:
                self.screening.observe(time.perf_counter() - start)
                self.screened.inc(len(queries))

        return observed


def _route_of(scope: Scope) -> str:
    """The full template of the route that served ``scope`` (``unmatched`` for a 404).

    The router leaves the route in ``scope["route"]`` with its own path; the prefix it
    was included under is the part of the request path in front of what that path matches.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    pattern = getattr(route, "path_regex", None)
    if not isinstance(template, str) or pattern is None:
        return "unmatched"
    path = str(scope.get("path", ""))
    for cut, char in enumerate(path):
        if char == "/" and pattern.match(path[cut:]):
            return path[:cut] + template
    return template


class MetricsMiddleware:
    """Counts and times every HTTP request (pure ASGI: streaming responses pass through)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            app = scope.get("app")
            if app is not None:
                self.metrics.instrument(app.state)
            route, method = _route_of(scope), str(scope.get("method", ""))
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - start)


class _StoreCollector:
    """Counts read from the database at scrape time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
            counts = store_counts(conn)
        yield CounterMetricFamily(
            "watchlink_encounters_screened",
            "Encounters stored, each screened on ingest.",
            counts.encounters,
        )
        yield CounterMetricFamily("watchlink_hits_created", "Hits created.", counts.hits)
        yield GaugeMetricFamily(
            "watchlink_outbox_backlog", "Outbox messages not delivered yet.", counts.outbox_backlog
        )


class _Both:
    def __init__(self, *collectors: Any) -> None:
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics(request: Request) -> Response:
    """Prometheus text format: requests, latency, screening, hits, outbox backlog."""
    from watchlink.api.auth import access_of

    own: Metrics = request.app.state.metrics
    store = _StoreCollector(access_of(request.app).engine)
    body = generate_latest(_Both(own.registry, store))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI) -> Metrics:
    """Give the app its registry and the middleware (``/metrics`` is in ``ROOT_ROUTERS``)."""
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return metrics
