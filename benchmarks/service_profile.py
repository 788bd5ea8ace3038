"""Where a screening request's time goes: the app profiled in-process, layer by layer.

    .venv/bin/python benchmarks/service_profile.py                  # SQLite, 20k subjects
    scripts/with-postgres.sh .venv/bin/python benchmarks/service_profile.py   # PostgreSQL
    ... benchmarks/service_profile.py --requests 300 --batch 1000 --top 30
    ... benchmarks/service_profile.py --cpu        # the parts in CPU time, not wall time

Loads the seeded synthetic world of ``service.py`` into a scratch database, builds the
FastAPI app on it with its warm index, and sends ``POST /api/v1/encounters`` one at a
time, then one ``POST /encounters/batch``, through httpx's ASGI transport with the
route handlers run inline (not on the thread pool), so ``cProfile`` sees the whole
request on one thread. A first pass, without the profiler, gives the CPU time per
item in each part as the process really spends it (``service_cpu``). Then each
profiled run prints the wall time (``--cpu``: the CPU time) per request (or per
batched encounter) spent inside each part of the service (inclusive: a part called
from another counts in both, e.g. the trigger's audit line) and its share of the
whole; the statements sent per item and their wall time, by kind; with ``--top``, the
functions with the most time of their own. The delivery dispatcher and the scheduler
are not running: the request alone is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from service import AGENCY, SEED, _queries  # sibling modules of a script
from service_cpu import timed_parts
from service_support import Row, encounter_body, load_world, scratch_database
from watchlink.world.synth import generate

__all__ = ["PARTS", "rows"]

DUMP = ""  # --dump: where to write the raw profiles too (``pstats`` files)

#: The parts of a request, outermost first: (name, file fragment, function name or "").
#: A part's time is inclusive, counted once where the part calls itself.
PARTS: list[tuple[str, str, str]] = [
    ("engine: screen_many (matching/)", "services/screening_engine.py", "screen_many"),
    ("engine: warm / catch-up", "services/screening.py", "warm"),
    ("audit trail: record", "services/audit.py", "record"),
    ("audit trail: record", "services/audit.py", "record_many"),
    ("audit trail: lock_head", "services/audit.py", "lock_head"),
    ("audit trail: claim_writer", "services/audit.py", "claim_writer"),
    ("monitoring trigger", "services/triggers.py", "on_hit"),
    ("monitoring trigger", "services/triggers_hits.py", "on_hits"),
    ("routing: route_hit", "services/routing.py", "route_hit"),
    ("store: encounters", "store/repositories.py", "bulk_insert"),
    ("store: encounters", "store/repositories.py", "add_new"),
    ("store: hits, recipients, flags", "store/hits_bulk.py", ""),
    ("store: outbox", "store/outbox.py", "add_many"),
    ("store: subjects read", "store/subjects.py", "get_many"),
    ("store: document trails", "store/hits_query.py", "trails"),
    ("store: ids in use", "services/screening.py", "_refuse_invalid"),
    ("directory", "services/screening_directory.py", "get"),
    ("views of hits (policy, redaction)", "services/hits.py", "views_of"),
    ("wire: HitOut", "api/hits.py", "of"),
    ("auth: token to actor", "api/auth.py", ""),
    ("unit of work: begin / commit", "store/unit_of_work.py", ""),
    ("pool: pre-ping on checkout", "sqlalchemy/engine/default.py", "_do_ping_w_event"),
    ("request parsing (pydantic)", "fastapi/routing.py", "request_body_to_args"),
    ("request parsing (pydantic)", "fastapi/dependencies/utils.py", "request_body_to_args"),
    ("response (serialise)", "fastapi/routing.py", "serialize_response"),
]


def _inline_threadpool() -> None:
    """Route handlers and dependencies run on the calling thread, where cProfile looks."""
    import anyio.to_thread
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def inline(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    for module in (fastapi.routing, fastapi.dependencies.utils, starlette.concurrency):
        if hasattr(module, "run_in_threadpool"):
            module.run_in_threadpool = inline  # type: ignore[attr-defined]
    # A coroutine route that sends its work to a thread itself (``report_encounter``).
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]


def _app(url: str, home: Path) -> Any:
    from watchlink.api.app import create_app
    from watchlink.api.encounters import warm_screening
    from watchlink.settings import Settings

    settings = Settings(
        home=home, database_url=url, scheduler_enabled=False, delivery_in_server=False
    )
    app = create_app(settings)
    if not warm_screening(app):
        raise RuntimeError("the screening index could not be built")
    return app


async def _send(app: Any, token: str, path: str, bodies: list[Any]) -> int:
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    hits = 0
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", headers=headers
    ) as client:
        for body in bodies:
            response = await client.post(path, json=body)
            if response.status_code not in (200, 201):
                raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
            answer = response.json()
            hits += int(answer["hits"]) if path.endswith("batch") else len(answer["hits"])
    return hits


def _parts(stats: pstats.Stats) -> dict[str, float]:
    """Inclusive seconds per part, counting each part's outermost entries only."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    wanted: dict[Any, str] = {}
    for key in table:
        filename, _, function = key
        for name, fragment, func in PARTS:
            if filename.endswith(fragment) and (not func or function == func):
                wanted[key] = name
                break
    totals: dict[str, float] = {}
    for key, name in wanted.items():
        _, _, _, cumulative, callers = table[key]
        # only the calls not made from inside another function of the same part
        outer = sum(entry[3] for caller, entry in callers.items() if wanted.get(caller) != name)
        totals[name] = totals.get(name, 0.0) + (outer if callers else cumulative)
    return totals


