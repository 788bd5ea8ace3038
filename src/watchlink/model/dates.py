"""Partial dates: a birth date known to the year, the month or the day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

__all__ = ["PartialDate"]

_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to a precision: year only, year and month, or the full day.

    Ordered by year, month and day, an unknown part first: 1981 < 1981-04 < 1981-04-02 <
    1981-05 (a person's dates, of several precisions, sort together).
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range")
        if self.day is not None:
            assert self.month is not None
            date(self.year, self.month, self.day)  # raises ValueError on 31 February

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (also a longer ISO timestamp)."""
        match = _PARTIAL.match(text[:10] if len(text) > 10 and text[10] == "T" else text)
        if match is None:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        return cls(
            int(year), None if month is None else int(month), None if day is None else int(day)
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.year, self.month or 0, self.day or 0) < (
            other.year,
            other.month or 0,
            other.day or 0,
        )

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
