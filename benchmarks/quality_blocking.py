"""A plain inverted index over the shipped retrieval keys, for the quality benchmarks.

The product's index (``watchlink.matching.index``) adds rarity weighting and bounds; here the
keys alone decide, with very common keys skipped, so blocking recall measures the keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from watchlink.matching.keys import document_keys, name_keys
from watchlink.matching.record import PreparedRecord

__all__ = ["KeyIndex"]


class KeyIndex:
    """Records filed under their name and document keys."""

    def __init__(self, records: Iterable[PreparedRecord], max_postings: int = 300) -> None:
        self.records: list[PreparedRecord] = list(records)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, record in enumerate(self.records):
            for key in name_keys(record) | document_keys(record):
                postings[key].append(i)
        self.postings = {k: v for k, v in postings.items() if len(v) <= max_postings}

    def candidates(self, query: PreparedRecord) -> list[PreparedRecord]:
        """Every record sharing a (not too common) key with ``query``."""
        found: set[int] = set()
        for key in name_keys(query) | document_keys(query):
            found.update(self.postings.get(key, ()))
        return [self.records[i] for i in sorted(found)]
