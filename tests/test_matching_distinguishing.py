"""What tells two entities of one name apart, by tables of cases: legal forms, series numbers,
a subsidiary's extra word, a compound head against another part, acronyms, and the hard
negatives they protect (fictional names throughout)."""

from __future__ import annotations

import pytest

from watchlink.matching.features import NameComparison, PairKind, compare_names
from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.matching.tokens import token_kind
from watchlink.model import BirthDate, Name, PartialDate, Subject
from watchlink.normalize.name_marks import is_mark, join_acronyms, legal_forms, numbers_as_digits
from watchlink.normalize.names import name_form
from watchlink.normalize.skeletons import skeleton


def compared(a: str, b: str) -> NameComparison:
    return compare_names(name_form(a), name_form(b))


def subject(name: str, born: str | None = None) -> Subject:
    births = [] if born is None else [BirthDate(PartialDate.parse(born))]
    return Subject(id=name, agency="TEST", names=[Name(name)], birth_dates=births)


def probability(left: Subject, right: Subject) -> float:
    return score(prepare(left), prepare(right), load_model()).probability


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("A.B.C. Company", "ABC Company"),
        ("Norvale S.A.R.L.", "Norvale SARL"),
        ("Tarsk Holdings, L.P.", "Tarsk Holdings, LP"),
        ("U.S. Office", "US Office"),
        ("J. Tarvell", "J. Tarvell"),  # one initial stays an initial
        ("Tarvell Co.", "Tarvell Co."),  # a word's abbreviation dot is no acronym
    ],
)
def test_dotted_letters_are_one_word(text: str, joined: str) -> None:
    assert join_acronyms(text) == joined


@pytest.mark.parametrize(
    ("token", "mark"),
    [("23", True), ("2004", True), ("ii", True), ("xiv", True), ("i", False), ("ivo", False)],
)
def test_series_marks(token: str, mark: bool) -> None:
    assert is_mark(token) is mark


def test_a_roman_numeral_first_is_a_name() -> None:
    assert is_mark("xi", first=True) is False
    assert name_form("Xi Tarlong").marks == frozenset()
    assert name_form("Tarlong Fund XI").marks == {"xi"}


@pytest.mark.parametrize(
    ("cleaned", "forms"),
    [
        ("norvale bank ag", {"jsc"}),
        ("norvale bank aktiengesellschaft", {"jsc"}),
        ("norvale neft oao", {"jsc"}),
        ("norvale bank gmbh", {"llc"}),
        ("norvale ltd", {"llc"}),
        ("norvale bank", set()),
        ("norvale solutions ii", set()),  # a series mark, not a company type
    ],
)
def test_legal_forms_in_generic_form(cleaned: str, forms: set[str]) -> None:
    assert legal_forms(cleaned) == frozenset(forms)


@pytest.mark.parametrize(
    ("left", "right", "told_apart"),
    [
        # another kind of legal form: a GmbH is not the AG
        ("Norvale Bank AG", "Norvale Bank GmbH", True),
        # the same kind written otherwise: one company
        ("Norvale Bank AG", "Norvale Bank Aktiengesellschaft", False),
        ("Kestrel Neft OAO", "Kestrel Neft JSC", False),
        # a legal form on one side only says nothing
        ("Norvale Bank AG", "Norvale Bank", False),
        # a subsidiary adds a word to its parent's name
        ("Banco Tarsk S.A.", "Banco Tarsk Ecuador S.A.", True),
        ("Orlin Management Company", "Westbay Orlin Management Company", True),
        # a series number only one side has: another of the series
        ("Orlin Management Company 23", "Orlin Management Company", True),
        ("Tarsk Global Solutions, Inc.", "Tarsk Global Solutions II, Inc.", True),
        # a person's missing middle name is not a distinguishing mark
        ("Karim Haddad", "Karim Nabil Haddad", False),
    ],
)
def test_distinguishing_marks(left: str, right: str, told_apart: bool) -> None:
    comparison = compared(left, right)
    assert bool(comparison.distinct) is told_apart
    if told_apart:
        assert comparison.conflicts >= 1


