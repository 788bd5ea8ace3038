"""A seeded synthetic world: agencies, subjects, family links, encounters with ground truth.

``generate(seed, subjects, encounters)`` returns a :class:`SynthWorld` whose streams are
generators: every subject, link and encounter is rebuilt from (seed, index) when it is
asked for, so a world of a million subjects never sits in memory and the same seed
always gives the same world.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from watchlink.model import Agency, Encounter, LinkKind, PartnerGroup, Subject
from watchlink.model import Link as SubjectLink
from watchlink.world.agencies import AGENCIES, PARTNER_GROUPS
from watchlink.world.encounters import EncounterPlan, Truth, build_encounter
from watchlink.world.people import (
    AS_OF,
    HOUSE_SIZE,
    Identity,
    build_subject,
    household,
    rng_for,
    subject_id,
)
from watchlink.world.stolen import StolenBatch

__all__ = ["SynthWorld", "generate"]

_STREAM_LINK = 5


@dataclass(frozen=True, slots=True)
class SynthWorld:
    """A synthetic world; its subjects, links and encounters are streamed on demand."""

    seed: int
    subject_count: int
    encounter_count: int
    prefix: str
    batches: tuple[StolenBatch, ...]
    plan: EncounterPlan
    agencies: tuple[Agency, ...] = AGENCIES
    partner_groups: tuple[PartnerGroup, ...] = PARTNER_GROUPS
    associate_rate: float = field(default=0.02)

    def subject(self, index: int) -> Subject:
        """The listed subject at ``index`` (0-based)."""
        return build_subject(self.seed, self._check(index), self.prefix)[1]

    def identity(self, index: int) -> Identity:
        """The truth behind the subject at ``index``: its name in every spelling, its birth."""
        return build_subject(self.seed, self._check(index), self.prefix)[0]

    def index_of(self, subject_id: str) -> int:
        """The index of a listed subject from its id."""
        if not subject_id.startswith(self.prefix):
            raise KeyError(subject_id)
        return self._check(int(subject_id.removeprefix(self.prefix)))

    def _check(self, index: int) -> int:
        if not 0 <= index < self.subject_count:
            raise IndexError(f"subject {index} is outside 0 … {self.subject_count - 1}")
        return index

    def subjects(self) -> Iterator[Subject]:
        """Every record: the stolen batches first, then the listed persons in index order."""
        for batch in self.batches:
            yield batch.as_subject()
        for index in range(self.subject_count):
            yield build_subject(self.seed, index, self.prefix)[1]

    def links(self) -> Iterator[SubjectLink]:
        """Sibling links inside households, and a few associates across the world."""
        houses = (self.subject_count + HOUSE_SIZE - 1) // HOUSE_SIZE
        for house in range(houses):
            first = house * HOUSE_SIZE
            info = household(self.seed, house)
            for k in range(1, info.size):
                if first + k < self.subject_count:
                    yield SubjectLink(
                        subject_id(self.prefix, first),
                        subject_id(self.prefix, first + k),
                        LinkKind.FAMILY,
                        info.owner,
                        0.9,
                        "siblings",
                        AS_OF - timedelta(days=first % 700),
                    )
            rng = rng_for(self.seed, _STREAM_LINK, house)
            if rng.random() < self.associate_rate and self.subject_count > 1:
                other = rng.randrange(self.subject_count)
                if other // HOUSE_SIZE != house:
                    yield SubjectLink(
                        subject_id(self.prefix, first),
                        subject_id(self.prefix, other),
                        LinkKind.ASSOCIATE,
                        info.owner,
                        round(rng.uniform(0.5, 0.95), 2),
                        "seen together",
                        AS_OF - timedelta(days=rng.randrange(900)),
                    )

    def encounters(self) -> Iterator[tuple[Encounter, Truth]]:
        """Every encounter with its ground truth, in index order."""
        for index in range(self.encounter_count):
            yield build_encounter(self.plan, index)


def _batches(seed: int, prefix: str, count: int, size: int) -> tuple[StolenBatch, ...]:
    rng = random.Random(seed ^ 0x5701E)
    batches = []
    for b in range(count):
        series = "X" + "ABCDEFGHJKLMNPRSTUVW"[b % 20]
        reporter = rng.choice(("FR-POL", "DE-BKA", "GR-BORDER", "BE-POL"))
        reported = AS_OF - timedelta(days=rng.randint(200, 900))
        first = rng.randrange(1_000_000, 9_000_000 - size)
        batches.append(
            StolenBatch(f"{prefix}stolen-{b:02d}", reporter, "SY", series, first, size, reported)
        )
    return tuple(batches)


def generate(
    seed: int = 0,
    subjects: int = 1000,
    encounters: int = 0,
    *,
    prefix: str = "syn-",
    stolen_batches: int = 1,
    batch_size: int = 200,
    listed_share: float = 0.1,
    namesake_share: float = 0.03,
    stolen_share: float = 0.005,
) -> SynthWorld:
    """A seeded world of ``subjects`` listed persons and ``encounters`` screening events.

    ``listed_share`` of the encounters are listed subjects under some variation,
    ``namesake_share`` of the rest share a subject's name but are someone else, and
    ``stolen_share`` present a passport from a stolen batch.
    """
    if subjects < 0 or encounters < 0:
        raise ValueError("sizes cannot be negative")
    if subjects >= 10_000_000:
        raise ValueError("at most 9,999,999 subjects (document numbers have seven digits)")
    batches = _batches(seed, prefix, stolen_batches, batch_size)
    plan = EncounterPlan(
        seed, subjects, prefix, batches, listed_share, namesake_share, stolen_share
    )
    return SynthWorld(seed, subjects, encounters, prefix, batches, plan)
