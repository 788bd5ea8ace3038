"""Partial dates of birth compared at the precision both sides give."""

from __future__ import annotations

import pytest

from watchlink.model import PartialDate
from watchlink.normalize.dates import DateAgreement, compare_dates

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
