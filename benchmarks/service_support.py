"""Pieces of ``service.py``: scratch database, world loading, request bodies, hit counts."""

from __future__ import annotations

import os
import random
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from watchlink.model import Encounter, EncounterKind, IdentityDocument, PresentedPerson
from watchlink.services.world import encounter_to_json
from watchlink.world.people import AS_OF

__all__ = [
    "Machine",
    "Row",
    "cpu_seconds",
    "database_server_pid",
    "encounter_body",
    "free_port",
    "hit_counts",
    "load_world",
    "percentile",
    "planted",
    "scratch_database",
    "slow_alone",
    "worker_cpu",
]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the benchmark table."""

    section: str
    measure: str
    system: str
    value: str
    target: str = ""
    note: str = ""


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def slow_alone(latencies: list[float], over: float, neighbours: int = 5) -> tuple[int, int]:
    """Of ``latencies`` (in the order the requests were due), how many over ``over`` were
    slow alone and how many in a burst. Alone: the median of the ``neighbours`` due before
    and after it is under a third of its own, a wait of its own (a lock, a pause) and not
    the queue's; in a burst, its neighbours waited too (the server behind, or the
    machine)."""
    alone = burst = 0
    for i, latency in enumerate(latencies):
        if latency <= over:
            continue
        around = latencies[max(0, i - neighbours) : i] + latencies[i + 1 : i + 1 + neighbours]
        if around and 3 * sorted(around)[len(around) // 2] < latency:
            alone += 1
        else:
            burst += 1
    return alone, burst


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/PID/stat`` after the command's name (OSError when gone)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its live children (Linux
    ``/proc``; 0 elsewhere): what the server spent, whatever else shares the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = _stat(current)
            children = _children(current)
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        pending += children
    return total


def _children(pid: int) -> list[int]:
    """The live children of a process (OSError when it is gone)."""
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def worker_cpu(pid: int) -> dict[int, float]:
    """CPU seconds so far of each child of the server's parent process (its workers, when
    it runs several; Linux ``/proc``, else none): how the load fell between them."""
    try:
        return {child: cpu_seconds(child) for child in _children(pid)}
    except OSError:
        return {}


@dataclass(frozen=True, slots=True)
class Machine:
    """The whole machine's CPU counters at one moment (Linux ``/proc``; zeros elsewhere):
    what other tenants took (stolen by the hypervisor) and how long tasks waited for a
    core (pressure), to read a run's tail against the machine it ran on."""

    at: float  # monotonic seconds
    stolen: float  # CPU seconds stolen from this machine's cores so far
    waited: float  # seconds during which some runnable task waited for a core so far

    @classmethod
    def now(cls) -> Machine:
        """The counters as they are now."""
        stolen = waited = 0.0
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
            stolen = int(fields[8]) / os.sysconf("SC_CLK_TCK")  # cpu user nice ... steal
        except (OSError, IndexError, ValueError):
            pass
        try:
            some = Path("/proc/pressure/cpu").read_text().split("\n", 1)[0]
            waited = int(some.rsplit("total=", 1)[1]) / 1e6  # microseconds
        except (OSError, IndexError, ValueError):
            pass
        return cls(time.monotonic(), stolen, waited)

    def since(self, earlier: Machine) -> tuple[float, float]:
        """Stolen CPU (share of one core) and CPU pressure (share of the time some task
        waited for a core) between ``earlier`` and this moment."""
        elapsed = max(self.at - earlier.at, 1e-9)
        return (self.stolen - earlier.stolen) / elapsed, (self.waited - earlier.waited) / elapsed


