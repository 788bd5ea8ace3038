"""The counts ``GET /metrics`` reports, read from the store on every database."""

from __future__ import annotations

from factories import SEEN, make_encounter
from watchlink.model import Hit
from watchlink.store import Database
from watchlink.store.metrics_queries import StoreCounts, store_counts


def counts(database: Database) -> StoreCounts:
    with database.engine.connect() as conn:
        return store_counts(conn)


def test_encounters_hits_and_the_undelivered_outbox_are_counted(database: Database) -> None:
    assert counts(database) == StoreCounts(encounters=0, hits=0, outbox_backlog=0)
    with database.unit_of_work() as uow:
        uow.encounters.bulk_insert([make_encounter(), make_encounter(id="e-2")])
        uow.hits.add(Hit("h-1", "e-1", "s-1", 0.93, [], SEEN))
        sent = [uow.outbox.add("hit", agency, "h-1", {}, SEEN) for agency in ("FR-INT", "GR-B")]
        uow.outbox.add("hit", "BE-SUR", "h-1", {}, SEEN)
        assert uow.outbox.mark_delivered(sent[0], SEEN)
        uow.outbox.mark_failed(sent[1], "refused", SEEN)  # failed, still to deliver
    assert counts(database) == StoreCounts(encounters=2, hits=1, outbox_backlog=2)
