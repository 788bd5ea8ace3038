"""Korean names in Hangul: family name apart in the spelling lists use, given name by syllable."""

from __future__ import annotations

import pytest

from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.model import Name, Subject
from watchlink.normalize.korean import is_hangul_name, korean_words
from watchlink.normalize.names import name_form


@pytest.mark.parametrize(
    ("hangul", "tokens"),
    [
        ("김민준", ("kim", "min", "jun")),  # one word: family name, then given by syllable
        ("박서연", ("park", "seo", "yeon")),  # the list spelling, not "bag"
        ("리성혁", ("ri", "seong", "hyeog")),  # North Korean lists keep the R
        ("남궁도현", ("namgung", "do", "hyeon")),  # a family name of two syllables
        ("김 민준", ("kim", "min", "jun")),  # written apart already
        ("민준 박", ("min", "jun", "park")),  # family name last
        ("김", ("gim",)),  # one syllable alone: no name to split
        ("조선광업은행", ("joseongwangeobeunhaeng",)),  # six syllables: a word, kept whole
    ],
)
def test_a_hangul_name_is_read_as_lists_write_it(hangul: str, tokens: tuple[str, ...]) -> None:
    assert name_form(hangul).tokens == tokens


def test_only_whole_hangul_words_of_two_to_four_syllables_are_names() -> None:
    assert is_hangul_name("김민준") and is_hangul_name("남궁도현")
    assert not is_hangul_name("김") and not is_hangul_name("김민준서연")
    assert not is_hangul_name("kim")


def _probability(a: str, b: str) -> float:
    left = prepare(Subject(id="a", agency="KR-NIS", names=[Name(a)]))
    right = prepare(Subject(id="b", agency="KR-NIS", names=[Name(b)]))
    return score(left, right).probability


CUT = 0.5


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("김민준", "Kim Min-jun"),
        ("김민준", "KIM Minjun"),
        ("리성혁", "Ri Song Hyok"),  # North Korean spelling: eo written o
        ("최명수", "Choe Myong Su"),  # Choi / Choe
        ("남궁도현", "Namgung Do-hyun"),
        ("박서연", "Park Seo-yeon"),
    ],
)
def test_hangul_matches_the_romanised_name_of_a_list(hangul: str, latin: str) -> None:
    assert _probability(hangul, latin) >= CUT
    assert load_model().threshold("screening") <= CUT


@pytest.mark.parametrize(
    ("hangul", "other"),
    [
        ("김민준", "Kim Min-seo"),  # one given syllable differs: a sibling, not him
        ("김민준", "Park Min-jun"),  # another family
        ("김민준", "이민준"),
        ("리성혁", "Ri Song Chol"),
    ],
)
def test_koreans_who_share_a_family_name_and_a_syllable_are_told_apart(
    hangul: str, other: str
) -> None:
    assert _probability(hangul, other) < CUT


def test_words_in_other_scripts_beside_hangul_are_romanised_as_they_are() -> None:
    assert korean_words("김민준 Kim", str.lower) == ["김", "민", "준", "kim"]
    assert korean_words("김민준", str.lower) == ["kim", "민", "준"]
