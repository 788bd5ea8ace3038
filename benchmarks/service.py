"""Screening over HTTP under load: the real server, a million subjects, 200 encounters/s.

    .venv/bin/python benchmarks/service.py                       # 1M subjects, 60 s at 200/s
    .venv/bin/python benchmarks/service.py --subjects 100000 --seconds 30
    scripts/with-postgres.sh .venv/bin/python benchmarks/service.py   # on PostgreSQL
    ... benchmarks/service.py --workers 2 --bulk-clients 2           # two server processes
    ... benchmarks/service.py --workers 2 --balancer nginx           # behind nginx

Loads the seeded synthetic world into a scratch database (PostgreSQL when
``--postgres`` or ``WATCHLINK_TEST_POSTGRES_URL`` names a server, else SQLite), starts
``watchlink serve`` on it (the warm index is built before it serves), and drives single
``POST /api/v1/encounters`` at a fixed rate from an async client, open-loop: each
request leaves at its scheduled time whatever the others do, and its latency counts
from that time, so queueing is in the figure. Then bulk ingest through
``POST /encounters/batch``; then the hit count checked in the database (every planted
exact match hit once, no hit twice, as many hits stored as answered); last, the same
queries screened in-process by the engine alone, for the ratio. ``--workers N`` serves
with N processes, each building its own index before the load starts, sharing the port
(``--balancer kernel``) or behind nginx (``--balancer nginx``: each request to the worker
with the fewest in flight); ``--bulk-clients`` sends that many batches at once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from service_support import (  # sibling module of a script
    Machine,
    Row,
    cpu_seconds,
    database_server_pid,
    encounter_body,
    free_port,
    hit_counts,
    load_world,
    percentile,
    planted,
    scratch_database,
    slow_alone,
    worker_cpu,
)
from watchlink.model import Encounter
from watchlink.world.synth import generate

__all__ = ["rows"]

SEED = 11
AGENCY = "GR-BORDER"  # the reporting agency: a border guard screens every crossing
PLANTED_SHARE = 0.1
SERIAL = 100  # one-at-a-time requests, for the server's own time per request
IN_FLIGHT = 12  # the server's database pool holds 5 + 10 connections


def _queries(
    world: Any, count: int, start: int, rng: random.Random
) -> list[tuple[Encounter, str | None]]:
    """``count`` encounters: a tenth planted exact matches (the subject they must hit)."""
    out: list[tuple[Encounter, str | None]] = []
    stream = world.encounters()
    for index in range(count):
        if rng.random() < PLANTED_SHARE:
            out.append(planted(world, rng, f"gr-border-bench-{start + index}"))
        else:
            encounter, _ = next(stream)
            encounter.id = f"gr-border-bench-{start + index}"
            out.append((encounter, None))
    return out


def _command(port: int, workers: int, balancer: str) -> list[str]:
    """``watchlink serve`` as shipped: its workers sharing the port, or (``balancer`` nginx)
    each on its own Unix socket behind nginx, each request sent to the worker with the
    fewest in flight. Each worker's "Application startup complete" tells it is warm."""
    cli = "from watchlink.cli.main import main; main()"
    return [sys.executable, "-c", cli, "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--balancer", balancer, "--no-access-log"]  # fmt: skip


