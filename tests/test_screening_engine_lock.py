"""The warm index is locked query by query: between two queries of a batch, a single
screening from another request goes through and a change to the index is applied; no
query ever sees a half-changed index (each runs under the lock)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from watchlink.matching import Match
from watchlink.model import Name, Subject
from watchlink.services import screening_engine
from watchlink.services.screening_engine import WarmScreener

GUARD = 60  # seconds: only against a hang, never a measure


def _subject(number: int, name: str) -> Subject:
    return Subject(id=f"fr-int-{number:04d}", agency="FR-INT", names=[Name(name)])


def _query(name: str) -> Subject:
    return Subject(id=f"encounter:{name}", agency="GR-BOR", names=[Name(name)])


class PausedBatch(list[Subject]):
    """A batch whose iteration stops after its first query until told to go on."""

    def __init__(self, queries: list[Subject]) -> None:
        super().__init__(queries)
        self.paused, self.resume = threading.Event(), threading.Event()

    def __iter__(self) -> Iterator[Subject]:
        for index, query in enumerate(list.__iter__(self)):
            if index == 1:
                self.paused.set()
                assert self.resume.wait(GUARD)
            yield query


def test_other_screenings_and_changes_go_through_between_a_batch_s_queries() -> None:
    warm = WarmScreener()
    warm.build([_subject(1, "Octave Brumairel"), _subject(2, "Ilse Varnholt")])
    batch = PausedBatch([_query("Ilse Varnholt"), _query("Casimir Oudekerk")])
    results: list[list[list[Match]]] = []
    worker = threading.Thread(target=lambda: results.append(warm.screen_many(batch, 0.7)))
    worker.start()
    assert batch.paused.wait(GUARD)
    single = warm.screen(_query("Octave Brumairel"), 0.7)  # held up by a batch-long lock
    warm.add(_subject(3, "Casimir Oudekerk"))  # so is a change
    batch.resume.set()
    worker.join(GUARD)
    assert not worker.is_alive()
    assert [m.subject_id for m in single] == ["fr-int-0001"]
    [[first, second]] = results
    assert [m.subject_id for m in first] == ["fr-int-0002"]
    assert [m.subject_id for m in second] == ["fr-int-0003"]  # the change, seen whole


def test_a_large_index_is_frozen_out_of_the_collector_a_small_one_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subjects = [_subject(1, "Octave Brumairel"), _subject(2, "Ilse Varnholt")]
    frozen = gc.get_freeze_count()
    WarmScreener().build(subjects)
    assert gc.get_freeze_count() == frozen  # a test-sized list stays collectable
    monkeypatch.setattr(screening_engine, "FREEZE_FROM", 2)
    try:
        warm = WarmScreener()
        warm.build(subjects)
        assert gc.get_freeze_count() > frozen
        assert [m.subject_id for m in warm.screen(_query("Ilse Varnholt"), 0.7)] == ["fr-int-0002"]
    finally:
        gc.unfreeze()
