"""The keys a subject is filed under in the candidate index, from its engine's keys and its
birth dates (compiled with pair scoring: a million subjects are filed at each build).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any, Protocol

__all__ = ["KeySource", "subject_keys"]


class KeySource(Protocol):
    """What an engine files a record by (``screener.Engine`` is one)."""

    @property
    def name_keys(self) -> Callable[[Any], Collection[str]]: ...

    @property
    def document_keys(self) -> Callable[[Any], Collection[str]]: ...

    @property
    def trait_keys(self) -> Callable[[Any], Collection[str]] | None: ...

    @property
    def year_combined(self) -> tuple[str, ...]: ...


def subject_keys(engine: KeySource, record: object, dates: Iterable[int]) -> set[str]:
    """Index keys of one subject: ``n:`` name, ``d:`` document, ``t:`` trait, birth-date keys.

    ``dates`` are packed ``YYYYMMDD`` (``00`` for an unknown month or day): each gives its
    year (``y:1981``) and, when known, its month (``b:1981-04``) and its day, also with day
    and month swapped (``b:1981-04-02`` and ``b:1981-02-04``), as a swap is a common slip.
    Name keys the engine names in ``year_combined`` are also filed with each birth year
    (``c:s:mhmd|1981``): rare enough to retrieve by where the name part alone is not.
    """
    names = engine.name_keys(record)
    keys = {"n:" + key for key in names}
    for key in engine.document_keys(record):
        keys.add("d:" + key)
    trait_keys = engine.trait_keys
    if trait_keys is not None:
        for key in trait_keys(record):
            keys.add("t:" + key)
    prefixes = engine.year_combined
    combined = [key for key in names if key.startswith(prefixes)] if prefixes else []
    for packed in dates:
        year, month, day = packed // 10_000, packed // 100 % 100, packed % 100
        text = str(year)
        keys.add("y:" + text)
        for key in combined:
            keys.add("c:" + key + "|" + text)
        if month:
            keys.add(f"b:{text}-{month:02d}")
        if day:
            keys.add(f"b:{text}-{month:02d}-{day:02d}")
            if day <= 12:
                keys.add(f"b:{text}-{day:02d}-{month:02d}")
    return keys
