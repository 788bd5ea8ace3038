"""Crashes lose nothing and duplicate nothing, with the real command line, on both databases.

1. A process commits hits and their outbox rows and is killed (``SIGKILL``) before any
   delivery; ``watchlink deliver --once`` afterwards delivers each message once: every
   inbox marked, one signed request per webhook, and a second run sends nothing.
2. ``watchlink deliver`` is killed while a receiver holds its request (the receiver
   acted, the dispatcher never heard): the claim keeps others off until its lease
   lapses, then the message is sent again with the same ``Idempotency-Key`` and the
   receiver, seeing the key again, does not act twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from delivery_support import FR_ONLY, HOLD, Receiver, add_hit, receiver
from watchlink.store import Database
from watchlink.store import tables as t
from watchlink.store.tables_casework import hit_recipients
from watchlink.store.tables_delivery import webhook_deliveries
from watchlink.store.tables_ops import outbox

pytestmark = pytest.mark.slow  # each case starts several Python processes

CLI = "from watchlink.cli.main import main; main()"

WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, datetime
    sys.path.insert(0, {tests!r})
    from delivery_support import add_hit
    from watchlink.store import Database
    database = Database({url!r})
    with database.unit_of_work() as uow:
        now = datetime.now(UTC)
        ids = [i for n in range(3) for i in add_hit(uow, f"h-{{n}}", at=now)]
    print(" ".join(map(str, ids)), flush=True)
    time.sleep(600)  # killed here, before anything is delivered
    """
)


@pytest.fixture
def env(database: Database, tmp_path: Path) -> dict[str, str]:
    with database.engine.begin() as conn:
        for code, country in (("FR-INT", "FR"), ("GR-BORDER", "GR")):
            conn.execute(
                insert(t.agencies).values(code=code, name=code, country=country, kind="police")
            )
    variables = dict(os.environ)
    variables.update(
        WATCHLINK_DATABASE_URL=database.url,
        WATCHLINK_HOME=str(tmp_path / "home"),
        WATCHLINK_ENVIRONMENT="development",
    )
    return variables


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    yield from receiver()


def watchlink(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def register(env: dict[str, str], hooks: Receiver) -> None:
    added = watchlink(env, "webhook", "add", hooks.url, "--agency", "FR-INT")
    hooks.secret = added.split("shown once):")[1].split()[0]


def test_hits_committed_by_a_killed_process_are_delivered_once_after_restart(
    database: Database, env: dict[str, str], hooks: Receiver
) -> None:
    register(env, hooks)
    tests = str(Path(__file__).parent)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(tests=tests, url=database.url)],
        env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None
    written = [int(i) for i in writer.stdout.readline().split()]
    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    assert writer.returncode == -signal.SIGKILL and len(written) == 6
    with database.engine.connect() as conn:
        assert conn.execute(select(hit_recipients.c.delivered_at)).scalars().all() == [None] * 6

    summary = watchlink(env, "deliver", "--once")

    assert "routed 6" in summary and "accepted 3" in summary
    with database.engine.connect() as conn:
        recipients = conn.execute(select(hit_recipients.c.delivered_at)).scalars().all()
        assert len(recipients) == 6 and None not in recipients
        fr_messages = conn.execute(
            select(outbox.c.id).where(outbox.c.recipient == "FR-INT").order_by(outbox.c.id)
        )
        expected = [str(i) for i in fr_messages.scalars()]
    assert sorted(hooks.accepted_keys()) == sorted(expected)
    assert sorted(r.key for r in hooks.requests) == expected  # exactly one request each
    assert all(r.signed for r in hooks.requests)
    assert {r.body["data"]["hit_id"] for r in hooks.requests} == {"h-0", "h-1", "h-2"}

    assert "routed 0, webhook attempts 0" in watchlink(env, "deliver", "--once")
    assert len(hooks.requests) == 3


def test_a_dispatcher_killed_mid_send_is_taken_over_without_a_second_action(
    database: Database, env: dict[str, str], hooks: Receiver
) -> None:
    register(env, hooks)
    with database.unit_of_work() as uow:
        (message,) = add_hit(uow, "h-1", FR_ONLY, datetime.now(UTC))
    hooks.script.append(HOLD)
    command = [sys.executable, "-c", CLI, "deliver", "--once"]
    dispatcher = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    assert hooks.held.wait(60), "the dispatcher never sent"
    dispatcher.send_signal(signal.SIGKILL)
    dispatcher.wait(30)
    hooks.release.set()

    watchlink(env, "deliver", "--once")  # the claim's lease still runs: nobody resends
    assert len(hooks.requests) == 1
    with database.engine.begin() as conn:  # the lease lapses (its end moved to the past)
        lapsed = datetime.now(UTC) - timedelta(seconds=1)
        conn.execute(update(webhook_deliveries).values(next_attempt_at=lapsed))

    watchlink(env, "deliver", "--once")

    assert [r.key for r in hooks.requests] == [str(message), str(message)]
    assert hooks.accepted_keys() == [str(message)] and hooks.acted[str(message)] == 1
    with database.engine.connect() as conn:
        state = conn.execute(select(webhook_deliveries.c.state, webhook_deliveries.c.attempts))
        assert state.all() == [("delivered", 1)]


def test_two_deliver_processes_at_once_send_each_message_once(
    database: Database, env: dict[str, str], hooks: Receiver
) -> None:
    register(env, hooks)
    with database.unit_of_work() as uow:
        now = datetime.now(UTC)
        written = [m for n in range(25) for m in add_hit(uow, f"h-{n}", at=now)]
    fr_messages = written[0::2]  # FR-INT (owner) first in each hit; GR-BORDER has no webhook
    command = [sys.executable, "-c", CLI, "deliver", "--once"]
    small = {**env, "WATCHLINK_DELIVERY_BATCH": "3"}  # many small claims, so the two interleave
    both = [subprocess.Popen(command, env=small, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [process.communicate(timeout=120)[0] for process in both]
    assert [process.returncode for process in both] == [0, 0]

    routed = sum(int(out.split("routed ")[1].split(",")[0]) for out in outputs)
    assert routed == len(written) == 50
    assert sorted(r.key for r in hooks.requests) == sorted(str(m) for m in fr_messages)
    assert all(r.signed for r in hooks.requests) and set(hooks.acted.values()) == {1}
