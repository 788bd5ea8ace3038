"""Live streams: the hub keeps agencies apart and cuts off a lagging listener; and a real
server's own dispatcher pushes a committed hit down ``/hits/stream`` to its agency only.

The server runs with uvicorn in a thread on 127.0.0.1, as in production; the client
reads the stream with httpx. No step waits a fixed time: each read blocks until the
server sends, with a generous timeout that only a failure reaches.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import insert

from access_support import FAST
from delivery_support import add_hit
from watchlink.api import stream as stream_api
from watchlink.api.app import create_app
from watchlink.model import HitRecipientRole
from watchlink.services.access_wiring import AccessContext, store_directory
from watchlink.services.auth import AuthService
from watchlink.services.delivery import Dispatcher
from watchlink.services.delivery_http import HttpxSender
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.live import LiveEvent, LiveHub, StreamEnded
from watchlink.settings import Settings
from watchlink.store import Database
from watchlink.store import tables as t


def test_the_hub_delivers_to_the_agency_only_and_cuts_off_a_laggard() -> None:
    async def scenario() -> None:
        hub = LiveHub(queue_size=2)
        fr, be = hub.subscribe("FR-INT"), hub.subscribe("BE-POL")
        assert hub.publish(LiveEvent(1, "hit", "FR-INT", {"hit_id": "h-1"})) == 1
        await asyncio.sleep(0)  # let the loop run the hand-over
        assert (await fr.next(1.0)) == LiveEvent(1, "hit", "FR-INT", {"hit_id": "h-1"})
        assert await be.next(0.01) is None  # nothing for Belgium
        for n in range(2, 6):
            hub.publish(LiveEvent(n, "hit", "BE-POL"))
        await asyncio.sleep(0)
        kept = [await be.next(1.0), await be.next(1.0)]
        assert [e.id for e in kept if e is not None] == [2, 3]
        with pytest.raises(StreamEnded):  # fell behind: cut off, to reload its inbox
            await be.next(1.0)
        fr.close()
        assert hub.listeners("FR-INT") == 0

    asyncio.run(scenario())


class Served:
    """A uvicorn server in a thread, on a port of its own."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> Served:
        self.thread.start()
        with httpx.Client(base_url=self.url, timeout=30) as client:
            for _ in range(600):  # until it answers (start-up), at most 30 s
                try:
                    client.get("/api/v1/health")
                    break
                except httpx.TransportError:
                    threading.Event().wait(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


@pytest.fixture
def served(database: Database, tmp_path: Path) -> Iterator[tuple[Served, dict[str, str]]]:
    with _serve(database, tmp_path, delivery_in_server=True) as answer:
        yield answer


@pytest.fixture
def served_without_dispatcher(
    database: Database, tmp_path: Path
) -> Iterator[tuple[Served, dict[str, str]]]:
    with _serve(database, tmp_path, delivery_in_server=False) as answer:
        yield answer


@contextmanager
def _serve(
    database: Database, tmp_path: Path, *, delivery_in_server: bool
) -> Iterator[tuple[Served, dict[str, str]]]:
    settings = Settings(
        home=tmp_path, database_url=database.url, delivery_poll_seconds=0.05,
        scheduler_enabled=False, delivery_in_server=delivery_in_server,
    )  # fmt: skip
    built = AccessContext.from_settings(settings)
    context = AccessContext(
        built.engine, built.trail, AuthService(built.trail, store_directory(), FAST)
    )
    tokens = {}
    with context.engine.begin() as conn:
        for code, country in (("FR-INT", "FR"), ("GR-BORDER", "GR")):
            conn.execute(
                insert(t.agencies).values(code=code, name=code, country=country, kind="police")
            )
        for agency in ("FR-INT", "GR-BORDER"):
            user = f"{agency.lower()}.desk"
            context.auth.add_user(conn, None, user, agency, ["analyst"], "a long password")
            tokens[agency] = context.auth.issue_token(conn, None, user, ["screen"]).token
    with Served(settings) as server:
        server.app.state.access = context
        yield server, tokens
    context.engine.dispose()


def _events(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    """Server-sent events as dicts of their fields (comments skipped)."""
    event: dict[str, str] = {}
    for line in lines:
        if line == "":
            if event:
                yield event
            event = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            event[name] = value.strip()


def test_a_committed_hit_reaches_its_agencys_stream_and_no_other(
    served: tuple[Served, dict[str, str]], database: Database
) -> None:
    server, tokens = served
    bearer = {"Authorization": f"Bearer {tokens['FR-INT']}"}
    with (
        httpx.Client(base_url=server.url, timeout=30) as client,
        client.stream("GET", "/api/v1/hits/stream", headers=bearer) as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines).startswith("retry:")  # subscribed: the hub now hears for FR-INT
        now = datetime.now(UTC)
        with database.unit_of_work() as uow:  # Greece's hit first, then France's
            add_hit(uow, "h-gr", (("GR-BORDER", HitRecipientRole.REPORTER, True),), now)
            (fr_message,) = add_hit(uow, "h-fr", (("FR-INT", HitRecipientRole.OWNER, False),), now)
        event = next(_events(lines))
    assert event["event"] == "hit" and event["id"] == str(fr_message)
    assert json.loads(event["data"]) == {
        "id": str(fr_message), "hit_id": "h-fr", "encounter_id": "e-h-fr",
        "role": "owner", "blind": False,
    }  # fmt: skip
    with httpx.Client(base_url=server.url, timeout=30) as client:
        other = client.get("/api/v1/hits/stream?agency=GR-BORDER", headers=bearer)
        assert other.status_code == 403


def test_a_hit_routed_by_another_process_reaches_the_stream_through_the_relay(
    served_without_dispatcher: tuple[Served, dict[str, str]],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stream_api, "MAX_STREAM_SECONDS", 10.0)  # a miss fails, not hangs
    server, tokens = served_without_dispatcher  # this server routes nothing itself
    elsewhere = Dispatcher(  # another worker's, or a `watchlink deliver`
        database.engine, HttpxSender(timeout=5), SecretBox(os.urandom(32))
    )
    bearer = {"Authorization": f"Bearer {tokens['FR-INT']}"}
    with (
        httpx.Client(base_url=server.url, timeout=30) as client,
        client.stream("GET", "/api/v1/hits/stream", headers=bearer) as stream,
    ):
        lines = stream.iter_lines()
        assert next(lines).startswith("retry:")
        with database.unit_of_work() as uow:
            (message,) = add_hit(
                uow, "h-far", (("FR-INT", HitRecipientRole.OWNER, False),), datetime.now(UTC)
            )
        assert elsewhere.run_once().routed == 1
        event = next(_events(lines))
    assert event["event"] == "hit" and event["id"] == str(message)
    assert json.loads(event["data"])["hit_id"] == "h-far"
