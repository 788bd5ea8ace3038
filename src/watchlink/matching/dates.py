"""Comparing partial dates of birth at the precision both sides give."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from watchlink.model import PartialDate

__all__ = ["DateAgreement", "compare_dates"]


class DateAgreement(IntEnum):
    """How two dates of birth agree, strongest first."""

    SAME_DAY = 6  # both give the full day and it is the same
    SAME_MONTH = 5  # equal up to the finer precision of the coarser side (year-month)
    SAME_YEAR = 4  # equal up to the year, one side gives only the year
    SWAPPED = 3  # day and month swapped (03-04 vs 04-03)
    NEAR = 2  # year one off, or same year with a different day or month
    CONFLICT = 1  # both given and different
    UNKNOWN = 0  # one side has no date


def _pair(a: PartialDate, b: PartialDate) -> DateAgreement:
    if a.year != b.year:
        if abs(a.year - b.year) <= 2 and (a.month is None or b.month is None):
            return DateAgreement.NEAR  # a year known alone is often approximate ("circa")
        if abs(a.year - b.year) == 1 and (a.month is None or b.month is None or a.month == b.month):
            return DateAgreement.NEAR
        if a.month is not None and a.month == b.month and a.day is not None and a.day == b.day:
            return DateAgreement.NEAR  # a year typo with day and month right
        return DateAgreement.CONFLICT
    if a.month is None or b.month is None:
        return DateAgreement.SAME_YEAR
    if a.day is not None and b.day is not None:
        if a.month == b.month and a.day == b.day:
            return DateAgreement.SAME_DAY
        if a.month == b.day and a.day == b.month:
            return DateAgreement.SWAPPED
        return DateAgreement.NEAR
    if a.month == b.month:
        return DateAgreement.SAME_MONTH
    if (a.day is not None and a.day == b.month) or (b.day is not None and b.day == a.month):
        return DateAgreement.SWAPPED
    return DateAgreement.NEAR


def compare_dates(left: Sequence[PartialDate], right: Sequence[PartialDate]) -> DateAgreement:
    """The best agreement between any date of ``left`` and any date of ``right``."""
    best = DateAgreement.UNKNOWN
    for a in left:
        for b in right:
            agreement = _pair(a, b)
            if agreement > best:
                best = agreement
    return best