class _Statements:
    """Statements by kind (their first words), how many and their wall time, from the
    driver's send to its answer (round trip and database work)."""

    def __init__(self) -> None:
        self.count: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split()
        kind = " ".join(words[:3] if words[:1] != ["SELECT"] else words[:1] + _table(words))
        kind = kind.replace('"', "")
        took = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        self.count[kind] = self.count.get(kind, 0) + 1
        self.seconds[kind] = self.seconds.get(kind, 0.0) + took


def _table(words: list[str]) -> list[str]:
    """The first table a SELECT reads from, for its kind."""
    upper = [w.upper() for w in words]
    return ["…", words[upper.index("FROM") + 1]] if "FROM" in upper else words[1:2]


def _profile(
    label: str,
    run: Callable[[], int],
    count: int,
    top: int,
    section: str,
    engine: Any,
    cpu_timer: bool = False,
) -> list[Row]:
    from sqlalchemy import event

    statements = _Statements()
    event.listen(engine, "before_cursor_execute", statements.before)
    event.listen(engine, "after_cursor_execute", statements.after)
    profiler = cProfile.Profile(time.process_time) if cpu_timer else cProfile.Profile()
    cpu, wall = time.process_time(), time.perf_counter()
    profiler.enable()
    try:
        hits = run()
    finally:
        profiler.disable()
        event.remove(engine, "before_cursor_execute", statements.before)
        event.remove(engine, "after_cursor_execute", statements.after)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    whole = cpu if cpu_timer else wall  # what the parts are shares of
    if DUMP:
        profiler.dump_stats(f"{DUMP}.{label.split()[0]}.prof")
    stats = pstats.Stats(profiler)
    per = 1000 / count
    out = [
        Row(section, f"{label}: wall / CPU per item (ms, profiled)", "",
            f"{wall * per:.2f} / {cpu * per:.2f}", note=f"{count} items, {hits} hits"),
    ]  # fmt: skip
    for name, seconds in sorted(_parts(stats).items(), key=lambda p: -p[1]):
        out.append(
            Row(section, f"  {name}", "", f"{seconds * per:.3f}", note=f"{seconds / whole:.0%}")
        )
    total = sum(statements.count.values())
    out.append(
        Row(section, "  statements per item, their wall time (ms)", "",
            f"{total / count:.1f}, {sum(statements.seconds.values()) * per:.3f}")
    )  # fmt: skip
    for kind, seconds in sorted(statements.seconds.items(), key=lambda p: -p[1])[: top or 12]:
        out.append(
            Row(section, f"    {kind}", "", f"{seconds * per:.3f}",
                note=f"{statements.count[kind] / count:.2f} per item")
        )  # fmt: skip
    if top:
        stats.sort_stats("tottime")
        table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        heaviest = sorted(table.items(), key=lambda item: -item[1][2])[:top]
        for (filename, line, function), entry in heaviest:
            where = "/".join(Path(filename).parts[-2:])
            out.append(
                Row(section, f"    self: {function} ({where}:{line})", "",
                    f"{entry[2] * per:.3f}", note=f"{entry[1]} calls")
            )  # fmt: skip
    return out


