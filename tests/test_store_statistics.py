"""A command's large write is committed whatever becomes of the statistics taken after it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from watchlink.model import Name, Subject
from watchlink.settings import get_settings
from watchlink.store import Database
from watchlink.store.database import LARGE_WRITE, configured_unit_of_work


@pytest.fixture
def configured(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("WATCHLINK_HOME", str(tmp_path))
    monkeypatch.setenv("WATCHLINK_DATABASE_URL", database.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _people(count: int) -> list[Subject]:
    return [
        Subject(id=f"s-{n}", agency="FR-INT", names=[Name(f"Lena Vogel{n}")]) for n in range(count)
    ]


def test_statistics_that_cannot_be_taken_are_logged_and_the_write_stays(
    configured: None,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    asked: list[int] = []

    def refused(self: Database, written: int) -> bool:
        asked.append(written)
        raise OperationalError("ANALYZE", {}, Exception("permission denied"))

    monkeypatch.setattr(Database, "refresh_subject_statistics", refused)
    with caplog.at_level(logging.WARNING), configured_unit_of_work() as uow:
        uow.subjects.bulk_insert(_people(LARGE_WRITE - 1))
        uow.subjects.upsert(_people(LARGE_WRITE)[-1])
    assert asked == [LARGE_WRITE]  # the repository counted both ways of writing
    assert "statistics were not taken again" in caplog.text
    with database.unit_of_work() as uow:
        assert uow.subjects.count() == LARGE_WRITE


def test_a_small_write_takes_no_statistics(database: Database) -> None:
    assert database.refresh_subject_statistics(LARGE_WRITE - 1) is False
    assert database.refresh_subject_statistics(LARGE_WRITE) is True
