"""``watchlink serve --workers 2``: two processes share the port, each with its own warm
index and dispatcher; encounters sent to both are screened once each, every hit stored
once, every outbox message marked in its inbox, and the owner's webhook receives each
message exactly once; on every database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from delivery_support import Receiver, receiver
from watchlink.store import Database
from watchlink.store.tables_casework import hit_recipients, hits
from watchlink.store.tables_ops import outbox
from workers_support import CLI, NAMES, count, free_port, screening_token, server_env

pytestmark = pytest.mark.slow  # starts a server of two worker processes


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    yield from receiver()


@pytest.fixture
def server(
    database: Database, tmp_path: Path, hooks: Receiver
) -> Iterator[tuple[str, str, list[str]]]:
    """The base URL of ``serve --workers 2``, a token, and the server's output lines;
    FR-INT's webhook goes to ``hooks``."""
    token = screening_token(database, tmp_path)
    port = free_port()
    env = server_env(database, tmp_path)
    added = subprocess.run(
        [sys.executable, "-c", CLI, "webhook", "add", hooks.url, "--agency", "FR-INT"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr + added.stdout
    hooks.secret = added.stdout.split("shown once):")[1].split()[0]
    with _serving(env, tmp_path, port) as lines:
        yield f"http://127.0.0.1:{port}", token, lines


@contextmanager
def _serving(env: dict[str, str], folder: Path, port: int) -> Iterator[list[str]]:
    """``watchlink serve --workers 2`` until the block ends; its output lines once both
    workers are up."""
    log = folder / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the workers share its process group
        )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            lines = log.read_text("utf-8", errors="replace").splitlines()
            if sum("Application startup complete" in line for line in lines) >= 2:
                break
            time.sleep(0.2)
        assert process.poll() is None, "\n".join(lines)
        yield lines
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)


def test_two_workers_screen_once_and_deliver_once(
    database: Database, server: tuple[str, str, list[str]], hooks: Receiver
) -> None:
    base, token, lines = server
    workers = {line for line in lines if "Started server process" in line}
    assert len(workers) == 2, "\n".join(lines)
    bodies = [
        {
            "id": f"gr-bor-w-{index}",
            "kind": "border_entry",
            "occurred_at": "2026-11-29T10:00:00Z",
            "country": "GR",
            "person": {"names": [NAMES[index % 3] if index % 2 == 0 else f"Nobody {index}"]},
        }
        for index in range(24)
    ]
    headers = {"Authorization": f"Bearer {token}"}

    def send(body: dict[str, Any]) -> int:
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            response = client.post("/api/v1/encounters", json=body)
        assert response.status_code == 201, response.text
        return len(response.json()["hits"])

    with ThreadPoolExecutor(6) as pool:
        answered = sum(pool.map(send, bodies))
    assert answered == 12  # every even crossing is a listed person
    assert count(database, select(func.count()).select_from(hits)) == answered
    pairs = select(hits.c.encounter_id, hits.c.subject_id).distinct().subquery()
    assert count(database, select(func.count()).select_from(pairs)) == answered
    routed = count(database, select(func.count()).select_from(hit_recipients))
    assert count(database, select(func.count()).select_from(outbox)) == routed == 2 * answered
    undelivered = select(func.count()).where(hit_recipients.c.delivered_at.is_(None))
    pending = select(func.count()).where(outbox.c.delivered_at.is_(None))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and count(database, pending) > 0:
        time.sleep(0.2)  # the dispatchers of both workers share the outbox
    assert count(database, pending) == 0
    assert count(database, undelivered) == 0
    with database.engine.connect() as conn:
        owners = sorted(
            str(i) for i in conn.scalars(select(outbox.c.id).where(outbox.c.recipient == "FR-INT"))
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(hooks.requests) < len(owners):
        time.sleep(0.2)  # webhooks go out after the inbox marks
    assert sorted(r.key for r in hooks.requests) == owners  # each message once
    assert all(r.signed for r in hooks.requests) and set(hooks.acted.values()) == {1}


def test_two_workers_start_on_a_fresh_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "WATCHLINK_HOME": str(home), "WATCHLINK_SCHEDULER_ENABLED": "false"}
    env.pop("WATCHLINK_DATABASE_URL", None)  # the embedded database, not made yet
    port = free_port()
    with _serving(env, tmp_path, port) as lines:
        health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=60).json()
    assert health["database"]["reachable"] is True, "\n".join(lines)
    assert not [line for line in lines if "Traceback" in line or "Error" in line]
    keys = sorted(p.name for p in (home / "keys").iterdir())
    assert {"audit-signing.key", "webhook-secrets.key"} <= set(keys)  # made before the workers
