"""The candidate index on plain keys: rarity ranking, bounds, forced documents, changes."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlink.matching.index import Candidate, CandidateIndex, KeyKind, _best, _merged


def names(*parts: str) -> set[str]:
    """Name keys as the screener writes them."""
    return {f"n:{part}" for part in parts}


def common_name_index(crowd: int = 200) -> CandidateIndex:
    """A list where ``mohamed`` and ``ali`` are everywhere and ``zarqawi`` once."""
    index = CandidateIndex(limit=5)
    docs = [(0, names("mohamed", "ali", "zarqawi") | {"y:1966"}, False)]
    docs += [(i, names("mohamed", "ali", f"family{i}"), False) for i in range(1, crowd)]
    index.build(docs)
    return index


def ids(candidates: list[Candidate]) -> list[int]:
    return [c.doc for c in candidates]


def test_rare_part_ranks_first_and_common_parts_weigh_little() -> None:
    index = common_name_index()
    found = index.search(names("mohamed", "ali", "zarqawi"))
    assert found[0].doc == 0
    assert index.weight("n:zarqawi") > 5 * index.weight("n:mohamed")


def test_candidate_list_is_bounded_even_for_only_common_parts() -> None:
    index = common_name_index()
    found = index.search(names("mohamed", "ali"))
    assert len(found) == 5


def test_common_keys_are_not_expanded_when_rarer_keys_exist() -> None:
    index = CandidateIndex(limit=50, max_expand=10)
    index.build([(0, names("zarqawi"), False)] + [(i, names("ali"), False) for i in range(1, 40)])
    assert ids(index.search(names("ali", "zarqawi"))) == [0]


def test_birth_year_only_ranks_and_never_brings_candidates() -> None:
    index = CandidateIndex(limit=1)
    index.build(
        [
            (0, names("ivanov") | {"y:1970"}, False),
            (1, names("ivanov") | {"y:1980"}, False),
            (2, names("petrov") | {"y:1980"}, False),
        ]
    )
    assert ids(index.search(names("ivanov") | {"y:1980"})) == [1]
    assert index.search({"y:1980"}) == []


@pytest.mark.parametrize(("flagged", "expected"), [(True, [0]), (False, [])])
def test_document_hit_on_flagged_subject_is_always_a_candidate(
    flagged: bool, expected: list[int]
) -> None:
    index = CandidateIndex()
    index.build(
        [
            (0, names("smith") | {"d:X1234567"}, flagged),
            (1, names("karimov", "rustam"), False),
        ]
    )
    query = names("karimov", "rustam") | {"d:X1234567"}
    assert ids(index.search(query, limit=0)) == expected  # nothing but forced candidates
    assert set(ids(index.search(query, limit=2))) == {0, 1}
    assert [c.forced for c in index.search(query, limit=2) if c.doc == 0] == [flagged]


def test_add_remove_and_update_without_rebuild() -> None:
    index = CandidateIndex()
    index.build([(0, names("haddad", "samir"), False), (1, names("nasser", "omar"), False)])
    index.add(2, names("haddad", "karim"))
    assert set(ids(index.search(names("haddad")))) == {0, 2}
    index.remove(0, names("haddad", "samir"))
    assert ids(index.search(names("haddad"))) == [2]
    assert 0 not in index and len(index) == 2
    # an update is a removal and an addition under a new id
    index.remove(2, names("haddad", "karim"))
    index.add(3, names("haddad", "kareem"))
    assert ids(index.search(names("kareem"))) == [3]
    assert index.search(names("karim")) == []


def test_ids_are_never_reused() -> None:
    index = CandidateIndex()
    index.build([(0, names("a"), False), (1, names("b"), False)])
    with pytest.raises(ValueError, match="never reused"):
        index.add(1, names("c"))


def test_compaction_keeps_results() -> None:
    index = CandidateIndex(limit=100)
    index.build([(i, names(f"p{i % 7}", "common"), False) for i in range(50)])
    for i in range(50, 3000):
        index.add(i, names(f"p{i % 7}", "common"))
    for i in range(0, 3000, 3):
        index.remove(i, names(f"p{i % 7}", "common"))
    before = sorted(ids(index.search(names("p3"), limit=10_000)))
    index.compact()
    after = sorted(ids(index.search(names("p3"), limit=10_000)))
    assert before == after
    assert all(i % 7 == 3 and i % 3 != 0 for i in after)
    assert len(after) == len([i for i in range(3000) if i % 7 == 3 and i % 3 != 0])


def test_unknown_keys_and_empty_index_find_nothing() -> None:
    index = CandidateIndex()
    assert index.search(names("anyone")) == []
    index.build([(0, names("someone"), False)])
    assert index.search(names("anyone")) == []


def test_kind_weights_apply() -> None:
    kinds = {"n": KeyKind(), "d": KeyKind(weight=3.0)}
    index = CandidateIndex(kinds=kinds)
    index.build([(0, names("x") | {"d:x"}, False), (1, names("y"), False)])
    assert index.weight("d:x") == pytest.approx(3 * index.weight("n:x"))


def test_candidates_far_behind_the_leader_are_dropped_unless_forced() -> None:
    docs = [
        (0, names("rustam", "karimov", "bekovich") | {"d:AB123456"}, False),
        (1, names("karimov"), False),  # shares one part of three
        (2, names("olim") | {"d:AB123456"}, True),  # stolen document, nothing else alike
    ]
    query = names("rustam", "karimov", "bekovich")
    strict = CandidateIndex(min_share=0.6)
    strict.build(docs)
    assert ids(strict.search(query)) == [0]
    assert set(ids(strict.search(query | {"d:AB123456"}))) == {0, 2}
    loose = CandidateIndex(min_share=0.0)
    loose.build(docs)
    assert ids(loose.search(query)) == [0, 1]


def test_preselect_bounds_what_the_birth_date_can_reorder() -> None:
    docs = [(i, names("ivanov", f"x{i}") | {f"y:{1950 + i}"}, False) for i in range(20)]
    wide = CandidateIndex(limit=1, preselect=100, min_share=0.0)
    wide.build(docs)
    assert ids(wide.search(names("ivanov") | {"y:1969"})) == [19]
    narrow = CandidateIndex(limit=1, preselect=1, min_share=0.0, rare_boost=0)
    narrow.build(docs)
    assert ids(narrow.search(names("ivanov") | {"y:1969"})) != [19]  # cut before the date counts


def test_a_rare_boost_counts_before_the_preselection() -> None:
    """A full birth date lists few subjects: it lifts the one who bears it from far behind
    (a name from another script sharing one key) before the common keys' preselection."""
    crowd = [(i, names("timur", f"x{i % 7}") | {"y:1964", "t:nat:RU"}, False) for i in range(60)]
    spelled = names("timur") | {"y:1964", "b:1964-05-27", "t:nat:RU"}
    query = names("timur", "x1") | {"y:1964", "b:1964-05-27", "t:nat:RU"}
    for rare_boost, found in ((4096, [60]), (0, [1])):
        index = CandidateIndex(limit=1, preselect=5, min_share=0.0, rare_boost=rare_boost)
        index.build([*crowd, (60, spelled, False)])
        assert ids(index.search(query)) == found


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_ties_at_the_cut_go_to_the_lowest_ids(limit: int) -> None:
    """Namesakes tie: which of them are proposed must not depend on a sort's whims."""
    index = CandidateIndex(limit=limit, min_share=0.0)
    crowd = [(i, names("karim", "mansour"), False) for i in range(0, 400, 3)]
    index.build([*crowd[:50], (151, names("karim", "mansour", "tarek"), False), *crowd[51:]])
    found = index.search(names("karim", "mansour", "tarek"))
    assert ids(found) == [151, *range(0, 3 * (limit - 1), 3)]


