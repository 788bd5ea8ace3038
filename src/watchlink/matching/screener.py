"""The screening API: build a watchlist index, keep it current, screen people against it.

``Screener`` ties the candidate index to the scoring engine: a query is prepared once, its
keys fetch a bounded candidate list, each candidate is scored into a calibrated probability
with its explanation, and the best come back as ``Match`` objects. Adding, changing or
removing one subject touches only that subject's keys.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar, cast

from watchlink.matching.filing import subject_keys
from watchlink.matching.index import CandidateIndex
from watchlink.model import DocumentStatus, Name, Subject

__all__ = [
    "ALERT_STATUSES",
    "USES",
    "ContributionLike",
    "Engine",
    "Match",
    "ScoredLike",
    "Screener",
    "collector_paused",
    "shipped_engine",
    "subject_keys",
]

R = TypeVar("R")

USES = ("screening", "deduplication")
"""Uses with their own threshold: screening favours recall, deduplication precision."""

ALERT_STATUSES = frozenset({DocumentStatus.STOLEN, DocumentStatus.LOST, DocumentStatus.FORGED})
"""A subject holding a document in one of these states is flagged in the index."""


class ContributionLike(Protocol):
    """What one feature added to a score, in words an analyst reads."""

    @property
    def text(self) -> str: ...


class ScoredLike(Protocol):
    """A scored pair: a probability and the contributions that explain it."""

    @property
    def probability(self) -> float: ...

    @property
    def contributions(self) -> Sequence[ContributionLike]: ...


@dataclass(frozen=True, slots=True)
class Engine(Generic[R]):
    """The parts of matching the screener plugs together: prepare, key, score."""

    prepare: Callable[[Subject], R]
    name_keys: Callable[[R], Collection[str]]
    document_keys: Callable[[R], Collection[str]]
    score: Callable[[R, R], ScoredLike]
    thresholds: Mapping[str, float]
    rank_many: Callable[[R, Sequence[R]], Sequence[ScoredLike]] | None = None
    """Scored pairs whose contributions are worked out only when read, for speed: only the
    returned matches are explained."""
    trait_keys: Callable[[R], Collection[str]] | None = None
    """Keys that only rank namesakes (nationality, sex), filed as ``t:`` keys."""
    year_combined: tuple[str, ...] = ()
    """Prefixes of the name keys also filed together with the birth year (compound keys)."""
    whole_name: str = ""
    """Prefix of the name keys that file a whole name in one spelling-blind form (``j:``,
    its consonant skeleton): what :meth:`Screener.namesakes` counts by."""
    shared_fields: tuple[str, ...] = ()
    """Record fields whose (hashable) values, or list items, repeat across a list and are
    kept once: a million subjects hold far fewer distinct names than they hold names."""


@dataclass(slots=True)
class Match:
    """One listed subject found for a query: score, verdict at the threshold, and why."""

    subject_id: str
    score: float
    is_match: bool
    explanation: list[str]
    contributions: list[ContributionLike] = field(default_factory=list)
    document_alert: bool = False  # reached through a stolen, lost or forged document


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a bulk load, as it was before afterwards.

    A build makes tens of millions of objects that all live on (names, records, keys)
    and none in a reference cycle. Each collection while they pile up walks all made so
    far, to free nothing: at a million subjects a tenth of the build's CPU, and a third
    of the time spent reading the subjects. A cycle made meanwhile waits for the next
    collection after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _dates(subject: Subject) -> tuple[int, ...]:
    """Birth dates packed as ``YYYYMMDD`` ints (small to keep beside a million records)."""
    packed = {
        b.date.year * 10_000 + (b.date.month or 0) * 100 + (b.date.day or 0)
        for b in subject.birth_dates
    }
    return tuple(sorted(packed))


class Screener(Generic[R]):
    """A watchlist held in memory, ready to screen people against it.

    ``candidates`` bounds how many subjects are scored per query (the index returns the
    best by shared-key rarity); the default engine is the shipped one.
    """

    def __init__(self, engine: Engine[R], *, candidates: int = 50) -> None:
        self.engine = engine
        self.index = CandidateIndex(limit=candidates)
        self._records: list[R | None] = []
        self._dates: list[tuple[int, ...]] = []  # with the record, enough to recompute keys
        self._subject_ids: list[str | None] = []
        self._doc_of: dict[str, int] = {}
        self._pool: dict[object, object] = {}  # one copy of each repeated name, date...
        self._removed = 0  # subjects taken off since the pool was last pruned

    @classmethod
    def build(
        cls,
        subjects: Iterable[Subject],
        engine: Engine[R] | None = None,
        *,
        candidates: int = 50,
    ) -> Screener[R]:
        """Index a whole watchlist in one pass (later subjects with a same id replace)."""
        screener: Screener[R] = cls(_default(engine), candidates=candidates)
        with collector_paused():
            screener.index.build(screener._bulk(subjects))
        return screener

    def _bulk(self, subjects: Iterable[Subject]) -> Iterator[tuple[int, set[str], bool]]:
        latest: dict[str, Subject] = {}
        for subject in subjects:
            latest.pop(subject.id, None)
            latest[subject.id] = subject
        for subject in latest.values():
            yield self._remember(subject)

    def _remember(self, subject: Subject) -> tuple[int, set[str], bool]:
        record = self._share(self.engine.prepare(subject))
        dates = _dates(subject)
        dates = cast(tuple[int, ...], self._pool.setdefault(dates, dates))
        keys = subject_keys(self.engine, record, dates)
        doc = len(self._records)
        self._records.append(record)
        self._dates.append(dates)
        self._subject_ids.append(subject.id)
        self._doc_of[subject.id] = doc
        flagged = any(d.status in ALERT_STATUSES for d in subject.documents)
        return doc, keys, flagged

    def _share(self, record: R) -> R:
        """Replace repeated values of the engine's shared fields by the one kept copy."""
        pool = self._pool
        for name in self.engine.shared_fields:
            value = getattr(record, name)
            if isinstance(value, list):
                value[:] = [pool.setdefault(item, item) for item in value]
                continue
            if isinstance(value, tuple):  # its items, then the whole combination
                value = tuple(pool.setdefault(item, item) for item in value)
            setattr(record, name, pool.setdefault(value, value))
        return record

    def __len__(self) -> int:
        return len(self._doc_of)

    def __contains__(self, subject_id: object) -> bool:
        return subject_id in self._doc_of

    def add(self, subject: Subject) -> None:
        """Add a subject, or replace the one with the same id; nothing else is recomputed."""
        self.remove(subject.id)
        self.index.add(*self._remember(subject))

    def remove(self, subject_id: str) -> bool:
        """Take a subject off the list; False when it was not there."""
        doc = self._doc_of.pop(subject_id, None)
        if doc is None:
            return False
        record = self._records[doc]
        if record is not None:
            self.index.remove(doc, subject_keys(self.engine, record, self._dates[doc]))
        self._records[doc] = self._subject_ids[doc] = None
        self._dates[doc] = ()
        self._removed += 1
        if self._removed > max(64, len(self._doc_of) // 4):  # amortised: a few visits each
            self._prune_pool()
        return True

    @property
    def pooled(self) -> int:
        """How many distinct values (names, dates...) the list keeps one copy of."""
        return len(self._pool)

    def _prune_pool(self) -> None:
        """Forget the pooled values no listed subject holds any more (after many removals
        and changes: a list that changes for years would otherwise keep every old name)."""
        kept: dict[object, object] = {}
        for record, dates in zip(self._records, self._dates, strict=True):
            if record is None:
                continue
            kept[dates] = dates
            for name in self.engine.shared_fields:
                value = getattr(record, name)
                if isinstance(value, list | tuple):
                    kept.update((item, item) for item in value)
                    if isinstance(value, list):
                        continue
                kept[value] = value
        self._pool = kept
        self._removed = 0

    def threshold(self, use: str = "screening") -> float:
        """The shipped threshold for a use (``screening`` or ``deduplication``)."""
        try:
            return self.engine.thresholds[use]
        except KeyError:
            raise ValueError(f"unknown use {use!r}; expected one of {', '.join(USES)}") from None

    def candidates(self, query: Subject) -> list[str]:
        """The subject ids the index would score for a query, best first (for blocking recall)."""
        record = self.engine.prepare(query)
        found = self.index.search(subject_keys(self.engine, record, _dates(query)))
        ids = (self._subject_ids[c.doc] for c in found)
        return [subject_id for subject_id in ids if subject_id is not None]

    def namesakes(self, query: Subject) -> int:
        """How many listed subjects bear one of the query's names, whole, as it is or spelled
        alike, its given names first or last ("NOVIKOV, Dmitri" / "Dmitri Novikov"): the
        most of any one name and order (0 when the engine files no whole names).

        With no birth date a query cannot tell such namesakes apart, whatever its scores:
        when there are more of them than matches shown, the officer asks for a birth date
        rather than take the ten shown for all there are."""
        prefix = self.engine.whole_name
        if not prefix:
            return 0
        keys: set[str] = set()
        for name in query.names:
            words = name.full.replace(",", " ").split()
            for turn in range(len(words)):  # each order a list may write the name in
                written = Name(" ".join(words[turn:] + words[:turn]))
                alone = Subject(id=query.id, agency=query.agency, names=[written])
                record = self.engine.prepare(alone)
                keys.update(k for k in self.engine.name_keys(record) if k.startswith(prefix))
        return max((self.index.frequency(f"n:{key}") for key in keys), default=0)

    def screen(
        self,
        query: Subject,
        top: int = 10,
        threshold: float | None = None,
        use: str = "screening",
        candidates: int | None = None,
    ) -> list[Match]:
        """The best ``top`` subjects for one person, plus any document alert.

        ``candidates`` widens (or narrows) the search for this query: how many subjects
        the index proposes for scoring (default: the screener's bound).

        Without ``threshold`` every scored candidate may be returned, flagged ``is_match``
        at the use's shipped threshold; with it, only those scoring at least that much.
        """
        cut = self.threshold(use) if threshold is None else threshold
        record = self.engine.prepare(query)
        keys = subject_keys(self.engine, record, _dates(query))
        found = [
            (candidate, listed, subject_id)
            for candidate in self.index.search(keys, candidates)
            if (listed := self._records[candidate.doc]) is not None
            and (subject_id := self._subject_ids[candidate.doc]) is not None
        ]
        listed_records = [listed for _, listed, _ in found]
        if self.engine.rank_many is not None:
            scored_all = self.engine.rank_many(record, listed_records)
        else:
            scored_all = [self.engine.score(record, listed) for listed in listed_records]
        ranked = [scored.probability for scored in scored_all]
        order = sorted(range(len(found)), key=lambda i: (-ranked[i], found[i][2]))
        keep = [i for i in order if threshold is None or ranked[i] >= threshold]
        chosen = keep[:top] + [i for i in keep[top:] if found[i][0].forced]
        chosen += [i for i in order if found[i][0].forced and i not in chosen]
        matches = []
        for i in chosen:
            candidate, _, subject_id = found[i]
            scored = scored_all[i]
            contributions = list(scored.contributions)
            matches.append(
                Match(
                    subject_id=subject_id,
                    score=float(scored.probability),
                    is_match=float(scored.probability) >= cut,
                    explanation=[c.text for c in contributions],
                    contributions=contributions,
                    document_alert=candidate.forced,
                )
            )
        return matches

    def screen_many(
        self,
        queries: Iterable[Subject],
        top: int = 10,
        threshold: float | None = None,
        use: str = "screening",
    ) -> Iterator[tuple[Subject, list[Match]]]:
        """Screen each query in turn, lazily (inputs larger than memory stream through)."""
        for query in queries:
            yield query, self.screen(query, top=top, threshold=threshold, use=use)


def shipped_engine() -> Engine[object]:
    """The engine as shipped: the package's preparation, keys, scoring model and thresholds."""
    record = importlib.import_module("watchlink.matching.record")
    keys = importlib.import_module("watchlink.matching.keys")
    scoring = importlib.import_module("watchlink.matching.scoring")
    model = scoring.load_model()
    thresholds = dict(getattr(model, "thresholds", {}) or {})
    return Engine(
        prepare=record.prepare,
        name_keys=keys.name_keys,
        document_keys=keys.document_keys,
        trait_keys=keys.trait_keys,
        score=lambda query, listed: scoring.score(query, listed, model),
        thresholds=thresholds,
        rank_many=lambda query, listed: scoring.score_many(query, listed, model),
        shared_fields=(
            "names",
            "birth_dates",
            "nationalities",
            "addresses",
            "birth_places",
            "phones",
            "emails",
        ),
        year_combined=("s:",),  # token skeletons
        whole_name="j:",
    )


def _default(engine: Engine[R] | None) -> Engine[R]:
    if engine is not None:
        return engine
    return shipped_engine()  # type: ignore[return-value]  # the shipped record type
