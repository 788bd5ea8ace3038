"""The shortcuts of token matching answer as the full rules do: the quick join search finds
exactly what trying every two parts with ``token_kind`` finds, the letters a skeleton keeps
are kept whatever a part is joined to, tokens told apart by their letters are no spelling
of one another, and a token pair remembered by its two tokens is the pair's kind."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from watchlink.matching import joins, tokens
from watchlink.matching.tokens import PairKind, opens_head, token_kind
from watchlink.normalize.skeletons import (
    kept_letters,
    may_have_skeleton,
    skeleton,
    skeleton_letters,
)

# Parts of fictional names, compound heads and their pieces, given names of a group.
_NAMED = [
    "abd",
    "abdul",
    "abdel",
    "abu",
    "abou",
    "abdou",
    "ab",
    "a",
    "al",
    "el",
    "ul",
    "ar",
    "rahman",
    "rahmane",
    "rachman",
    "bari",
    "karim",
    "kareem",
    "aziz",
    "latif",
    "hamid",
    "hameed",
    "mohamed",
    "muhammad",
    "ahmed",
    "ali",
    "omar",
    "yusuf",
    "youssef",
    "joseph",
    "ibrahim",
    "abraham",
    "jean",
    "claude",
    "sasha",
    "alexander",
    "ted",
    "theodore",
    "nour",
    "eddine",
    "din",
    "jong",
    "sik",
    "jeongsig",
    "schmidt",
    "tschernow",
    "khalil",
    "ghani",
    "abbas",
    "abdulabbas",
    "abdalrahman",
    "abdelkarim",
    "abulhassan",
    "hassan",
    "x",
]
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_TRICKY = "abcdeghiklmnorstuz"  # the letters of the digraphs and of the compound heads

parts_st = st.one_of(
    st.sampled_from(_NAMED),
    st.text(alphabet=_TRICKY, min_size=1, max_size=7),
)


def _reference(
    parts: tuple[str, ...], free: list[int], target: str, same_script: bool
) -> tuple[int, int, PairKind, float] | None:
    """Every two free parts tried in order, joined, against ``target``: the first that
    ``token_kind`` takes for at least a typo (a variant only by a skeleton long enough to
    tell names apart); without a compound head in the way, only as a typo or by skeleton."""
    target_skeleton = skeleton(target)
    for x in free:
        for y in free:
            if x == y:
                continue
            joined = parts[x] + parts[y]
            found = token_kind(joined, skeleton(joined), target, target_skeleton, same_script)
            if found is None or found[0] < PairKind.TYPO:
                continue
            if found[0] == PairKind.VARIANT and len(target_skeleton) < 4:
                continue
            head = opens_head(target) or opens_head(parts[x]) or parts[x] in joins._HEAD_PREFIXES
            if (
                not head
                and OSA.distance(joined, target) > 2
                and skeleton(joined) != target_skeleton
            ):
                continue
            return x, y, found[0], found[1]
    return None


def _quick(
    parts: tuple[str, ...], free: list[int], target: str, same_script: bool
) -> tuple[int, int, PairKind, float] | None:
    return joins._join_two(parts, [(i, joins._part(parts[i])) for i in free], target, same_script)


@st.composite
def _searches(draw: st.DrawFn) -> tuple[tuple[str, ...], list[int], str, bool]:
    parts = tuple(draw(st.lists(parts_st, min_size=2, max_size=4)))
    free = sorted(draw(st.sets(st.integers(0, len(parts) - 1), min_size=2)))
    # A target near two parts joined (a slip, a head, a vowel more) is where the rules meet.
    x, y = draw(st.permutations(free))[:2]
    near = parts[x] + parts[y]
    where = draw(st.integers(0, len(near)))
    letter = draw(st.sampled_from(_LETTERS))
    edits = [
        near,
        near[:where] + letter + near[where:],
        near[:where] + near[where + 1 :],
        near[:where] + letter + near[where + 1 :],
        draw(st.sampled_from(["abd", "abdul", "abu", "abdel"])) + near,
        near[3:],
        near[5:],
    ]
    target = draw(st.one_of(st.sampled_from([e for e in edits if e]), parts_st))
    return parts, free, target, draw(st.booleans())


@settings(max_examples=1500, deadline=None)
@given(_searches())
def test_the_quick_join_search_finds_what_trying_every_two_parts_finds(
    search: tuple[tuple[str, ...], list[int], str, bool],
) -> None:
    parts, free, target, same_script = search
    assert _quick(parts, free, target, same_script) == _reference(parts, free, target, same_script)


@settings(max_examples=1500, deadline=None)
@given(parts_st, parts_st)
def test_a_skeleton_keeps_the_kept_letters_of_both_parts_joined(left: str, right: str) -> None:
    kept = kept_letters(left) | kept_letters(right)
    assert may_have_skeleton(kept, skeleton_letters(skeleton(left + right)))


@pytest.mark.parametrize(
    ("token", "other_skeleton", "may"),
    [
        ("mohamed", "mhmd", True),
        ("muhammad", "mhmd", True),
        ("khalil", "kll", True),  # kh keeps its k
        ("mohamed", "hd", False),  # m kept, and not there
        ("amed", "mhmd", True),  # m there and kept; h and d not kept letters
        ("ahed", "mhmd", False),  # an m there no letter of it writes
        ("philip", "flb", True),  # ph writes f: p is no kept letter
        ("rahman", "rmn", True),  # its h is no kept letter; m, n and r are all there
        ("karim", "krn", False),  # no m there, an n it lacks
    ],
)
def test_kept_letters_rule_out_skeletons(token: str, other_skeleton: str, may: bool) -> None:
    assert may_have_skeleton(kept_letters(token), skeleton_letters(other_skeleton)) is may


@pytest.mark.parametrize(
    ("parts", "target"),
    [
        (("abd", "alrahman"), "abdelrahman"),  # a typo
        (("jong", "sik"), "jeongsig"),  # the same skeleton, jnksk
        (("martinez", "lopez"), "martinezlopqx"),  # two edits in a long part, two letters new
        (("abdul", "abbas"), "abbas"),  # a compound head the target lacks: five letters more
        (("abdul", "rahmaniyya"), "abdrahmaniy"),  # two heads, the rest two edits apart
        (("a", "lex"), "alexander"),  # a given name's variant, a head's first letter joined
    ],
)
def test_the_rules_at_the_edges_of_the_quick_search(parts: tuple[str, ...], target: str) -> None:
    expected = _reference(parts, [0, 1], target, True)
    assert expected is not None
    assert _quick(parts, [0, 1], target, True) == expected


@settings(max_examples=3000, deadline=None)
@given(parts_st, parts_st, st.booleans())
def test_tokens_told_apart_by_their_letters_are_no_spelling_of_one_another(
    left: str, right: str, same_script: bool
) -> None:
    a_skel, b_skel = skeleton(left), skeleton(right)
    if tokens._far_apart(left, a_skel, right, b_skel):
        assert tokens._spelled_alike(left, a_skel, right, b_skel, same_script) is None


@pytest.mark.parametrize(
    ("left", "right", "far"),
    [
        ("karim", "sudhir", True),
        ("bertrand", "mohammed", True),  # four letters of eight lacking: alike at 0.5 at most
        ("karim", "kareem", False),  # a typo, and alike
        ("karim", "karimov", False),  # alike
        ("omar", "umar", False),  # one skeleton
        ("abdul", "sudhir", False),  # a compound head: its own rules
    ],
)
def test_far_apart_tokens(left: str, right: str, far: bool) -> None:
    assert tokens._far_apart(left, skeleton(left), right, skeleton(right)) is far


@given(st.integers(0, 2**32 - 1))
def test_bits_are_counted(word: int) -> None:
    assert tokens._bits(word) == bin(word).count("1")


@settings(max_examples=500, deadline=None)
@given(parts_st, parts_st, st.booleans(), st.booleans())
def test_a_pair_remembered_by_its_tokens_is_the_pairs_kind(
    left: str, right: str, same_script: bool, first_letter: bool
) -> None:
    # A skeleton passed otherwise than before (a name's first letter for an empty one) is
    # worked out again, not answered from memory.
    a_skel, b_skel = skeleton(left), skeleton(right)
    expected = token_kind(left, a_skel, right, b_skel, same_script)
    assert tokens.met_kind(left, a_skel, right, b_skel, same_script) == expected
    assert tokens.met_kind(left, a_skel, right, b_skel, same_script) == expected
    if first_letter:
        other = token_kind(left, left[:1], right, b_skel, same_script)
        assert tokens.met_kind(left, left[:1], right, b_skel, same_script) == other


def test_a_token_met_with_very_many_is_still_answered_as_token_kind_does() -> None:
    # Past the row's bound the general cache answers; what was remembered stays.
    names = [f"karim{n:04d}" for n in range(1100)] + ["karim", "kareem"]
    for name in names + names:
        expected = token_kind("karimo", skeleton("karimo"), name, skeleton(name), True)
        assert tokens.met_kind("karimo", skeleton("karimo"), name, skeleton(name), True) == expected