def test_a_two_level_prefix_names_its_own_kind_and_falls_back_to_the_first() -> None:
    index = CandidateIndex()
    index.build([(0, {"n:s:krm", "n:w:krm|hdd", "x:other"}, False), (1, {"n:s:hdd"}, False)])
    assert index.weight("n:w:krm|hdd") == pytest.approx(0.1 * index.weight("n:s:krm"))
    assert index.weight("x:other") == pytest.approx(index.weight("n:s:krm"))  # unknown: 1.0
    narrow = CandidateIndex(kinds={"n": KeyKind(weight=2.0)})
    narrow.build([(0, {"n:s:krm", "n:w:krm|hdd"}, False)])
    assert narrow.weight("n:w:krm|hdd") == pytest.approx(narrow.weight("n:s:krm"))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, 300)), min_size=1, max_size=70),
    st.randoms(use_true_random=False),
)
def test_merging_postings_sums_the_weights_of_the_lists_holding_each_document(
    lists: list[set[int]], rng: random.Random
) -> None:
    """Up to 63 lists merge by one sort, more through ``np.unique``: the same either way."""
    arrays = [np.array(sorted(found), dtype=np.int32) for found in lists]
    weights = np.array([rng.choice([0.1, 0.5, 1.0, 2.0, 7.25]) for _ in lists])
    docs, summed = _merged(arrays, weights)
    expected = {
        d: sum(float(w) for a, w in zip(lists, weights, strict=True) if d in a)
        for d in set().union(*lists)
    }
    assert docs.tolist() == sorted(expected)
    assert summed.tolist() == pytest.approx([expected[d] for d in sorted(expected)])