@pytest.mark.parametrize(
    ("left", "right", "conflicts"),
    [
        # "Abdul" against "Shah": a part on each side, not one name without its head
        ("Tariq Nazir Abdul Mohammed", "Tariq Nazir Shah Mohammed", 1),
        ("Gulbadin Wali Abdul", "Gulbadin Wali Matin", 1),  # a head left at the end
        ("Abdul Kabir Abdul Jan", "Abdul Kabir Mohammad Jan", 1),
        # a head dropped with nothing in its place is the same person written shorter
        ("Abdul Hamid Tarzai", "Hamid Tarzai", 0),
        ("Abd al-Hamid Tarzai", "Abdelhamid Tarzai", 0),
    ],
)
def test_a_compound_head_against_another_part(left: str, right: str, conflicts: int) -> None:
    assert compared(left, right).conflicts == conflicts


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("US Department of Fisheries", "United States Department of Fisheries"),
        ("JC Tarvell", "Jean-Claude Tarvell"),
        ("NLF", "Northern Liberation Front"),
    ],
)
def test_acronyms_are_the_initials_of_the_other_name(left: str, right: str) -> None:
    comparison = compared(left, right)
    assert not comparison.left_unmatched and not comparison.right_unmatched
    assert any(p.kind == PairKind.INITIAL and " " in p.right for p in comparison.pairs)


def test_a_name_split_in_two_is_joined_before_alike_parts_pair() -> None:
    comparison = compared("Nikolai Vartan ushev", "Nikolai Vartanushev")
    assert not comparison.left_unmatched and not comparison.right_unmatched
    assert comparison.count(PairKind.ALIKE) == 0


@pytest.mark.parametrize(
    ("name", "patronymic"),
    [
        ("Ahmad bin Hasan Tarzai", True),
        ("bin Hasan Ahmad", False),  # family part written first
        ("Hasan Ahmad bin", False),
    ],
)
def test_patronymic_order_needs_bin_between_names(name: str, patronymic: bool) -> None:
    assert name_form(name).patronymic is patronymic


def test_a_patronymic_listed_family_first_is_the_same_person() -> None:
    assert compared("bin Hasan Ahmad", "Ahmad bin Hasan").order_swapped is False


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("BWX Industries", "BAE Industries"),  # one skeleton for the whole, not per part
        ("Chen Tai-lok", "Chiang Tai-lok"),
    ],
)
def test_one_skeleton_is_not_one_name_when_a_part_differs(left: str, right: str) -> None:
    assert not compared(left, right).exact


def test_a_vowel_in_a_short_part_stays_one_name() -> None:
    assert compared("Pak Song On", "Pak Song Un").exact


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (subject("Norvale Bank AG"), subject("Norvale Bank GmbH")),
        (subject("Banco Tarsk S.A."), subject("Banco Tarsk Ecuador S.A.")),
        (subject("Tarsk Global Solutions, Inc."), subject("Tarsk Global Solutions II, Inc.")),
        (subject("C.B.A. Company"), subject("A.B.C. Company")),
        # different people of a common name, born the same year: the name alone is no match
        (
            subject("Tariq Nazir Abdul Mohammed", "1975"),
            subject("Tariq Nazir Shah Mohammed", "1975"),
        ),
        (subject("Gulbadin Wali Abdul", "1981"), subject("Gulbadin Wali Matin", "1981")),
        (subject("Mohammad Abdul Rahim", "1980"), subject("Mohammad Wali Rahim", "1980")),
    ],
)
def test_hard_negatives_are_no_match(left: Subject, right: Subject) -> None:
    assert probability(left, right) < load_model().threshold("default")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (subject("Norvale Bank AG"), subject("Norvale Bank Aktiengesellschaft")),
        (subject("Kestrel Neft OAO"), subject("Kestrel Neft JSC")),
        (subject("Norvale Bank AG"), subject("Norvale Bank")),
        (subject("Abdul Hamid Tarzai", "1975"), subject("Hamid Tarzai", "1975")),
        (subject("bin Hasan Ahmad Tarzai"), subject("Ahmad bin Hasan Tarzai")),
        (subject("US Department of Fisheries"), subject("United States Department of Fisheries")),
    ],
)
def test_the_same_entity_still_matches(left: Subject, right: Subject) -> None:
    assert probability(left, right) >= load_model().threshold("default")


