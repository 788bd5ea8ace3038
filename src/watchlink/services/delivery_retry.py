"""When to try a failed delivery again: exponential backoff with jitter, then give up.

The n-th retry waits ``base * 2**(n-1)`` (capped), scaled by a random factor in
[0.5, 1]: receivers that failed together do not all come back in the same second.
The random source is injected, so tests know exactly when the next attempt falls.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from watchlink.settings import Settings

__all__ = ["RetryPolicy"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff and the attempt limit of webhook deliveries."""

    max_attempts: int = 12
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)
    random: Callable[[], float] = field(default=random.random, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        """The policy the settings describe."""
        return cls(
            settings.delivery_max_attempts,
            timedelta(seconds=settings.delivery_backoff_seconds),
            timedelta(seconds=settings.delivery_backoff_max_seconds),
        )

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt (1 for the first failure)."""
        exponent = max(0, attempts - 1)
        full = self.cap if exponent >= 40 else min(self.cap, self.base * (2**exponent))
        return full * (0.5 + 0.5 * self.random())

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts`` failures; None once the limit is reached."""
        if attempts >= self.max_attempts:
            return None
        return now + self.delay(attempts)
