"""Review and triggers speed: the review sweep and partner list imports, per database.

    .venv/bin/python benchmarks/review.py [--subjects 20000] [--partner 1000] [--postgres URL]

A synthetic world (a fifth of it dormant or closed, review dates spread from two months
ago to two years ahead) is loaded, then swept three times: as of the world's date (dates,
warnings, closings), again the same day (nothing left to do: the idempotent cost), and
after the grace period (deletions). A partner list of ``--partner`` records from another
seed is then imported by US-SEC twice: without screening, and screened against every
other agency's resting subjects (the default), so the ratio is the cost of the trigger.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from watchlink.formats.ftm import write_ftm_lines
from watchlink.model import Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.clock import FixedClock
from watchlink.services.import_matches import ImportMatchWatcher
from watchlink.services.interchange import import_subjects
from watchlink.services.review import sweep
from watchlink.services.review_periods import ReviewPeriods
from watchlink.store import Database
from watchlink.world.people import AS_OF
from watchlink.world.synth import generate

__all__ = ["rows"]

PERIODS = ReviewPeriods(grace_days=30)


class _Silent:
    """An import observer that does nothing: the import alone."""

    def imported(self, subject: Subject) -> None:
        """Nothing."""

    def finished(self) -> None:
        """Nothing."""


def _databases(postgres: str | None) -> Iterator[tuple[str, Database]]:
    """SQLite, then PostgreSQL when a server is named; each dropped after its turn."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scratch_db import postgres_database, sqlite_database

    with sqlite_database() as database:
        yield "SQLite (WAL, file)", database
    if postgres:
        with postgres_database(postgres) as database:
            yield "PostgreSQL (psycopg 3)", database


def _measure(
    database: Database, system: str, world: list[Subject], partner: Path, folder: Path
) -> list[dict[str, Any]]:
    database.migrate()
    trail = AuditTrail(SigningKey.load_or_create(folder / "bench.key"), 100)
    trail.ensure_head(database.engine)
    with database.unit_of_work() as uow:
        uow.subjects.bulk_insert(world)
    out: list[dict[str, Any]] = []

    def timed(measure: str, count: int, run: Any) -> Any:
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
        rate = f"{count / seconds:,.0f}/s" if seconds > 0 else "n/a"
        out.append({"section": "review", "measure": measure, "system": system, "value": rate,
                    "note": f"{count:,} subjects in {seconds:.2f} s; {result}"})  # fmt: skip
        return result

    def swept(at: Any) -> Any:
        with database.unit_of_work() as uow:
            report = sweep(uow, FixedClock(at), periods=PERIODS, trail=trail)
        return f"{report.warned} warned, {report.closed} closed, {report.deleted} deleted"

    n = len(world)
    timed("sweep: warn and close", n, lambda: swept(AS_OF))
    timed("sweep again, same day", n, lambda: swept(AS_OF))
    timed("sweep after the grace period", n, lambda: swept(AS_OF + timedelta(days=31)))

    def imported(screen: bool) -> str:
        with database.unit_of_work() as uow:
            watcher = ImportMatchWatcher(uow, "US-SEC", AS_OF, trail=trail)
            observer = watcher if screen else _Silent()
            import_subjects(uow, partner, "US-SEC", "ftm", observer=observer)
        return f"{len(watcher.tasks)} review tasks" if screen else "not screened"

    count = sum(1 for _ in partner.open(encoding="utf-8"))
    timed("partner list import, not screened", count, lambda: imported(False))
    timed("partner list import, screened", count, lambda: imported(True))
    return out


def rows(
    quick: bool = False,
    subjects: int | None = None,
    partner: int | None = None,
    postgres: str | None = None,
) -> list[dict[str, Any]]:
    """The sweep and import rates on SQLite, and on PostgreSQL when a server is named."""
    count = subjects or (5_000 if quick else 20_000)
    listed = partner or (200 if quick else 1_000)
    world = list(generate(11, count, 0, prefix="bench-").subjects())
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "partner.jsonl"
        made = generate(12, listed, 0, prefix="us-").subjects()
        with path.open("w", encoding="utf-8") as handle:
            write_ftm_lines(made, handle)
        url = postgres or os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
        for system, database in _databases(url):
            out += _measure(database, system, world, path, folder)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--partner", type=int, default=1_000)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import print_table

    table = rows(False, args.subjects, args.partner, args.postgres)
    print_table(table, f"review and triggers, {args.subjects:,} subjects")


if __name__ == "__main__":
    main()