def _cpu(section: str, label: str, service: Any, count: int, run: Callable[[], int]) -> list[Row]:
    """CPU per item by part, no profiler: what the process really spent (client included)."""
    start = time.process_time()
    with timed_parts(service) as seconds:
        hits = run()
    whole = time.process_time() - start
    per = 1000 / count
    out = [
        Row(section, f"{label}: CPU per item (ms), not profiled", "", f"{whole * per:.2f}",
            note=f"{count} items, {hits} hits; the HTTP client's share included"),
    ]  # fmt: skip
    for part, spent in seconds.items():
        out.append(Row(section, f"  {part}", "", f"{spent * per:.3f}", note=f"{spent / whole:.0%}"))
    return out


def rows(
    subjects: int = 20_000,
    requests: int = 200,
    batch: int = 1_000,
    top: int = 0,
    postgres: str | None = None,
    cpu_timer: bool = False,
) -> list[Row]:
    """The profile's rows: singles, then one batch."""
    import os

    world = generate(SEED, subjects, 2 * (requests + batch) + 400)
    rng = random.Random(SEED)
    warmup = _queries(world, 50, 0, rng)
    plain = _queries(world, requests + batch, 1_000, rng)  # timed without the profiler
    singles = _queries(world, requests, 1_000 + requests + batch, rng)
    batched = _queries(world, batch, 1_000 + 2 * requests + batch, rng)
    postgres = postgres or os.environ.get("WATCHLINK_TEST_POSTGRES_URL") or None
    _inline_threadpool()
    with tempfile.TemporaryDirectory() as folder, scratch_database(postgres, Path(folder)) as url:
        system = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        section = f"profile {subjects:,} subjects, {system}"
        token = load_world(url, Path(folder), world, AGENCY)
        app = _app(url, Path(folder))
        one = "/api/v1/encounters"
        asyncio.run(_send(app, token, one, [encounter_body(e) for e, _ in warmup]))
        service = app.state.screening
        bodies = [encounter_body(e) for e, _ in plain[:requests]]
        found = _cpu(section, "single POST", service, requests,
                     lambda: asyncio.run(_send(app, token, one, bodies)))  # fmt: skip
        plain_batch = {"encounters": [encounter_body(e) for e, _ in plain[requests:]]}
        path = f"{one}/batch"
        found += _cpu(section, f"batch of {batch:,}", service, batch,
                      lambda: asyncio.run(_send(app, token, path, [plain_batch])))  # fmt: skip
        single_bodies = [encounter_body(e) for e, _ in singles]
        found += _profile(
            "single POST",
            lambda: asyncio.run(_send(app, token, one, single_bodies)),
            requests,
            top,
            section,
            app.state.access.engine,
            cpu_timer,
        )
        body = {"encounters": [encounter_body(e) for e, _ in batched]}
        found += _profile(
            f"batch of {batch:,}",
            lambda: asyncio.run(_send(app, token, f"{one}/batch", [body])),
            batch,
            top,
            section,
            app.state.access.engine,
            cpu_timer,
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200, help="single POSTs profiled")
    parser.add_argument("--batch", type=int, default=1_000, help="encounters in the batch")
    parser.add_argument("--top", type=int, default=0, help="also list the N heaviest functions")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (scratch database)")
    parser.add_argument(
        "--cpu", action="store_true", help="parts in CPU time (the server's cost), not wall time"
    )
    parser.add_argument("--dump", default="", help="also write the raw profiles: DUMP.single.prof…")
    args = parser.parse_args()
    from run import print_table

    global DUMP
    DUMP = args.dump

    found = rows(args.subjects, args.requests, args.batch, args.top, args.postgres, args.cpu)
    print_table(found, "watchlink screening request profile")


if __name__ == "__main__":
    main()
