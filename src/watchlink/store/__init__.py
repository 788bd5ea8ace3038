"""Storage (layer L2): tables, migrations, repositories and one unit of work per command.

``Database(url)`` (or ``Database.from_settings()``) opens the database; ``migrate()``
brings its schema to the newest revision; ``unit_of_work()`` gives a transaction with
the repositories. SQLite/PostgreSQL differences live in ``dialect.py`` only.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement

from watchlink.model import Subject
from watchlink.store.database import Database
from watchlink.store.metadata import all_metadata, metadata
from watchlink.store.repositories import (
    AgencyRepository,
    DecisionRepository,
    EncounterRepository,
    HitRepository,
    LinkRepository,
    RequestRepository,
)
from watchlink.store.subjects import SubjectRepository
from watchlink.store.tables import subjects
from watchlink.store.unit_of_work import UnitOfWork

__all__ = [
    "AgencyRepository",
    "Database",
    "DecisionRepository",
    "EncounterRepository",
    "HitRepository",
    "LinkRepository",
    "RequestRepository",
    "SubjectRepository",
    "UnitOfWork",
    "all_metadata",
    "iter_screened_subjects",
    "metadata",
    "subjects_of_agency",
]


def subjects_of_agency(agency: str) -> ColumnElement[bool]:
    """A ``where`` condition: the subjects this agency owns."""
    return subjects.c.agency == agency


def iter_screened_subjects(batch_size: int = 2_000) -> Iterator[Subject]:
    """Every subject of the configured database as the matching engine reads it, streamed
    (the database closed after): to build a screening index, never to show."""
    database = Database.from_settings()
    try:
        yield from database.iter_screened(batch_size)
    finally:
        database.dispose()