def database_server_pid(url: str) -> int | None:
    """The process of the PostgreSQL server behind ``url`` when it runs on this machine
    (the parent of a backend; :func:`cpu_seconds` of it counts its backends too), else
    None (SQLite runs inside the server's own processes)."""
    if not url.startswith("postgresql"):
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            backend = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
    finally:
        engine.dispose()
    try:
        fields = _stat(backend)
    except OSError:
        return None  # another machine's server
    return int(fields[1])  # ppid: the postmaster


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def scratch_database(postgres: str | None, folder: Path) -> Iterator[str]:
    """A new empty database's URL: on the PostgreSQL server named (dropped after), or SQLite."""
    if postgres is None:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    admin = make_url(postgres).set(drivername="postgresql+psycopg")
    name = f"watchlink_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def load_world(url: str, home: Path, world: Any, agency: str) -> str:
    """Migrate, load the world's agencies and subjects; return a screening token.

    One unit of work per chunk: on PostgreSQL the store's bulk path writes with ``COPY``
    on the driver's connection, which a commit in the middle of a unit of work does not
    see (the rows after it would be rolled back when the unit of work closes).
    """
    from watchlink.services.access_wiring import AccessContext
    from watchlink.services.world import batched
    from watchlink.settings import Settings
    from watchlink.store import Database

    database = Database(url)
    database.migrate()
    with database.unit_of_work() as uow:
        for known in world.agencies:
            uow.agencies.upsert(known)
        for group in world.partner_groups:
            uow.agencies.upsert_group(group)
    columns = (TextColumn("subjects"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bars:
        task = bars.add_task("subjects", total=world.subject_count + len(world.batches))
        for chunk in batched(world.subjects(), 5_000):
            with database.unit_of_work() as uow:
                uow.subjects.bulk_insert(chunk)
            bars.advance(task, len(chunk))
    database.refresh_subject_statistics(world.subject_count)  # as `watchlink import` does
    database.dispose()
    context = AccessContext.from_settings(Settings(home=home, database_url=url))
    with context.engine.begin() as conn:
        context.auth.add_user(conn, None, "bench", agency, ["border_officer"], "bench password 1")
        issued = context.auth.issue_token(conn, None, "bench", ["screen"])
    context.engine.dispose()
    return issued.token


def encounter_body(encounter: Encounter) -> dict[str, Any]:
    """The ``POST /encounters`` body of an encounter (the reporter is the token's agency)."""
    body = encounter_to_json(encounter)
    body.pop("agency", None)
    body["occurred_at"] = encounter.occurred_at.replace(tzinfo=None).isoformat()
    body["person"] = {k: v for k, v in body["person"].items() if v is not None}
    return {k: v for k, v in body.items() if v is not None}


def planted(world: Any, rng: random.Random, encounter_id: str) -> tuple[Encounter, str]:
    """A crossing by a listed subject exactly as listed (name, birth, passport): a sure hit.

    Every stored subject is screened (closed ones too); those due for review soon are
    left out all the same, so a run with the review sweep on plants the same matches.
    """
    later = date.today() + timedelta(days=60)  # the review sweep closes overdue subjects
    while True:
        subject = world.subject(rng.randrange(world.subject_count))
        due = subject.review_date
        if subject.names and (due is None or due > later):
            break
    name = subject.names[0]
    document = next(iter(subject.documents), None)
    person = PresentedPerson(
        names=[name.full],
        given=name.given,
        family=name.family,
        birth_date=subject.birth_dates[0].date if subject.birth_dates else None,
        nationality=subject.nationalities[0].value if subject.nationalities else None,
    )
    encounter = Encounter(
        id=encounter_id,
        kind=EncounterKind.BORDER_ENTRY,
        agency="GR-BORDER",
        occurred_at=AS_OF + timedelta(minutes=rng.randrange(100_000)),
        country="GR",
        person=person,
        document=None
        if document is None
        else IdentityDocument(document.number, document.type, document.country),
        destination_country=rng.choice(("BE", "FR", "DE", None)),
    )
    return encounter, subject.id


def hit_counts(url: str, planted_pairs: list[tuple[str, str]]) -> dict[str, int]:
    """Hits in the database: stored, duplicated (encounter, subject), planted ones found."""
    from watchlink.store.tables_casework import hits

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(hits)).scalar_one()
            pairs = select(hits.c.encounter_id, hits.c.subject_id).group_by(
                hits.c.encounter_id, hits.c.subject_id
            )
            duplicates = conn.execute(
                select(func.count()).select_from(pairs.having(func.count() > 1).subquery())
            ).scalar_one()
            found_pairs = set(conn.execute(select(hits.c.encounter_id, hits.c.subject_id)).tuples())
    finally:
        engine.dispose()
    found = sum(1 for pair in planted_pairs if pair in found_pairs)
    return {
        "stored": int(stored),
        "duplicates": int(duplicates),
        "planted": len(planted_pairs),
        "found": found,
    }
