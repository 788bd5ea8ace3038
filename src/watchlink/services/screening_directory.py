"""The agency directory routing reads, kept between calls instead of read on each.

Agencies and partner groups change rarely (a world import, an agency joining a group)
and every screening call and every hit view needs them: ``DirectoryCache`` keeps what
it read per database engine. A write to ``agencies``, ``partner_groups`` or
``partner_group_members`` through a watched engine of this process drops the copy at
once (when the statement runs, and again when its transaction commits or rolls back, so
no copy of uncommitted rows outlives it). A change made by another process (the command
line, another server or worker) is seen at the latest ``every`` later (the screening
catch-up interval, 5 s by default), by the monotonic clock of this host.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from sqlalchemy import Connection, Engine, event, select

from watchlink.services.routing import Directory
from watchlink.store.tables import partner_group_members
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["DirectoryCache", "read_directory"]

_WRITES = ("INSERT", "UPDATE", "DELETE")
_TABLES = ("agencies", "partner_group")  # agencies, partner_groups, partner_group_members
_DIRTY = "watchlink.directory_written"


def read_directory(uow: UnitOfWork) -> Directory:
    """The agencies and their partner groups, read now (two queries)."""
    groups: dict[str, set[str]] = {}
    members = partner_group_members
    for group, agency in uow.connection.execute(
        select(members.c.group_code, members.c.agency_code)
    ):
        groups.setdefault(agency, set()).add(group)
    return Directory(tuple(uow.agencies.list()), {code: frozenset(g) for code, g in groups.items()})


@dataclass(frozen=True, slots=True)
class _Kept:
    generation: int
    at: float
    directory: Directory


class DirectoryCache:
    """A directory per engine, read again after a local write or ``every`` at most."""

    def __init__(
        self,
        every: timedelta = timedelta(seconds=5),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.every = every.total_seconds()
        self._clock = clock
        self._kept: WeakKeyDictionary[Engine, _Kept] = WeakKeyDictionary()
        self._watched: WeakSet[Engine] = WeakSet()
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, uow: UnitOfWork) -> Directory:
        """The directory of the unit of work's database: kept, or read and kept."""
        engine = uow.connection.engine
        self._watch(engine)
        now = self._clock()
        with self._lock:
            kept = self._kept.get(engine)
            generation = self._generation
        if kept is not None and kept.generation == generation and now - kept.at < self.every:
            return kept.directory
        directory = read_directory(uow)
        with self._lock:  # a write seen meanwhile left the generation moved on: not reused
            self._kept[engine] = _Kept(generation, now, directory)
        return directory

    def clear(self) -> None:
        """Forget every kept directory."""
        with self._lock:
            self._generation += 1

    def _watch(self, engine: Engine) -> None:
        if engine in self._watched:
            return
        with self._lock:
            if engine in self._watched:
                return
            self._watched.add(engine)
        event.listen(engine, "before_cursor_execute", self._on_statement)
        event.listen(engine, "commit", self._on_end)
        event.listen(engine, "rollback", self._on_end)

    def _on_statement(self, conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
        head = statement.lstrip()[:6].upper()
        if head in _WRITES and any(t in statement for t in _TABLES):
            conn.info[_DIRTY] = True
            self.clear()

    def _on_end(self, conn: Connection) -> None:
        if conn.info.pop(_DIRTY, False):
            self.clear()
