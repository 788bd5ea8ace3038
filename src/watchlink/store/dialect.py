"""Every difference between SQLite and PostgreSQL, in one module, as named functions.

The rest of the store writes portable SQLAlchemy and asks this module whenever the two
databases differ: connection set-up (pragmas, transactions), the JSON column type,
insert-or-update, bulk chunk sizes, the URL of a driver, how a writer waits for its turn
(``first_write``) and the planner's statistics after a large write.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Insert,
    ScalarSelect,
    Table,
    Update,
    any_,
    event,
    func,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import InvalidatePoolError, OperationalError
from sqlalchemy.types import TypeEngine

__all__ = [
    "BUSY_TIMEOUT_MS",
    "RESTED_BEFORE_PING",
    "bulk_chunk_size",
    "bulk_insert_rows",
    "configure_engine",
    "dml_in_cte",
    "engine_options",
    "first_write",
    "insert_ignore",
    "is_sqlite",
    "json_type",
    "normalise_url",
    "refresh_statistics",
    "single_read",
    "upsert",
]

BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another before SQLite gives up
#: A pooled PostgreSQL connection back in the pool this long (seconds) is pinged before it
#: is handed out again; one reused sooner is not (see :func:`configure_engine`).
RESTED_BEFORE_PING = 1.0
#: How often (seconds) a SQLite transaction waiting to write looks again whether the other
#: writer has committed (:func:`first_write`).
WRITER_POLL = 0.0005
_SQLITE_BUSY = 5  # the lock is another's: worth waiting for (not SQLITE_BUSY_SNAPSHOT, 517)
_RESTED = "watchlink_rested_since"
_FRESH = "watchlink_fresh"


def normalise_url(url: str | URL) -> URL:
    """The URL with its driver made explicit: ``postgresql://`` means psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(name: str) -> bool:
    """Whether a dialect name (``engine.dialect.name``) is SQLite."""
    return name == "sqlite"


#: Connections a server may hold at once: the web server runs up to 40 request threads
#: (plus its background tasks), each holding one connection while it works.
POOL_SIZE = 10
POOL_OVERFLOW = 40


def engine_options(url: URL) -> dict[str, Any]:
    """``create_engine`` options for a database: a pool as large as the server's threads
    (a SQLite file's too: each thread its own connection). A PostgreSQL connection that
    rested in the pool is checked before use by :func:`configure_engine`."""
    sqlite = is_sqlite(url.get_backend_name())
    if sqlite and url.database in (None, "", ":memory:"):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}


def dml_in_cte(name: str) -> bool:
    """Whether one statement may carry an ``INSERT`` in its ``WITH`` (PostgreSQL), so two
    writes are one round trip; SQLite has no such statement."""
    return not is_sqlite(name)


def json_type() -> TypeEngine[Any]:
    """A JSON column: SQLite keeps it as text, PostgreSQL as ``jsonb``."""
    return JSON().with_variant(postgresql.JSONB(), "postgresql")


def claimed(
    ids: ColumnElement[Any], locked: ScalarSelect[Any], due: ColumnElement[bool], name: str
) -> ColumnElement[bool]:
    """The ``WHERE`` of an update that claims the rows ``locked`` picks (a sub-select of
    ids, ``LIMIT n FOR UPDATE SKIP LOCKED``). PostgreSQL: ``id = ANY(ARRAY(...))``, the
    sub-select run once, its rows re-checked as it locks them; as ``id IN (...)`` its
    planner may run it again for each due row. SQLite: ``id IN (...) AND due``, the
    sub-select run once (no row locks there: the statement runs alone)."""
    if is_sqlite(name):
        return ids.in_(locked) & due
    return ids == any_(func.array(locked))


def bulk_chunk_size(name: str) -> int:
    """Rows per executemany in bulk loads: memory and round trips, not SQL limits."""
    return 5_000 if is_sqlite(name) else 2_000


@contextmanager
def single_read(engine: Engine) -> Iterator[Connection]:
    """A connection for one reading statement: on PostgreSQL outside any transaction (the
    statement is its own snapshot), which spares the ``BEGIN`` and ``COMMIT`` round trips
    around it; on SQLite, a transaction as every other (its isolation level is ours to set:
    see :func:`configure_engine`)."""
    if is_sqlite(engine.dialect.name):
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:  # the pool restores the isolation level on return
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


def refresh_statistics(engine: Engine, tables: Sequence[Table]) -> None:
    """After a large write: on PostgreSQL, take the planner's statistics of ``tables`` now.

    Until autovacuum samples a table again (a minute or more after a large import; longer
    while it is busy), the planner reads the statistics of the table as it was: a plan made
    for the few rows of a fresh system scans what now holds a million, and a prepared
    statement keeps that plan. ``ANALYZE`` ends that at once, and every cached plan of the
    tables is made again. SQLite's planner reads no statistics unless asked to keep them
    (``ANALYZE``, never run here): nothing to do.
    """
    if is_sqlite(engine.dialect.name) or not tables:
        return
    preparer = engine.dialect.identifier_preparer
    with engine.connect() as conn:
        conn.execute(text(f"ANALYZE {', '.join(preparer.format_table(t) for t in tables)}"))
        conn.commit()


