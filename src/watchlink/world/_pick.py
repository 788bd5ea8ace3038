"""Weighted choice with the cumulative weights computed once (a hot path of the generator)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

__all__ = ["Weighted"]

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items with integer weights; ``pick`` draws exactly as ``rng.choices(items, weights)``."""

    __slots__ = ("_cum", "_hi", "_total", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[int]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("one weight per item, and at least one item")
        self.items: tuple[T, ...] = tuple(items)
        self._cum = tuple(accumulate(weights))
        self._total = self._cum[-1] + 0.0
        self._hi = len(self.items) - 1

    def pick(self, rng: random.Random) -> T:
        """One item, drawn with one ``rng.random()`` call."""
        return self.items[bisect(self._cum, rng.random() * self._total, 0, self._hi)]
