"""Candidate retrieval's loops in C (``postings_native.c``) answer as their numpy versions
do: the same documents, the same weights, the same candidates; bad arrays are refused."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlink.matching import index_postings
from watchlink.matching.index import CandidateIndex, _merged
from watchlink.matching.index_postings import Postings

NATIVE = index_postings.NATIVE
pytestmark = pytest.mark.skipif(NATIVE is None, reason="make native has not built it here")


@contextmanager
def _numpy_only() -> Iterator[None]:
    """The numpy versions within the block (a plain context: hypothesis reruns the test)."""
    saved = index_postings.NATIVE
    index_postings.NATIVE = None
    try:
        yield
    finally:
        index_postings.NATIVE = saved


_lists = st.lists(st.sets(st.integers(0, 300), max_size=60), min_size=1, max_size=12)


def _arrays(lists: list[set[int]]) -> list[np.ndarray]:
    return [np.array(sorted(docs), dtype=np.int32) for docs in lists]


@settings(max_examples=150, deadline=None)
@given(_lists, st.lists(st.floats(0.01, 9.0), min_size=12, max_size=12))
def test_postings_merged_in_c_are_those_merged_by_numpy(
    lists: list[set[int]], weights: list[float]
) -> None:
    arrays, weighed = _arrays(lists), np.array(weights[: len(lists)])
    docs, scores = _merged(arrays, weighed)
    with _numpy_only():
        want_docs, want_scores = _merged(arrays, weighed)
    assert docs.dtype == np.int32 and docs.tolist() == want_docs.tolist()
    # Added in list order here; numpy adds eight or more weights pairwise: the last bit.
    assert np.allclose(scores, want_scores, rtol=1e-15, atol=0)
    truth = {d: sum(w for a, w in zip(lists, weighed, strict=False) if d in a) for d in docs}
    assert np.allclose(scores, [truth[d] for d in docs.tolist()])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, 3)), min_size=1, max_size=200),
    st.sets(st.integers(0, 199)),
    st.integers(1, 8),
)
def test_weights_carried_in_c_are_those_numpy_adds(
    carried: list[set[int]],
    asked: set[int],
    dense_from: int,
) -> None:
    postings = Postings(dense_from=dense_from)  # small: bitmaps and searches both
    keys, docs = array("i"), array("i")
    for doc, held in enumerate(carried):
        for key in sorted(held):
            keys.append(key)
            docs.append(doc)
    postings.load(keys, docs, 4, len(carried))
    found = np.array(sorted(d for d in asked if d < len(carried)), dtype=np.int32)
    weighted = [(0, 1.5), (1, 0.25), (2, 3.0), (3, 0.2)]
    scores = np.linspace(0.0, 1.0, len(found))
    postings.add_carried(found, weighted, scores)
    want = np.linspace(0.0, 1.0, len(found))
    with _numpy_only():
        postings.add_carried(found, weighted, want)
    assert scores.tolist() == want.tolist()  # each weight added once, in the same order


@pytest.mark.parametrize(("documents", "listed"), [(5_000, 3), (3, 5_000), (2_000, 2_500)])
def test_a_short_list_and_a_long_one_meet_exactly_whichever_is_sought_in_the_other(
    documents: int, listed: int
) -> None:
    assert NATIVE is not None
    rng = np.random.default_rng(documents + listed)
    docs = np.unique(rng.integers(0, 20_000, documents)).astype(np.int32)
    held = np.unique(rng.integers(0, 20_000, listed)).astype(np.int32)
    held = np.union1d(held, docs[:: max(1, len(docs) // 3)]).astype(np.int32)  # some meet
    scores = np.zeros(len(docs))
    NATIVE.carry_listed(docs, held, 2.5, scores)
    assert scores.tolist() == (2.5 * np.isin(docs, held)).tolist()
    assert scores.any()


def test_a_search_finds_the_same_candidates_with_or_without_c() -> None:
    rng = np.random.default_rng(7)
    index = CandidateIndex(limit=20, max_expand=400, rare_boost=50)
    names = [f"n:{i}" for i in range(60)]
    documents = []
    for doc in range(2_000):
        keys = {str(k) for k in rng.choice(names, size=4, p=_zipf(len(names)))}
        keys |= {f"y:{rng.integers(1950, 2000)}", f"t:{rng.integers(2)}"}
        if doc % 97 == 0:
            keys.add(f"d:{doc}")
        documents.append((doc, keys, doc % 194 == 0))
    index.build(documents)
    for doc in range(2_000, 2_050):  # some in the delta, some removed
        index.add(doc, {"n:1", "n:2", f"y:{1950 + doc % 50}"})
    for doc in range(0, 300, 7):
        index.remove(doc, documents[doc][1])
    for trial in range(200):
        query = {str(k) for k in rng.choice(names, size=3, p=_zipf(len(names)))}
        query |= {f"y:{rng.integers(1950, 2000)}", "t:1", f"d:{97 * (trial % 20)}"}
        found = index.search(query)
        with _numpy_only():
            want = index.search(query)
        assert [(c.doc, c.forced) for c in found] == [(c.doc, c.forced) for c in want]
        assert np.allclose([c.weight for c in found], [c.weight for c in want], rtol=1e-15)


def _zipf(size: int) -> np.ndarray:
    weights: np.ndarray = 1.0 / np.arange(1, size + 1)
    shares: np.ndarray = weights / weights.sum()
    return shares


def test_arrays_of_another_type_or_too_short_are_refused() -> None:
    assert NATIVE is not None
    docs = np.array([1, 2, 3], dtype=np.int32)
    scores = np.zeros(3)
    with pytest.raises(TypeError, match="int32"):
        NATIVE.carry_listed(docs.astype(np.int64), docs, 1.0, scores)
    with pytest.raises(TypeError, match="float64"):
        NATIVE.carry_listed(docs, docs, 1.0, scores.astype(np.float32))
    with pytest.raises(ValueError, match="fewer scores"):
        NATIVE.carry_bits(docs, np.zeros(1, dtype=np.uint8), 1.0, np.zeros(2))
    with pytest.raises(IndexError, match="beyond the bitmap"):
        NATIVE.carry_bits(np.array([9], dtype=np.int32), np.zeros(1, dtype=np.uint8), 1.0, scores)
    entries = np.array([(5 << 6) | 3], dtype=np.int64)
    with pytest.raises(ValueError, match="names no list"):  # list 3 of two weights
        NATIVE.sum_runs(entries, np.ones(2), 6, np.empty(1, np.int32), np.empty(1))
    with pytest.raises(ValueError, match="too short"):
        NATIVE.sum_runs(entries, np.ones(4), 6, np.empty(0, np.int32), np.empty(0))
