"""``GET /hits/stream``: server-sent events, one per hit routed to the caller's agency.

An event carries ids only (``hit_id``, ``encounter_id``, the agency's ``role``,
``blind``); the console then fetches the hit through ``/hits/{id}``, where the policy
decides what it shows. The stream is open to the caller's own agency only, and its
opening is on the audit trail. It ends after ``MAX_STREAM_SECONDS``: ``EventSource``
reconnects by itself (``retry``), so a disabled user or a revoked token is refused
within minutes. This router is listed before the hits router, so ``stream`` is never
taken for a hit id.

The route is left out of the OpenAPI schema: an endless ``text/event-stream`` has no
OpenAPI description, and schema-driven clients and fuzzers would wait on it forever.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import StreamingResponse

from watchlink.api.auth import AccessDep, ActorDep
from watchlink.model import AuditAction
from watchlink.services.audit import Who
from watchlink.services.live import LiveEvent, LiveHub, may_listen

__all__ = ["KEEPALIVE_SECONDS", "MAX_STREAM_SECONDS", "live_hub", "router"]

router = APIRouter(prefix="/hits", tags=["hits"])

KEEPALIVE_SECONDS = 15.0
"""Quiet time after which a comment line keeps proxies from closing the stream."""

MAX_STREAM_SECONDS = 600.0
"""A stream's lifetime; the client reconnects, and is authenticated again."""


def live_hub(app: FastAPI) -> LiveHub:
    """The app's live hub, made on first use (the lifespan's dispatcher publishes to it)."""
    hub = getattr(app.state, "live_hub", None)
    if hub is None:
        hub = LiveHub()
        app.state.live_hub = hub
    assert isinstance(hub, LiveHub)
    return hub


def _frame(event: LiveEvent) -> str:
    data = json.dumps({"id": str(event.id), **event.data}, sort_keys=True)
    return f"event: {event.kind}\nid: {event.id}\ndata: {data}\n\n"


async def _events(request: Request, hub: LiveHub, agency: str) -> AsyncIterator[str]:
    listener = hub.subscribe(agency)
    loop = asyncio.get_running_loop()
    ends = loop.time() + MAX_STREAM_SECONDS
    try:
        yield "retry: 3000\n: connected\n\n"
        async for event in listener.events(min(KEEPALIVE_SECONDS, MAX_STREAM_SECONDS)):
            if loop.time() >= ends or await request.is_disconnected():
                return
            if event is None:
                yield ": keep-alive\n\n"
            elif event.kind == "hit":
                yield _frame(event)
    finally:
        listener.close()


@router.get("/stream", response_class=StreamingResponse, include_in_schema=False)
def hits_stream(
    request: Request,
    actor: ActorDep,
    access: AccessDep,
    agency: Annotated[
        str | None, Query(max_length=32, description="Must be the caller's own agency.")
    ] = None,
) -> StreamingResponse:
    """Live hits of the caller's agency (``text/event-stream``); 403 for another agency."""
    wanted = actor.agency if agency is None else agency
    may_listen(access.trail.policy, actor, wanted)
    with access.engine.begin() as conn:
        access.trail.claim_writer(conn)
        access.trail.record(conn, Who.of(actor), AuditAction.READ, [], f"hits stream {wanted}")
    return StreamingResponse(
        _events(request, live_hub(request.app), wanted),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