def _search_step_by_step(index: CandidateIndex, keys: set[str], limit: int) -> list[Candidate]:
    """The search as written before its cuts shared one sort: the rare boosts, the reach cut,
    the preselection and the leader's share each on its own, in that order (the reference
    for the one below)."""
    expand, early, late = index._split(keys)
    if not expand:
        return []
    postings = index._postings
    docs, scores = _merged(
        [postings.docs(k) for k, _, _ in expand], np.array([w for *_, w in expand])
    )
    forced = index._forced(docs, [(k, kind) for k, kind, _ in expand])
    postings.add_carried(docs, early, scores)  # the rare boosts before every cut
    if late and 0 < limit < len(docs):
        reach = sum(w for _, w in late) + 1e-9
        cut = np.sort(scores)[len(scores) - limit]
        close = (scores >= cut - reach) | forced
        docs, scores, forced = docs[close], scores[close], forced[close]
    if late and len(docs) > index.preselect:
        keep = _best(docs, scores, index.preselect) | forced
        docs, scores, forced = docs[keep], scores[keep], forced[keep]
    postings.add_carried(docs, late, scores)
    if index.min_share > 0 and len(docs):
        near = (scores >= index.min_share * scores.max()) | forced
        docs, scores, forced = docs[near], scores[near], forced[near]
    if len(docs) > limit:
        mask = _best(docs, scores, limit) | forced
        docs, scores, forced = docs[mask], scores[mask], forced[mask]
    order = np.lexsort((docs, -scores))
    return [Candidate(int(docs[i]), float(scores[i]), bool(forced[i])) for i in order.tolist()]


_KEYS = ["n:a", "n:b", "n:c", "n:d", "d:x", "d:y", "y:1980", "y:1981", "t:f", "b:1980-04"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sets(st.sampled_from(_KEYS), min_size=1), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    st.sets(st.sampled_from(_KEYS), min_size=1),
    st.integers(1, 6),
    st.integers(1, 8),
    st.sampled_from([0.0, 0.3]),
    st.sampled_from([0, 3, 4096]),
)
def test_the_search_cuts_as_the_step_by_step_search_does(
    listed: list[tuple[set[str], bool]],
    query: set[str],
    limit: int,
    preselect: int,
    min_share: float,
    rare_boost: int,
) -> None:
    # Small bounds, many flagged subjects reached by document keys: every cut is exercised,
    # that of forced subjects far behind filling the preselection too.
    index = CandidateIndex(
        limit=limit,
        preselect=preselect,
        min_share=min_share,
        max_expand=12,
        rare_boost=rare_boost,
    )
    index.build((doc, keys, flagged) for doc, (keys, flagged) in enumerate(listed))
    got = [(c.doc, c.weight, c.forced) for c in index.search(query)]
    expected = [(c.doc, c.weight, c.forced) for c in _search_step_by_step(index, query, limit)]
    assert got == expected
