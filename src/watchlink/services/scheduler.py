"""The durable scheduler: jobs in the database, run exactly once, caught up after downtime.

A job is a row (kind, due time, payload). ``schedule`` adds one in the caller's
transaction, so a request and its escalation job commit together. ``run_due`` claims due
jobs one at a time and runs each handler inside the claiming transaction, with the mark
that the job is done: the work commits once or not at all, however many servers run.
A server that was down over a deadline finds the job still due when it starts and runs
it then. Periodic sweeps are kinds registered with ``every``: one instance is always
pending, and each run schedules the next on the cadence, skipping the missed beats.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from watchlink.services.clock import Clock
from watchlink.settings import Settings
from watchlink.store import Database, UnitOfWork
from watchlink.store.jobs import Job, JobRepository

__all__ = [
    "JOB_PROVIDERS",
    "MAX_ATTEMPTS",
    "BackgroundScheduler",
    "Handler",
    "Job",
    "JobRegistry",
    "RunReport",
    "configured_registry",
    "run_due",
    "run_forever",
    "schedule",
    "worker_name",
]

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Job, Clock], None]
"""Does a job's work in the job's transaction (``uow``); raising rolls it all back."""

JOB_PROVIDERS: tuple[str, ...] = (
    "watchlink.services.requests_jobs:register_jobs",
    "watchlink.services.review:register_jobs",
)
"""``module:function`` names called as ``function(registry, settings)`` to register kinds."""

MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class _Kind:
    handler: Handler
    every: timedelta | None


@dataclass(slots=True)
class JobRegistry:
    """Which handler runs each kind of job, and which kinds recur."""

    _kinds: dict[str, _Kind] = field(default_factory=dict)

    def register(self, kind: str, handler: Handler, every: timedelta | None = None) -> None:
        """Run ``handler`` for jobs of ``kind``; with ``every``, keep one always scheduled."""
        if kind in self._kinds:
            raise ValueError(f"job kind {kind!r} is registered twice")
        if every is not None and every <= timedelta(0):
            raise ValueError("a periodic job needs a positive interval")
        self._kinds[kind] = _Kind(handler, every)

    @property
    def kinds(self) -> frozenset[str]:
        """Every registered kind."""
        return frozenset(self._kinds)

    def handler(self, kind: str) -> Handler:
        """The handler of ``kind`` (KeyError when unknown)."""
        return self._kinds[kind].handler

    def every(self, kind: str) -> timedelta | None:
        """The interval of a periodic kind, None for one-off kinds."""
        return self._kinds[kind].every

    def periodic(self) -> dict[str, timedelta]:
        """The periodic kinds and their intervals."""
        return {k: v.every for k, v in self._kinds.items() if v.every is not None}


@dataclass(slots=True)
class RunReport:
    """What one ``run_due`` pass did."""

    ran: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Jobs run successfully."""
        return sum(self.ran.values())


def schedule(uow: UnitOfWork, kind: str, due_at: datetime, payload: dict[str, Any]) -> int:
    """Add a job in the caller's transaction; returns its id."""
    if due_at.tzinfo is None:
        raise ValueError("a job's due time must be timezone-aware")
    return JobRepository(uow.connection).add(kind, due_at, payload)


