"""``Postings.member`` answers from a bitmap for keys listing a large share of the list and
by binary search otherwise; both must say exactly which documents carry the key, through
bulk loads, additions (inside and beyond the bitmap), removals and compaction."""

from __future__ import annotations

from array import array

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from watchlink.matching.index_postings import Postings, _searched

KEYS = 4


def _truth(carried: dict[int, set[int]], key: int, docs: np.ndarray) -> list[bool]:
    return [int(d) in carried.get(key, set()) for d in docs]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, KEYS - 1)), min_size=1, max_size=80),
    st.lists(st.sets(st.integers(0, KEYS - 1)), max_size=40),
    st.sets(st.integers(0, 119)),
    st.booleans(),
    st.integers(1, 6),
)
# A bitmap made before documents beyond it were added, none of them carrying its key.
@example(loaded=[{0}], added=[{1}] * 8, removed=set(), compact=False, dense_from=1)
def test_membership_is_exact_whether_from_a_bitmap_or_a_search(
    loaded: list[set[int]],
    added: list[set[int]],
    removed: set[int],
    compact: bool,
    dense_from: int,
) -> None:
    postings = Postings(dense_from=dense_from)  # small: the bitmaps are made here too
    key_ids, doc_ids = array("i"), array("i")
    carried: dict[int, set[int]] = {}
    for doc, keys in enumerate(loaded):
        for key in sorted(keys):
            key_ids.append(key)
            doc_ids.append(doc)
            carried.setdefault(key, set()).add(doc)
    postings.load(key_ids, doc_ids, KEYS, len(loaded))
    everyone = np.arange(len(loaded), dtype=np.int32)
    for key in range(KEYS):  # bitmaps made now, then kept current by the additions below
        assert postings.member(key, everyone).tolist() == _truth(carried, key, everyone)
    for doc, keys in enumerate(added, start=len(loaded)):  # some land beyond the bitmap
        postings.add(doc, keys)
        for key in keys:
            carried.setdefault(key, set()).add(doc)
    gone = [d for d in sorted(removed) if d < len(loaded) + len(added)]
    for doc in gone:
        keys = loaded[doc] if doc < len(loaded) else added[doc - len(loaded)]
        postings.remove(doc, keys)
    if compact:
        postings.compact()
        for doc in gone:
            for found in carried.values():
                found.discard(doc)
    live = np.array(
        [d for d in range(len(loaded) + len(added)) if postings.is_alive(d)], dtype=np.int32
    )
    for key in range(KEYS):
        assert postings.member(key, live).tolist() == _truth(carried, key, live)
    weights = [(key, 2.0**key) for key in range(KEYS)]
    summed = np.zeros(len(live))
    postings.add_carried(live, weights, summed)  # all keys at once, bitmaps or searches
    expected = [sum(w for k, w in weights if int(d) in carried.get(k, set())) for d in live]
    assert summed.tolist() == expected


def test_a_key_carried_by_a_large_share_gets_a_bitmap_and_a_rare_one_none() -> None:
    postings = Postings()
    n = 20_000
    common = [d for d in range(n) if d % 3 == 0]  # a third of the list: a bitmap
    rare = list(range(0, n, 997))  # 21 documents: a binary search
    pairs = sorted([(0, d) for d in common] + [(1, d) for d in rare], key=lambda p: p[1])
    postings.load(array("i", [k for k, _ in pairs]), array("i", [d for _, d in pairs]), 2, n)
    before = postings.nbytes()
    asked = np.arange(0, n, 7, dtype=np.int32)
    assert postings.member(0, asked).tolist() == [d % 3 == 0 for d in asked.tolist()]
    assert postings.member(1, asked).tolist() == [d % 997 == 0 for d in asked.tolist()]
    assert postings.nbytes() - before == n // 8  # one bitmap, one bit per document


def test_a_compaction_clears_the_tombstones_it_dropped() -> None:
    """Removals past a quarter of the list call for a compaction; once it has dropped them,
    the next change must not call for another (each would rewrite the whole list)."""
    postings = Postings()
    n = 8_000
    postings.load(array("i", [0] * n), array("i", range(n)), 1, n)
    assert postings.all_alive()
    for doc in range(3_000):
        postings.remove(doc, [0])
    assert postings.needs_compaction() and not postings.all_alive()
    postings.compact()
    assert postings.all_alive()
    postings.add(n, [0])
    assert not postings.needs_compaction()
    assert postings.docs(0).tolist() == [*range(3_000, n + 1)]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 300)), st.sets(st.integers(0, 300)))
def test_a_search_finds_the_listed_documents_whichever_list_is_longer(
    docs: set[int], listed: set[int]
) -> None:
    candidates = np.array(sorted(docs), dtype=np.int32)
    postings = np.array(sorted(listed), dtype=np.int32)
    assert _searched(candidates, postings).tolist() == [d in listed for d in sorted(docs)]
