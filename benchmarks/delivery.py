"""Delivery speed: outbox messages routed and sent as signed webhooks, counted at the receiver.

    .venv/bin/python benchmarks/delivery.py [--hits 2000] [--postgres URL]

Each hit has two recipients (owner and blind reporter), each with a webhook on a local
``http.server`` that verifies signatures and counts idempotency keys. One dispatcher,
then two at once (threads, as two processes would), drain the outbox; the table gives
messages per second end to end (routed, POSTed, accepted, recorded) and the lost and
duplicated counts at the receiver, which must be 0 and 0; a first row routes to the
inboxes alone (no webhook), the dispatcher's own cost (lost: messages left unrouted).
The receiver shares the process (and its interpreter lock) with the dispatchers, so
webhook rates are a floor. PostgreSQL is measured when ``--postgres`` or
``WATCHLINK_TEST_POSTGRES_URL`` names a server (a scratch database).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from scratch_db import postgres_database, sqlite_database
from watchlink.model import Hit, HitRecipient, HitRecipientRole
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.delivery import Dispatcher
from watchlink.services.delivery_http import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    HttpxSender,
    verify_signature,
)
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.webhooks import WebhookService
from watchlink.store import Database
from watchlink.store import tables as t
from watchlink.store.tables_ops import outbox

AGENCIES = {"FR-INT": "FR", "GR-BOR": "GR"}


class Counting(ThreadingHTTPServer):
    """A receiver counting each idempotency key it accepts, checking every signature."""

    daemon_threads = True

    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.keys: Counter[str] = Counter()
        self.unsigned = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers[TIMESTAMP_HEADER]
                signature = self.headers[SIGNATURE_HEADER]
                signed = any(
                    verify_signature(s, stamp, body, signature, time.time()) for s in outer.secrets
                )
                with outer.lock:
                    outer.keys[self.headers["Idempotency-Key"]] += 1
                    outer.unsigned += 0 if signed else 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"


def _fill(database: Database, hits: int, offset: int) -> list[int]:
    now = datetime.now(UTC)
    ids: list[int] = []
    with database.unit_of_work() as uow:
        for n in range(offset, offset + hits):
            hit_id = f"h-{n}"
            recipients = [
                HitRecipient("FR-INT", HitRecipientRole.OWNER),
                HitRecipient("GR-BOR", HitRecipientRole.REPORTER, blind=True),
            ]
            uow.hits.add(Hit(hit_id, f"e-{n}", "s-1", 0.9, [], now, recipients=recipients))
            for r in recipients:
                payload = {"hit_id": hit_id, "encounter_id": f"e-{n}", "role": r.role.value,
                           "blind": r.blind}  # fmt: skip
                ids.append(uow.outbox.add("hit", r.agency, hit_id, payload, now))
    return ids


def _unrouted(database: Database, ids: list[int]) -> int:
    with database.engine.connect() as conn:
        left = select(func.count()).where(outbox.c.id.in_(ids), outbox.c.delivered_at.is_(None))
        return int(conn.execute(left).scalar_one())


def _drain(workers: list[Dispatcher]) -> None:
    def run(worker: Dispatcher) -> None:
        while worker.run_once().busy:
            pass

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _measure(database: Database, system: str, hits: int, folder: str) -> list[list[str]]:
    database.migrate()
    with database.engine.begin() as conn:
        for code, country in AGENCIES.items():
            conn.execute(insert(t.agencies).values(code=code, name=code, country=country,
                                                   kind="police"))  # fmt: skip
    box = SecretBox.load_or_create(Path(folder) / f"{system}.key")
    trail = AuditTrail(SigningKey.load_or_create(Path(folder) / f"{system}-audit.key"))
    trail.ensure_head(database.engine)
    receiver = Counting()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    rows: list[list[str]] = []
    offset = 0
    for count, webhooks in ((1, False), (1, True), (2, True)):
        if webhooks and not receiver.secrets:
            with database.engine.begin() as conn:
                for agency in AGENCIES:
                    created = WebhookService(trail, box).create(conn, None, agency, receiver.url)
                    receiver.secrets.append(created.secret)
        ids = _fill(database, hits, offset)
        offset += hits
        workers = [Dispatcher(database.engine, HttpxSender(10), box) for _ in range(count)]
        start = time.perf_counter()
        _drain(workers)
        seconds = time.perf_counter() - start
        got = {str(i): receiver.keys[str(i)] for i in ids}
        lost = sum(1 for n in got.values() if n == 0) if webhooks else _unrouted(database, ids)
        duplicated = sum(n - 1 for n in got.values() if n > 1)
        rate = len(ids) / seconds
        rows.append([system, "yes" if webhooks else "no (inbox only)", str(count), f"{len(ids):,}",
                     f"{seconds:.2f}", f"{rate:,.0f}", str(lost), str(duplicated),
                     str(receiver.unsigned)])  # fmt: skip
    receiver.shutdown()
    return rows


def rows(quick: bool = False, hits: int | None = None) -> list[dict[str, str]]:
    """Rows for ``benchmarks/run.py``: SQLite, and PostgreSQL when the test server is named."""
    count = hits or (300 if quick else 2_000)
    measured: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        with sqlite_database() as database:
            measured += _measure(database, "SQLite", count, folder)
        url = os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
        if url:
            with postgres_database(url) as database:
                measured += _measure(database, "PostgreSQL", count, folder)
    out = []
    for system, webhooks, workers, messages, _, rate, lost, duplicated, unsigned in measured:
        out.append({
            "section": "delivery: outbox to inboxes and signed webhooks",
            "measure": f"messages/s, webhooks {webhooks}, {workers} dispatcher(s)",
            "system": system, "value": rate,
            "note": f"{messages} messages; lost {lost}, duplicated {duplicated}, "
                    f"unsigned {unsigned}",
        })  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=2_000)
    parser.add_argument("--postgres", default=os.environ.get("WATCHLINK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        with sqlite_database() as database:
            rows += _measure(database, "sqlite", args.hits, folder)
        if args.postgres:
            with postgres_database(args.postgres) as database:
                rows += _measure(database, "postgresql", args.hits, folder)
    head = ["database", "webhooks", "dispatchers", "messages", "seconds", "messages/s", "lost",
            "duplicated", "unsigned"]  # fmt: skip
    base = {r[0]: float(r[5].replace(",", "")) for r in rows if r[1] == "yes" and r[2] == "1"}
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + "  vs one+webhooks")
    for r in rows:
        ratio = float(r[5].replace(",", "")) / base[r[0]]
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + f"  {ratio:.2f}x")


if __name__ == "__main__":
    main()
