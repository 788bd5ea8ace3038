"""One given name under a nickname or in another language; one family name in a woman's and a
man's form (relatives, not one person)."""

from __future__ import annotations

import pytest

from watchlink.matching.features import gendered_forms
from watchlink.matching.record import prepare
from watchlink.matching.scoring import score
from watchlink.matching.tokens import PairKind, token_kind
from watchlink.model import Name, Subject
from watchlink.normalize.given_names import equivalent_given_names, groups_of
from watchlink.normalize.skeletons import skeleton

CUT = 0.5


def _scored(a: str, b: str) -> tuple[float, list[str]]:
    left = prepare(Subject(id="a", agency="FR-DGSI", names=[Name(a)]))
    right = prepare(Subject(id="b", agency="FR-DGSI", names=[Name(b)]))
    scored = score(left, right)
    return scored.probability, scored.explanation


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Bill Tanner", "William Tanner"),
        ("Ted Marlowe", "Theodore Marlowe"),
        ("Ted Marlowe", "Edward Marlowe"),
        ("John Ferrand", "Juan Ferrand"),
        ("Giuseppe Lamberti", "Joseph Lamberti"),
        ("Yahya Kassem", "John Kassem"),
        ("Bibi Azoulay", "Benjamin Azoulay"),
        ("Suleiman Darwish", "Solomon Darwish"),
        ("Jasmin Benjelloun", "Yasmina Benjelloun"),  # no woman's ending: both are hers
    ],
)
def test_a_nickname_or_another_languages_form_is_one_given_name(left: str, right: str) -> None:
    probability, explanation = _scored(left, right)
    assert probability >= CUT
    assert "nickname, or another language's form" in explanation[0]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Edward Marlowe", "Theodore Marlowe"),  # both may be Ted: not one name
        ("Patrick Oyelaran", "Patricia Oyelaran"),  # both may be Pat
        ("Robert Tanner", "William Tanner"),
        ("Bill Tanner", "Bob Tanner"),
    ],
)
def test_names_that_only_share_a_nickname_stay_apart(left: str, right: str) -> None:
    assert _scored(left, right)[0] < CUT


def test_equivalence_is_by_shared_group_only() -> None:
    assert equivalent_given_names("ted", "edward") and equivalent_given_names("ted", "theodore")
    assert not equivalent_given_names("edward", "theodore")
    assert not equivalent_given_names("ted", "ted")  # the same name is SAME, not an equivalent
    assert groups_of("zebulon") == frozenset()
    assert token_kind("bill", skeleton("bill"), "william", skeleton("william")) == (
        PairKind.VARIANT,
        0.9,
    )


@pytest.mark.parametrize(
    ("woman", "man"),
    [
        ("ivanova", "ivanov"),
        ("barynova", "baranov"),  # one slip in the stem
        ("kowalska", "kowalski"),
        ("dostoevskaya", "dostoevsky"),
        ("grebneva", "grebnev"),
        ("zhilina", "zhilin"),
    ],
)
def test_a_womans_and_a_mans_form_of_a_family_name_are_recognised(woman: str, man: str) -> None:
    assert gendered_forms(woman, man) and gendered_forms(man, woman)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ivanov", "ivanov"),
        ("ivanova", "ivanova"),
        ("petrov", "ivanova"),
        ("eva", "ev"),
        ("yasmin", "yasmina"),  # one given name
    ],
)
def test_other_pairs_are_not_gendered_forms(a: str, b: str) -> None:
    assert not gendered_forms(a, b)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Olga Baranova", "Oleg Baranov"),  # wife and husband, or sister and brother
        ("Irina Sokolova", "Irina Sokolov"),  # even with one given name
        ("Maria Kowalska", "Maria Kowalski"),  # spelled alike in all but the ending
    ],
)
def test_relatives_under_the_two_forms_of_one_family_name_are_told_apart(
    left: str, right: str
) -> None:
    probability, explanation = _scored(left, right)
    assert probability < CUT
    assert "a woman's and a man's form of one family name" in explanation[0]


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ольга Баранова", "Olga Baranova"), ("Maria Kowalska", "Mariya Kovalska")],
)
def test_the_same_form_still_matches_across_scripts_and_spellings(left: str, right: str) -> None:
    assert _scored(left, right)[0] >= CUT
