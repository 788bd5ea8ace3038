"""Partial dates of birth compared at the precision both sides give."""

from __future__ import annotations

import pytest

from watchlink.matching.dates import DateAgreement, compare_dates
from watchlink.model import PartialDate

D = PartialDate.parse


@pytest.mark.parametrize(
    ("left", "right", "agreement"),
    [
        ("1981-04-02", "1981-04-02", DateAgreement.SAME_DAY),
        ("1981-04", "1981-04-02", DateAgreement.SAME_MONTH),
        ("1981", "1981-04-02", DateAgreement.SAME_YEAR),  # year only
        ("1981-04-02", "1981-02-04", DateAgreement.SWAPPED),  # day and month swapped
        ("1981-04-02", "1982-04-02", DateAgreement.NEAR),  # one year off
        ("1981-04-02", "1981-04-03", DateAgreement.NEAR),  # one day off
        ("1981", "1982", DateAgreement.NEAR),
        ("1981-04-02", "1975-09-30", DateAgreement.CONFLICT),
        ("1981", "1990", DateAgreement.CONFLICT),
    ],
)
def test_pairs(left: str, right: str, agreement: DateAgreement) -> None:
    assert compare_dates([D(left)], [D(right)]) == agreement
    assert compare_dates([D(right)], [D(left)]) == agreement


def test_missing_date_is_unknown() -> None:
    assert compare_dates([], [D("1981")]) == DateAgreement.UNKNOWN


def test_best_of_several_dates_counts() -> None:
    assert compare_dates([D("1970"), D("1981-04-02")], [D("1981-04-02")]) == DateAgreement.SAME_DAY


def test_dates_of_several_precisions_sort_together_the_unknown_part_first() -> None:
    texts = ["1981-05", "1981-04-02", "1980-12-31", "1981", "1981-04"]
    ordered = sorted(PartialDate.parse(t) for t in texts)
    assert [str(d) for d in ordered] == ["1980-12-31", "1981", "1981-04", "1981-04-02", "1981-05"]
    assert PartialDate(1981) <= PartialDate(1981) and PartialDate(1982) > PartialDate(1981, 12)


def test_a_person_with_a_year_and_a_day_of_birth_is_screened() -> None:
    from watchlink.matching import Screener
    from watchlink.model import BirthDate, Name, Subject

    def born(*texts: str) -> Subject:
        dates = [BirthDate(PartialDate.parse(t)) for t in texts]
        return Subject(id="s", agency="FR-INT", names=[Name("Karim Haddad")], birth_dates=dates)

    screener: Screener[object] = Screener.build([born("1981", "1981-04-02")])
    [match] = screener.screen(born("1981-04-02"))
    assert match.subject_id == "s" and match.is_match
