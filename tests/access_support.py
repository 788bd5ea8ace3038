"""Helpers for the access, audit and auth tests: a database per test on SQLite and PostgreSQL.

PostgreSQL runs when ``WATCHLINK_TEST_POSTGRES_URL`` is set; otherwise those cases skip.
Each test gets fresh access tables (created, then dropped).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)

from watchlink.access import SubjectColumns
from watchlink.model import Distribution, HandlingCode, IdentityDocument, Name, Sharing, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.audit_chain import SigningKey
from watchlink.services.auth import AuthRules, AuthService, TableDirectory
from watchlink.services.subjects import FieldTable, SubjectReader, SubjectStore
from watchlink.store.dialect import configure_engine
from watchlink.store.tables_access import access_metadata

__all__ = [
    "AGENCIES",
    "FAST",
    "SUBJECT_STORE",
    "access_engine",
    "agencies",
    "auth",
    "directory",
    "group_members",
    "make_engine",
    "reader",
    "trail",
]

AGENCIES = {"FR-INT": "FR", "FR-POL": "FR", "BE-SUR": "BE", "DE-BKA": "DE"}
directory_metadata = MetaData()
agencies = Table(
    "t_agencies",
    directory_metadata,
    Column("code", String, primary_key=True),
    Column("country", String, nullable=False),
)
group_members = Table(
    "t_group_members",
    directory_metadata,
    Column("grp", String, primary_key=True),
    Column("agency", String, primary_key=True),
)
# Cheap argon2 costs keep the suite fast; the production defaults are the library's.
FAST = AuthRules(argon2_time_cost=1, argon2_memory_kib=1024)
directory = TableDirectory(
    agencies.c.code, agencies.c.country, group_members.c.grp, group_members.c.agency
)


def make_engine(kind: str, tmp_path: Path) -> Engine:
    """A SQLite file database or the test PostgreSQL, with the access tables fresh."""
    if kind == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'access.db'}")
        configure_engine(engine)  # WAL, foreign keys, busy timeout, real BEGIN: as served
    else:
        url = os.environ.get("WATCHLINK_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("WATCHLINK_TEST_POSTGRES_URL is not set")
        engine = create_engine(url)
    for meta in (access_metadata, directory_metadata):
        meta.drop_all(engine)
        meta.create_all(engine)
    with engine.begin() as conn:
        for code, country in AGENCIES.items():
            conn.execute(insert(agencies).values(code=code, country=country))
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def access_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine with fresh access tables, on each database."""
    engine = make_engine(str(request.param), tmp_path)
    yield engine
    access_metadata.drop_all(engine)
    directory_metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def trail(tmp_path: Path, access_engine: Engine) -> AuditTrail:
    """An audit trail signing with a key under the test's home, every 3 lines checkpointed."""
    audit = AuditTrail(SigningKey.load_or_create(tmp_path / "keys" / "audit.key"), 3)
    audit.ensure_head(access_engine)
    return audit


@pytest.fixture
def auth(trail: AuditTrail) -> AuthService:
    """The auth service over the test directory."""
    return AuthService(trail, directory, FAST)


# A small subject store for the service and API tests: subjects with their names and
# documents, each field with its own handling code.
subjects = Table(
    "t_subjects",
    directory_metadata,
    Column("id", String, primary_key=True),
    Column("agency", String, nullable=False),
    Column("distribution", String),
    Column("partner_group", String),
    Column("handling", String),
    Column("notes", String),
)
names = Table(
    "t_names",
    directory_metadata,
    Column("subject_id", String, nullable=False),
    Column("full", String, nullable=False),
    Column("handling", String),
)
documents = Table(
    "t_documents",
    directory_metadata,
    Column("subject_id", String, nullable=False),
    Column("number", String, nullable=False),
    Column("handling", String),
)


def _save(conn: Connection, subject: Subject) -> None:
    sharing = subject.sharing
    conn.execute(
        insert(subjects).values(
            id=subject.id,
            agency=subject.agency,
            distribution=sharing.distribution.value,
            partner_group=sharing.partner_group,
            handling=sharing.handling.value,
            notes=subject.notes,
        )
    )
    for name in subject.names:
        handling = None if name.handling is None else name.handling.value
        conn.execute(insert(names).values(subject_id=subject.id, full=name.full, handling=handling))
    for doc in subject.documents:
        handling = None if doc.handling is None else doc.handling.value
        conn.execute(
            insert(documents).values(subject_id=subject.id, number=doc.number, handling=handling)
        )


def _load(conn: Connection, ids: Sequence[str]) -> list[Subject]:
    loaded: list[Subject] = []
    for row in conn.execute(
        select(subjects).where(subjects.c.id.in_(list(ids))).order_by(subjects.c.id)
    ):
        subject = Subject(
            id=row.id,
            agency=row.agency,
            sharing=Sharing(
                Distribution(row.distribution),
                row.partner_group,
                HandlingCode(row.handling),
            ),
            notes=row.notes,
        )
        for n in conn.execute(select(names).where(names.c.subject_id == row.id)):
            subject.names.append(
                Name(n.full, handling=None if n.handling is None else HandlingCode(n.handling))
            )
        for d in conn.execute(select(documents).where(documents.c.subject_id == row.id)):
            subject.documents.append(
                IdentityDocument(
                    d.number, handling=None if d.handling is None else HandlingCode(d.handling)
                )
            )
        loaded.append(subject)
    return loaded


SUBJECT_STORE = SubjectStore(
    id=subjects.c.id,
    columns=SubjectColumns(
        owner_agency=subjects.c.agency,
        owner_country=select(agencies.c.country)
        .where(agencies.c.code == subjects.c.agency)
        .scalar_subquery(),
        distribution=subjects.c.distribution,
        partner_group=subjects.c.partner_group,
        handling=subjects.c.handling,
    ),
    names=FieldTable(names.c.subject_id, names.c.full, names.c.handling),
    documents=FieldTable(documents.c.subject_id, documents.c.number, documents.c.handling),
    load=_load,
    save=_save,
    country_of=directory.country_of,
)


@pytest.fixture
def reader(trail: AuditTrail) -> SubjectReader:
    """The subject reader over the test store."""
    return SubjectReader(SUBJECT_STORE, trail)
