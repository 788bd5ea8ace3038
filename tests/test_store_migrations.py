"""The shipped migrations build exactly the tables the code declares, on every database."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from factories import make_subject
from watchlink.store import Database, all_metadata
from watchlink.store.migrate import downgrade, head_revision
from watchlink.store.tables_access import access_metadata


def differences(database: Database) -> list[object]:
    """What autogenerate would write: the gap between the schema and the tables."""
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        # alembic compares several MetaData at once (its stub only names one)
        return list(compare_metadata(context, cast(Any, all_metadata())))


def test_the_migrations_produce_exactly_the_declared_tables(database: Database) -> None:
    assert database.current_revision() == head_revision()
    assert differences(database) == []
    declared = {name for m in all_metadata() for name in m.tables}
    assert set(database.table_names()) == declared | {"alembic_version"}


def test_upgrading_twice_changes_nothing(database: Database) -> None:
    database.migrate()
    assert database.current_revision() == head_revision()
    assert differences(database) == []


def test_down_to_nothing_and_up_again(database: Database) -> None:
    downgrade(database.engine, "base")
    assert inspect(database.engine).get_table_names() == ["alembic_version"]
    database.migrate()
    assert differences(database) == []


def test_the_access_revision_keeps_tables_the_access_layer_made(database: Database) -> None:
    downgrade(database.engine, "0001")
    access_metadata.create_all(database.engine)  # as the server does when it starts first
    database.migrate()
    assert differences(database) == []


def test_a_new_sqlite_file_and_its_folder_are_created(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'deep' / 'er' / 'watchlink.db'}")
    try:
        database.migrate()
        assert differences(database) == []
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        database.dispose()


def test_each_step_down_and_up_keeps_every_subject_whole(database: Database) -> None:
    """A revision that changes the subjects table must not copy it: on SQLite dropping the
    old copy deletes every child row with it (their foreign keys cascade)."""
    with database.unit_of_work() as uow:
        uow.subjects.upsert(make_subject())

    def rows() -> list[int]:
        tables = ("subjects", "subject_names", "subject_documents", "subject_values")
        with database.engine.connect() as conn:
            return [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables]

    stored = rows()
    assert stored == [1, len(make_subject().names), len(make_subject().documents), stored[3]]
    for revision in ("0007", "0003"):
        downgrade(database.engine, revision)
        assert rows() == stored, revision
    database.migrate()
    with database.unit_of_work() as uow:
        assert uow.subjects.get("s-1") == make_subject()
