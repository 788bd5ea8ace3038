"""Compact postings: which documents carry each key, as sorted int32 arrays.

The bulk of the postings lives in one CSR layout (an ``offsets`` array into one ``postings``
array, both numpy) built in a single sort; subjects added later go to a small per-key delta
that is appended in id order. Removal only clears a bit in the ``alive`` mask (a tombstone)
and lowers the key's document frequency; ``compact()`` folds the delta and drops dead
entries without recomputing any key, so no single change ever rebuilds the index.

Whether documents carry a key (``member``) is answered by a binary search in the key's
list, except for keys listing a large share of the list (a sex, a common nationality or
birth year): searching thousands of candidates in a list of hundreds of thousands misses
the cache at every step, so such a key keeps a bitmap of its documents instead, made on
first need and kept current as documents are added.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from watchlink.matching.native import fresh_extension

__all__ = ["DENSE_SHARE", "NATIVE", "Postings"]

IntArray = npt.NDArray[np.int32]
_EMPTY: IntArray = np.zeros(0, dtype=np.int32)
NATIVE = fresh_extension("_postings_native")
"""Retrieval's inner loops in C (``postings_native.c``, built by ``make native``), for
``add_carried`` here and the merge of ``index.py``; None when not built or stale: the
numpy versions run."""

DENSE_SHARE = 256
"""A key listing at least 1/``DENSE_SHARE`` of the documents (and ``dense_from``, 4,096 by
default) answers ``member`` from a bitmap of all documents (one bit each) rather than by
binary search. At a million subjects: keys of 4,096 documents or more, about 900 (a birth
year, a common given name), 125 KB each; looking 5,000 candidates up in one takes a fifth
of the time of a binary search."""


class Postings:
    """Key ids to sorted document ids, with document frequencies and a live mask.

    Document ids are small non-negative integers handed out in increasing order and never
    reused: so a key's delta list is sorted, and main + delta concatenated stays sorted.
    """

    __slots__ = (
        "_alive",
        "_delta",
        "_delta_size",
        "_dense",
        "_dense_from",
        "_df",
        "_offsets",
        "_postings",
        "_tombstones",
        "live",
    )

    def __init__(self, dense_from: int = 4096) -> None:
        self._dense_from = dense_from
        self._offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._postings: IntArray = _EMPTY
        self._delta: dict[int, array[int]] = {}
        self._delta_size = 0
        self._df: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._alive: npt.NDArray[np.bool_] = np.zeros(0, dtype=np.bool_)
        self._dense: dict[int, npt.NDArray[np.uint8]] = {}  # key → bitmap of its documents
        self._tombstones = 0  # documents removed whose entries the postings still hold
        self.live = 0

    # ---- bulk load -------------------------------------------------------------------

    def load(self, key_ids: array[int], doc_ids: array[int], n_keys: int, n_docs: int) -> None:
        """Replace everything with pairs (key_ids[i], doc_ids[i]); docs must ascend."""
        keys = np.frombuffer(key_ids, dtype=np.int32) if len(key_ids) else _EMPTY
        docs = np.frombuffer(doc_ids, dtype=np.int32) if len(doc_ids) else _EMPTY
        order = np.argsort(keys, kind="stable")  # stable: docs stay ascending within a key
        self._postings = docs[order].astype(np.int32, copy=False)
        counts = np.bincount(keys, minlength=n_keys).astype(np.int64)
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._df = counts.astype(np.int32)
        self._delta = {}
        self._delta_size = 0
        self._alive = np.ones(n_docs, dtype=np.bool_)
        self._dense = {}
        self._tombstones = 0
        self.live = n_docs

    # ---- incremental changes ---------------------------------------------------------

    def add(self, doc: int, key_ids: Iterable[int]) -> None:
        """Add one live document with the given (distinct) keys."""
        self._ensure_doc(doc)
        self._alive[doc] = True
        self.live += 1
        for key in key_ids:
            self._ensure_key(key)
            self._delta.setdefault(key, array("i")).append(doc)
            self._df[key] += 1
            self._delta_size += 1
            bits = self._dense.get(key)
            if bits is not None:
                if doc >> 3 < len(bits):
                    bits[doc >> 3] |= 1 << (doc & 7)
                else:  # beyond the bitmap: made again, larger, on next need
                    del self._dense[key]

    def remove(self, doc: int, key_ids: Iterable[int]) -> None:
        """Tombstone a document; ``key_ids`` are the keys it was added with."""
        if doc >= len(self._alive) or not self._alive[doc]:
            return
        self._alive[doc] = False
        self._tombstones += 1
        self.live -= 1
        for key in key_ids:
            if key < len(self._df) and self._df[key] > 0:
                self._df[key] -= 1

    def needs_compaction(self) -> bool:
        """True when the delta or the tombstones (since the last compaction) have grown past a
        quarter of the main part."""
        return self._delta_size + self._tombstones > max(1024, len(self._postings) // 4)

    def compact(self) -> None:
        """Fold the delta into the main arrays and drop dead documents (no key recomputed)."""
        n_keys = len(self._df)
        main_counts = np.diff(self._offsets)
        key_of_main = np.repeat(np.arange(len(main_counts), dtype=np.int32), main_counts)
        parts_k: list[IntArray] = [key_of_main]
        parts_d: list[IntArray] = [self._postings]
        for key, delta in self._delta.items():
            parts_k.append(np.full(len(delta), key, dtype=np.int32))
            parts_d.append(np.frombuffer(delta, dtype=np.int32))
        keys = np.concatenate(parts_k)
        docs = np.concatenate(parts_d)
        keep = self._alive[docs]
        keys, docs = keys[keep], docs[keep]
        order = np.lexsort((docs, keys))
        self._postings = docs[order].astype(np.int32, copy=False)
        counts = np.bincount(keys, minlength=n_keys).astype(np.int64)
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._df = counts.astype(np.int32)
        self._delta = {}
        self._delta_size = 0
        self._dense = {}
        self._tombstones = 0

    # ---- reads -----------------------------------------------------------------------

    def df(self, key: int) -> int:
        """How many live documents carry the key."""
        return int(self._df[key]) if key < len(self._df) else 0

    def docs(self, key: int) -> IntArray:
        """Sorted ids of the documents carrying the key (dead ones included)."""
        main = (
            self._postings[self._offsets[key] : self._offsets[key + 1]]
            if key + 1 < len(self._offsets)
            else _EMPTY
        )
        delta = self._delta.get(key)
        if delta is None:
            return main
        return np.concatenate((main, np.frombuffer(delta, dtype=np.int32)))

    def member(self, key: int, docs: IntArray) -> npt.NDArray[np.bool_]:
        """Mask of ``docs`` (sorted) that carry the key (dead ones as they were added)."""
        bits, listed = self._carriers(key, docs)
        if bits is None:
            return _searched(docs, listed)
        found: npt.NDArray[np.bool_] = ((bits[docs >> 3] >> (docs & 7)) & 1).astype(np.bool_)
        return found

    def all_alive(self) -> bool:
        """Whether every document the postings list is live (none removed since the last
        load or compaction): ``alive`` need not then be asked."""
        return self._tombstones == 0

    def add_carried(
        self, docs: IntArray, weighted: list[tuple[int, float]], scores: npt.NDArray[np.float64]
    ) -> None:
        """Add to ``scores[i]`` the weight of each ``(key, weight)`` that ``docs[i]`` (sorted)
        carries: ``member`` for several keys at once, each bitmap's byte and bit of every
        document worked out once for all of them."""
        if not len(docs):
            return
        if NATIVE is not None:  # one pass over the documents a key, no temporaries
            docs = np.ascontiguousarray(docs)
            for key, weight in weighted:
                bits, listed = self._carriers(key, docs)
                if bits is None:
                    NATIVE.carry_listed(docs, np.ascontiguousarray(listed), weight, scores)
                else:
                    NATIVE.carry_bits(docs, bits, weight, scores)
            return
        byte: IntArray | None = None
        bit = carried = np.empty(0, dtype=np.uint8)
        for key, weight in weighted:
            bits, listed = self._carriers(key, docs)
            if bits is None:
                scores += weight * _searched(docs, listed)
                continue
            if byte is None:
                byte = docs >> 3
                bit = np.left_shift(1, docs & 7).astype(np.uint8)
                carried = np.empty(len(docs), dtype=np.uint8)
            np.take(bits, byte, out=carried)
            np.bitwise_and(carried, bit, out=carried)
            scores += weight * carried.astype(np.bool_)

    def _carriers(self, key: int, docs: IntArray) -> tuple[npt.NDArray[np.uint8] | None, IntArray]:
        """The key's bitmap covering ``docs`` (sorted), made on first need; or, for a key
        listing too few documents to keep one, None and its sorted documents."""
        bits = self._dense.get(key)
        if bits is not None and len(docs) and int(docs[-1]) >> 3 >= len(bits):
            bits = None  # documents added since lie beyond it: made again, larger
        if bits is not None:
            return bits, _EMPTY
        listed = self.docs(key)
        if len(listed) < max(self._dense_from, len(self._alive) // DENSE_SHARE):
            return None, listed
        everyone = np.zeros(len(self._alive), dtype=np.bool_)
        everyone[listed] = True
        bits = self._dense[key] = np.packbits(everyone, bitorder="little")
        return bits, _EMPTY

    def alive(self, docs: IntArray) -> npt.NDArray[np.bool_]:
        """Mask of the given document ids that are live."""
        return self._alive[docs]

    def is_alive(self, doc: int) -> bool:
        """Whether one document is live."""
        return doc < len(self._alive) and bool(self._alive[doc])

    def nbytes(self) -> int:
        """Bytes held by the arrays (the delta counted at its buffer size)."""
        delta = sum(d.buffer_info()[1] * d.itemsize + 64 for d in self._delta.values())
        arrays = (self._offsets, self._postings, self._df, self._alive)
        dense = sum(bits.nbytes for bits in self._dense.values())
        return int(sum(a.nbytes for a in arrays)) + dense + delta

    # ---- growth ----------------------------------------------------------------------

    def _ensure_doc(self, doc: int) -> None:
        if doc >= len(self._alive):
            grown = np.zeros(max(doc + 1, 2 * len(self._alive), 16), dtype=np.bool_)
            grown[: len(self._alive)] = self._alive
            self._alive = grown

    def _ensure_key(self, key: int) -> None:
        if key >= len(self._df):
            grown = np.zeros(max(key + 1, 2 * len(self._df), 16), dtype=np.int32)
            grown[: len(self._df)] = self._df
            self._df = grown


def _searched(docs: IntArray, postings: IntArray) -> npt.NDArray[np.bool_]:
    """Mask of ``docs`` (sorted) present in ``postings`` (sorted), by binary search of the
    shorter in the longer: a document key lists one or two subjects, a birth month a few
    hundred, against thousands of candidates."""
    if len(postings) == 0 or len(docs) == 0:
        return np.zeros(len(docs), dtype=np.bool_)
    if len(postings) < len(docs):
        at = np.searchsorted(docs, postings)
        at = at[at < len(docs)]  # a suffix of postings lies beyond every document
        carried = np.zeros(len(docs), dtype=np.bool_)
        carried[at[docs[at] == postings[: len(at)]]] = True
        return carried
    at = np.searchsorted(postings, docs)
    at[at == len(postings)] = 0
    found: npt.NDArray[np.bool_] = postings[at] == docs
    return found
