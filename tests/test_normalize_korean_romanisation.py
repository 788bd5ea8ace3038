"""Korean names under different romanisations (RR, McCune–Reischauer, passport spellings) are
one name; two Korean family names are two, and a name that is not Korean keeps the general
rules."""

from __future__ import annotations

import pytest

from watchlink.matching import Screener
from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.matching.tokens import PairKind, token_kind
from watchlink.model import Name, Subject
from watchlink.normalize.korean import FAMILY_NAMES
from watchlink.normalize.korean_spellings import (
    family_spellings,
    korean_name,
    one_family_name,
    other_family_names,
    same_syllable,
    syllable_key,
)
from watchlink.normalize.skeletons import skeleton

CUT = 0.5  # the shipped default threshold
FAMILY_WORDS = "one Korean family name, another romanisation"
SYLLABLE_WORDS = "one Korean syllable, another romanisation"


def _scored(a: str, b: str) -> tuple[float, str]:
    left = prepare(Subject(id="a", agency="KR-NIS", names=[Name(a)]))
    right = prepare(Subject(id="b", agency="KR-NIS", names=[Name(b)]))
    scored = score(left, right)
    return scored.probability, " | ".join(scored.explanation)


def test_the_cut_is_the_shipped_default_threshold() -> None:
    assert load_model().threshold("default") == CUT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("lee", "yi"), ("lee", "rhee"), ("lee", "ri"), ("yi", "i"), ("ri", "rhie"),
        ("park", "pak"), ("park", "bak"), ("pak", "bahk"), ("choi", "chwe"),
        ("jung", "chung"), ("jeong", "chong"), ("cho", "jo"), ("noh", "roh"), ("roh", "no"),
        ("ryu", "yoo"), ("yu", "lyu"), ("lim", "im"), ("lim", "rim"), ("yang", "ryang"),
        ("seo", "suh"), ("jeon", "chun"), ("jeon", "chon"), ("cheon", "chun"),
        ("son", "sohn"), ("heo", "hur"), ("heo", "huh"), ("eom", "um"), ("eom", "uhm"),
        ("joo", "chu"), ("woo", "u"), ("koo", "gu"), ("ji", "chi"), ("na", "ra"),
        ("yeom", "ryom"), ("yeo", "ryo"), ("seok", "suk"), ("byun", "pyon"),
    ],
)  # fmt: skip
def test_spellings_of_one_korean_family_name(a: str, b: str) -> None:
    assert one_family_name(a, b) and one_family_name(b, a)
    assert not other_family_names(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("song", "sung"),  # 송 / 성
        ("jung", "jeon"),  # 정 / 전
        ("cho", "joo"),  # 조 / 주
        ("cho", "choi"),  # 조 / 최
        ("jang", "jung"),  # 장 / 정
        ("kang", "kong"),  # 강 / 공
        ("hong", "hwang"),  # 홍 / 황
        ("son", "sun"),  # 손 / 선 (McCune–Reischauer writes 선 Sŏn: kept apart here)
        ("moon", "min"),  # 문 / 민
        ("ko", "koo"),  # 고 / 구
    ],
)
def test_two_korean_family_names_are_two_names(a: str, b: str) -> None:
    assert other_family_names(a, b) and not one_family_name(a, b)


def test_the_hangul_reading_spells_each_family_name_as_the_table_does() -> None:
    assert all(family_spellings(spelling) for spelling in FAMILY_NAMES.values())


def test_a_spelling_in_two_groups_is_each_of_them_and_song_seong_stay_one_syllable() -> None:
    assert one_family_name("chun", "jeon") and one_family_name("chun", "cheon")
    assert not one_family_name("jeon", "cheon")  # 전 / 천: Chun may be either, not both
    # McCune–Reischauer writes 성 Sŏng, which lists print "Song": not two names for sure.
    assert not other_family_names("song", "seong")
    assert family_spellings("pak") == ("park", "pak", "bak", "bahk", "pahk")
    assert family_spellings("leigh") == () and not one_family_name("lee", "leigh")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("eun", "un"), ("geun", "gun"), ("soo", "su"), ("hee", "hui"), ("hee", "hi"),
        ("eui", "ui"), ("chung", "jung"), ("jeong", "chong"), ("sik", "shik"),
        ("dae", "tae"), ("dong", "tong"), ("bong", "pong"), ("young", "yeong"),
        ("youn", "yun"), ("choi", "chwe"), ("minjun", "minjoon"),
    ],
)  # fmt: skip
def test_one_syllable_in_two_romanisations(a: str, b: str) -> None:
    assert same_syllable(a, b), (syllable_key(a), syllable_key(b))


