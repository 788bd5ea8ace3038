"""Every subject as the matching engine reads it: the warm index's one pass over the list.

A server builds its screening index from every subject on start, and at a million subjects
reading them the way the rest of the store does (each column typed, each value with its
provenance and its time zone, each row a mapping) takes longer than indexing them. The
engine compares names, dates, nationalities, sex, documents, places and contacts; who
recorded a value, when, and its handling code it never reads (a hit is shown from the
database, through the access policy). So this pass selects only the columns the engine
reads, fetches each batch's rows as plain tuples, and leaves provenance and handling
unset: a subject read here serves indexing only, and is never shown, stored or compared
to a stored one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Select, Table, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from watchlink.model import (
    BirthDate,
    DocumentStatus,
    DocumentType,
    Gender,
    IdentityDocument,
    Name,
    NameKind,
    PartialDate,
    Subject,
    Value,
)
from watchlink.store.chunks import chunked
from watchlink.store.mapping import VALUE_FIELDS
from watchlink.store.tables import subject_documents, subject_names, subject_values, subjects

__all__ = ["iter_screened", "screened_by_ids"]

_MAX_BATCH = 10_000  # ids in one IN (...) list: far below SQLite's 32,766 parameters
_MANY: BindParameter[list[str]] = bindparam("many", expanding=True)
_SIZE: BindParameter[int] = bindparam("size")
_FIRST: Final = (
    select(subjects.c.id, subjects.c.agency, subjects.c.gender).order_by(subjects.c.id).limit(_SIZE)
)
_NEXT: Final = _FIRST.where(subjects.c.id > bindparam("last"))
_BY_IDS: Final = (
    select(subjects.c.id, subjects.c.agency, subjects.c.gender)
    .where(subjects.c.id.in_(_MANY))
    .order_by(subjects.c.id)
)


def _of_many(table: Table, *columns: str) -> tuple[Select[Any], Select[Any]]:
    """The ``columns`` of the child rows of many subjects, each subject's in the order of
    the store's full read (by property, then position): each list comes out as it does
    there. Two forms: of the subjects whose ids are listed (``many``), and of those whose
    ids lie from ``low`` to ``high``, for a batch of the pass by id, which holds every
    subject between its first and its last: one range of the child table's index read in
    order, where a list of two thousand ids is two thousand lookups (on PostgreSQL, at a
    million subjects, most of a server's start)."""
    order = [table.c.subject_id, *([table.c.prop] if "prop" in columns else []), table.c.position]
    chosen = select(table.c.subject_id, *(table.c[name] for name in columns)).order_by(*order)
    listed = chosen.where(table.c.subject_id.in_(_MANY))
    ranged = chosen.where(table.c.subject_id.between(bindparam("low"), bindparam("high")))
    return listed, ranged


_NAMES: Final = _of_many(subject_names, "full", "kind", "given", "family")
_DOCUMENTS: Final = _of_many(subject_documents, "number", "type", "country", "status")
_VALUES: Final = _of_many(subject_values, "prop", "value")


E = TypeVar("E", bound=Enum)


def _members(kind: type[E]) -> dict[Any, E]:
    """An enumeration's members by value: a lookup, not a call of the enumeration."""
    return {member.value: member for member in kind}


_NAME_KINDS: Final = _members(NameKind)
_GENDERS: Final = _members(Gender)
_TYPES: Final = _members(DocumentType)
_STATUSES: Final = _members(DocumentStatus)


def iter_screened(conn: Connection, batch_size: int = 2_000) -> Iterator[Subject]:
    """Every subject, by id, with what the matching engine reads of it (see above)."""
    size = max(1, min(batch_size, _MAX_BATCH))
    last: str | None = None
    while True:
        if last is None:
            rows = conn.execute(_FIRST, {"size": size}).all()
        else:
            rows = conn.execute(_NEXT, {"size": size, "last": last}).all()
        if not rows:
            return
        yield from _assembled(conn, rows, {"low": rows[0][0], "high": rows[-1][0]})
        last = rows[-1][0]


def screened_by_ids(conn: Connection, ids: Sequence[str]) -> list[Subject]:
    """The subjects with these ids that exist, by id, as :func:`iter_screened` reads them:
    what a catch-up takes into the index."""
    out: list[Subject] = []
    for chunk in chunked(dict.fromkeys(ids), _MAX_BATCH):
        rows = conn.execute(_BY_IDS, {"many": chunk}).all()
        out.extend(_assembled(conn, rows, {"many": [row[0] for row in rows]}))
    out.sort(key=lambda subject: subject.id)
    return out


def _grouped(
    conn: Connection, queries: tuple[Select[Any], Select[Any]], which: dict[str, Any]
) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    query = queries[0] if "many" in which else queries[1]
    for row in conn.execute(query, which).all():
        grouped[row[0]].append(row)
    return grouped


def _assembled(conn: Connection, rows: Sequence[Any], which: dict[str, Any]) -> list[Subject]:
    """The subjects of ``rows`` with their child rows, read for the subjects ``which``
    names (their ids as ``many``, or ``low`` and ``high``: a child row of a subject not in
    ``rows``, written meanwhile, is left out)."""
    names = _grouped(conn, _NAMES, which)
    documents = _grouped(conn, _DOCUMENTS, which)
    values = _grouped(conn, _VALUES, which)
    out = []
    for subject_id, agency, gender in rows:
        subject = Subject(
            id=subject_id, agency=agency, gender=None if gender is None else _GENDERS[gender]
        )
        subject.names = [
            Name(full, _NAME_KINDS[kind], given, family)
            for _, full, kind, given, family in names.get(subject_id, ())
        ]
        subject.documents = [
            IdentityDocument(number, _TYPES[kind], country, _STATUSES[status])
            for _, number, kind, country, status in documents.get(subject_id, ())
        ]
        for _, prop, value in values.get(subject_id, ()):
            if prop == "birth_date":
                subject.birth_dates.append(BirthDate(PartialDate.parse(value)))
            else:
                getattr(subject, VALUE_FIELDS[prop]).append(Value(value))
        out.append(subject)
    return out
