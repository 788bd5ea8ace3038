"""Candidate retrieval: an in-memory inverted index that returns a short, ranked list.

Each subject is indexed under keys of a few kinds (name-part keys, document-number keys,
birth year), written ``kind:value``. A query collects the subjects sharing its keys and
ranks them by the summed rarity weight of the keys they share, as BM25 does: a key held by
half the list (``Mohamed``, ``Ali``, ``Kim``) weighs almost nothing and is never expanded
into candidates on its own when rarer keys exist; it only adds its small weight to subjects
already found. The list is cut to ``limit`` candidates, except that a subject reached
through a document key while it holds a stolen, lost or forged document is always kept.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from watchlink.matching import index_postings
from watchlink.matching.index_postings import Postings

__all__ = ["DEFAULT_KINDS", "Candidate", "CandidateIndex", "KeyKind"]

_UNREAD = 255  # a key whose kind no query has read yet
_UNREAD_BYTE = bytes([_UNREAD])


@dataclass(frozen=True, slots=True)
class KeyKind:
    """How keys of one kind behave in retrieval.

    ``expands``: a shared key of this kind may bring a subject into the candidate list
    (birth year does not: it only ranks subjects found by name or document).
    ``weight``: multiplies the key's rarity weight.
    ``forces_flagged``: a hit of this kind on a flagged subject (stolen, lost or forged
    document) is always a candidate, beyond ``limit``.
    """

    expands: bool = True
    weight: float = 1.0
    forces_flagged: bool = False


DEFAULT_KINDS: Mapping[str, KeyKind] = {
    "n": KeyKind(),  # name keys
    # Two parts of a name together (``n:w:mn|njr``): they bring in the one who bears two
    # parts each too common to expand, and barely weigh, as each part already counts on its
    # own: one who shares four parts shares six pairs, and must not outrank by them alone the
    # subject of the right birth date.
    "n:w": KeyKind(weight=0.1),
    "d": KeyKind(weight=2.0, forces_flagged=True),  # document-number keys
    "c": KeyKind(),  # a name key with the birth year: retrieves namesakes of the right age
    "y": KeyKind(expands=False, weight=1.5),  # birth year: ranks namesakes, never retrieves
    "b": KeyKind(expands=False, weight=1.0),  # birth month and day, the same way
    # Nationality and sex: light enough to only break ties, between namesakes of one name
    # (a query without a birth date may have hundreds in a list of a million).
    "t": KeyKind(expands=False, weight=0.2),
}


class Candidate(NamedTuple):
    """A document id found for a query, its retrieval weight, and whether it was forced in
    (a named tuple: fifty are made a query, and a frozen dataclass's ``__init__`` sets each
    field through ``object.__setattr__``, a fifth of a query's retrieval)."""

    doc: int
    weight: float
    forced: bool = False


class CandidateIndex:
    """Inverted index over integer document ids; keys are ``kind:value`` strings.

    ``limit`` bounds the list returned by ``search``; ``max_expand`` bounds how many
    postings one query may expand (the most common keys are scored, never expanded);
    ``preselect`` bounds how many of the expanded subjects the common keys (a birth year, a
    nationality) may still reorder; a key that only boosts and lists at most ``rare_boost``
    subjects (a full birth date, a birth month) is counted for every expanded subject before
    that cut, as it is cheap to look up and tells too much to come after it (a name spelled
    in another script shares few keys, and its exact birth date lifts it from far behind).
    ``min_share`` drops candidates sharing less than that share of the leader's weight (a
    candidate far behind is almost never the match, and each one dropped is one pair less
    to score).
    """

    def __init__(
        self,
        *,
        limit: int = 50,
        max_expand: int = 20_000,
        preselect: int = 5_000,
        rare_boost: int = 4_096,
        min_share: float = 0.3,
        kinds: Mapping[str, KeyKind] = DEFAULT_KINDS,
    ) -> None:
        self.limit = limit
        self.max_expand = max_expand
        self.preselect = preselect
        self.rare_boost = rare_boost
        self.min_share = min_share
        self.kinds = dict(kinds)
        self._key_ids: dict[str, int] = {}
        # Each key's kind, read when a query first meets the key: by key id the number of
        # the kind in ``_kinds_seen``, or _UNREAD (a byte a key: a million subjects have
        # millions of keys, most never met, and working out the kind of each when it is
        # filed would slow the index's build by a tenth).
        self._kind_of_key = array("B")
        self._kinds_seen: list[KeyKind] = []
        self._postings = Postings()
        self._flagged: npt.NDArray[np.bool_] = np.zeros(0, dtype=np.bool_)
        self._next_doc = 0

    # ---- writing ---------------------------------------------------------------------

    def build(self, docs: Iterable[tuple[int, Collection[str], bool]]) -> None:
        """Load many documents at once: ``(doc_id, keys, flagged)`` with ascending ids."""
        key_col, doc_col = array("i"), array("i")
        flagged: list[int] = []
        last = -1
        for doc, keys, is_flagged in docs:
            if doc <= last:
                raise ValueError("document ids must ascend")
            last = doc
            for key_id in self._intern(keys):
                key_col.append(key_id)
                doc_col.append(doc)
            if is_flagged:
                flagged.append(doc)
        self._next_doc = last + 1
        self._postings.load(key_col, doc_col, len(self._key_ids), self._next_doc)
        self._flagged = np.zeros(self._next_doc, dtype=np.bool_)
        self._flagged[np.asarray(flagged, dtype=np.int64)] = True

    def add(self, doc: int, keys: Collection[str], flagged: bool = False) -> None:
        """Add one document; ids must be new and larger than every id seen."""
        if doc < self._next_doc:
            raise ValueError(f"document id {doc} was already used; ids are never reused")
        self._next_doc = doc + 1
        if doc >= len(self._flagged):
            grown = np.zeros(max(doc + 1, 2 * len(self._flagged), 16), dtype=np.bool_)
            grown[: len(self._flagged)] = self._flagged
            self._flagged = grown
        self._flagged[doc] = flagged
        self._postings.add(doc, self._intern(keys))
        if self._postings.needs_compaction():
            self._postings.compact()

    def remove(self, doc: int, keys: Collection[str]) -> None:
        """Remove a document; ``keys`` are the keys it was added with (for frequencies)."""
        known = [k for k in (self._key_ids.get(key) for key in keys) if k is not None]
        self._postings.remove(doc, known)
        if self._postings.needs_compaction():
            self._postings.compact()

    def compact(self) -> None:
        """Fold recent additions and removals into the compact arrays."""
        self._postings.compact()

    # ---- reading ---------------------------------------------------------------------

    def __len__(self) -> int:
        return self._postings.live

    def __contains__(self, doc: object) -> bool:
        return isinstance(doc, int) and self._postings.is_alive(doc)

    @property
    def key_count(self) -> int:
        """How many distinct keys the index has seen."""
        return len(self._key_ids)

    def nbytes(self) -> int:
        """Approximate bytes held: arrays plus the key dictionary."""
        keys = sum(49 + len(k) for k in self._key_ids) + 100 * len(self._key_ids)
        return self._postings.nbytes() + self._flagged.nbytes + keys

    def weight(self, key: str) -> float:
        """Rarity weight of a key for the current list (BM25's idf times its kind's weight)."""
        key_id = self._key_ids.get(key)
        df = 0 if key_id is None else self._postings.df(key_id)
        return self._idf(df) * self._kind(key).weight

    def frequency(self, key: str) -> int:
        """How many live documents are filed under ``key`` (0 for a key never seen)."""
        key_id = self._key_ids.get(key)
        return 0 if key_id is None else self._postings.df(key_id)

    def search(self, keys: Iterable[str], limit: int | None = None) -> list[Candidate]:
        """Candidates sharing keys with the query, best first, at most ``limit`` + forced."""
        limit = self.limit if limit is None else limit
        expand, early, late = self._split(keys)
        if not expand:
            return []
        postings = self._postings
        docs, scores = _merged(
            [postings.docs(key_id) for key_id, _, _ in expand],
            np.array([weight for _, _, weight in expand]),
        )
        if not postings.all_alive():
            live = postings.alive(docs)
            docs, scores = docs[live], scores[live]
        forced = self._forced(docs, [(key_id, kind) for key_id, kind, _ in expand])
        postings.add_carried(docs, early, scores)
        if late:
            keep = self._leaders(scores, forced, limit, sum(weight for _, weight in late))
            if keep is not None:
                docs, scores, forced = docs[keep], scores[keep], forced[keep]
        postings.add_carried(docs, late, scores)
        return self._top(docs, scores, forced, limit)

    def _split(
        self, keys: Iterable[str]
    ) -> tuple[list[tuple[int, KeyKind, float]], list[tuple[int, float]], list[tuple[int, float]]]:
        """The query's known keys, rarest first, as those expanded into candidates (within
        ``max_expand`` postings; the rarest always), and those that only boost them: the
        rare (at most ``rare_boost`` subjects), counted before the cuts, and the others."""
        expand: list[tuple[int, KeyKind, float]] = []
        early: list[tuple[int, float]] = []
        late: list[tuple[int, float]] = []
        budget = self.max_expand
        for key_id, kind, weight, df in self._lookup(set(keys)):  # rarest first
            if kind.expands and (df <= budget or not expand):
                expand.append((key_id, kind, weight))
                budget -= df
            else:
                (early if df <= self.rare_boost else late).append((key_id, weight))
        return expand, early, late

    def _leaders(
        self,
        scores: npt.NDArray[np.float64],
        forced: npt.NDArray[np.bool_],
        limit: int,
        reach: float,
    ) -> npt.NDArray[np.bool_] | None:
        """Mask of the subjects the boosts (of ``reach`` in all) are worked out for, or None
        for all: those the boosts can still carry into the first ``limit``, and of these the
        ``preselect`` best (ties to the lower ids), plus the forced. One sort gives both cuts.

        A boost key of a common trait (a birth year, a sex) may list half the list, and
        looking every candidate up in it costs more than all the rest: only a subject within
        the boosts' reach of the limit-th best can still be chosen, and boosts only reorder
        the leaders, so their cost is bounded."""
        count = len(scores)
        ordered = np.sort(scores)
        keep: npt.NDArray[np.bool_] | None = None
        within = count  # subjects within reach, the forced aside
        if 0 < limit < count:
            floor = ordered[count - limit] - (reach + 1e-9)
            keep = (scores >= floor) | forced
            within = count - int(np.searchsorted(ordered, floor, side="left"))
        if within < self.preselect:  # all within reach are preselected, the forced anyway
            return keep
        # The preselect-th best within reach is the preselect-th best of all.
        return _best_by(scores, ordered, self.preselect) | forced

    # ---- internals -------------------------------------------------------------------

    def _intern(self, keys: Iterable[str]) -> list[int]:
        ids = self._key_ids
        out = []
        for key in keys:
            key_id = ids.get(key)
            if key_id is None:
                key_id = ids[key] = len(ids)
            out.append(key_id)
        unread = len(ids) - len(self._kind_of_key)
        if unread:
            self._kind_of_key.frombytes(_UNREAD_BYTE * unread)
        return out

    def _kind(self, key: str) -> KeyKind:
        """The kind of a key: by its two-level prefix (``n:w``) when one is listed, else by
        its first (``n``)."""
        prefix, sep, rest = key.partition(":")
        if not sep:
            return KeyKind()
        sub, sub_sep, _ = rest.partition(":")
        kind = self.kinds.get(f"{prefix}:{sub}") if sub_sep else None
        kind = kind or self.kinds.get(prefix)
        return KeyKind() if kind is None else kind

    def _kind_number(self, kind: KeyKind) -> int:
        """The number of ``kind`` among the kinds met so far (added when new)."""
        for number, seen in enumerate(self._kinds_seen):
            if seen == kind:
                return number
        self._kinds_seen.append(kind)
        return len(self._kinds_seen) - 1

    def _idf(self, df: int) -> float:
        n = max(self._postings.live, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _lookup(self, keys: set[str]) -> list[tuple[int, KeyKind, float, int]]:
        found = []
        for key in keys:
            key_id = self._key_ids.get(key)
            if key_id is None:
                continue
            df = self._postings.df(key_id)
            if df == 0:
                continue
            number = self._kind_of_key[key_id]
            if number == _UNREAD:
                number = self._kind_of_key[key_id] = self._kind_number(self._kind(key))
            kind = self._kinds_seen[number]
            found.append((key_id, kind, self._idf(df) * kind.weight, df))
        found.sort(key=lambda item: item[3])
        return found

    def _forced(
        self, docs: npt.NDArray[np.int32], expanded: list[tuple[int, KeyKind]]
    ) -> npt.NDArray[np.bool_]:
        forced = np.zeros(len(docs), dtype=np.bool_)
        for key_id, kind in expanded:
            if kind.forces_flagged:
                forced |= self._postings.member(key_id, docs) & self._flagged[docs]
        return forced

    def _top(
        self,
        docs: npt.NDArray[np.int32],
        scores: npt.NDArray[np.float64],
        forced: npt.NDArray[np.bool_],
        limit: int,
    ) -> list[Candidate]:
        """The ``limit`` best and the forced, less those far behind the leader (``min_share``
        of its weight: a threshold, so it may as well be applied to the few chosen)."""
        if len(docs) > limit:
            mask = _best(docs, scores, limit) | forced
            leader = float(scores.max())
            docs, scores, forced = docs[mask], scores[mask], forced[mask]
        elif len(docs):
            leader = float(scores.max())
        if self.min_share > 0 and len(docs):
            near = (scores >= self.min_share * leader) | forced
            docs, scores, forced = docs[near], scores[near], forced[near]
        order = np.lexsort((docs, -scores))
        found = zip(
            docs[order].tolist(), scores[order].tolist(), forced[order].tolist(), strict=True
        )
        return list(map(Candidate._make, found))


def _best(
    docs: npt.NDArray[np.int32], scores: npt.NDArray[np.float64], limit: int
) -> npt.NDArray[np.bool_]:
    """Mask of the ``limit`` best scores; ties at the cut go to the lower document ids, so
    that one query against one list always gets the same candidates."""
    if limit <= 0:
        return np.zeros(len(docs), dtype=np.bool_)
    if limit >= len(docs):
        return np.ones(len(docs), dtype=np.bool_)
    # A sort, not a partition: scores are sums of a few weights and tie by the thousand,
    # which slows a selection down more than a (vectorised) sort of a few thousand.
    cut = np.sort(scores)[len(scores) - limit]
    mask: npt.NDArray[np.bool_] = scores > cut
    tied = np.flatnonzero(scores == cut)  # docs ascend, so these are in id order
    mask[tied[: limit - int(mask.sum())]] = True
    return mask


def _best_by(
    scores: npt.NDArray[np.float64], ordered: npt.NDArray[np.float64], limit: int
) -> npt.NDArray[np.bool_]:
    """:func:`_best` for ``0 < limit < len(scores)``, given ``scores`` already sorted."""
    cut = ordered[len(ordered) - limit]
    mask: npt.NDArray[np.bool_] = scores > cut
    tied = np.flatnonzero(scores == cut)
    mask[tied[: limit - int(np.count_nonzero(mask))]] = True
    return mask


_LIST_BITS = 6  # up to 63 postings lists merged by one sort, their number in the low bits


def _merged(
    lists: list[npt.NDArray[np.int32]], weights: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """The distinct documents of sorted postings ``lists``, ascending, each with the summed
    ``weights`` of the lists holding it.

    Each entry is written as one int64, its document above the number of its list, and
    all are sorted at once: a document's entries then lie side by side, with their lists'
    numbers, and one pass sums them. (``np.unique`` with its inverse does an indirect sort,
    slower by a third at a million subjects.)"""
    if len(lists) >= 1 << _LIST_BITS:
        all_docs = np.concatenate(lists)
        docs, inverse = np.unique(all_docs, return_inverse=True)
        summed = np.bincount(
            inverse, weights=np.repeat(weights, [len(d) for d in lists]), minlength=len(docs)
        )
        return docs, summed.astype(np.float64)
    entries = np.concatenate(lists).astype(np.int64)
    entries <<= _LIST_BITS
    entries += np.repeat(np.arange(len(lists), dtype=np.int64), [len(d) for d in lists])
    entries.sort()
    native = index_postings.NATIVE  # read at each call: the tests set it aside
    if native is not None:  # the runs summed in one pass, not six numpy calls
        docs = np.empty(len(entries), dtype=np.int32)
        scores = np.empty(len(entries), dtype=np.float64)
        count = native.sum_runs(entries, weights, _LIST_BITS, docs, scores)
        return docs[:count], scores[:count]
    entry_docs = entries >> _LIST_BITS
    first = np.empty(len(entries), dtype=np.bool_)
    first[:1] = True
    np.not_equal(entry_docs[1:], entry_docs[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    summed = np.add.reduceat(weights[entries & ((1 << _LIST_BITS) - 1)], starts)
    return entry_docs[starts].astype(np.int32), summed.astype(np.float64)