def worker_name() -> str:
    """A name for this process's worker: host, process id and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), timedelta(hours=1))


def _next_beat(due_at: datetime, every: timedelta, now: datetime) -> datetime:
    """The first beat after ``now`` on the cadence that started at ``due_at``."""
    if due_at > now:
        return due_at + every
    missed = (now - due_at) // every
    return due_at + every * (missed + 1)


def _ensure_periodic(database: Database, registry: JobRegistry, now: datetime) -> None:
    periodic = registry.periodic()
    if not periodic:
        return
    with database.unit_of_work() as uow:
        repository = JobRepository(uow.connection)
        for kind in sorted(periodic):
            repository.add_unless_pending(kind, now, {})


def _run_one(
    database: Database, registry: JobRegistry, clock: Clock, worker: str, report: RunReport
) -> bool:
    """Claim and run one due job; False when none was due."""
    now = clock.now()
    claimed: Job | None = None
    try:
        with database.unit_of_work() as uow:
            repository = JobRepository(uow.connection)
            claimed = repository.claim(now, worker, now + LEASE, registry.kinds)
            if claimed is None:
                return False
            registry.handler(claimed.kind)(uow, claimed, clock)
            repository.finish(claimed.id, clock.now())
            every = registry.every(claimed.kind)
            if every is not None:
                repository.add(claimed.kind, _next_beat(claimed.due_at, every, now), {})
    except Exception as error:  # a failing handler must not stop the other jobs
        if claimed is None:
            raise
        message = f"{type(error).__name__}: {error}"
        log.warning("job %s (%s) failed: %s", claimed.id, claimed.kind, message)
        tries = claimed.attempts
        retry = None if tries >= MAX_ATTEMPTS else now + _backoff(tries)
        with database.unit_of_work() as uow:
            JobRepository(uow.connection).fail(claimed.id, message, retry, now)
        report.failed[claimed.kind] += 1
        report.errors.append(f"job {claimed.id} ({claimed.kind}): {message}")
        return True
    report.ran[claimed.kind] += 1
    return True


def run_due(
    database: Database,
    clock: Clock,
    worker_id: str,
    registry: JobRegistry,
    limit: int = 1_000,
) -> RunReport:
    """Run every job due at ``clock.now()`` (at most ``limit``), each exactly once.

    Safe to call from several processes at once; a job failing is retried later with
    a growing delay, and given up (done, with its error kept) after ``MAX_ATTEMPTS``.
    """
    report = RunReport()
    _ensure_periodic(database, registry, clock.now())
    for _ in range(limit):
        if not _run_one(database, registry, clock, worker_id, report):
            break
    return report


async def run_forever(
    database: Database,
    clock: Clock,
    registry: JobRegistry,
    interval: float,
    stop: asyncio.Event,
    worker_id: str | None = None,
    first_delay: float = 0.0,
) -> None:
    """Run due jobs every ``interval`` seconds until ``stop`` is set (the server's task).

    ``first_delay`` holds the first pass back: the server starts serving at once, and
    a process that opens the app only for a moment runs no job.
    """
    worker = worker_id or worker_name()
    if first_delay > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=first_delay)
    while not stop.is_set():
        try:
            await asyncio.to_thread(run_due, database, clock, worker, registry)
        except Exception:  # keep serving; the next pass tries again
            log.exception("the scheduler pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def configured_registry(settings: Settings) -> JobRegistry:
    """A registry with every kind of ``JOB_PROVIDERS`` registered."""
    registry = JobRegistry()
    for name in JOB_PROVIDERS:
        module_name, _, function = name.partition(":")
        provider = getattr(importlib.import_module(module_name), function)
        provider(registry, settings)
    return registry


class BackgroundScheduler:
    """The server's scheduler task: started and stopped by the application's lifespan."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        from watchlink.services.clock import SystemClock

        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.worker = worker_name()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._database: Database | None = None

    def start(self) -> None:
        """Start passing over due jobs (does nothing when the settings disable it)."""
        if not self.settings.scheduler_enabled or self._task is not None:
            return
        url = make_url(self.settings.effective_database_url)
        embedded = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if embedded and not Path(str(url.database)).parent.is_dir():
            log.warning("the scheduler is off: the database folder does not exist")
            return  # never create a folder behind the operator's back
        self._database = Database.from_settings(self.settings)
        registry = configured_registry(self.settings)
        interval = self.settings.scheduler_interval_seconds
        self._task = asyncio.create_task(
            run_forever(
                self._database, self.clock, registry, interval, self._stop, self.worker, interval
            )
        )

    async def stop(self) -> None:
        """Finish the pass under way, then stop."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._database is not None:
            self._database.dispose()
            self._database = None
