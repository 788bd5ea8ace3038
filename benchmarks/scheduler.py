"""Scheduler and request sweep costs: jobs run per second, one and four workers, and the
overdue sweep over many open requests. Prints one table.

SQLite in a temporary folder; PostgreSQL as well when ``WATCHLINK_TEST_POSTGRES_URL`` is
set (``scripts/with-postgres.sh`` sets it). ``python benchmarks/scheduler.py [jobs]
[requests]``. Worker counts are threads of one process; each job is one transaction.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from watchlink.model import Agency, AgencyKind, InfoRequest, RequestMessage, RequestPriority
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.clock import Clock, FixedClock
from watchlink.services.requests_escalation import Escalator
from watchlink.services.requests_sweep import sweep_requests
from watchlink.services.requests_views import RequestTerms
from watchlink.services.scheduler import Job, JobRegistry, run_due, schedule
from watchlink.settings import Settings
from watchlink.store import Database, UnitOfWork

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@contextmanager
def databases(folder: Path) -> Iterator[Iterator[tuple[str, Database]]]:
    """Fresh migrated databases: SQLite, and PostgreSQL when configured."""
    made: list[tuple[str, Database, Callable[[], None]]] = []

    def sqlite() -> tuple[str, Database]:
        db = Database(f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}")
        db.migrate()
        made.append(("sqlite", db, lambda: None))
        return "sqlite", db

    def postgres() -> tuple[str, Database] | None:
        raw = os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
        if not raw:
            return None
        admin = make_url(raw).set(drivername="postgresql+psycopg")
        name = f"bench_{uuid.uuid4().hex[:10]}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        db = Database(admin.set(database=name).render_as_string(hide_password=False))
        db.migrate()

        def drop() -> None:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()

        made.append(("postgresql", db, drop))
        return "postgresql", db

    def each() -> Iterator[tuple[str, Database]]:
        yield sqlite()
        found = postgres()
        if found is not None:
            yield found

    try:
        yield each()
    finally:
        for _, db, drop in made:
            db.dispose()
            drop()


def _noop(uow: UnitOfWork, job: Job, clock: Clock) -> None:
    uow.outbox.add("bench", "FR-INT", str(job.id), {}, clock.now())


def jobs_per_second(db: Database, jobs: int, workers: int) -> float:
    with db.unit_of_work() as uow:
        for i in range(jobs):
            schedule(uow, "bench", NOW - timedelta(seconds=1), {"i": i})
    registry = JobRegistry()
    registry.register("bench", _noop)
    clock = FixedClock(NOW)
    threads = [
        threading.Thread(target=run_due, args=(db, clock, f"w{n}", registry, jobs))
        for n in range(workers)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return jobs / (time.perf_counter() - start)


def sweep_seconds(db: Database, requests: int, folder: Path) -> tuple[float, float]:
    with db.unit_of_work() as uow:
        for code in ("FR-INT", "TR-INT"):
            uow.agencies.upsert(Agency(code, code, code[:2], AgencyKind.INTELLIGENCE))
        asked = NOW - timedelta(days=30)
        for i in range(requests):
            uow.requests.add(
                InfoRequest(
                    f"bench-{i}", "TR-INT", "FR-INT", "Known to you?", RequestPriority.HIGH,
                    asked, asked + timedelta(days=3),
                    messages=[RequestMessage("TR-INT", "tr", asked, "?")],
                )
            )  # fmt: skip
    trail = AuditTrail(SigningKey.load_or_create(folder / f"{uuid.uuid4().hex}.key"), 1000)
    trail.ensure_head(db.engine)
    escalator = Escalator(trail, RequestTerms.from_settings(Settings()))
    timings = []
    for _ in range(2):  # first: three levels each; second: nothing left to do
        start = time.perf_counter()
        after = None
        while True:  # batch by batch, one transaction each, as the scheduler runs it
            with db.unit_of_work() as uow:
                after = sweep_requests(escalator, uow, NOW, after=after).next_after
            if after is None:
                break
        timings.append(time.perf_counter() - start)
    return timings[0], timings[1]


def main(argv: list[str]) -> None:
    jobs = int(argv[0]) if argv else 2000
    requests = int(argv[1]) if len(argv) > 1 else 1000
    rows: list[tuple[str, float, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, databases(Path(tmp)) as each:
        for name, db in each:
            one = jobs_per_second(db, jobs, 1)
            four = jobs_per_second(db, jobs, 4)
            first, idle = sweep_seconds(db, requests, Path(tmp))
            rows.append((name, one, four, first, idle))
    print(f"scheduler: {jobs} jobs per run; sweep over {requests} overdue requests")
    print(f"{'database':<11} {'jobs/s 1w':>10} {'jobs/s 4w':>10} {'4w/1w':>6} "
          f"{'sweep s':>9} {'escalations/s':>14} {'idle sweep s':>13}")  # fmt: skip
    for name, one, four, first, idle in rows:
        print(
            f"{name:<11} {one:>10.0f} {four:>10.0f} {four / one:>6.2f} "
            f"{first:>9.2f} {3 * requests / first:>14.0f} {idle:>13.3f}"
        )
    if len(rows) == 2:
        base, other = rows
        print(f"postgresql / sqlite: jobs/s 1w x{other[1] / base[1]:.2f}, "
              f"4w x{other[2] / base[2]:.2f}, sweep x{other[3] / base[3]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
