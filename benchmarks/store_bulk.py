"""Store speed: bulk insert, streaming, counting and upserting subjects, per database.

    .venv/bin/python benchmarks/store_bulk.py [--subjects 20000] [--postgres URL]

Subjects come from the synthetic world (made before the clock starts). PostgreSQL is
measured when ``--postgres`` or ``WATCHLINK_TEST_POSTGRES_URL`` names a server: a
scratch database is created there and dropped after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from scratch_db import postgres_database, sqlite_database
from watchlink.model import Subject
from watchlink.store import Database
from watchlink.world.synth import generate

__all__ = ["rows"]


def _measure(database: Database, subjects: list[Subject], system: str) -> list[dict[str, Any]]:
    database.migrate()
    n = len(subjects)
    out: list[dict[str, Any]] = []

    def row(measure: str, seconds: float, count: int, note: str = "") -> None:
        rate = f"{count / seconds:,.0f}/s" if seconds > 0 else "n/a"
        out.append({"section": "store", "measure": measure, "system": system, "value": rate,
                    "note": note or f"{count:,} in {seconds:.2f} s"})  # fmt: skip

    start = time.perf_counter()
    with database.unit_of_work() as uow:
        uow.subjects.bulk_insert(subjects)
    row("bulk insert subjects", time.perf_counter() - start, n)
    start = time.perf_counter()
    with database.unit_of_work() as uow:
        streamed = sum(1 for _ in uow.subjects.iter_all(batch_size=1_000))
    row("stream subjects (iter_all)", time.perf_counter() - start, streamed)
    again = subjects[: min(n, 2_000)]
    start = time.perf_counter()
    with database.unit_of_work() as uow:
        for subject in again:
            uow.subjects.upsert(subject)
    row("upsert existing subjects", time.perf_counter() - start, len(again))
    return out


def rows(
    quick: bool = False, subjects: int | None = None, postgres: str | None = None
) -> list[dict[str, Any]]:
    """The store's rates on SQLite, and on PostgreSQL when a server is named."""
    count = subjects or (5_000 if quick else 50_000)
    made = list(generate(7, count, 0).subjects())
    out: list[dict[str, Any]] = []
    with sqlite_database() as database:
        out += _measure(database, made, "SQLite (WAL, file)")
    url = postgres or os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
    if url:
        with postgres_database(url) as database:
            out += _measure(database, made, "PostgreSQL (psycopg 3)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import print_table

    print_table(rows(False, args.subjects, args.postgres), f"store, {args.subjects:,} subjects")


if __name__ == "__main__":
    main()
