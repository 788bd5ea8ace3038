"""``SubjectRepository``: subjects and their values in and out of the database.

Works on one ``Connection`` (the unit of work's transaction). ``where`` arguments are
SQLAlchemy conditions on the ``subjects`` table (for example the access policy's
visibility filter): the repository applies them and knows no rule of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import BindParameter

from watchlink.model import Subject
from watchlink.store.chunks import chunked
from watchlink.store.dialect import bulk_chunk_size, bulk_insert_rows
from watchlink.store.mapping import (
    Row,
    child_rows,
    document_key,
    name_key,
    subject_from_rows,
    subject_row,
)
from watchlink.store.screened import iter_screened, screened_by_ids
from watchlink.store.tables import links, subject_documents, subject_names, subject_values, subjects

__all__ = ["SUBJECT_TABLES", "SubjectRepository", "utc_now"]

_CHILDREN = (subject_names, subject_documents, subject_values)
SUBJECT_TABLES = (subjects, *_CHILDREN)
"""A subject's rows: what an import writes, and what screening and its catch-up read."""
_MAX_BATCH = 10_000  # ids in one IN (...) list: far below SQLite's 32,766 parameters

# Statements built once: building one costs more than running it on a small table.
_ONE: BindParameter[str] = bindparam("one")
_MANY: BindParameter[list[str]] = bindparam("many", expanding=True)
_BY_IDS = select(subjects).where(subjects.c.id.in_(_MANY)).order_by(subjects.c.id)
_CURRENT = select(subjects.c.version, subjects.c.created_at).where(subjects.c.id == _ONE)
_UPDATE = update(subjects).where(subjects.c.id == bindparam("one"))
_CHILDREN_OF = {t: select(t).where(t.c.subject_id == _ONE) for t in _CHILDREN}
_DELETE_CHILDREN = {t: delete(t).where(t.c.subject_id == _ONE) for t in _CHILDREN}
_CHILDREN_OF_MANY = {
    t: select(t)
    .where(t.c.subject_id.in_(_MANY))
    .order_by(t.c.subject_id, *([t.c.prop] if t is subject_values else []), t.c.position)
    for t in _CHILDREN
}


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def _seen_key(table: Table, row: Row) -> tuple[Any, ...]:
    """What makes two value rows the same statement: table, value and asserting agency."""
    if table is subject_names:
        return ("name", row["kind"], row["full_key"], row["agency"])
    if table is subject_documents:
        return ("document", row["number_key"], row["agency"])
    return ("value", row["prop"], row["value"], row["agency"])


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(_aware(a), _aware(b))


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(_aware(a), _aware(b))