@pytest.mark.parametrize(
    ("a", "b"), [("min", "seo"), ("jun", "jin"), ("song", "sung"), ("eun", "on"), ("mei", "mi")]
)
def test_other_syllables_are_not_one(a: str, b: str) -> None:
    assert not same_syllable(a, b)


@pytest.mark.parametrize(
    ("tokens", "korean"),
    [
        (("kim", "min", "jun"), True),
        (("min", "jun", "park"), True),
        (("pak", "minjun"), True),
        (("ri", "song", "hyok"), True),
        (("song", "mei", "ling"), False),  # Chinese: "mei" and "ling" are no Korean syllables
        (("lee", "kuan", "yew"), False),
        (("john", "lee"), False),
        (("lee", "leigh"), False),
        (("min", "jun"), True),  # 민 is a family name too
        (("ji", "hoon"), True),
        (("hoon", "jae"), False),  # no family name among them
    ],
)
def test_a_name_is_korean_when_every_part_is_and_a_family_name_is_among_them(
    tokens: tuple[str, ...], korean: bool
) -> None:
    assert korean_name(tokens) is korean


def test_the_korean_rules_apply_only_in_a_korean_context() -> None:
    def kind(a: str, b: str, korean: bool) -> PairKind | None:
        found = token_kind(a, skeleton(a), b, skeleton(b), True, korean, korean)
        return None if found is None else found[0]

    assert kind("pak", "park", True) == PairKind.VARIANT
    assert kind("pak", "park", False) == PairKind.ALIKE  # "John Pak" is no Korean name
    assert kind("song", "sung", True) == PairKind.ALIKE
    assert kind("song", "sung", False) == PairKind.VARIANT  # 宋: pinyin Song, Wade-Giles Sung
    assert kind("eun", "un", True) == PairKind.VARIANT
    assert kind("eun", "un", False) == PairKind.ALIKE


