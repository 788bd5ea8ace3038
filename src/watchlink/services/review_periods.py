"""How long a subject goes before its review: a period per action-on-hit category.

A discreet or specific check is intrusive and is reviewed after a year; a notice to
the owner after three; refusing entry or arresting after five (all configurable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from watchlink.model import ActionOnHit
from watchlink.settings import Settings

__all__ = ["ReviewPeriods"]


def _add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class ReviewPeriods:
    """Review periods in years by category, the warning lead and the deletion grace, in days."""

    checks_years: int = 1
    notify_years: int = 3
    enforcement_years: int = 5
    warning_days: int = 120
    grace_days: int = 180

    @classmethod
    def from_settings(cls, settings: Settings) -> ReviewPeriods:
        """The periods the deployment configured (``WATCHLINK_REVIEW_*``)."""
        return cls(
            settings.review_years_checks,
            settings.review_years_notify,
            settings.review_years_enforcement,
            settings.review_warning_days,
            settings.review_grace_days,
        )

    def years_for(self, action: ActionOnHit) -> int:
        """The review period of an action-on-hit category, in years."""
        if action in (ActionOnHit.DISCREET_CHECK, ActionOnHit.SPECIFIC_CHECK):
            return self.checks_years
        if action is ActionOnHit.NOTIFY_ONLY:
            return self.notify_years
        return self.enforcement_years

    def review_date(self, action: ActionOnHit, start: date) -> date:
        """The default review date of a subject whose period starts on ``start``."""
        return _add_years(start, self.years_for(action))
