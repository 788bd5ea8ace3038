"""What one feature added to a score, in words: the unit of every explanation."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Contribution"]


class Contribution(NamedTuple):
    """What one feature added to the score (``value`` × ``weight`` in log-odds), in words.

    A named tuple, not a frozen dataclass: every scored pair makes several, and a frozen
    dataclass sets each field through ``object.__setattr__`` (a fifth of an explanation's
    time). Plain Python (not compiled), so a pickled match unpickles anywhere.
    """

    feature: str
    value: float
    weight: float
    text: str