@pytest.mark.parametrize(
    ("left", "right", "words"),
    [
        ("Park Min-jun", "Pak Min-jun", FAMILY_WORDS),
        ("Park Min-jun", "Bak Min Jun", FAMILY_WORDS),
        ("Lee Min-jun", "Yi Min-jun", FAMILY_WORDS),
        ("Lee Min-jun", "Rhee Min-jun", FAMILY_WORDS),
        ("Lee Min-jun", "Ri Min Jun", FAMILY_WORDS),
        ("Lee Min-jun", "I Min-jun", FAMILY_WORDS),
        ("Jung Min-jun", "Chung Min-jun", FAMILY_WORDS),
        ("Jeong Min-jun", "Chong Min Jun", FAMILY_WORDS),
        ("Cho Min-jun", "Jo Min-jun", FAMILY_WORDS),
        ("Noh Min-jun", "Roh Min-jun", FAMILY_WORDS),
        ("Ryu Min-jun", "Yoo Min-jun", FAMILY_WORDS),
        ("Lim Min-jun", "Im Min-jun", FAMILY_WORDS),
        ("Jeon Min-jun", "Chun Min-jun", FAMILY_WORDS),
        ("Heo Min-jun", "Hur Min-jun", FAMILY_WORDS),
        ("Eom Min-jun", "Uhm Min-jun", FAMILY_WORDS),
        ("Son Min-jun", "Sohn Min-jun", FAMILY_WORDS),
        ("Min-jun Park", "Pak Min Jun", FAMILY_WORDS),  # family name last on one side
        ("Kim Eun-ji", "Kim Un Ji", SYLLABLE_WORDS),
        ("Kim Kyung-hee", "Kim Kyong Hui", SYLLABLE_WORDS),
        ("Kim Chul-soo", "Kim Cheol-su", SYLLABLE_WORDS),
        ("Kim Dae-jung", "Kim Tae Jung", SYLLABLE_WORDS),
        ("Park Chung-hee", "Pak Jong Hui", FAMILY_WORDS),
        ("Choo Shin-soo", "Chu Sin Su", SYLLABLE_WORDS),
    ],
)
def test_romanisations_of_one_korean_name_match(left: str, right: str, words: str) -> None:
    probability, explanation = _scored(left, right)
    assert probability >= CUT, explanation
    assert words in explanation


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("정은", "Jong Un"),
        ("정은", "Jeong-eun"),
        ("김정은", "Kim Jong Un"),
        ("김정은", "Jong Un Kim"),
        ("박민준", "Pak Min Jun"),
        ("박민준", "Bak Min-jun"),
        ("이민준", "Yi Min-jun"),
        ("이민준", "Rhee Min-jun"),
        ("노민준", "Roh Min-jun"),
        ("허민준", "Hur Min-jun"),
        ("리성혁", "Lee Seong-hyeok"),
    ],
)
def test_hangul_matches_each_romanisation(hangul: str, latin: str) -> None:
    probability, explanation = _scored(hangul, latin)
    assert probability >= CUT, explanation


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Kim Min-jun", "Kim Min-seo"),
        ("Park Min-jun", "Pak Min-seo"),  # one family name, two given names
        ("Song Ji-hoon", "Sung Ji-hoon"),  # 송 / 성
        ("Ji-hoon Song", "Sung Ji-hoon"),  # family name last on one side
        ("Jung Min-jun", "Jeon Min-jun"),  # 정 / 전
        ("Cho Min-jun", "Joo Min-jun"),  # 조 / 주
        ("Cho Min-jun", "Choi Min-jun"),  # 조 / 최: one skeleton, two names
        ("Jang Min-jun", "Jung Min-jun"),  # 장 / 정
        ("Kang Min-jun", "Kong Min-jun"),  # 강 / 공
        ("Hong Min-jun", "Hwang Min-jun"),  # 홍 / 황
        ("Lee Min-jun", "Leigh Min-jun"),  # Leigh is an English name
        ("John Lee", "John Leigh"),
        ("송지훈", "Sung Ji-hoon"),
    ],
)
def test_different_korean_names_stay_apart(left: str, right: str) -> None:
    probability, explanation = _scored(left, right)
    assert probability < CUT, explanation


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Song Mei-ling", "Sung Mei-ling"),  # Chinese 宋: pinyin and Wade-Giles
        ("SON YONG HYOK", "SON JONG HYOK"),  # a slip in a given name, not two family names
        ("Kim Hee-sun", "Kim Hui-son"),  # Sun / Son here a given-name syllable
        ("Song Ji-hoon", "Seong Ji-hoon"),  # McCune–Reischauer writes 성 Song
    ],
)
def test_what_is_not_two_korean_family_names_keeps_the_general_rules(left: str, right: str) -> None:
    probability, explanation = _scored(left, right)
    assert probability >= CUT, explanation


def _person(subject_id: str, name: str) -> Subject:
    return Subject(id=subject_id, agency="KR-NIS", names=[Name(name)])


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("Park Min-jun", "Pak Min Jun"),
        ("Lee Min-jun", "Yi Min Jun"),
        ("Noh Min-jun", "Roh Min Jun"),
        ("Jeong Min-jun", "Chung Min Jun"),
        ("Heo Min-jun", "Hur Min Jun"),
    ],
)
def test_another_spelling_of_the_family_name_is_found_among_namesakes(
    listed: str, query: str
) -> None:
    """Two hundred listed "Min-jun"s of other families: the given name retrieves them all, and
    only the family name's other spellings, filed as keys, bring the one listed into the five
    best candidates."""
    families = ("Kim", "Choi", "Kang", "Han", "Oh", "Shin", "Kwon", "Hwang", "Song", "Hong")
    crowd = [_person(f"crowd-{i:03d}", f"{families[i % 10]} Min-jun") for i in range(200)]
    screener: Screener[object] = Screener.build([*crowd, _person("listed", listed)])
    assert "listed" in screener.candidates(_person("q", query))[:5]
    hits = screener.screen(_person("q", query), top=3)
    assert hits and hits[0].subject_id == "listed"
