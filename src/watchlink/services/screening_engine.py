"""The matching engine kept warm in the server process, and encounters turned into queries.

``WarmScreener`` builds the in-memory ``Screener`` once, from every subject that screening
matches against (active, dormant and closed alike: a record leaves the list only when it
is deleted), and then
follows each change incrementally (``add``/``remove``). One lock guards the index: a
change waits for a screening in flight and the other way round, so no query ever sees a
half-changed index. A batch takes the lock query by query, so a single screening from
another request waits for one query of a 10,000-item batch, not for all of them. A
change arriving before the first build is not lost: the build reads the database after
it, and one arriving during the build waits and is applied after.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from watchlink.matching import Engine, Match, Screener
from watchlink.model import (
    BirthDate,
    Encounter,
    Name,
    NameKind,
    Subject,
    Value,
)

__all__ = ["FREEZE_FROM", "WarmScreener", "encounter_query"]

FREEZE_FROM = 50_000
"""From this many subjects a built index is moved out of the garbage collector's reach
(``gc.freeze``). A full collection would otherwise walk the index's millions of objects:
a pause of hundreds of milliseconds in the middle of some request, its p99. Smaller lists
(tests, the demo) are left to the collector: a frozen object is never collected as part of
a reference cycle, and an index holds none, but a small process gains nothing."""


def encounter_query(encounter: Encounter) -> Subject:
    """The person presented at an encounter, as a query the engine screens.

    The first name is the primary one (with the given and family parts when known),
    the others aliases; a given/family pair without a full name becomes one.
    """
    person = encounter.person
    texts = [n.strip() for n in person.names if n.strip()]
    if not texts and (person.given or person.family):
        texts = [" ".join(p for p in (person.given, person.family) if p)]
    names = [
        Name(text, NameKind.PRIMARY if i == 0 else NameKind.ALIAS)
        for i, text in enumerate(dict.fromkeys(texts))
    ]
    if names:
        names[0].given, names[0].family = person.given, person.family
    return Subject(
        id=f"encounter:{encounter.id}",
        agency=encounter.agency,
        names=names,
        birth_dates=[] if person.birth_date is None else [BirthDate(person.birth_date)],
        birth_places=[] if person.birth_place is None else [Value(person.birth_place)],
        nationalities=[] if person.nationality is None else [Value(person.nationality)],
        gender=person.gender,
        documents=[] if encounter.document is None else [encounter.document],
    )


class WarmScreener:
    """A ``Screener`` built once on first need and then kept current, change by change."""

    def __init__(self, engine: Engine[Any] | None = None, *, candidates: int = 50) -> None:
        self._engine = engine
        self._candidates = candidates
        self._screener: Screener[Any] | None = None
        self._lock = threading.RLock()

    @property
    def built(self) -> bool:
        """Whether the index has been built."""
        return self._screener is not None

    def __len__(self) -> int:
        with self._lock:
            return 0 if self._screener is None else len(self._screener)

    def build(self, subjects: Iterable[Subject]) -> None:
        """(Re)build the index from ``subjects``."""
        with self._lock:
            self._screener = Screener.build(subjects, self._engine, candidates=self._candidates)
            if len(self._screener) >= FREEZE_FROM:
                gc.collect()
                gc.freeze()

    def ensure(self, load: Callable[[], Iterable[Subject]]) -> None:
        """Build from ``load()`` unless already built (the first caller builds, others wait)."""
        with self._lock:
            if self._screener is None:
                self.build(load())

    def threshold(self, use: str = "screening") -> float:
        """The engine's shipped threshold for a use."""
        with self._lock:
            screener = self._require()
            return screener.threshold(use)

    def add(self, subject: Subject) -> None:
        """Take in a created or changed subject."""
        with self._lock:
            if self._screener is None:
                return  # the build, still to come, reads it from the database
            self._screener.add(subject)

    def remove(self, subject_id: str) -> None:
        """Take a subject off the list."""
        with self._lock:
            if self._screener is not None:
                self._screener.remove(subject_id)

    def screen(
        self, query: Subject, threshold: float, top: int = 10, candidates: int | None = None
    ) -> list[Match]:
        """Subjects scoring at least ``threshold``, best first, plus every document alert
        (``candidates``: how many the index proposes, when not the screener's bound)."""
        with self._lock:
            return self._require().screen(
                query, top=top, threshold=threshold, candidates=candidates
            )

    def namesakes(self, query: Subject) -> int:
        """How many listed subjects bear the query's name, as written or spelled alike
        (``Screener.namesakes``)."""
        with self._lock:
            return self._require().namesakes(query)

    def screen_many(
        self, queries: Sequence[Subject], threshold: float, top: int = 10
    ) -> list[list[Match]]:
        """``screen`` for each query, the lock taken for each in turn (others interleave)."""
        found = []
        for query in queries:
            with self._lock:
                found.append(self._require().screen(query, top=top, threshold=threshold))
        return found

    def _require(self) -> Screener[Any]:
        if self._screener is None:
            raise RuntimeError("the screening index is not built yet: call ensure() first")
        return self._screener