@contextmanager
def _server(
    url: str, home: Path, workers: int = 1, balancer: str = "kernel"
) -> Iterator[tuple[str, int]]:
    """``watchlink serve`` on a free port, serving once every worker's warm index is built;
    stopped after (``watchlink serve`` makes the keys its workers share before they start)."""
    port = free_port()
    env = {**os.environ, "WATCHLINK_DATABASE_URL": url, "WATCHLINK_HOME": str(home),
           # Screening alone: the review sweep would first close the synthetic subjects
           # whose review dates have passed, holding the audit chain for minutes.
           "WATCHLINK_SCHEDULER_ENABLED": "false"}  # fmt: skip
    command = _command(port, workers, balancer)
    log = (home / "server.log").open("wb")  # errors counted from it, not printed
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = (home / "server.log").read_text("utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"the server stopped (exit {process.returncode}):\n{tail}")
            logged = (home / "server.log").read_text("utf-8", errors="replace")
            if logged.count("Application startup complete") >= workers:
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def _drive(
    base: str, token: str, bodies: list[dict[str, Any]], rate: float
) -> tuple[list[float], int, float, int, float]:
    """Open-loop POSTs at ``rate``/s: latencies (s), errors, achieved rate, hits answered,
    and the load generator's own CPU time per request (s).

    Each request is due at its own time; at most ``IN_FLIGHT`` are on the wire (more only
    slows the client's connection pool down), the rest wait in line, and that wait is
    part of their latency, which counts from the due time. The client is aiohttp's: the
    generator shares the server's two cores, and httpx's async client spends 2.5 ms of CPU
    on a request where aiohttp spends 0.2 (measured on this kind of machine against a
    server that only answers): at 200 requests/s, half a core taken from the server.
    """
    import aiohttp  # the bench extra

    headers = {"Authorization": f"Bearer {token}"}
    timed: list[tuple[int, float]] = []  # (the request's place in the schedule, latency)
    errors = hits = 0
    line = asyncio.Semaphore(IN_FLIGHT)
    connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
    timeout = aiohttp.ClientTimeout(total=120)
    cpu = time.process_time()
    async with aiohttp.ClientSession(
        base, headers=headers, connector=connector, timeout=timeout
    ) as client:
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.5

        async def one(index: int) -> None:
            nonlocal errors, hits
            due = start + index / rate
            await asyncio.sleep(max(0.0, due - loop.time()))
            async with line:
                try:
                    async with client.post("/api/v1/encounters", json=bodies[index]) as response:
                        status = response.status
                        answer = await response.json() if status == 201 else None
                except (TimeoutError, aiohttp.ClientError):
                    errors += 1
                    return
            timed.append((index, loop.time() - due))
            if answer is None:
                errors += 1
            else:
                hits += len(answer["hits"])

        await asyncio.gather(*(one(i) for i in range(len(bodies))))
        elapsed = loop.time() - start
    spent = (time.process_time() - cpu) / max(len(bodies), 1)
    latencies = [latency for _, latency in sorted(timed)]  # as they were due
    return latencies, errors, len(bodies) / elapsed, hits, spent


def _one_at_a_time(base: str, token: str, bodies: list[dict[str, Any]]) -> tuple[list[float], int]:
    """Each POST after the previous answer (no queue): the server's own time, hits answered."""
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    hits = 0
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        for body in bodies:
            start = time.perf_counter()
            response = client.post("/api/v1/encounters", json=body)
            times.append(time.perf_counter() - start)
            response.raise_for_status()
            hits += len(response.json()["hits"])
    return times, hits


def _server_screening(base: str) -> tuple[float, float]:
    """Time the server's warm engine spent per encounter screened, and encounters per
    engine call (single reports waiting together go in one call), from ``/metrics``."""
    text = httpx.get(f"{base}/metrics", timeout=60).text
    values = {
        line.split()[0]: float(line.split()[1])
        for line in text.splitlines()
        if line.startswith("watchlink_screening_")
    }
    calls = values.get("watchlink_screening_duration_seconds_count", 0.0)
    screened = values.get("watchlink_screening_queries_total", 0.0)
    spent = values.get("watchlink_screening_duration_seconds_sum", 0.0)
    return (spent / screened if screened else 0.0), (screened / calls if calls else 0.0)


def _bulk(
    base: str, token: str, bodies: list[dict[str, Any]], size: int, clients: int = 1
) -> tuple[float, int, int]:
    """Batches of ``size``, ``clients`` at a time: encounters/s, refused, hits answered."""
    headers = {"Authorization": f"Bearer {token}"}
    batches = [bodies[first : first + size] for first in range(0, len(bodies), size)]

    def send(batch: list[dict[str, Any]]) -> tuple[int, int]:
        with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
            response = client.post("/api/v1/encounters/batch", json={"encounters": batch})
        response.raise_for_status()
        answer = response.json()
        return int(answer["refused"]), int(answer["hits"])

    start = time.perf_counter()
    with ThreadPoolExecutor(max(1, clients)) as pool:
        answers = list(pool.map(send, batches))
    elapsed = time.perf_counter() - start
    return len(bodies) / elapsed, sum(a[0] for a in answers), sum(a[1] for a in answers)


def _database_cpu(pid: int | None) -> float:
    """CPU seconds the database server has spent so far (0 for SQLite: in the server)."""
    return 0.0 if pid is None else cpu_seconds(pid)


def _in_process(world: Any, queries: list[Encounter]) -> list[float]:
    """The engine alone on the same queries: seconds per ``screen`` (same top, threshold)."""
    from watchlink.matching import Screener
    from watchlink.services.screening_engine import encounter_query
    from watchlink.settings import Settings

    screener: Screener[Any] = Screener.build(world.subjects())
    threshold = Settings().screening_threshold
    times = []
    for encounter in queries:
        query = encounter_query(encounter)
        start = time.perf_counter()
        screener.screen(query, top=10, threshold=threshold)
        times.append(time.perf_counter() - start)
    return times


def rows(
    quick: bool = False,
    subjects: int | None = None,
    seconds: float | None = None,
    rate: float = 200.0,
    bulk: int | None = None,
    batch: int = 2_000,
    postgres: str | None = None,
    workers: int = 1,
    bulk_clients: int = 1,
    balancer: str = "kernel",
) -> list[Row]:
    """The benchmark's rows (``quick``: 20k subjects, 10 s)."""
    size = subjects or (20_000 if quick else 1_000_000)
    seconds = seconds or (10.0 if quick else 60.0)
    bulk = bulk or (5_000 if quick else 50_000)
    single = int(rate * seconds)
    world = generate(SEED, size, single + bulk + 1_000)
    rng = random.Random(SEED)
    warmup = _queries(world, 200, 0, rng)
    measured = _queries(world, single, 1_000, rng)
    batched = _queries(world, bulk, 1_000 + single, rng)
    serial = _queries(world, SERIAL, 1_000 + single + bulk, rng)
    behind = ", behind nginx" if balancer == "nginx" else ""
    section = f"service {size:,} subjects, {workers} worker(s){behind}"
    postgres = postgres or os.environ.get("WATCHLINK_TEST_POSTGRES_URL") or None
    with tempfile.TemporaryDirectory() as folder, scratch_database(postgres, Path(folder)) as url:
        system = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        start = time.perf_counter()
        token = load_world(url, Path(folder), world, AGENCY)
        load = time.perf_counter() - start
        database = database_server_pid(url)
        start = time.perf_counter()
        with _server(url, Path(folder), workers, balancer) as (base, pid):
            ready = time.perf_counter() - start
            warm = asyncio.run(
                _drive(base, token, [encounter_body(e) for e, _ in warmup], rate / 4)
            )
            cpu, database_cpu = cpu_seconds(pid), _database_cpu(database)
            split, machine = worker_cpu(pid), Machine.now()
            latencies, errors, achieved, answered, client_cpu = asyncio.run(
                _drive(base, token, [encounter_body(e) for e, _ in measured], rate)
            )
            stolen, pressure = Machine.now().since(machine)
            split = {k: v - split[k] for k, v in worker_cpu(pid).items() if k in split}
            single_cpu = (cpu_seconds(pid) - cpu) / max(1, len(measured))
            single_database = (_database_cpu(database) - database_cpu) / max(1, len(measured))
            alone, alone_hits = _one_at_a_time(base, token, [encounter_body(e) for e, _ in serial])
            engine_in_server, per_call = _server_screening(base)
            cpu, database_cpu = cpu_seconds(pid), _database_cpu(database)
            bulk_rate, refused, bulk_hits = _bulk(
                base, token, [encounter_body(e) for e, _ in batched], batch, bulk_clients
            )
            bulk_cpu = (cpu_seconds(pid) - cpu) / max(1, len(batched))
            bulk_database = (_database_cpu(database) - database_cpu) / max(1, len(batched))
        logged = (Path(folder) / "server.log").read_text("utf-8", errors="replace")
        server_errors = sum(1 for line in logged.splitlines() if line.endswith(" failed"))
        # uvicorn's supervisor replaces a worker that missed its health ping: the new one
        # builds its index again, minutes with a worker fewer.
        restarted = sum(1 for line in logged.splitlines() if line.endswith(" died"))
        every = warmup + measured + batched + serial
        counts = hit_counts(url, [(e.id, s) for e, s in every if s is not None])
    engine = _in_process(world, [e for e, _ in measured])
    p50 = statistics.median(latencies) if latencies else float("nan")
    engine_p50 = statistics.median(engine)
    ms = [1000 * x for x in latencies]

    def row(measure: str, value: str, target: str = "", note: str = "") -> Row:
        return Row(section, measure, system, value, target, note)

    def database_row(measure: str, seconds: float, note: str = "") -> list[Row]:
        """A row of the database server's CPU, when it has processes of its own."""
        return [] if database is None else [row(measure, f"{1000 * seconds:.1f}", note=note)]

    return [
        row("load subjects + links (s)", f"{load:.0f}"),
        row("server start, index warm (s)", f"{ready:.0f}"),
        row(
            f"single POST at {rate:.0f}/s for {seconds:.0f} s: p50 / p90 / p99 / max (ms)",
            " / ".join(f"{percentile(ms, q):.1f}" for q in (0.5, 0.9, 0.99, 1.0)),
            "p99 ≤ 50",
            "open loop: from the scheduled send",
        ),
        row(
            "  requests over 50 ms: alone / in bursts",
            " / ".join(str(n) for n in slow_alone(latencies, 0.050)),
            note="alone: the median of the ten due around it under a third of its own (a "
            "wait of its own, e.g. for a lock); in bursts: the queue's",
        ),
        row("  achieved rate (req/s), errors", f"{achieved:.0f}, {errors}", "200, 0"),
        row(
            "  server CPU per request (ms)",
            f"{1000 * single_cpu:.1f}",
            note="all server processes, dispatcher included",
        ),
        *database_row(
            "  database server CPU per request (ms)",
            single_database,
            "PostgreSQL's processes, on the same two cores",
        ),
        row(
            "  load generator CPU per request (ms)",
            f"{1000 * client_cpu:.2f}",
            note="aiohttp, on the same two cores",
        ),
        *_split_row(section, system, split, balancer),
        row(
            "  machine: CPU stolen / CPU pressure",
            f"{100 * stolen:.1f}% / {100 * pressure:.0f}%",
            note="stolen by other tenants (share of a core); pressure: share of the time "
            "some task waited for a core (Linux PSI)",
        ),
        row("  server errors logged (5xx)", f"{server_errors}", "0"),
        row("  workers replaced by the supervisor", f"{restarted}", "0"),
        row(
            f"bulk ingest, batches of {batch:,}, {bulk_clients} at a time (encounters/s)",
            f"{bulk_rate:,.0f}",
            "≥ 5,000",
            f"{bulk:,} encounters, {refused} refused",
        ),
        row("  server CPU per encounter in batches (ms)", f"{1000 * bulk_cpu:.1f}"),
        *database_row("  database server CPU per encounter in batches (ms)", bulk_database),
        row(
            "planted exact matches hit (found / planted)",
            f"{counts['found']:,} / {counts['planted']:,}",
            "all",
        ),
        row(
            "hits stored / answered, duplicates",
            f"{counts['stored']:,} / {answered + bulk_hits + warm[3] + alone_hits:,}, "
            f"{counts['duplicates']}",
            "equal, 0",
        ),
        row(
            "one at a time: HTTP p50 / p99 (ms)",
            f"{1000 * statistics.median(alone):.1f} / {1000 * percentile(alone, 0.99):.1f}",
            note=f"{SERIAL} POSTs, no queue: the server's own time",
        ),
        row(
            "engine in the server, mean per encounter (ms)",
            f"{1000 * engine_in_server:.2f}",
            note=f"{per_call:.1f} encounters per engine call (single POSTs)",
        ),
        row(
            "engine in-process screen p50 (ms)",
            f"{1000 * engine_p50:.2f}",
            note="same queries, no HTTP",
        ),
        row("  HTTP p50 under load / engine p50", f"{p50 / engine_p50:.1f}×"),
        row(
            "  HTTP p50 one at a time / engine p50", f"{statistics.median(alone) / engine_p50:.1f}×"
        ),
    ]


def _split_row(section: str, system: str, split: dict[int, float], balancer: str) -> list[Row]:
    """With several workers: each one's share of their CPU under the sustained load,
    busiest first (sharing the port, a worker keeps each keep-alive connection it accepted,
    so the load may fall unevenly, and the busiest worker's queue is the tail; behind
    nginx, nginx itself is one more process, the least busy). One server process has no
    workers of its own; the others' helpers (a resource tracker) spend nothing."""
    spent = sorted((v for v in split.values() if v > 0), reverse=True)
    if len(spent) < 2:
        return []
    shares = " / ".join(f"{100 * v / sum(spent):.0f}" for v in spent)
    note = (
        "nginx sends each request to the worker with the fewest in flight; the last is nginx"
        if balancer == "nginx"
        else "a worker serves the connections it accepted, whatever the others' load"
    )
    measure = "  workers' shares of the load (% of their CPU)"
    return [Row(section, measure, system, shares, note=note)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="sustained single-POST load")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--bulk", type=int, default=50_000, help="encounters sent in batches")
    parser.add_argument("--batch", type=int, default=2_000, help="encounters per batch")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (scratch database)")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--bulk-clients", type=int, default=1, help="batches sent at once")
    parser.add_argument(
        "--balancer",
        choices=["kernel", "nginx"],
        default="kernel",
        help="as watchlink serve --balancer: the workers share the port, or nginx in front",
    )
    args = parser.parse_args()
    from run import print_table

    found = rows(
        False,
        args.subjects,
        args.seconds,
        args.rate,
        args.bulk,
        args.batch,
        args.postgres,
        args.workers,
        args.bulk_clients,
        args.balancer,
    )
    print_table(found, "watchlink service")


if __name__ == "__main__":
    main()