def configure_engine(engine: Engine) -> None:
    """Connection set-up: on SQLite WAL, foreign keys, busy timeout and real transactions.

    Python's sqlite3 driver opens transactions lazily and never around DDL; SQLAlchemy's
    documented recipe turns that off and emits ``BEGIN`` itself, so a unit of work
    (and a migration) is one transaction that rolls back whole.

    On PostgreSQL a pooled connection the server dropped (a restart, a failover) is
    replaced before a request draws it: one that rested in the pool for
    :data:`RESTED_BEFORE_PING` or more is pinged first, and a ping that finds the server
    gone replaces it and every connection pooled before it. One handed back and out
    within the second is not pinged: a restart outlasts that, and a connection in use
    across it fails in use whatever is pinged. (Pinging every checkout, SQLAlchemy's
    ``pool_pre_ping``, cost a screening request 0.49 ms of the server's CPU, 5% of it:
    ``benchmarks/service_profile.py --cpu`` on PostgreSQL.)
    """
    if not is_sqlite(engine.dialect.name):
        _ping_when_rested(engine)
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def first_write(conn: Connection, statement: Update) -> CursorResult[Any]:
    """Run ``statement``, the first write of the transaction, once the transaction is the
    database's one writer.

    On SQLite a writer that finds another at work is made to wait by SQLite's busy handler,
    which sleeps 1, 2 and 5 ms, then 10 to 100 ms at a time: behind a server process that
    commits a screening call every few milliseconds, a request of the other waited 20 to
    80 ms for its turn, its chances missed while it slept. Here it waits in steps of
    :data:`WRITER_POLL` instead, trying again each time, up to the same busy timeout. A
    transaction that read before another writer committed can never write
    (``SQLITE_BUSY_SNAPSHOT``): that fails at once, as it did. On PostgreSQL the
    statement simply runs (a row lock waits its turn there).
    """
    if not is_sqlite(conn.dialect.name):
        return conn.execute(statement)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    raw.execute("PRAGMA busy_timeout=0")
    try:
        try:
            return conn.execute(statement)  # the write lock now, or SQLITE_BUSY at once
        except OperationalError as error:
            if not _busy(error.orig):
                raise
        # Waiting, it asks for the lock alone, by a write that changes nothing (SQLite takes
        # a statement's write lock before it looks for rows): the statement runs once.
        table = conn.dialect.identifier_preparer.format_table(statement.table)
        ask = f"DELETE FROM {table} WHERE 0"
        while time.monotonic() < deadline:
            time.sleep(WRITER_POLL)
            try:
                raw.execute(ask)  # a try as plain as can be: no error of SQLAlchemy's
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    break  # told by the statement below, as SQLAlchemy tells errors
            else:
                break
        return conn.execute(statement)  # as the writer; past the timeout, "database is locked"
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _busy(error: BaseException | None) -> bool:
    """Whether SQLite refused for another writer at work (``SQLITE_BUSY``)."""
    return isinstance(error, sqlite3.OperationalError) and error.sqlite_errorcode == _SQLITE_BUSY


def _ping_when_rested(engine: Engine) -> None:
    """Check a pooled connection that rested (see :func:`configure_engine`)."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _made(_dbapi_connection: Any, record: Any) -> None:
        record.info[_FRESH] = True  # just made: nothing to check

    @event.listens_for(engine, "checkin")
    def _back(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_RESTED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.pop(_FRESH, False):
            return
        since = record.info.get(_RESTED)
        if since is not None and time.monotonic() - since < RESTED_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                # The pool replaces it, and every connection pooled before it.
                raise InvalidatePoolError(str(error)) from error
            raise


def _insert(table: Table, name: str) -> Any:
    """The dialect's own ``INSERT`` construct, which knows ``ON CONFLICT``."""
    return sqlite.insert(table) if is_sqlite(name) else postgresql.insert(table)


def upsert(table: Table, name: str, keys: Sequence[str], update: Sequence[str]) -> Insert:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE SET`` the ``update`` columns."""
    statement = _insert(table, name)
    changed = {column: statement.excluded[column] for column in update}
    if not changed:
        return statement.on_conflict_do_nothing(index_elements=list(keys))  # type: ignore[no-any-return]
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)  # type: ignore[no-any-return]


def insert_ignore(table: Table, name: str, keys: Sequence[str]) -> Insert:
    """``INSERT ... ON CONFLICT (keys) DO NOTHING``."""
    return upsert(table, name, keys, ())


def _driver_value(value: Any, sqlite: bool) -> Any:
    """A value as the driver takes it, stored as SQLAlchemy would store it."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value
    if isinstance(value, date):
        return value.isoformat() if sqlite else value
    if isinstance(value, dict | list):
        raise TypeError("JSON values take the SQLAlchemy path")
    return value


def bulk_insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows of plain values (no JSON) as fast as the database takes them.

    SQLite: the driver's ``executemany`` (SQLAlchemy's own ``insert`` spends most of its
    time converting each parameter; here a timestamp becomes text in SQLAlchemy's format,
    naive UTC). PostgreSQL: ``COPY ... FROM STDIN`` on the unit of work's connection,
    inside its transaction.
    """
    if not rows:
        return
    sqlite = is_sqlite(conn.dialect.name)
    quote = conn.dialect.identifier_preparer.quote
    columns = list(rows[0])
    names = ", ".join(quote(c) for c in columns)
    params = [tuple(_driver_value(row[c], sqlite) for c in columns) for row in rows]
    if sqlite:
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", params)
        return
    if not conn.in_transaction():  # after a mid-work commit: the COPY must be in the next one
        conn.begin()
    driver = conn.connection.driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy,
    ):
        for values in params:
            copy.write_row(values)
