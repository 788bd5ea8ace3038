"""Access and audit costs: policy decisions, filtered counts, audit appends and verification.

Prints one table. SQLite in a temporary folder by default; PostgreSQL as well when
``WATCHLINK_TEST_POSTGRES_URL`` is set. Sizes are small on purpose (a quick look, not a
load test): ``python benchmarks/access_audit.py [subjects] [audit_lines]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    select,
)

from watchlink.access import (
    Action,
    Actor,
    Resource,
    SubjectColumns,
    allowed,
    subject_visibility_filter,
)
from watchlink.model import AuditAction, Role
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.audit_chain import SigningKey
from watchlink.store.tables_access import access_metadata

meta = MetaData()
records = Table(
    "bench_subjects",
    meta,
    Column("id", Integer, primary_key=True),
    Column("agency", String),
    Column("country", String),
    Column("distribution", String),
    Column("grp", String),
    Column("handling", String),
)
COLUMNS = SubjectColumns(
    records.c.agency, records.c.country, records.c.distribution, records.c.grp, records.c.handling
)
AGENCIES = [("FR-INT", "FR"), ("FR-POL", "FR"), ("BE-SUR", "BE"), ("DE-BKA", "DE")]
DISTRIBUTIONS = ["own_agency", "own_country", "partner_group", "all_partners"]
ACTOR = Actor("bench", "BE-SUR", "BE", frozenset({Role.ANALYST}), frozenset({"G1"}))


def timed(work: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    return time.perf_counter() - start


def run(engine: Engine, label: str, subjects: int, lines: int, home: Path) -> list[tuple[str, str]]:
    meta.drop_all(engine)
    access_metadata.drop_all(engine)
    meta.create_all(engine)
    access_metadata.create_all(engine)
    rows = [
        {
            "id": i,
            "agency": AGENCIES[i % 4][0],
            "country": AGENCIES[i % 4][1],
            "distribution": DISTRIBUTIONS[(i // 4) % 4],
            "grp": "G1" if i % 3 else "G2",
            "handling": f"H{i % 4}",
        }
        for i in range(subjects)
    ]
    with engine.begin() as conn:
        conn.execute(insert(records), rows)
    where = subject_visibility_filter(ACTOR, COLUMNS, Action.LIST)
    with engine.connect() as conn:
        count_query = select(func.count()).select_from(records).where(where)
        seconds = timed(lambda: conn.execute(count_query).scalar_one(), 5) / 5
        visible = conn.execute(count_query).scalar_one()
    trail = AuditTrail(SigningKey.load_or_create(home / f"{label}.key"), 100)
    trail.ensure_head(engine)
    who = Who("bench", "BE-SUR", "analyst")

    def append_all() -> None:
        for n in range(lines):
            with engine.begin() as conn:
                trail.record(conn, who, AuditAction.SEARCH, [str(n)], "q")

    append = timed(append_all)
    with engine.connect() as conn:
        verify = timed(lambda: trail.verify(conn))
    meta.drop_all(engine)
    access_metadata.drop_all(engine)
    return [
        (
            f"{label}: filtered count over {subjects:,} subjects",
            f"{seconds * 1000:.1f} ms ({visible:,} visible)",
        ),
        (f"{label}: audit append, one transaction each", f"{lines / append:,.0f} lines/s"),
        (f"{label}: audit verify", f"{lines / verify:,.0f} lines/s"),
    ]


def main() -> None:
    subjects = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    resource = Resource("FR-INT", "FR", "partner_group", "G1", "H1")
    decisions = 50_000
    seconds = timed(lambda: allowed(ACTOR, Action.READ, resource), decisions)
    table = [("policy decision (allowed)", f"{decisions / seconds:,.0f} per second")]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        table += run(create_engine(f"sqlite:///{home / 'b.db'}"), "sqlite", subjects, lines, home)
        url = os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
        if url:
            table += run(create_engine(url), "postgresql", subjects, lines, home)
    width = max(len(k) for k, _ in table)
    print(f"{'measure':<{width}}  result")
    for key, value in table:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