def test_explanation_says_what_tells_them_apart() -> None:
    scored = score(prepare(subject("Norvale Bank AG")), prepare(subject("Norvale Bank GmbH")))
    assert any("legal form jsc ≠ llc" in line for line in scored.explanation)


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("brigade forty four", "brigade 44"),
        ("brigade forty 4", "brigade 44"),
        ("1st tarsk bank", "1 tarsk bank"),
        ("first tarsk bank", "1 tarsk bank"),
        ("three riverside", "3 riverside"),
        ("norvale trust 2004 1", "norvale trust 2004 1"),
        ("karim haddad", "karim haddad"),
    ],
)
def test_numbers_written_out_are_digits(words: str, digits: str) -> None:
    assert numbers_as_digits(words.split()) == digits.split()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("1st Tarsk Bank", "First Tarsk Bank"),
        ("Brigade Forty-Four", "Brigade 44"),
        ("NorvaleAG", "Norvale AG"),  # a legal form written joined to the name
    ],
)
def test_one_entity_however_its_number_or_form_is_written(left: str, right: str) -> None:
    comparison = compared(left, right)
    assert comparison.conflicts == 0
    assert not comparison.left_unmatched and not comparison.right_unmatched


def test_a_legal_form_without_generic_kind_is_its_own_kind() -> None:
    assert legal_forms("l h sweden ab") == {"ab"}
    assert compared("Tarsk Sweden AB", "Tarsk Mendel Sweden AB").distinct


def test_a_short_company_type_inside_a_name_is_a_name_part() -> None:
    assert name_form("Iyad Ag Ghali").organisation is False
    assert name_form("Pak Yu Ro").tokens == ("pak", "yu", "ro")


def test_bin_al_din_is_a_father_not_a_compound() -> None:
    assert name_form("Ibrahim bin al-Din al-Tarzi").tokens == ("ibrahim", "din", "tarzi")
    assert compared("Ibrahim bin al-Din al-Tarzi", "Saif al-Din bin Ibrahim al-Tarzi").order_swapped


def test_two_initials_alone_stand_for_no_one() -> None:
    comparison = compared("N.N.", "Nadir Nazarov")
    assert not any(p.kind == PairKind.INITIAL for p in comparison.pairs)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Abd Jabbar Omari", "Abdul Jabbar Omari"),  # one head written two ways
        ("Amir Abd", "Amir Abdullah"),  # a head alone for the compound it opens
        ("Adb al-Hamid Tarzi", "Abd al-Hamid Tarzi"),  # the head with a slip
    ],
)
def test_a_bare_head_pairs_with_its_compound(left: str, right: str) -> None:
    comparison = compared(left, right)
    assert comparison.conflicts == 0
    assert comparison.count(PairKind.ALIKE) == 0


def test_two_bare_heads_are_two_names() -> None:
    found = token_kind("abd", skeleton("abd"), "abu", skeleton("abu"))
    assert found is None or found[0] == PairKind.ALIKE


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Xu Liu", "Gul Tarzai"),  # "xuliu" and "gul" share the skeleton kl: too short
        ("Xu Li", "Gul Tarzai"),  # and "xuli" is two edits from "gul" too
        ("Qiang Yang", "Choe Chun Yong"),  # "chunchoe" and "qiang": knk
    ],
)
def test_short_skeletons_join_no_two_parts_into_one(left: str, right: str) -> None:
    assert not any(" " in p.left or " " in p.right for p in compared(left, right).pairs)


def test_long_skeletons_still_join_two_parts_into_one() -> None:
    comparison = compared("Jeongsig Pak", "Pak Jong Sik")  # jeongsig: jnksk
    assert any(p.right == "jong sik" for p in comparison.pairs)
