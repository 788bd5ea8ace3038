"""The store's side of the access policy: where the sharing fields are, and plain
functions on a ``Connection`` to load, save and place subjects.

The policy (``watchlink.access``) builds its SQL filter from ``subject_columns()``; the
filter goes back into the repositories as their ``where`` argument. The store only says
where things are; what may be seen is the policy's business.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, select

from watchlink.access import SubjectColumns
from watchlink.model import Subject
from watchlink.store.consents import consented_to
from watchlink.store.subjects import SubjectRepository
from watchlink.store.tables import agencies, subject_documents, subject_names, subjects

__all__ = [
    "agency_country",
    "document_fields",
    "load_subjects",
    "name_fields",
    "save_subject",
    "subject_columns",
]


def subject_columns() -> SubjectColumns:
    """The sharing fields of a subject as columns of ``subjects`` (country via its owner)."""
    country = select(agencies.c.country).where(agencies.c.code == subjects.c.agency)
    return SubjectColumns(
        owner_agency=subjects.c.agency,
        owner_country=country.scalar_subquery(),
        distribution=subjects.c.distribution,
        partner_group=subjects.c.partner_group,
        handling=subjects.c.handling,
        consents=consented_to,
    )


def name_fields() -> tuple[ColumnElement[str], ColumnElement[str], ColumnElement[str]]:
    """A name's subject id, text and own handling code (NULL: the subject's)."""
    return subject_names.c.subject_id, subject_names.c.full, subject_names.c.handling


def document_fields() -> tuple[ColumnElement[str], ColumnElement[str], ColumnElement[str]]:
    """A document's subject id, number and own handling code (NULL: the subject's)."""
    return subject_documents.c.subject_id, subject_documents.c.number, subject_documents.c.handling


def load_subjects(conn: Connection, ids: Sequence[str]) -> list[Subject]:
    """The subjects with these ids that exist, by id."""
    return SubjectRepository(conn).get_many(ids)


def save_subject(conn: Connection, subject: Subject) -> None:
    """Insert or replace a subject (see ``SubjectRepository.upsert``)."""
    SubjectRepository(conn).upsert(subject)


def agency_country(conn: Connection, code: str) -> str | None:
    """The agency's country, or None when unknown."""
    return conn.execute(select(agencies.c.country).where(agencies.c.code == code)).scalar()
