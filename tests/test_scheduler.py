"""The durable scheduler on both databases: due jobs run once, failures retry, sweeps recur.

Time is a ManualClock; concurrency is real threads claiming from one table. A job's
handler writes an outbox row, so "ran exactly once" is counted in the database.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from watchlink.services.clock import Clock, ManualClock
from watchlink.services.scheduler import (
    MAX_ATTEMPTS,
    Job,
    JobRegistry,
    run_due,
    schedule,
)
from watchlink.store import Database, UnitOfWork
from watchlink.store.jobs import JobRepository
from watchlink.store.tables_ops import outbox

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _note(uow: UnitOfWork, job: Job, clock: Clock) -> None:
    """Leave a trace of the run: one outbox row referencing the job."""
    uow.outbox.add("trace", "FR-INT", str(job.id), {"kind": job.kind}, clock.now())


def _traces(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        return [str(r) for r in conn.scalars(outbox.select().with_only_columns(outbox.c.reference))]


def _registry() -> JobRegistry:
    registry = JobRegistry()
    registry.register("note", _note)
    return registry


def _schedule(database: Database, kind: str, due_at: datetime) -> int:
    with database.unit_of_work() as uow:
        return schedule(uow, kind, due_at, {"n": 1})


def test_a_due_job_runs_once_and_a_future_one_waits(database: Database) -> None:
    clock = ManualClock(START)
    due = _schedule(database, "note", START - timedelta(minutes=1))
    later = _schedule(database, "note", START + timedelta(hours=2))
    registry = _registry()
    assert run_due(database, clock, "w1", registry).ran["note"] == 1
    assert run_due(database, clock, "w1", registry).total == 0
    assert _traces(database) == [str(due)]
    clock.advance(hours=2)
    run_due(database, clock, "w2", registry)
    assert sorted(_traces(database)) == sorted([str(due), str(later)])
    with database.unit_of_work() as uow:
        done = JobRepository(uow.connection).get(later)
    assert done is not None and done.done_at == clock.now() and done.locked_by == "w2"


def test_a_server_down_over_the_deadline_runs_the_job_on_start_exactly_once(
    database: Database,
) -> None:
    first = ManualClock(START)
    _schedule(database, "note", START + timedelta(hours=1))
    assert run_due(database, first, "server-a", _registry()).total == 0
    # down for three days; a new process with a new registry starts
    restarted = ManualClock(START + timedelta(days=3))
    assert run_due(database, restarted, "server-b", _registry()).total == 1
    assert run_due(database, restarted, "server-b", _registry()).total == 0
    assert len(_traces(database)) == 1


def test_a_failing_handler_rolls_back_its_work_and_retries_later(database: Database) -> None:
    calls: list[int] = []

    def flaky(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        _note(uow, job, clock)
        calls.append(job.attempts)
        if len(calls) < 3:
            raise RuntimeError("partner desk unreachable")

    registry = JobRegistry()
    registry.register("flaky", flaky)
    clock = ManualClock(START)
    job_id = _schedule(database, "flaky", START)
    report = run_due(database, clock, "w", registry)
    assert report.failed["flaky"] == 1 and "unreachable" in report.errors[0]
    assert _traces(database) == []  # the handler's write rolled back with it
    with database.unit_of_work() as uow:
        stored = JobRepository(uow.connection).get(job_id)
    assert stored is not None
    assert stored.attempts == 1 and stored.done_at is None
    assert stored.last_error == "RuntimeError: partner desk unreachable"
    assert stored.due_at > START  # retried later, not in a tight loop
    assert run_due(database, clock, "w", registry).total == 0  # not yet due again
    clock.advance(hours=2)
    run_due(database, clock, "w", registry)
    clock.advance(hours=2)
    assert run_due(database, clock, "w", registry).ran["flaky"] == 1
    assert calls == [1, 2, 3]
    assert _traces(database) == [str(job_id)]


def test_a_job_that_always_fails_is_given_up_with_its_error(database: Database) -> None:
    def broken(uow: UnitOfWork, job: Job, clock: Clock) -> None:
        raise ValueError("bad payload")

    registry = JobRegistry()
    registry.register("broken", broken)
    clock = ManualClock(START)
    job_id = _schedule(database, "broken", START)
    for _ in range(MAX_ATTEMPTS + 2):
        run_due(database, clock, "w", registry)
        clock.advance(hours=2)
    with database.unit_of_work() as uow:
        stored = JobRepository(uow.connection).get(job_id)
    assert stored is not None and stored.done_at is not None
    assert stored.attempts == MAX_ATTEMPTS and stored.last_error == "ValueError: bad payload"


def test_kinds_without_a_handler_stay_for_a_server_that_knows_them(database: Database) -> None:
    clock = ManualClock(START)
    job_id = _schedule(database, "reviews.sweep.v2", START)
    assert run_due(database, clock, "w", _registry()).total == 0
    with database.unit_of_work() as uow:
        stored = JobRepository(uow.connection).get(job_id)
    assert stored is not None and stored.done_at is None and stored.attempts == 0


def test_a_periodic_sweep_keeps_one_beat_pending_and_skips_missed_beats(
    database: Database,
) -> None:
    registry = JobRegistry()
    registry.register("requests.sweep", _note, every=timedelta(minutes=10))
    clock = ManualClock(START)
    assert run_due(database, clock, "w", registry).ran["requests.sweep"] == 1
    assert run_due(database, clock, "w", registry).total == 0
    clock.advance(minutes=10)
    assert run_due(database, clock, "w", registry).ran["requests.sweep"] == 1
    clock.advance(days=2, minutes=5)  # downtime: 288 beats missed, one catch-up run
    assert run_due(database, clock, "w", registry).ran["requests.sweep"] == 1
    with database.unit_of_work() as uow:
        pending = JobRepository(uow.connection).of_kind("requests.sweep", pending_only=True)
    assert len(pending) == 1
    assert pending[0].due_at == START + timedelta(days=2, minutes=20)
    assert len(_traces(database)) == 3


def test_registering_twice_or_with_a_bad_interval_is_refused() -> None:
    registry = _registry()
    with pytest.raises(ValueError, match="twice"):
        registry.register("note", _note)
    with pytest.raises(ValueError, match="positive"):
        registry.register("sweep", _note, every=timedelta(0))


def test_naive_due_times_are_refused(database: Database) -> None:
    with database.unit_of_work() as uow, pytest.raises(ValueError, match="timezone-aware"):
        schedule(uow, "note", datetime(2026, 6, 1), {})


def test_workers_racing_for_the_same_jobs_run_each_exactly_once(database: Database) -> None:
    jobs = 40
    with database.unit_of_work() as uow:
        ids = [schedule(uow, "note", START, {"i": i}) for i in range(jobs)]
    clock = ManualClock(START)
    registry = _registry()
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def work(name: str) -> None:
        try:
            gate.wait()
            run_due(database, clock, name, registry)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    traces = _traces(database)
    assert sorted(traces) == sorted(str(i) for i in ids)  # every job once, none twice


@pytest.mark.postgres
def test_postgres_claims_skip_a_job_another_server_holds(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's")
    first = _schedule(database, "note", START)
    second = _schedule(database, "note", START + timedelta(seconds=1))
    now = START + timedelta(minutes=1)
    lease = now + timedelta(minutes=5)
    with database.unit_of_work() as a, database.unit_of_work() as b:
        held = JobRepository(a.connection).claim(now, "a", lease, {"note"})
        other = JobRepository(b.connection).claim(now, "b", lease, {"note"})
        none_left = JobRepository(b.connection).claim(now, "b", lease, {"note"})
    assert held is not None and held.id == first
    assert other is not None and other.id == second
    assert none_left is None


def test_the_server_task_passes_until_told_to_stop(database: Database) -> None:
    """``run_forever`` runs a pass at once; here the job itself asks the task to stop."""
    import asyncio

    from watchlink.services.scheduler import run_forever

    _schedule(database, "note", START)

    async def scenario() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def note_and_stop(uow: UnitOfWork, job: Job, clock: Clock) -> None:
            _note(uow, job, clock)
            loop.call_soon_threadsafe(stop.set)

        registry = JobRegistry()
        registry.register("note", note_and_stop)
        await asyncio.wait_for(
            run_forever(database, ManualClock(START), registry, 3600, stop, "server"), 60
        )

    asyncio.run(scenario())
    assert len(_traces(database)) == 1


def test_a_server_stopped_before_its_first_pass_runs_no_job(database: Database) -> None:
    """The first pass waits ``first_delay``; stopping earlier leaves every job due."""
    import asyncio

    from watchlink.services.scheduler import run_forever

    job_id = _schedule(database, "note", START)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_forever(database, ManualClock(START), _registry(), 3600, stop, "s", 3600)
        )
        stop.set()
        await asyncio.wait_for(task, 60)

    asyncio.run(scenario())
    with database.unit_of_work() as uow:
        stored = JobRepository(uow.connection).get(job_id)
    assert stored is not None and stored.done_at is None and _traces(database) == []