class SubjectRepository:
    """Subjects: get, upsert, bulk insert, stream, page, count and delete."""

    def __init__(self, connection: Connection, clock: Callable[[], datetime] = utc_now) -> None:
        self._conn = connection
        self._clock = clock
        self.written = 0
        """Subjects this repository inserted or replaced: after a commit, whether so many
        changed that the planner's statistics of their tables are out of date
        (``Database.refresh_subject_statistics``)."""

    @property
    def table(self) -> Table:
        """The ``subjects`` table, for building ``where`` conditions."""
        return subjects

    def get(self, subject_id: str) -> Subject | None:
        """The subject with this id, or None."""
        found = self.get_many([subject_id])
        return found[0] if found else None

    def get_many(self, ids: Sequence[str]) -> list[Subject]:
        """The subjects with these ids that exist, ordered by id."""
        loaded: list[Subject] = []
        for chunk in chunked(dict.fromkeys(ids), _MAX_BATCH):
            rows = self._conn.execute(_BY_IDS, {"many": chunk}).mappings()
            loaded.extend(self._assemble(list(rows)))
        loaded.sort(key=lambda s: s.id)
        return loaded

    def exists(self, subject_id: str) -> bool:
        """Whether a subject with this id is stored."""
        found = self._conn.execute(select(subjects.c.id).where(subjects.c.id == subject_id))
        return found.first() is not None

    def version(self, subject_id: str) -> int | None:
        """The stored version (1 on insert, +1 on each upsert), or None."""
        found = self._conn.execute(select(subjects.c.version).where(subjects.c.id == subject_id))
        return found.scalar_one_or_none()

    def upsert(self, subject: Subject) -> bool:
        """Insert, or replace the stored subject of the same id; True when it was new.

        A value already stored from the same agency keeps its earliest ``first_seen``
        and takes the latest ``last_seen``; values no longer present are dropped.
        """
        now = self._clock()
        current = self._conn.execute(_CURRENT, {"one": subject.id}).first()
        children = child_rows(subject)
        if current is None:
            bulk_insert_rows(self._conn, subjects, [subject_row(subject, 1, now, now)])
        else:
            seen = self._stored_seen(subject.id)
            for table, rows in zip(_CHILDREN, children, strict=True):
                for row in rows:
                    before = seen.get(_seen_key(table, row))
                    if before is not None:
                        row["first_seen"] = _earliest(before[0], row["first_seen"])
                        row["last_seen"] = _latest(before[1], row["last_seen"])
                self._conn.execute(_DELETE_CHILDREN[table], {"one": subject.id})
            values = subject_row(subject, current.version + 1, current.created_at, now)
            self._conn.execute(_UPDATE, {"one": subject.id, **values})
        for table, rows in zip(_CHILDREN, children, strict=True):
            bulk_insert_rows(self._conn, table, rows)
        self.written += 1
        return current is None

    def _stored_seen(self, subject_id: str) -> dict[tuple[Any, ...], tuple[datetime | None, ...]]:
        seen: dict[tuple[Any, ...], tuple[datetime | None, ...]] = {}
        for table in _CHILDREN:
            rows = self._conn.execute(_CHILDREN_OF[table], {"one": subject_id})
            for row in rows.mappings():
                key = _seen_key(table, row)
                first, last = seen.get(key, (None, None))
                seen[key] = (_earliest(first, row["first_seen"]), _latest(last, row["last_seen"]))
        return seen

    def bulk_insert(self, items: Iterable[Subject]) -> int:
        """Insert new subjects fast (executemany in chunks); an existing id fails the load."""
        now = self._clock()
        count = 0
        for chunk in chunked(items, bulk_chunk_size(self._conn.dialect.name)):
            names: list[dict[str, Any]] = []
            documents: list[dict[str, Any]] = []
            values: list[dict[str, Any]] = []
            for subject in chunk:
                n, d, v = child_rows(subject)
                names += n
                documents += d
                values += v
            bulk_insert_rows(self._conn, subjects, [subject_row(s, 1, now, now) for s in chunk])
            bulk_insert_rows(self._conn, subject_names, names)
            bulk_insert_rows(self._conn, subject_documents, documents)
            bulk_insert_rows(self._conn, subject_values, values)
            count += len(chunk)
        self.written += count
        return count

    def iter_all(
        self, batch_size: int = 1_000, where: ColumnElement[bool] | None = None
    ) -> Iterator[Subject]:
        """Every subject (``where`` selects), by id, read ``batch_size`` at a time."""
        size = max(1, min(batch_size, _MAX_BATCH))
        last: str | None = None
        while True:
            query = select(subjects).order_by(subjects.c.id).limit(size)
            if where is not None:
                query = query.where(where)
            if last is not None:
                query = query.where(subjects.c.id > last)
            rows = list(self._conn.execute(query).mappings())
            if not rows:
                return
            yield from self._assemble(rows)
            last = rows[-1]["id"]

    def iter_screened(self, batch_size: int = 2_000) -> Iterator[Subject]:
        """Every subject, by id, with only what the matching engine reads (no provenance, no
        handling codes): for building the screening index, never to show or store
        (``screened.py``)."""
        return iter_screened(self._conn, batch_size)

    def get_screened(self, ids: Sequence[str]) -> list[Subject]:
        """The subjects with these ids that exist, by id, as :meth:`iter_screened` reads
        them: to take into a screening index, never to show or store."""
        return screened_by_ids(self._conn, ids)

    def page(
        self, where: ColumnElement[bool] | None = None, limit: int = 50, offset: int = 0
    ) -> list[Subject]:
        """One page of subjects (``where`` selects), by id."""
        query = select(subjects).order_by(subjects.c.id).limit(limit).offset(offset)
        if where is not None:
            query = query.where(where)
        return self._assemble(list(self._conn.execute(query).mappings()))

    def count(self, where: ColumnElement[bool] | None = None) -> int:
        """How many subjects ``where`` selects (all when None)."""
        query = select(func.count()).select_from(subjects)
        if where is not None:
            query = query.where(where)
        return int(self._conn.execute(query).scalar_one())

    def ids_by_document(self, number: str) -> list[str]:
        """Ids of subjects holding a document with this number (normalised)."""
        query = (
            select(subject_documents.c.subject_id)
            .where(subject_documents.c.number_key == document_key(number))
            .distinct()
        )
        return sorted(self._conn.scalars(query))

    def ids_by_name(self, full: str) -> list[str]:
        """Ids of subjects with this exact name (case and spacing aside)."""
        query = (
            select(subject_names.c.subject_id)
            .where(subject_names.c.full_key == name_key(full))
            .distinct()
        )
        return sorted(self._conn.scalars(query))

    def delete(self, subject_id: str) -> bool:
        """Delete a subject, its values and its links; True when it existed."""
        self._conn.execute(
            delete(links).where(
                or_(links.c.source_subject == subject_id, links.c.target_subject == subject_id)
            )
        )
        for table in _CHILDREN:  # also without ON DELETE CASCADE (foreign keys off)
            self._conn.execute(delete(table).where(table.c.subject_id == subject_id))
        query = delete(subjects).where(subjects.c.id == subject_id).returning(subjects.c.id)
        return self._conn.execute(query).first() is not None

    def _assemble(self, rows: Sequence[Row]) -> list[Subject]:
        """Subjects from their rows, with their names, documents and values."""
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        children: list[dict[str, list[Row]]] = []
        for table in _CHILDREN:
            grouped: dict[str, list[Row]] = defaultdict(list)
            query = _CHILDREN_OF_MANY[table]
            for child in self._conn.execute(query, {"many": ids}).mappings():
                grouped[child["subject_id"]].append(child)
            children.append(grouped)
        names, documents, values = children
        return [
            subject_from_rows(row, names[row["id"]], documents[row["id"]], values[row["id"]])
            for row in rows
        ]
