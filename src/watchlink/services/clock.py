"""The time source: every time-dependent service takes a ``Clock`` instead of reading the OS.

Deadlines, reminders, escalations and reviews ask ``clock.now()``; production passes a
``SystemClock``, tests a ``ManualClock`` they move forward by hand, so no test sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FixedClock", "ManualClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current time, timezone-aware in UTC."""

    def now(self) -> datetime:
        """The current instant (UTC-aware)."""
        ...


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a clock's time must be timezone-aware")
    return moment.astimezone(UTC)


class SystemClock:
    """The operating system's clock, in UTC."""

    def now(self) -> datetime:
        """The current instant from the OS."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that always tells the same instant."""

    def __init__(self, at: datetime) -> None:
        self._at = _utc(at)

    def now(self) -> datetime:
        """The fixed instant."""
        return self._at


class ManualClock:
    """A clock moved by hand: ``advance`` forward or ``set`` to an instant (tests, demos)."""

    def __init__(self, start: datetime) -> None:
        self._at = _utc(start)

    def now(self) -> datetime:
        """The instant the clock was last moved to."""
        return self._at

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**parts)``; returns the new time."""
        step = delta if delta is not None else timedelta(**parts)
        if step < timedelta(0):
            raise ValueError("a clock does not go backwards")
        self._at += step
        return self._at

    def set(self, at: datetime) -> None:
        """Move to ``at`` (never backwards)."""
        moment = _utc(at)
        if moment < self._at:
            raise ValueError("a clock does not go backwards")
        self._at = moment
